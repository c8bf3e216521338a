"""The one door to the database: open it, and reach each kind of record from here."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from storage.audit import AuditLog
from storage.circulation import Readers
from storage.concerns import Concerns
from storage.crypto import Cipher
from storage.database import Database
from storage.flow_versions import FlowVersions
from storage.followup import FollowUp
from storage.interviews import Interviews
from storage.known_states import KnownStates
from storage.markers import Markers
from storage.outbox import Outbox
from storage.postgres.address import postgres_url, sqlite_path
from storage.postgres.database import PostgresDatabase
from storage.records import Actor
from storage.reporting import Reporting
from storage.retention import Retention
from storage.rotation import rotate_key
from storage.services import Services
from storage.staff import StaffDirectory
from storage.steps import Steps
from storage.tasks import Tasks
from storage.thanks import ThankYous
from storage.transcripts import Transcripts
from storage.voices import Voices
from storage.web_sessions import WebSessions


class Storage:
    """Every query the product makes lives behind this object's parts."""

    def __init__(self, db: Database) -> None:
        self.db = db
        known = KnownStates()
        self.interviews = Interviews(db, known)
        self.steps = Steps(db, known)
        self.staff = StaffDirectory(db)
        self.concerns = Concerns(db)
        self.outbox = Outbox(db)
        self.audit = AuditLog(db)
        self.retention = Retention(db, known)
        self.transcripts = Transcripts(db, self.interviews, self.concerns)
        self.followup = FollowUp(db, self.interviews)
        self.tasks = Tasks(db, self.staff)
        self.thanks = ThankYous(db, self.interviews)
        self.readers = Readers(db, self.interviews, self.staff)
        self.markers = Markers(db)
        self.web_sessions = WebSessions(db)
        self.voices = Voices(db, self.interviews)
        self.reporting = Reporting(db, self.interviews)
        self.services = Services(db)
        self.flow_versions = FlowVersions(db)

    @classmethod
    async def open(cls, path: Path | str, cipher: Cipher, busy_timeout_ms: int = 10_000) -> Storage:
        """Open the database EXIT_DATABASE names (an SQLite file, the default, or a
        postgresql:// address), creating and migrating it as needed. On SQLite a write
        waits up to `busy_timeout_ms` for another program's lock before StorageUnavailable."""
        url = postgres_url(path)
        if url is not None:
            return cls(await PostgresDatabase.connect(url, cipher))
        return cls(await Database.open(sqlite_path(path), cipher, busy_timeout_ms))

    @property
    def on_postgres(self) -> bool:
        """True when this store is PostgreSQL (for tools that must say which)."""
        return isinstance(self.db, PostgresDatabase)

    async def close(self) -> None:
        """Write any bookkeeping still waiting, then close."""
        await self.db.close()

    async def backup(self, target: Path) -> None:
        """A consistent copy of the live database (SQLite's backup API; on PostgreSQL,
        StorageError pointing to pg_dump)."""
        await self.db.backup(target)

    async def rotate_key(self, actor: Actor, at: datetime) -> int:
        """Re-encrypt everything under the current key; see SECURITY.md."""
        return await rotate_key(self.db, actor, at)
