"""PostgreSQL's migrations: numbered like SQLite's, applied under a lock at start-up.

The files live in storage/migrations/postgres/ and carry the same numbers as SQLite's, so
"schema version 17" means the same tables on either store. The store begins at 0016 (the
whole schema as SQLite had it then): no PostgreSQL installation is older, so SQLite's
earlier steps, and their Python migrations, have nothing to upgrade here.

Every pending file runs in one transaction that first takes a transaction-level advisory
lock: two workers starting together queue on the lock, and the second finds the work done.
Transaction-level (not session) locks are released by COMMIT, so this works behind a
pooler in transaction mode such as PgBouncer.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import psycopg

from storage.crypto import Cipher
from storage.migrate import numbered_files
from storage.postgres.connection import Connection, Row

MIGRATIONS = Path(__file__).parent.parent / "migrations" / "postgres"
MIGRATION_LOCK = 7_261_100_016
"""The advisory lock key migrations take (any constant this program alone uses)."""

_VERSION_TABLE = "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)"


def migration_files() -> list[tuple[int, Path]]:
    """Every PostgreSQL migration with its number, in order."""
    return numbered_files(MIGRATIONS)


def latest_version() -> int:
    return migration_files()[-1][0]


async def schema_version(raw: psycopg.AsyncConnection[Row]) -> int:
    """The version a database is at; 0 for an empty one."""
    cursor = await raw.execute("SELECT to_regclass('schema_version') IS NOT NULL")
    exists = await cursor.fetchone()
    if not exists or not exists[0]:
        return 0
    cursor = await raw.execute("SELECT max(version) FROM schema_version")
    row = await cursor.fetchone()
    return int(row[0]) if row and row[0] is not None else 0


async def migrate(raw: psycopg.AsyncConnection[Row], cipher: Cipher | None = None) -> int:
    """Bring the schema up to the latest version; the version it is at afterwards."""
    async with raw.transaction():
        await raw.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        await raw.execute(_VERSION_TABLE)
        current = await schema_version(raw)
        if current > latest_version():
            raise RuntimeError(
                f"This database has schema version {current}, newer than this program knows "
                f"({latest_version()}). Upgrade exit-interviews before using it."
            )
        connection = Connection(raw)
        for number, path in migration_files():
            if number <= current:
                continue
            if path.suffix == ".sql":
                await raw.execute(path.read_text(encoding="utf-8").encode())
            else:
                module = importlib.import_module(f"storage.migrations.postgres.{path.stem}")
                await module.upgrade(connection, cipher)
            await raw.execute("DELETE FROM schema_version")
            await raw.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
            current = number
    return current
