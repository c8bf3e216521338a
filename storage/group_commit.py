"""Group commit: units of work that arrive together share one transaction and one fsync.

A unit is built in memory (statements and their parameters, no I/O), then handed to the
committer. While one batch is being written, the units that arrive queue up and go into
the next batch together, so under load many inputs share one fsync; with one person there
is no wait at all. Each unit runs inside its own savepoint, so one that fails is undone
alone, and its caller is only answered once the whole batch is on disk.

Bookkeeping that may wait (marking replies sent) rides along with the next batch instead
of paying for a commit of its own.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, cast

import aiosqlite

MAX_UNITS_PER_BATCH = 256
LATER_WITHIN_SECONDS = 0.5


@dataclass
class Statement:
    sql: str
    params: Sequence[Any] = ()
    many: bool = False


@dataclass
class UnitOfWork:
    """Everything one input writes. `guard`, if given, is an INSERT OR IGNORE that decides
    whether the unit runs at all: when it inserts nothing (an update seen before) the unit
    is skipped and its result is None."""

    guard: Statement | None = None
    statements: list[Statement] = field(default_factory=list)

    def add(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Queue one statement; the returned index finds its new row id in the result."""
        self.statements.append(Statement(sql, tuple(params)))
        return len(self.statements) - 1

    def add_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.statements.append(Statement(sql, [tuple(row) for row in rows], many=True))


RowIds = list[int]
UnitResult = RowIds | None | sqlite3.Error


def _run_unit(connection: sqlite3.Connection, unit: UnitOfWork) -> UnitResult:
    connection.execute("SAVEPOINT unit")
    try:
        guard = unit.guard
        if guard is not None and connection.execute(guard.sql, guard.params).rowcount == 0:
            connection.execute("RELEASE unit")
            return None
        row_ids: RowIds = []
        for statement in unit.statements:
            if statement.many:
                connection.executemany(statement.sql, statement.params)
                row_ids.append(0)
            else:
                row_ids.append(connection.execute(statement.sql, statement.params).lastrowid or 0)
        connection.execute("RELEASE unit")
        return row_ids
    except sqlite3.Error as error:
        connection.execute("ROLLBACK TO unit")
        connection.execute("RELEASE unit")
        return error


def run_batch(
    connection: sqlite3.Connection, units: Sequence[UnitOfWork], later: Sequence[Statement]
) -> list[UnitResult]:
    """Runs in the database's own thread: one transaction for the whole batch."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        for statement in later:
            if statement.many:
                connection.executemany(statement.sql, statement.params)
            else:
                connection.execute(statement.sql, statement.params)
        results = [_run_unit(connection, unit) for unit in units]
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return results


class GroupCommitter:
    """Queues units and writes them in batches, one batch at a time."""

    def __init__(self, connection: aiosqlite.Connection, write_lock: asyncio.Lock) -> None:
        self._connection = connection
        self._write_lock = write_lock
        self._waiting: list[tuple[UnitOfWork, asyncio.Future[UnitResult]]] = []
        self._later: list[Statement] = []
        self._writer: asyncio.Task[None] | None = None
        self._later_timer: asyncio.TimerHandle | None = None
        self._later_in_flight = 0

    async def commit(self, unit: UnitOfWork) -> RowIds | None:
        """Write the unit durably, with whatever else is waiting; its new row ids, or None
        if its guard found it done before. Raises the unit's own database error."""
        future: asyncio.Future[UnitResult] = asyncio.get_running_loop().create_future()
        self._waiting.append((unit, future))
        self._start_writer()
        result = await future
        if isinstance(result, sqlite3.Error):
            raise result
        return result

    def later(self, statement: Statement) -> None:
        """Bookkeeping to write with the next batch (or within half a second if none
        comes). Lost only if the process dies in that moment."""
        self._later.append(statement)
        self._arm_later_timer()

    def _arm_later_timer(self) -> None:
        if self._later_timer is None:
            loop = asyncio.get_running_loop()
            self._later_timer = loop.call_later(LATER_WITHIN_SECONDS, self._later_due)

    def _later_due(self) -> None:
        self._later_timer = None
        self._start_writer()

    def later_pending(self) -> bool:
        """Some bookkeeping is queued or being written, not yet committed."""
        return bool(self._later) or self._later_in_flight > 0

    async def flush(self) -> None:
        """Write anything still waiting (at shutdown)."""
        self._start_writer()
        if self._writer is not None:
            await asyncio.shield(self._writer)

    def _start_writer(self) -> None:
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._write_all())

    async def _write_all(self) -> None:
        while self._waiting or self._later:
            batch = self._waiting[:MAX_UNITS_PER_BATCH]
            del self._waiting[:MAX_UNITS_PER_BATCH]
            later, self._later = self._later, []
            if later and self._later_timer is not None:
                self._later_timer.cancel()
                self._later_timer = None
            self._later_in_flight = len(later)
            try:
                async with self._write_lock:
                    results = await self._run([unit for unit, _ in batch], later)
            except BaseException as error:  # the whole batch failed: every caller hears it
                for _, future in batch:
                    if not future.done():
                        future.set_exception(error)
                self._later[:0] = later
                self._later_in_flight = 0
                if not isinstance(error, Exception):
                    raise
                if not self._waiting:
                    self._arm_later_timer()
                    return
                continue
            self._later_in_flight = 0
            for (_, future), result in zip(batch, results, strict=True):
                if not future.done():
                    future.set_result(result)

    async def _run(
        self, units: Sequence[UnitOfWork], later: Sequence[Statement]
    ) -> list[UnitResult]:
        connection = self._connection
        # aiosqlite runs every call on its connection's own thread; handing it the whole
        # batch as one function makes the batch one trip to that thread, not one per row.
        run = connection._execute
        batch = await run(lambda: run_batch(connection._conn, units, later))  # type: ignore[no-untyped-call]
        return cast(list[UnitResult], batch)
