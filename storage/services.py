"""The homes and fostering services a deployment knows, which invitations and staff
assignments must name exactly."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.audit import write_audit
from storage.database import Database, iso
from storage.errors import StorageError
from storage.records import Actor


class UnknownServiceError(StorageError):
    """A home or service name that is not on the list (often a typo)."""

    def __init__(self, name: str, known: list[str]) -> None:
        choices = ", ".join(known) or "none yet"
        super().__init__(
            f"No home or service called '{name}'. Choose one of: {choices}; or add it with "
            f"'exit-interviews services add \"{name}\"'."
        )


@dataclass(frozen=True)
class ServiceRecord:
    """A home or service, and who on the staff side covers it."""

    name: str
    reviewers: int
    staff: int


class Services:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def names(self) -> list[str]:
        """The current homes and services, by name."""
        rows = await self.db.fetch_all(
            "SELECT name FROM services WHERE removed_at IS NULL ORDER BY name"
        )
        return [str(row[0]) for row in rows]

    async def require(self, names: list[str]) -> None:
        """UnknownServiceError for the first name that is not on the list."""
        known = await self.names()
        for name in names:
            if name not in known:
                raise UnknownServiceError(name, known)

    async def add(self, name: str, actor: Actor, at: datetime) -> bool:
        """Add (or bring back) a home or service; False if it was there already."""
        cleaned = " ".join(name.split())
        if not cleaned:
            raise StorageError("A home or service needs a name.")
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO services (name, added_at) VALUES (?, ?) ON CONFLICT (name) DO "
                "UPDATE SET removed_at = NULL WHERE services.removed_at IS NOT NULL",
                (cleaned, iso(at)),
            )
            if cursor.rowcount:
                await write_audit(connection, actor, "service_added", at, detail=cleaned)
            return bool(cursor.rowcount)

    async def remove(self, name: str, actor: Actor, at: datetime) -> None:
        """Take a home or service off the list; its interviews and staff are unchanged."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE services SET removed_at = ? WHERE name = ? AND removed_at IS NULL",
                (iso(at), name),
            )
            if cursor.rowcount == 0:
                raise UnknownServiceError(name, await self.names())
            await write_audit(connection, actor, "service_removed", at, detail=name)

    async def listed(self) -> list[ServiceRecord]:
        """Every current home or service with how many reviewers and staff cover it."""
        rows = await self.db.fetch_all(
            "SELECT v.name, "
            "(SELECT COUNT(*) FROM staff_services x JOIN staff s ON s.user_id = x.user_id "
            " WHERE x.service = v.name AND s.removed_at IS NULL AND s.role = 'reviewer') "
            "AS reviewers, "
            "(SELECT COUNT(*) FROM staff_services x JOIN staff s ON s.user_id = x.user_id "
            " WHERE x.service = v.name AND s.removed_at IS NULL) AS covering "
            "FROM services v WHERE v.removed_at IS NULL ORDER BY v.name"
        )
        return [
            ServiceRecord(str(r["name"]), int(r["reviewers"]), int(r["covering"])) for r in rows
        ]

    async def uncovered(self, name: str) -> bool:
        """Whether no reviewer or interviewer covers a home (only admins would be alerted)."""
        row = await self.db.fetch_one(
            "SELECT COUNT(*) FROM staff_services x JOIN staff s ON s.user_id = x.user_id "
            "WHERE x.service = ? AND s.removed_at IS NULL",
            (name,),
        )
        return row is None or int(row[0]) == 0
