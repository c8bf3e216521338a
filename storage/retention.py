"""Erasure on request and at the end of the retention period. The audit trail stays."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.audit import write_audit
from storage.database import Database, iso
from storage.errors import NotFound
from storage.interviews import Interviews
from storage.known_states import KnownStates
from storage.phone_chats import forget_phone_chat
from storage.records import Actor

ERASED_NAME = "(erased)"
# Telegram keeps an unconfirmed update for at most 24 hours, so a week of update ids is ample
# to recognise any repeat.
UPDATE_MEMORY_DAYS = 7


@dataclass(frozen=True)
class PurgeReport:
    """What a purge did, in counts only."""

    erased: int
    expired_invitations: int


class Retention:
    def __init__(self, db: Database, known: KnownStates) -> None:
        self.db = db
        self.known = known

    async def erase(self, interview_id: str, actor: Actor, at: datetime, reason: str) -> None:
        """Remove an interview's content for good; keep a content-free row and the audit entry."""
        try:
            await self._erase(interview_id, actor, at, reason)
        finally:
            self.known.forget(interview_id)

    async def _erase(self, interview_id: str, actor: Actor, at: datetime, reason: str) -> None:
        async with self.db.transaction() as connection:
            await forget_phone_chat(connection, interview_id)
            cursor = await connection.execute(
                "UPDATE interviews SET status = 'erased', state = NULL, display_name = ?, "
                "chat_id = NULL, service = NULL, limited_circulation = 0, consented_at = NULL, "
                "started_at = NULL, thanked_at = NULL, thanked_by = NULL, "
                "due_at = NULL, erased_at = ?, updated_at = ? WHERE id = ? AND status != 'erased'",
                (self.db.seal(ERASED_NAME), iso(at), iso(at), interview_id),
            )
            if cursor.rowcount == 0:
                row = await self.db.fetch_one(
                    "SELECT 1 FROM interviews WHERE id = ?", (interview_id,)
                )
                if row is None:
                    raise NotFound(
                        f"No interview {interview_id}. See 'exit-interviews interviews list'."
                    )
                return
            await Interviews.delete_content(connection, interview_id)
            await connection.execute(
                "DELETE FROM recommendation_responses WHERE recommendation_id IN "
                "(SELECT id FROM recommendations WHERE interview_id = ?)",
                (interview_id,),
            )
            await connection.execute(
                "DELETE FROM recommendations WHERE interview_id = ?", (interview_id,)
            )
            await connection.execute("DELETE FROM outbox WHERE interview_id = ?", (interview_id,))
            await connection.execute(
                "DELETE FROM concern_alerts WHERE concern_id IN "
                "(SELECT id FROM concerns WHERE interview_id = ?)",
                (interview_id,),
            )
            await connection.execute("DELETE FROM concerns WHERE interview_id = ?", (interview_id,))
            await connection.execute("DELETE FROM events WHERE interview_id = ?", (interview_id,))
            await connection.execute(
                "DELETE FROM invitations WHERE interview_id = ?", (interview_id,)
            )
            await write_audit(connection, actor, "erased", at, interview_id, reason)
        await self.db.checkpoint()

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
        for row in rows:
            await self.erase(str(row[0]), actor, now, "retention period ended")
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
        return PurgeReport(erased=len(rows), expired_invitations=len(closing))
