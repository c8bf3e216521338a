"""The audit log: every read of a transcript, export, erasure and change of staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import aiosqlite

from storage.database import Database, iso, parse_time
from storage.records import Actor


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    actor: str
    action: str
    interview_id: str | None
    detail: str


async def write_audit(
    connection: aiosqlite.Connection,
    actor: Actor | str,
    action: str,
    at: datetime,
    interview_id: str | None = None,
    detail: str = "",
) -> None:
    """Add an audit row inside the caller's transaction. `detail` must hold no answer text."""
    label = actor.label if isinstance(actor, Actor) else actor
    await connection.execute(
        "INSERT INTO audit (at, actor, action, interview_id, detail) VALUES (?, ?, ?, ?, ?)",
        (iso(at), label, action, interview_id, detail),
    )


class AuditLog:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def entries(self, interview_id: str | None = None) -> list[AuditEntry]:
        """The audit trail, oldest first, for one interview or all."""
        sql = "SELECT at, actor, action, interview_id, detail FROM audit"
        params: tuple[str, ...] = ()
        if interview_id is not None:
            sql += " WHERE interview_id = ?"
            params = (interview_id,)
        rows = await self.db.fetch_all(sql + " ORDER BY id", params)
        return [
            AuditEntry(
                parse_time(r["at"]) or datetime.min,
                r["actor"],
                r["action"],
                r["interview_id"],
                r["detail"],
            )
            for r in rows
        ]

    async def record(
        self,
        actor: Actor | str,
        action: str,
        at: datetime,
        interview_id: str | None = None,
        detail: str = "",
    ) -> None:
        async with self.db.transaction() as connection:
            await write_audit(connection, actor, action, at, interview_id, detail)
