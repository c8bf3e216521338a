"""A PostgreSQL connection that answers the storage modules the way aiosqlite does.

The modules call `execute`, `executemany` and `executescript`, await the cursor or use it
in `async with`, read `rowcount` and `lastrowid`, fetch rows they index by position or by
name, and catch sqlite3's error classes. This adapter gives them exactly that over one
psycopg connection, translating each statement (dialect.py) and each error (into the
sqlite3 class of the same meaning), so no module needs to know which store it is on.
"""

from __future__ import annotations

import sqlite3
from collections.abc import AsyncIterator, Generator, Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

import psycopg
from psycopg.rows import BaseRowFactory, RowMaker

from storage.postgres.dialect import is_pragma, translate


class Row(tuple[Any, ...]):
    """A row read by position or by column name, like sqlite3.Row."""

    _names: dict[str, int]

    def __new__(cls, values: Sequence[Any], names: dict[str, int]) -> Row:
        row = super().__new__(cls, values)
        row._names = names
        return row

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return super().__getitem__(self._names[key])
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        return list(self._names)


def row_factory(cursor: Any) -> RowMaker[Row]:
    """psycopg's hook: rows come back as `Row`, with the names of this result's columns."""
    names = {column.name: i for i, column in enumerate(cursor.description or ())}

    def make(values: Sequence[Any]) -> Row:
        return Row(values, names)

    return make


ROWS: BaseRowFactory[Row] = row_factory


def sqlite_error(error: psycopg.Error) -> sqlite3.Error:
    """The sqlite3 error of the same meaning, so the modules' own handling still applies.
    The message is the server's short one (no query text and no values)."""
    text = type(error).__name__
    if error.diag.message_primary:
        text = f"{text}: {error.diag.message_primary}"
    if isinstance(error, psycopg.IntegrityError):
        return sqlite3.IntegrityError(text)
    if isinstance(error, psycopg.OperationalError):
        return sqlite3.OperationalError(text)
    if isinstance(error, psycopg.ProgrammingError):
        return sqlite3.ProgrammingError(text)
    return sqlite3.DatabaseError(text)


class Cursor:
    """The outcome of one statement, its rows read in full (results here are small)."""

    def __init__(self, rows: list[Row], rowcount: int, lastrowid: int | None) -> None:
        self._rows = rows
        self._next = 0
        self.rowcount = rowcount
        self.lastrowid = lastrowid

    async def fetchone(self) -> Row | None:
        if self._next >= len(self._rows):
            return None
        self._next += 1
        return self._rows[self._next - 1]

    async def fetchall(self) -> list[Row]:
        rest = self._rows[self._next :]
        self._next = len(self._rows)
        return rest

    def __aiter__(self) -> AsyncIterator[Row]:
        return self._iterate()

    async def _iterate(self) -> AsyncIterator[Row]:
        while (row := await self.fetchone()) is not None:
            yield row

    async def close(self) -> None:
        """Nothing is held open: the rows were read when the statement ran."""


class _Running:
    """What `execute` returns: awaited, or used in `async with`, as aiosqlite allows."""

    def __init__(self, work: Any) -> None:
        self._work = work
        self._cursor: Cursor | None = None

    def __await__(self) -> Generator[Any, None, Cursor]:
        return self._work.__await__()  # type: ignore[no-any-return]

    async def __aenter__(self) -> Cursor:
        self._cursor = await self._work
        return self._cursor

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        return None


class Connection:
    """One PostgreSQL connection inside one transaction, spoken to like aiosqlite's."""

    def __init__(self, raw: psycopg.AsyncConnection[Row]) -> None:
        self.raw = raw

    @property
    def in_transaction(self) -> bool:
        return self.raw.info.transaction_status != psycopg.pq.TransactionStatus.IDLE

    def execute(self, sql: str, parameters: Iterable[Any] | Mapping[str, Any] = ()) -> _Running:
        values = dict(parameters) if isinstance(parameters, Mapping) else tuple(parameters)
        return _Running(self._execute(sql, values))

    async def _execute(self, sql: str, parameters: tuple[Any, ...] | dict[str, Any]) -> Cursor:
        if is_pragma(sql):
            return Cursor([], -1, None)
        query = translate(sql, want_id=True)
        try:
            cursor = await self.raw.execute(query.encode(), parameters)
            rows = await cursor.fetchall() if cursor.description is not None else []
        except psycopg.Error as error:
            raise sqlite_error(error) from error
        lastrowid = None
        if rows and query.endswith(" RETURNING id") and "RETURNING" not in sql.upper():
            lastrowid = int(rows[0][0])
            rows = []
        return Cursor(rows, cursor.rowcount, lastrowid)

    async def executemany(self, sql: str, rows: Iterable[Iterable[Any]]) -> Cursor:
        query = translate(sql, want_id=False)
        batch = [tuple(row) for row in rows]
        if not batch:
            return Cursor([], 0, None)
        try:
            async with self.raw.cursor() as cursor:
                await cursor.executemany(query.encode(), batch)
                return Cursor([], cursor.rowcount, None)
        except psycopg.Error as error:
            raise sqlite_error(error) from error

    async def executescript(self, script: str) -> Cursor:
        """A script of statements with no parameters (migrations, test set-ups)."""
        try:
            await self.raw.execute(script.encode())
        except psycopg.Error as error:
            raise sqlite_error(error) from error
        return Cursor([], -1, None)
