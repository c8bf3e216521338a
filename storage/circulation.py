"""Who may read an interview whose person asked for fewer people to see their answers: its
assigned reviewer and the readers an admin has agreed with them (admins always may)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.audit import AuditLog, write_audit
from storage.database import Database, iso
from storage.errors import AccessDenied, UnknownStaffError
from storage.interviews import Interviews
from storage.records import Actor
from storage.staff import StaffDirectory
from storage.tasks import close_where


class Readers:
    def __init__(self, db: Database, interviews: Interviews, staff: StaffDirectory) -> None:
        self.db = db
        self.interviews = interviews
        self.staff = staff

    async def _require_admin(self, interview_id: str, actor: Actor, at: datetime) -> None:
        if actor.operator or (actor.staff is not None and actor.staff.role == "admin"):
            await self.interviews.get(interview_id)
            return
        await AuditLog(self.db).record(actor, "access_refused", at, interview_id, "readers")
        raise AccessDenied("Only an admin can decide who may read an interview.")

    async def _require_staff(self, user_ids: Sequence[int]) -> None:
        for user_id in user_ids:
            if await self.staff.get(user_id) is None:
                raise UnknownStaffError(
                    f"No current member of staff has user id {user_id}. "
                    "See 'exit-interviews staff list'."
                )

    async def assign_reviewer(
        self, interview_id: str, user_id: int, actor: Actor, at: datetime
    ) -> None:
        """Name the reviewer who reads this interview, and who may still read it if the
        person asks for fewer people to see it."""
        await self._require_admin(interview_id, actor, at)
        await self._require_staff([user_id])
        async with self.db.transaction() as connection:
            await connection.execute(
                "UPDATE interviews SET assigned_reviewer = ? WHERE id = ?", (user_id, interview_id)
            )
            await connection.execute(
                "UPDATE tasks SET owner_user_id = ? WHERE interview_id = ? AND kind = 'read' "
                "AND closed_at IS NULL",
                (user_id, interview_id),
            )
            await write_audit(
                connection, actor, "reviewer_assigned", at, interview_id, f"user {user_id}"
            )

    async def agree(
        self, interview_id: str, user_ids: Sequence[int], actor: Actor, at: datetime
    ) -> None:
        """Record the readers agreed with the person (replacing any before), and close the
        task that asked for it."""
        await self._require_admin(interview_id, actor, at)
        await self._require_staff(user_ids)
        async with self.db.transaction() as connection:
            await connection.execute(
                "DELETE FROM interview_readers WHERE interview_id = ?", (interview_id,)
            )
            await connection.executemany(
                "INSERT INTO interview_readers (interview_id, user_id) VALUES (?, ?)",
                [(interview_id, user_id) for user_id in sorted(set(user_ids))],
            )
            await connection.execute(
                "UPDATE interviews SET readers_agreed_at = ? WHERE id = ?", (iso(at), interview_id)
            )
            await close_where(
                connection,
                self.db,
                "readers agreed",
                actor.label,
                at,
                interview_id,
                "agree_readers",
            )
            await write_audit(
                connection,
                actor,
                "readers_agreed",
                at,
                interview_id,
                "users " + ", ".join(str(u) for u in sorted(set(user_ids))),
            )
