"""Versioned migrations: numbered SQL or Python files applied in order, tracked by
PRAGMA user_version. A Python migration (NNNN_name.py with `async def upgrade(connection,
cipher)`) is for changes SQL cannot make alone, such as sealing values that were plain."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import aiosqlite

from storage.crypto import Cipher

MIGRATIONS = Path(__file__).parent / "migrations"
_NUMBERED = re.compile(r"^(\d{4})_[a-z0-9_]+\.(sql|py)$")


def numbered_files(folder: Path) -> list[tuple[int, Path]]:
    """Every migration in a folder with its number, in order: SQLite's and PostgreSQL's
    folders are numbered alike."""
    found = []
    for path in folder.iterdir():
        match = _NUMBERED.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return sorted(found)


def migration_files() -> list[tuple[int, Path]]:
    """Every SQLite migration with its number, in order."""
    return numbered_files(MIGRATIONS)


def latest_version() -> int:
    return migration_files()[-1][0]


async def schema_version(connection: aiosqlite.Connection) -> int:
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(
    connection: aiosqlite.Connection, cipher: Cipher | None = None, target: int | None = None
) -> int:
    """Bring the schema up to `target` (default: the latest); each file in its own
    transaction, with foreign keys checked again once it is done."""
    current = await schema_version(connection)
    goal = latest_version() if target is None else target
    if current > latest_version():
        raise RuntimeError(
            f"This database has schema version {current}, newer than this program knows "
            f"({latest_version()}). Upgrade exit-interviews before using it."
        )
    pending = [(n, path) for n, path in migration_files() if current < n <= goal]
    if not pending:
        return current
    await connection.execute("PRAGMA foreign_keys = OFF")
    try:
        for number, path in pending:
            if path.suffix == ".sql":
                script = path.read_text(encoding="utf-8")
                await connection.executescript(
                    f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
                )
            else:
                module = importlib.import_module(f"storage.migrations.{path.stem}")
                await connection.execute("BEGIN IMMEDIATE")
                try:
                    await module.upgrade(connection, cipher)
                    await connection.execute(f"PRAGMA user_version = {number}")
                except BaseException:
                    await connection.execute("ROLLBACK")
                    raise
                await connection.execute("COMMIT")
            current = number
    finally:
        await connection.execute("PRAGMA foreign_keys = ON")
    return current
