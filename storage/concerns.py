"""Concerns: signs that someone may be at risk, who was alerted, and who acknowledged."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.audit import write_audit
from storage.database import Database, iso, parse_time
from storage.records import Actor, ConcernRecord

_COLUMNS = (
    "c.id, c.interview_id, c.question_id, c.reason, c.answer, c.raised_at, c.acknowledged_at, "
    "c.acknowledged_by, i.service"
)


class Concerns:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _records(self, where: str, params: Sequence[object]) -> list[ConcernRecord]:
        rows = await self.db.fetch_all(
            f"SELECT {_COLUMNS} FROM concerns c JOIN interviews i ON i.id = c.interview_id "  # noqa: S608
            f"WHERE {where} ORDER BY c.id",
            params,
        )
        records = []
        for r in rows:
            alerted = await self.db.fetch_all(
                "SELECT DISTINCT user_id FROM concern_alerts WHERE concern_id = ? ORDER BY user_id",
                (r[0],),
            )
            records.append(
                ConcernRecord(
                    id=int(r[0]),
                    interview_id=r[1],
                    question_id=r[2],
                    reason=r[3],
                    answer=r[4],
                    raised_at=parse_time(r[5]) or datetime.min,
                    acknowledged_at=parse_time(r[6]),
                    acknowledged_by=r[7],
                    service=r[8],
                    alerted=tuple(int(a[0]) for a in alerted),
                )
            )
        return records

    async def get(self, concern_id: int) -> ConcernRecord | None:
        found = await self._records("c.id = ?", (concern_id,))
        return found[0] if found else None

    async def for_interview(self, interview_id: str) -> list[ConcernRecord]:
        return await self._records("c.interview_id = ?", (interview_id,))

    async def open(self, actor: Actor) -> list[ConcernRecord]:
        """Unacknowledged concerns this person may see."""
        found = await self._records("c.acknowledged_at IS NULL", ())
        return [c for c in found if actor.may_see(c.service)]

    async def due_for_alert(self, now: datetime, every_seconds: int) -> list[ConcernRecord]:
        """Open concerns never alerted, or last alerted longer ago than the repeat interval."""
        threshold = datetime.fromtimestamp(now.timestamp() - every_seconds, tz=now.tzinfo)
        return await self._records(
            "c.acknowledged_at IS NULL AND (c.last_alerted_at IS NULL OR c.last_alerted_at <= ?)",
            (iso(threshold),),
        )

    async def claim_alert(self, concern_id: int, now: datetime, every_seconds: int) -> bool:
        """Take the right to alert staff about a concern now; False if it was alerted within
        the repeat interval (perhaps a moment ago by another task) or acknowledged."""
        return await self.db.claim_once_per(
            "concerns",
            "last_alerted_at",
            concern_id,
            now,
            every_seconds,
            also="AND acknowledged_at IS NULL",
        )

    async def record_alerts(self, concern_id: int, user_ids: Sequence[int], at: datetime) -> None:
        """Note who was told of a concern, and when (claim_alert already set when it is due)."""
        async with self.db.transaction() as connection:
            await connection.executemany(
                "INSERT INTO concern_alerts (concern_id, user_id, sent_at) VALUES (?, ?, ?)",
                [(concern_id, user_id, iso(at)) for user_id in user_ids],
            )

    async def acknowledge(self, concern_id: int, actor: Actor, at: datetime) -> bool:
        """Record that someone has taken a concern on; False if someone already had."""
        concern = await self.get(concern_id)
        if concern is None or actor.staff is None or not actor.may_see(concern.service):
            return False
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE concerns SET acknowledged_at = ?, acknowledged_by = ? "
                "WHERE id = ? AND acknowledged_at IS NULL",
                (iso(at), actor.staff.user_id, concern_id),
            )
            if cursor.rowcount == 0:
                return False
            await write_audit(
                connection,
                actor,
                "concern_acknowledged",
                at,
                concern.interview_id,
                f"concern {concern_id}",
            )
        return True
