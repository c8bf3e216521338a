"""Which worker runs the scheduled work, and what `exit-interviews health` reads.

Several workers may share one PostgreSQL database; only one of them may send re-alerts,
reminders, digests and run the purge, or a person would hear the same thing twice. The
leader holds a short lease in the `scheduler_leader` row and renews it every tick; a
worker takes the row over only once the lease has run out, so if the leader dies another
leads within one lease. The claim runs under a transaction-level advisory lock (released
by COMMIT, so it is safe behind PgBouncer in transaction mode). On SQLite only one process
ever runs the bot, so it always claims the row: a restart never waits out its own lease.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import aiosqlite
import psycopg

from storage import migrate as sqlite_migrations
from storage.database import Database, iso, parse_time
from storage.errors import StorageError
from storage.postgres import migrate as postgres_migrations
from storage.postgres.address import postgres_url, sqlite_path
from storage.postgres.connection import ROWS
from storage.postgres.database import PostgresDatabase

LEASE_SECONDS = 25
"""How long a leader's claim holds without renewal. Workers try to claim every few seconds
(the scheduler's 5-second replay job), so a dead leader is replaced within 30 seconds."""
LEADER_LOCK = 7_261_100_019
"""The advisory lock key the claim takes (any constant this program alone uses)."""

_CLAIM = (
    "UPDATE scheduler_leader SET leader_id = ?, lease_until = ?, renewed_at = ? "
    "WHERE id = 1 AND (lease_until < ? OR leader_id = ?)"
)
_FIRST = (
    "INSERT OR IGNORE INTO scheduler_leader (id, leader_id, lease_until, renewed_at) "
    "VALUES (1, '', '', '')"
)
_TAKE = "UPDATE scheduler_leader SET leader_id = ?, lease_until = ?, renewed_at = ? WHERE id = 1"
_READ = "SELECT leader_id, lease_until, renewed_at FROM scheduler_leader WHERE id = 1"


@dataclass(frozen=True)
class Lease:
    """Who leads the scheduled work, and when they last renewed."""

    leader_id: str
    lease_until: datetime | None
    renewed_at: datetime | None

    def held_at(self, now: datetime) -> bool:
        """Whether somebody's lease is still running at `now`."""
        return bool(self.leader_id) and self.lease_until is not None and self.lease_until > now


def _lease(row: sqlite3.Row | tuple[str, str, str] | None) -> Lease:
    if row is None:
        return Lease("", None, None)
    return Lease(str(row[0]), parse_time(row[1] or None), parse_time(row[2] or None))


class SchedulerLeader:
    """The lease on the scheduled work for one database."""

    def __init__(self, db: Database, lease_seconds: float = LEASE_SECONDS) -> None:
        self.db = db
        self.lease = timedelta(seconds=lease_seconds)

    @property
    def shared(self) -> bool:
        """True when several workers may share this database (PostgreSQL)."""
        return isinstance(self.db, PostgresDatabase)

    async def claim(self, me: str, now: datetime) -> bool:
        """Take or renew the lease for worker `me`; whether `me` now leads. On a shared
        database only when the lease ran out or `me` already holds it."""
        until = iso(now + self.lease)
        async with self.db.transaction() as connection:
            if self.shared:
                await connection.execute("SELECT pg_advisory_xact_lock(?)", (LEADER_LOCK,))
            await connection.execute(_FIRST)
            if not self.shared:
                await connection.execute(_TAKE, (me, until, iso(now)))
                return True
            cursor = await connection.execute(_CLAIM, (me, until, iso(now), iso(now), me))
            return cursor.rowcount == 1

    async def current(self) -> Lease:
        """Who holds the lease now, as the database says."""
        return _lease(await self.db.fetch_one(_READ))


@dataclass(frozen=True)
class Health:
    """What `exit-interviews health` and /healthz report; nothing about people's data."""

    reachable: bool
    problem: str
    schema_version: int
    latest_version: int
    lease: Lease

    @property
    def migrated(self) -> bool:
        return self.reachable and self.schema_version == self.latest_version

    def led_at(self, now: datetime) -> bool:
        """Whether a worker holds a running lease on the scheduled work."""
        return self.reachable and self.lease.held_at(now)

    def healthy_at(self, now: datetime) -> bool:
        return self.migrated and self.led_at(now)


async def probe_open(db: Database) -> Health:
    """The same checks on a store this process has open (for /healthz): one short read
    each, so a load balancer may poll it every few seconds."""
    shared = isinstance(db, PostgresDatabase)
    latest = (postgres_migrations if shared else sqlite_migrations).latest_version()
    version_sql = "SELECT max(version) FROM schema_version" if shared else "PRAGMA user_version"
    try:
        version_row = await db.fetch_one(version_sql)
        version = int(version_row[0]) if version_row and version_row[0] is not None else 0
        row = await db.fetch_one(_READ) if version >= 19 else None
    except (StorageError, sqlite3.Error) as error:
        return Health(False, type(error).__name__, 0, latest, Lease("", None, None))
    return Health(True, "", version, latest, _lease(row))


async def probe(address: Path | str) -> Health:
    """Look at the database EXIT_DATABASE names without changing it (no migration, no
    key): whether it answers, its schema version, and the scheduler's lease."""
    url = postgres_url(address)
    if url is not None:
        return await _probe_postgres(url)
    return await _probe_sqlite(sqlite_path(address))


async def _probe_postgres(url: str) -> Health:
    latest = postgres_migrations.latest_version()
    try:
        async with await psycopg.AsyncConnection.connect(
            url, connect_timeout=5, autocommit=True, prepare_threshold=None, row_factory=ROWS
        ) as raw:
            version = await postgres_migrations.schema_version(raw)
            row = None
            if version >= 19:
                cursor = await raw.execute(_READ.encode())
                row = await cursor.fetchone()
    except psycopg.Error as error:
        return Health(False, type(error).__name__, 0, latest, Lease("", None, None))
    return Health(True, "", version, latest, _lease(row))


async def _probe_sqlite(path: Path) -> Health:
    latest = sqlite_migrations.latest_version()
    if not await asyncio.to_thread(path.exists):
        return Health(False, "no database file", 0, latest, Lease("", None, None))
    try:
        async with aiosqlite.connect(f"file:{path}?mode=ro", uri=True) as connection:
            version = await sqlite_migrations.schema_version(connection)
            row = None
            if version >= 19:
                async with connection.execute(_READ) as cursor:
                    found = await cursor.fetchone()
                row = None if found is None else (str(found[0]), str(found[1]), str(found[2]))
    except sqlite3.Error as error:
        return Health(False, type(error).__name__, 0, latest, Lease("", None, None))
    return Health(True, "", version, latest, _lease(row))
