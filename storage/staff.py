"""Staff: who may use staff commands, their role, and the homes or services they cover."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from storage.audit import write_audit
from storage.database import Database, iso
from storage.errors import UnknownStaffError
from storage.records import Actor, Circulation, Role, StaffMember
from storage.services import Services


class StaffDirectory:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def add(
        self,
        user_id: int,
        name: str,
        role: Role,
        services: Sequence[str],
        actor: Actor,
        at: datetime,
    ) -> StaffMember:
        """Register (or re-register) a member of staff; audited. Every home or service must
        be on the list (UnknownServiceError otherwise)."""
        await Services(self.db).require(list(services))
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO staff (user_id, name, role, added_at) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET name = excluded.name, role = excluded.role, "
                "removed_at = NULL",
                (user_id, self.db.seal(name), role, iso(at)),
            )
            await connection.execute("DELETE FROM staff_services WHERE user_id = ?", (user_id,))
            await connection.executemany(
                "INSERT INTO staff_services (user_id, service) VALUES (?, ?)",
                [(user_id, service) for service in sorted(set(services))],
            )
            await write_audit(
                connection,
                actor,
                "staff_added",
                at,
                detail=f"user {user_id} as {role}; services: {', '.join(services)}",
            )
        return StaffMember(user_id, name, role, tuple(sorted(set(services))))

    async def remove(self, user_id: int, actor: Actor, at: datetime) -> None:
        """Take away someone's access at once: nothing already queued for them is sent (an
        alert waiting for them counts as not delivered, so it is escalated to others); their
        past actions stay in the audit log."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE staff SET removed_at = ? WHERE user_id = ? AND removed_at IS NULL",
                (iso(at), user_id),
            )
            if cursor.rowcount == 0:
                raise UnknownStaffError(
                    f"No current member of staff has user id {user_id}. "
                    "See 'exit-interviews staff list'."
                )
            await connection.execute("DELETE FROM staff_services WHERE user_id = ?", (user_id,))
            await connection.execute(
                "UPDATE concern_alerts SET failed_at = ?, failure = 'recipient removed' "
                "WHERE user_id = ? AND delivered_at IS NULL AND failed_at IS NULL AND outbox_id "
                "IN (SELECT id FROM outbox WHERE chat_id = ? AND interview_id IS NULL)",
                (iso(at), user_id, user_id),
            )
            await connection.execute(
                "DELETE FROM outbox WHERE chat_id = ? AND interview_id IS NULL", (user_id,)
            )
            await write_audit(connection, actor, "staff_removed", at, detail=f"user {user_id}")

    async def get(self, user_id: int) -> StaffMember | None:
        """The current member of staff with this Telegram user id, or None."""
        row = await self.db.fetch_one(
            "SELECT user_id, name, role FROM staff WHERE user_id = ? AND removed_at IS NULL",
            (user_id,),
        )
        if row is None:
            return None
        return await self._member(row)

    async def _member(self, row: sqlite3.Row) -> StaffMember:
        user_id, name, role = row["user_id"], row["name"], row["role"]
        services = await self.db.fetch_all(
            "SELECT service FROM staff_services WHERE user_id = ? ORDER BY service", (user_id,)
        )
        return StaffMember(
            int(user_id), self.db.open_text(name), role, tuple(s[0] for s in services)
        )

    async def all(self) -> list[StaffMember]:
        rows = await self.db.fetch_all(
            "SELECT user_id, name, role FROM staff WHERE removed_at IS NULL ORDER BY user_id"
        )
        return [await self._member(row) for row in rows]

    async def alert_ids(self, service: str | None) -> list[int]:
        """Who hears of a concern, by user id only, without opening any sealed name: this
        still works when the data key cannot open the database's contents."""
        rows = await self.db.fetch_all(
            "SELECT DISTINCT s.user_id FROM staff s LEFT JOIN staff_services v "
            "ON v.user_id = s.user_id WHERE s.removed_at IS NULL AND "
            "(s.role = 'admin' OR v.service = ?) ORDER BY s.user_id",
            (service,),
        )
        return [int(r[0]) for r in rows]

    async def to_alert(self, circulation: Circulation | str | None) -> list[StaffMember]:
        """Who hears of a concern: everyone who may read the interview. That is every admin
        and everyone assigned to its home or service; if the person asked for fewer people
        to see their answers, every admin, its assigned reviewer and its agreed readers."""
        if not isinstance(circulation, Circulation):
            circulation = Circulation(circulation)
        return [m for m in await self.all() if m.may_read(circulation)]

    async def with_role(self, role: Role, service: str | None) -> list[StaffMember]:
        """The current staff with this role at a home or service (admins: everywhere)."""
        return [m for m in await self.all() if m.holds(role, service)]

    async def names(self) -> dict[int, str]:
        """Every member of staff's name by user id, past members included, so documents
        can say who did something rather than show a number."""
        rows = await self.db.fetch_all("SELECT user_id, name FROM staff")
        return {int(r["user_id"]): self.db.open_text(r["name"]) for r in rows}
