"""Withdrawing an invitation from the console: every link to it stops working and the
interview is closed as expired, before anyone has opened it. Audited."""

from __future__ import annotations

from datetime import datetime

from storage.audit import write_audit
from storage.database import Database, iso
from storage.records import Actor


async def withdraw_invitation(db: Database, interview_id: str, actor: Actor, at: datetime) -> bool:
    """Close an invitation nobody has opened yet; False if it was opened (or is over)
    meanwhile, so nothing a person has started is ever taken away by this."""
    async with db.transaction() as connection:
        cursor = await connection.execute(
            "UPDATE interviews SET status = 'expired', finished_at = ?, due_at = NULL, "
            "updated_at = ? WHERE id = ? AND status = 'invited' AND chat_id IS NULL",
            (iso(at), iso(at), interview_id),
        )
        if cursor.rowcount != 1:
            return False
        await connection.execute(
            "UPDATE invitations SET expires_at = ? WHERE interview_id = ? AND expires_at > ?",
            (iso(at), interview_id, iso(at)),
        )
        await write_audit(connection, actor, "invitation_withdrawn", at, interview_id)
    return True
