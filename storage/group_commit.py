"""Group commit: units of work that arrive together share one transaction and one fsync.

A unit is built in memory (statements and their parameters, no I/O), then handed to the
committer. While one batch is being written, the units that arrive queue up and go into
the next batch together, so under load many inputs share one fsync; with one person there
is no wait at all. A unit that fails is undone alone (batch.py writes the batch unit by
unit, each in its own savepoint, whenever writing it together is not safe), and each
caller is only answered once the whole batch is on disk.

Bookkeeping that may wait (marking replies sent) rides along with the next batch instead
of paying for a commit of its own.
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import Sequence
from typing import cast

import aiosqlite

from storage.batch import STALE, RowIds, Statement, UnitOfWork, UnitResult, run_batch
from storage.errors import StaleStateError

MAX_UNITS_PER_BATCH = 256
LATER_WITHIN_SECONDS = 0.5


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
        if its guard found it done before. Raises the unit's own database error, or
        StaleStateError if a row it was built on changed."""
        future: asyncio.Future[UnitResult] = asyncio.get_running_loop().create_future()
        self._waiting.append((unit, future))
        self._start_writer()
        result = await future
        if isinstance(result, sqlite3.Error):
            raise result
        if result is STALE:
            raise StaleStateError()
        return cast("RowIds | None", result)

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
