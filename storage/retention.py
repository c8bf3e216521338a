"""Erasure on request and at the end of the retention period. The audit trail stays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.audit import write_audit
from storage.database import Database, iso
from storage.erasure import Copies, Erased, Erasure, ErasureFailed
from storage.known_states import KnownStates
from storage.records import Actor

# Telegram keeps an unconfirmed update for at most 24 hours, so a week of update ids is ample
# to recognise any repeat.
UPDATE_MEMORY_DAYS = 7


@dataclass(frozen=True)
class PurgeReport:
    """What a purge did, in counts and ids only (never content): `failed` holds the
    interviews that could not be erased this time; the next purge tries them again."""

    erased: int
    expired_invitations: int
    failed: tuple[str, ...] = ()


class Retention:
    def __init__(self, db: Database, known: KnownStates) -> None:
        self.db = db
        self.erasure = Erasure(db, known)
        self.copies = Copies(db)

    async def erase(self, interview_id: str, actor: Actor, at: datetime, reason: str) -> Erased:
        """Remove an interview's content for good; keep a content-free row and the audit entry."""
        return await self.erasure.erase(interview_id, actor, at, reason)

    async def purge(
        self, now: datetime, actor: Actor, *, keep_finished_days: int, invitation_days: int
    ) -> PurgeReport:
        """Apply the retention period: erase finished interviews past it, close stale invitations."""
        finished_before = iso(now - timedelta(days=keep_finished_days))
        rows = await self.db.fetch_all(
            "SELECT id FROM interviews WHERE status IN "
            "('completed', 'stopped', 'declined', 'expired') AND finished_at IS NOT NULL "
            "AND finished_at <= ?",
            (finished_before,),
        )
        failed: list[str] = []
        for row in rows:
            try:
                await self.erase(str(row[0]), actor, now, "retention period ended")
            except ErasureFailed:
                failed.append(str(row[0]))
        invited_before = iso(now - timedelta(days=invitation_days))
        stale = await self.db.fetch_all(
            "SELECT i.id FROM interviews i WHERE i.status = 'invited' AND i.chat_id IS NULL "
            "AND i.created_at <= ?",
            (invited_before,),
        )
        stale_expired = await self.db.fetch_all(
            "SELECT DISTINCT v.interview_id FROM invitations v JOIN interviews i "
            "ON i.id = v.interview_id WHERE i.status = 'invited' AND i.chat_id IS NULL "
            "AND v.expires_at <= ?",
            (iso(now),),
        )
        closing = sorted({str(r[0]) for r in [*stale, *stale_expired]})
        async with self.db.transaction() as connection:
            for interview_id in closing:
                await connection.execute(
                    "UPDATE interviews SET status = 'expired', finished_at = ?, due_at = NULL, "
                    "updated_at = ? WHERE id = ?",
                    (iso(now), iso(now), interview_id),
                )
                await write_audit(connection, actor, "invitation_expired", now, interview_id)
            await connection.execute(
                "DELETE FROM processed_updates WHERE handled_at <= ?",
                (iso(now - timedelta(days=UPDATE_MEMORY_DAYS)),),
            )
        return PurgeReport(
            erased=len(rows) - len(failed), expired_invitations=len(closing), failed=tuple(failed)
        )
