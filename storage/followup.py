"""Follow-up: recommendations on an interview, the responses to them, and the thank-you letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from storage.audit import write_audit
from storage.database import Database, iso, parse_time
from storage.errors import NotFound
from storage.interviews import Interviews
from storage.records import Actor
from storage.refs import new_ref


@dataclass(frozen=True)
class Response:
    text: str
    responded_by: str
    responded_at: datetime


@dataclass(frozen=True)
class Recommendation:
    """An action the reviewing officer recommends, to someone, by a date."""

    id: int
    ref: str
    interview_id: str
    text: str
    addressed_to: str
    due_on: date
    created_by: str
    created_at: datetime
    responses: tuple[Response, ...]
    service: str | None = None

    def overdue(self, today: date) -> bool:
        return not self.responses and self.due_on < today


class FollowUp:
    def __init__(self, db: Database, interviews: Interviews) -> None:
        self.db = db
        self.interviews = interviews

    async def _check(self, interview_id: str, actor: Actor, at: datetime, action: str) -> None:
        await self.interviews.require_access(interview_id, actor, at, action)

    async def recommend(
        self,
        interview_id: str,
        text: str,
        addressed_to: str,
        due_on: date,
        actor: Actor,
        at: datetime,
    ) -> str:
        """Record a recommendation; returns the reference staff type to respond to it."""
        await self._check(interview_id, actor, at, "recommendation_added")
        ref = new_ref()
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO recommendations (ref, interview_id, body, addressed_to, due_on, "
                "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (
                    ref,
                    interview_id,
                    self.db.seal(text),
                    addressed_to,
                    due_on.isoformat(),
                    actor.label,
                    iso(at),
                ),
            )
            await write_audit(
                connection,
                actor,
                "recommendation_added",
                at,
                interview_id,
                f"to {addressed_to}, due {due_on}",
            )
        return ref

    async def respond(self, ref: str, text: str, actor: Actor, at: datetime) -> None:
        """Record what action, if any, will be undertaken, against a recommendation's
        reference."""
        found = await self.get_by_ref(ref)
        recommendation_id = found.id
        await self._check(found.interview_id, actor, at, "response_added")
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO recommendation_responses (recommendation_id, body, responded_by, "
                "responded_at) VALUES (?, ?, ?, ?)",
                (recommendation_id, self.db.seal(text), actor.label, iso(at)),
            )
            await write_audit(
                connection,
                actor,
                "response_added",
                at,
                found.interview_id,
                f"recommendation {recommendation_id}",
            )

    async def thanked(self, interview_id: str, actor: Actor, at: datetime) -> None:
        """Record that the young person was written to with thanks and feedback."""
        await self._check(interview_id, actor, at, "person_thanked")
        async with self.db.transaction() as connection:
            await connection.execute(
                "UPDATE interviews SET thanked_at = ?, thanked_by = ? WHERE id = ?",
                (iso(at), actor.label, interview_id),
            )
            await write_audit(connection, actor, "person_thanked", at, interview_id)

    async def thanked_at(self, interview_id: str) -> datetime | None:
        row = await self.db.fetch_one(
            "SELECT thanked_at FROM interviews WHERE id = ?", (interview_id,)
        )
        return parse_time(row[0]) if row else None

    async def get(self, recommendation_id: int) -> Recommendation:
        found = await self._load("r.id = ?", (recommendation_id,))
        if not found:
            raise NotFound(
                f"No recommendation {recommendation_id}. See 'exit-interviews followup list'."
            )
        return found[0]

    async def get_by_ref(self, ref: str) -> Recommendation:
        """The recommendation with this reference; NotFound if none."""
        found = await self._load("r.ref = ?", (ref.strip().lower(),))
        if not found:
            raise NotFound(f"No recommendation {ref}. See 'exit-interviews followup list'.")
        return found[0]

    async def for_interview(self, interview_id: str) -> list[Recommendation]:
        return await self._load("r.interview_id = ?", (interview_id,))

    async def visible(self, actor: Actor) -> list[Recommendation]:
        return [r for r in await self._load("1 = 1", ()) if actor.may_see(r.service)]

    async def overdue(self, today: date) -> list[Recommendation]:
        """Recommendations past their date with no response yet."""
        return [
            r for r in await self._load("r.due_on < ?", (today.isoformat(),)) if r.overdue(today)
        ]

    async def claim_reminder(
        self, recommendation_id: int, now: datetime, every_seconds: int
    ) -> bool:
        """Take the right to remind staff of an overdue recommendation (once a day)."""
        return await self.db.claim_once_per(
            "recommendations", "last_reminded_at", recommendation_id, now, every_seconds
        )

    async def _load(self, where: str, params: tuple[object, ...]) -> list[Recommendation]:
        rows = await self.db.fetch_all(
            "SELECT r.id, r.interview_id, r.body, r.addressed_to, r.due_on, r.created_by, "  # noqa: S608 - `where` is one of this module's own constants
            "r.created_at, i.service, r.ref FROM recommendations r JOIN interviews i "
            f"ON i.id = r.interview_id WHERE {where} ORDER BY r.id",
            params,
        )
        found = []
        for r in rows:
            responses = tuple(
                Response(self.db.open_text(x[0]), x[1], parse_time(x[2]) or datetime.min)
                for x in await self.db.fetch_all(
                    "SELECT body, responded_by, responded_at FROM recommendation_responses "
                    "WHERE recommendation_id = ? ORDER BY id",
                    (r[0],),
                )
            )
            found.append(
                Recommendation(
                    id=int(r[0]),
                    ref=str(r[8]),
                    interview_id=r[1],
                    text=self.db.open_text(r[2]),
                    addressed_to=r[3],
                    due_on=date.fromisoformat(r[4]),
                    created_by=r[5],
                    created_at=parse_time(r[6]) or datetime.min,
                    responses=responses,
                    service=r[7],
                )
            )
        return found
