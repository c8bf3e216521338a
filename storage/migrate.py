"""Versioned migrations: numbered SQL files applied in order, tracked by PRAGMA user_version."""

from __future__ import annotations

import re
from pathlib import Path

import aiosqlite

MIGRATIONS = Path(__file__).parent / "migrations"
_NUMBERED = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def migration_files() -> list[tuple[int, Path]]:
    """Every migration with its number, in order."""
    found = []
    for path in MIGRATIONS.iterdir():
        match = _NUMBERED.match(path.name)
        if match:
            found.append((int(match.group(1)), path))
    return sorted(found)


def latest_version() -> int:
    return migration_files()[-1][0]


async def schema_version(connection: aiosqlite.Connection) -> int:
    async with connection.execute("PRAGMA user_version") as cursor:
        row = await cursor.fetchone()
    return int(row[0]) if row else 0


async def migrate(connection: aiosqlite.Connection, target: int | None = None) -> int:
    """Bring the schema up to `target` (default: the latest); each file in its own transaction."""
    current = await schema_version(connection)
    goal = latest_version() if target is None else target
    if current > latest_version():
        raise RuntimeError(
            f"This database has schema version {current}, newer than this program knows "
            f"({latest_version()}). Upgrade exit-interviews before using it."
        )
    for number, path in migration_files():
        if current < number <= goal:
            script = path.read_text(encoding="utf-8")
            await connection.executescript(
                f"BEGIN IMMEDIATE;\n{script}\nPRAGMA user_version = {number};\nCOMMIT;"
            )
            current = number
    return current
