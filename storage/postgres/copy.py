"""Moving an installation from its SQLite file to PostgreSQL, checked before it counts.

The copy is one PostgreSQL transaction: it refuses a target that already holds anything,
copies every table parents first, carries the id counters on (so no outbox id or task id
is ever given out twice), then compares the row count of every table and opens a sample
of answers on both sides. Anything amiss undoes the whole copy.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from graphlib import TopologicalSorter
from typing import cast

from storage.database import Database
from storage.errors import StorageError
from storage.postgres.connection import Connection
from storage.postgres.database import PostgresDatabase
from storage.postgres.dialect import IDENTITY_TABLES

ROWS_PER_CALL = 500
SAMPLE_ANSWERS = 20
OWN_BOOKKEEPING = frozenset({"schema_version"})
"""Tables of the PostgreSQL store itself, not copied from SQLite."""


class CopyRefused(StorageError):
    """The copy cannot be made, or was made wrong and undone; nothing was kept."""


@dataclass(frozen=True)
class CopyReport:
    """What was copied: rows per table, and how many answers were opened on both sides."""

    rows: dict[str, int]
    answers_checked: int


async def copy_store(source: Database, target: PostgresDatabase) -> CopyReport:
    """Copy every row of `source` (SQLite) into the empty `target`, or change nothing."""
    if isinstance(source, PostgresDatabase):
        raise CopyRefused("Copy from an SQLite file (sqlite:PATH) to PostgreSQL.")
    tables = await _tables_parents_first(source)
    target_tables = {
        row[0]
        for row in await target.fetch_all(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
        )
    }
    missing = set(tables) - target_tables
    if missing:
        raise CopyRefused(
            f"The PostgreSQL database lacks tables {sorted(missing)}: upgrade exit-interviews "
            "so both stores are at the same schema version, then copy again."
        )
    counts: dict[str, int] = {}
    async with target.transaction() as raw:
        connection = cast("Connection", raw)
        await _refuse_unless_empty(connection, target_tables - OWN_BOOKKEEPING)
        for table in tables:
            counts[table] = await _copy_table(source, connection, table)
        await _carry_counters_on(source, connection, tables)
        await _check_counts(connection, counts)
        checked = await _check_answers(source, target, connection)
    return CopyReport(counts, checked)


async def _tables_parents_first(source: Database) -> list[str]:
    names = [
        row[0]
        for row in await source.fetch_all(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        )
    ]
    parents: dict[str, set[str]] = {}
    for name in names:
        keys = await source.fetch_all(f"PRAGMA foreign_key_list({name})")
        parents[name] = {str(key[2]) for key in keys} - {name}
    return list(TopologicalSorter(parents).static_order())


async def _refuse_unless_empty(connection: Connection, tables: set[str]) -> None:
    for table in sorted(tables):
        sql = f"SELECT count(*) FROM {table}"  # noqa: S608 - names from the schema
        if table == "meta":
            sql += " WHERE key != 'key_check'"
        row = await (await connection.execute(sql)).fetchone()
        if row is not None and row[0]:
            raise CopyRefused(
                f"The PostgreSQL database already holds data (table {table}). Copy only into "
                "a new, empty database; nothing was changed."
            )


async def _copy_table(source: Database, connection: Connection, table: str) -> int:
    columns = [str(row[1]) for row in await source.fetch_all(f"PRAGMA table_info({table})")]
    listed = ", ".join(columns)
    rows = await source.fetch_all(f"SELECT {listed} FROM {table}")  # noqa: S608
    if table == "meta":
        rows = [row for row in rows if row[0] != "key_check"]
    marks = ", ".join("?" for _ in columns)
    insert = f"INSERT INTO {table} ({listed}) VALUES ({marks})"  # noqa: S608
    for start in range(0, len(rows), ROWS_PER_CALL):
        await connection.executemany(
            insert, [tuple(row) for row in rows[start : start + ROWS_PER_CALL]]
        )
    return len(rows) + (1 if table == "meta" else 0)


async def _carry_counters_on(source: Database, connection: Connection, tables: list[str]) -> None:
    """PostgreSQL's next id in each table is above any id SQLite ever gave out there."""
    given: dict[str, int] = {}
    if "sqlite_sequence" in {
        row[0] for row in await source.fetch_all("SELECT name FROM sqlite_master")
    }:
        for row in await source.fetch_all("SELECT name, seq FROM sqlite_sequence"):
            given[str(row[0])] = int(row[1])
    for table in tables:
        if table not in IDENTITY_TABLES:
            continue
        top = await source.fetch_one(f"SELECT max(id) FROM {table}")  # noqa: S608
        highest = max(int(top[0]) if top and top[0] is not None else 0, given.get(table, 0))
        if highest:
            await connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), ?)", (highest,)
            )


async def _check_counts(connection: Connection, counts: dict[str, int]) -> None:
    for table, expected in counts.items():
        row = await (await connection.execute(f"SELECT count(*) FROM {table}")).fetchone()  # noqa: S608
        found = int(row[0]) if row else 0
        if found != expected:
            raise CopyRefused(
                f"Table {table} has {found} rows on PostgreSQL but {expected} in SQLite; the "
                "copy was undone. Run it again; if it repeats, report it."
            )


async def _check_answers(source: Database, target: PostgresDatabase, connection: Connection) -> int:
    """Open a random sample of answers on both sides with the key: the same words."""
    ids = [int(row[0]) for row in await source.fetch_all("SELECT id FROM answers")]
    sample = random.sample(ids, min(SAMPLE_ANSWERS, len(ids)))
    for answer_id in sample:
        there = await source.fetch_one("SELECT value FROM answers WHERE id = ?", (answer_id,))
        here = await (
            await connection.execute("SELECT value FROM answers WHERE id = ?", (answer_id,))
        ).fetchone()
        if there is None or here is None or _opened(source, there[0]) != _opened(target, here[0]):
            raise CopyRefused(
                f"Answer {answer_id} does not read the same on PostgreSQL; the copy was "
                "undone. Check both use the same EXIT_DATA_KEY, then copy again."
            )
    return len(sample)


def _opened(database: Database, value: bytes | None) -> str | None:
    return None if value is None else database.open_text(value)
