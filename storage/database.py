"""The SQLite connection: WAL, durable commits, one writer transaction at a time."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from collections.abc import AsyncIterator, Callable, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, cast

import aiosqlite

from storage.batch import RowIds, Statement, UnitOfWork
from storage.crypto import Cipher
from storage.errors import DatabaseFileError, StorageUnavailable, WrongKeyError
from storage.group_commit import GroupCommitter
from storage.migrate import migrate

KEY_CHECK = "exit-interviews key check"
CACHE_KIB = 32_768
"""SQLite keeps up to 32 MB of the database in memory (its default is 2 MB): a council's
whole database, so answers and reports read pages from memory, not the file."""


def iso(moment: datetime) -> str:
    """Times are stored as UTC ISO-8601 text, which sorts in time order."""
    if moment.tzinfo is UTC:
        return moment.isoformat(timespec="microseconds")
    if moment.tzinfo is None:
        raise ValueError("times given to storage must carry a time zone")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _problem(error: sqlite3.Error) -> str:
    """A short, content-free description of a database error, for logs and messages."""
    text = str(error).lower()
    for known in ("locked", "full", "readonly", "i/o", "malformed", "not a database", "busy"):
        if known in text:
            return "database is " + known if known in {"locked", "full", "busy"} else known
    return type(error).__name__


def parse_time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


class Database:
    """An open database. Use `transaction()` for every write; reads may run at any time."""

    def __init__(self, connection: aiosqlite.Connection, cipher: Cipher, path: Path) -> None:
        self.connection = connection
        self.cipher = cipher
        self.path = path
        self._write_lock = asyncio.Lock()
        self._committer = GroupCommitter(connection, self._write_lock)

    @classmethod
    async def open(cls, path: Path, cipher: Cipher, busy_timeout_ms: int = 10_000) -> Database:
        """Open (creating if needed), migrate, and check the key opens this database."""
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = await aiosqlite.connect(path, isolation_level=None)
            connection.row_factory = aiosqlite.Row
        except (OSError, sqlite3.Error) as error:
            raise DatabaseFileError(path, type(error).__name__) from error
        try:
            await connection.execute("PRAGMA journal_mode = WAL")
            await connection.execute("PRAGMA synchronous = FULL")
            await connection.execute("PRAGMA foreign_keys = ON")
            await connection.execute("PRAGMA secure_delete = ON")
            await connection.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
            await connection.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
            await migrate(connection, cipher)
            database = cls(connection, cipher, path)
            await database._check_key()
        except sqlite3.Error as error:
            await connection.close()
            raise DatabaseFileError(path, _problem(error)) from error
        except BaseException:
            await connection.close()
            raise
        return database

    async def _check_key(self) -> None:
        row = await self.fetch_one("SELECT value FROM meta WHERE key = 'key_check'")
        if row is None:
            async with self.transaction() as db:
                await db.execute(
                    "INSERT INTO meta (key, value) VALUES ('key_check', ?)",
                    (self.cipher.encrypt(KEY_CHECK),),
                )
            return
        if self.cipher.decrypt(row[0]) != KEY_CHECK:
            raise WrongKeyError()

    async def close(self) -> None:
        with contextlib.suppress(StorageUnavailable, sqlite3.Error):
            await self._committer.flush()
        await self.connection.close()

    async def commit_unit(self, unit: UnitOfWork) -> RowIds | None:
        """Write one unit of work durably, sharing the commit (and its fsync) with the
        units that arrive at the same moment; the new row ids of its statements, or None if
        its guard says it was done before. StorageUnavailable as for `transaction()`."""
        try:
            return await self._committer.commit(unit)
        except sqlite3.Error as error:
            raise StorageUnavailable(_problem(error)) from error

    def write_later(self, statement: Statement) -> None:
        """Bookkeeping that can ride with the next commit rather than pay for its own."""
        self._committer.later(statement)

    def writes_later_pending(self) -> bool:
        """True while some bookkeeping given to `write_later` is not yet committed."""
        return self._committer.later_pending()

    @asynccontextmanager
    async def transaction(self, durable: bool = True) -> AsyncIterator[aiosqlite.Connection]:
        """One atomic unit of work. Durable (the default): on disk, fsync'd, when the block
        ends. Not durable: safe from a crash of this process, but a power cut may undo it;
        only for bookkeeping whose loss is harmless. StorageUnavailable if the database is
        locked elsewhere, full, or unreadable; nothing of the unit is kept then."""
        async with self._write_lock:
            try:
                if not durable:
                    await self.connection.execute("PRAGMA synchronous = NORMAL")
                try:
                    await self.connection.execute("BEGIN IMMEDIATE")
                    try:
                        yield self.connection
                    except BaseException:
                        await self._rollback()
                        raise
                    await self.connection.execute("COMMIT")
                finally:
                    if not durable:
                        await self.connection.execute("PRAGMA synchronous = FULL")
            except sqlite3.Error as error:
                await self._rollback()
                raise StorageUnavailable(_problem(error)) from error

    async def _rollback(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            if self.connection.in_transaction:
                await self.connection.execute("ROLLBACK")

    async def fetch_one(self, sql: str, params: Iterable[Any] = ()) -> sqlite3.Row | None:
        """The first row of a query, if any, read in one trip to the database's thread."""
        arguments = tuple(params)

        def read(raw: sqlite3.Connection) -> sqlite3.Row | None:
            with contextlib.closing(raw.execute(sql, arguments)) as cursor:
                return cast("sqlite3.Row | None", cursor.fetchone())

        return cast("sqlite3.Row | None", await self._on_thread(read))

    async def fetch_all(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        """Every row of a query, read in one trip to the database's thread."""
        arguments = tuple(params)

        def read(raw: sqlite3.Connection) -> list[sqlite3.Row]:
            with contextlib.closing(raw.execute(sql, arguments)) as cursor:
                return cursor.fetchall()

        return cast("list[sqlite3.Row]", await self._on_thread(read))

    async def _on_thread(self, read: Callable[[sqlite3.Connection], Any]) -> Any:
        """Run `read` on aiosqlite's own thread as one call: a query through aiosqlite's
        cursor takes three trips there and back (execute, fetch, close), and each trip
        waits for a busy event loop to notice it has ended."""
        connection = self.connection
        run = connection._execute
        try:
            return await run(lambda: read(connection._conn))  # type: ignore[no-untyped-call]
        except sqlite3.Error as error:
            raise StorageUnavailable(_problem(error)) from error

    async def claim_once_per(
        self,
        table: str,
        column: str,
        row_id: int,
        now: datetime,
        every_seconds: int,
        also: str = "",
    ) -> bool:
        """Stamp `column` with now if it is empty or older than the interval; True if this
        call did, so two tasks racing to send the same reminder cannot both send it.
        `table`, `column` and `also` are this package's own constants, never input."""
        threshold = datetime.fromtimestamp(now.timestamp() - every_seconds, tz=now.tzinfo)
        async with self.transaction() as connection:
            cursor = await connection.execute(
                f"UPDATE {table} SET {column} = ? WHERE id = ? {also} "  # noqa: S608
                f"AND ({column} IS NULL OR {column} <= ?)",
                (iso(now), row_id, iso(threshold)),
            )
            return cursor.rowcount == 1

    async def checkpoint(self) -> None:
        """Copy the write-ahead log into the database and empty it, so that values just
        overwritten (by secure_delete) are not left readable in the -wal file. Best effort:
        a reader holding an old snapshot can delay it to the next checkpoint."""
        async with self._write_lock:
            try:
                await self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as error:
                raise StorageUnavailable(_problem(error)) from error

    def seal(self, text: str) -> bytes:
        return self.cipher.encrypt(text)

    def open_label(self, value: bytes | str) -> str:
        """A sealed short label (a question id), or one stored before labels were sealed."""
        return value if isinstance(value, str) else self.cipher.decrypt(value)

    def open_text(self, blob: bytes) -> str:
        return self.cipher.decrypt(blob)

    async def backup(self, target: Path) -> None:
        """A consistent copy of the live database, through SQLite's backup API."""
        target.parent.mkdir(parents=True, exist_ok=True)
        destination = await aiosqlite.connect(target)
        try:
            await self.connection.backup(destination)
        finally:
            await destination.close()
