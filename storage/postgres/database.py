"""The PostgreSQL store: the same `Database` the storage modules know, over a pool.

Every write runs in its own transaction on a connection borrowed from a psycopg pool;
reads borrow one for a moment. Nothing lives in the session between transactions (no
prepared statements, no session locks, no SET), so the pool may sit behind PgBouncer in
transaction mode. A unit of work is committed alone: PostgreSQL's own group commit shares
the WAL flush between workers, so the SQLite store's batching is not needed here.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Iterable, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, cast
from urllib.parse import urlsplit, urlunsplit

import aiosqlite
import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from storage.batch import RowIds, Statement, UnitOfWork
from storage.crypto import Cipher
from storage.database import KEY_CHECK, Database, _problem
from storage.errors import StaleStateError, StorageError, StorageUnavailable, WrongKeyError
from storage.postgres.connection import ROWS, Connection, Row, sqlite_error
from storage.postgres.migrate import migrate

POOL_SIZE = 10
LATER_WITHIN_SECONDS = 0.5


def redacted(url: str) -> str:
    """The address without its password, for messages and logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    if parts.port:
        host = f"{host}:{parts.port}"
    user = f"{parts.username}:***@" if parts.username else ""
    return urlunsplit((parts.scheme, user + host, parts.path, parts.query, parts.fragment))


class DatabaseUnreachable(StorageError):
    """EXIT_DATABASE names a PostgreSQL server this program cannot reach or use."""

    def __init__(self, url: str, problem: str) -> None:
        super().__init__(
            f"EXIT_DATABASE ({redacted(url)}) cannot be used ({problem}). Check that the "
            "server is running, that the database exists and that this user may connect "
            "and create tables in it."
        )


class PostgresDatabase(Database):
    """An open PostgreSQL database, offering what `Database` offers the modules."""

    def __init__(
        self, pool: AsyncConnectionPool[psycopg.AsyncConnection[Row]], cipher: Cipher, url: str
    ) -> None:
        self.pool = pool
        self.cipher = cipher
        self.url = url
        self.path = Path(redacted(url))
        self._later: list[Statement] = []
        self._later_in_flight = 0
        self._later_task: asyncio.Task[None] | None = None

    @classmethod
    async def connect(cls, url: str, cipher: Cipher) -> PostgresDatabase:
        """Open a pool, migrate under the migration lock, and check the key fits."""
        try:
            probe = await psycopg.AsyncConnection.connect(url, connect_timeout=10)
            await probe.close()
        except psycopg.Error as error:
            raise DatabaseUnreachable(url, type(error).__name__) from error
        pool: AsyncConnectionPool[psycopg.AsyncConnection[Row]] = AsyncConnectionPool(
            url,
            connection_class=psycopg.AsyncConnection[Row],
            kwargs={"autocommit": True, "prepare_threshold": None, "row_factory": ROWS},
            min_size=1,
            max_size=POOL_SIZE,
            check=AsyncConnectionPool.check_connection,
            open=False,
            name="exit-interviews",
        )
        try:
            await pool.open(wait=True, timeout=10)
        except (PoolTimeout, psycopg.Error) as error:
            await pool.close()
            raise DatabaseUnreachable(url, type(error).__name__) from error
        database = cls(pool, cipher, url)
        try:
            async with pool.connection() as raw:
                await migrate(raw, cipher)
            await database._check_key()
        except psycopg.Error as error:
            await pool.close()
            raise DatabaseUnreachable(url, type(error).__name__) from error
        except BaseException:
            await pool.close()
            raise
        return database

    async def _check_key(self) -> None:
        """The first worker to start seals the key check; every later one must open it."""
        async with self.transaction() as db:
            await db.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES ('key_check', ?)",
                (self.cipher.encrypt(KEY_CHECK),),
            )
        row = await self.fetch_one("SELECT value FROM meta WHERE key = 'key_check'")
        if row is None or self.cipher.decrypt(row[0]) != KEY_CHECK:
            raise WrongKeyError()

    async def close(self) -> None:
        if self._later_task is not None:
            self._later_task.cancel()
        with contextlib.suppress(StorageUnavailable, sqlite3.Error):
            await self._write_later_now()
        await self.pool.close()

    @asynccontextmanager
    async def transaction(self, durable: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """One atomic unit of work on a borrowed connection. Not durable: the commit does
        not wait for the WAL flush (for bookkeeping whose loss is harmless)."""
        try:
            async with self.pool.connection() as raw, raw.transaction():
                if not durable:
                    await raw.execute("SET LOCAL synchronous_commit = off")
                # The adapter answers every call the modules make on aiosqlite's connection.
                yield cast("aiosqlite.Connection", Connection(raw))
        except (sqlite3.Error, psycopg.OperationalError, PoolTimeout) as error:
            raise StorageUnavailable(_short(error)) from error

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        rows = await self.fetch_all(sql, params)
        return rows[0] if rows else None

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        try:
            async with self.pool.connection() as raw:
                cursor = await Connection(raw).execute(sql, params)
                rows = await cursor.fetchall()
        except (sqlite3.Error, psycopg.OperationalError, PoolTimeout) as error:
            raise StorageUnavailable(_short(error)) from error
        return cast("list[sqlite3.Row]", rows)

    async def commit_unit(self, unit: UnitOfWork) -> RowIds | None:
        """Write one unit of work in its own transaction, with any bookkeeping waiting."""
        later, self._later = self._later, []
        self._later_in_flight += len(later)
        try:
            async with self.transaction() as connection:
                adapter = cast("Connection", connection)
                for statement in later:
                    await _run(adapter, statement)
                result = await _run_unit(adapter, unit)
        except BaseException:
            self._later[:0] = later
            raise
        finally:
            self._later_in_flight -= len(later)
        return result

    def write_later(self, statement: Statement) -> None:
        self._later.append(statement)
        if self._later_task is None or self._later_task.done():
            self._later_task = asyncio.create_task(self._write_later_soon())

    def writes_later_pending(self) -> bool:
        return bool(self._later) or self._later_in_flight > 0

    async def _write_later_soon(self) -> None:
        await asyncio.sleep(LATER_WITHIN_SECONDS)
        with contextlib.suppress(StorageUnavailable, sqlite3.Error):
            await self._write_later_now()

    async def _write_later_now(self) -> None:
        later, self._later = self._later, []
        if not later:
            return
        self._later_in_flight += len(later)
        try:
            async with self.transaction(durable=False) as connection:
                for statement in later:
                    await _run(cast("Connection", connection), statement)
        except BaseException:
            self._later[:0] = later
            raise
        finally:
            self._later_in_flight -= len(later)

    async def checkpoint(self) -> None:
        """After an erasure: VACUUM the tables that held what a person said, so the deleted
        rows' space is reclaimed now rather than at autovacuum's leisure. Best effort, as on
        SQLite: the values were sealed, and the server's WAL and backups age out on their
        own schedule."""
        try:
            async with self.pool.connection() as raw:
                await raw.execute(b"VACUUM answers, transcript, voice_answers, web_sessions")
        except (psycopg.Error, PoolTimeout) as error:
            raise StorageUnavailable(_short(error)) from error

    async def backup(self, target: Path) -> None:
        raise StorageError(
            "A PostgreSQL store is backed up with the server's own tools: pg_dump, or "
            "point-in-time recovery (see README, Running it for real)."
        )


async def _run(connection: Connection, statement: Statement) -> int:
    if statement.many:
        return (await connection.executemany(statement.sql, statement.params)).rowcount
    return (await connection.execute(statement.sql, statement.params)).rowcount


async def _run_unit(connection: Connection, unit: UnitOfWork) -> RowIds | None:
    guard = unit.guard
    if guard is not None and (await connection.execute(guard.sql, guard.params)).rowcount == 0:
        return None
    row_ids: RowIds = []
    for statement in unit.statements:
        rows: Sequence[Any] = statement.rows()
        if statement.many:
            changed = (await connection.executemany(statement.sql, statement.params)).rowcount
            row_ids.append(0)
        else:
            cursor = await connection.execute(statement.sql, statement.params)
            changed = cursor.rowcount
            row_ids.append(cursor.lastrowid or 0)
        if statement.changes_one and changed != len(rows):
            raise StaleStateError()
    return row_ids


def _short(error: BaseException) -> str:
    if isinstance(error, sqlite3.Error):
        return _problem(error)
    if isinstance(error, psycopg.Error):
        return _problem(sqlite_error(error))
    return "no connection free in the pool"
