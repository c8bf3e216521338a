"""Follow-up: recommendations on an interview, the responses to them, and the thank-you letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import aiosqlite

from storage.audit import write_audit
from storage.database import Database, iso, parse_time
from storage.errors import NotFound
from storage.interviews import Interviews
from storage.records import Actor, InterviewSummary, Role, StaffMember
from storage.refs import new_ref
from storage.tasks import NewTask, close_where, insert_task


@dataclass(frozen=True)
class Response:
    text: str
    responded_by: str
    responded_at: datetime


@dataclass(frozen=True)
class Addressee:
    """Who a recommendation is for: a registered member of staff, a role at a home or
    service, or (neither registered) only the words the reviewing officer wrote."""

    label: str
    user_id: int | None = None
    role: Role | None = None
    service: str | None = None

    @property
    def registered(self) -> bool:
        return self.user_id is not None or self.role is not None

    def includes(self, member: StaffMember) -> bool:
        """Whether this member of staff is (one of) the addressee(s)."""
        if self.user_id is not None:
            return member.user_id == self.user_id
        return (
            self.role is not None
            and member.role == self.role
            and (self.service is None or self.service in member.services)
        )


@dataclass(frozen=True)
class Recommended:
    """A recommendation just recorded: its reference and the task it created."""

    ref: str
    task_ref: str | None
    registered: bool


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
    addressee: Addressee | None = None

    def overdue(self, today: date) -> bool:
        return not self.responses and self.due_on < today


class FollowUp:
    def __init__(self, db: Database, interviews: Interviews) -> None:
        self.db = db
        self.interviews = interviews

    async def _check(
        self, interview_id: str, actor: Actor, at: datetime, action: str
    ) -> InterviewSummary:
        """The interview, if this person may act on it (a refusal is audited)."""
        return await self.interviews.require_access(interview_id, actor, at, action)

    async def recommend(
        self,
        interview_id: str,
        text: str,
        addressee: Addressee,
        due: datetime,
        actor: Actor,
        at: datetime,
    ) -> Recommended:
        """Record a recommendation and the task it makes: a response owed by its addressee,
        or, if nobody registered is addressed, sending it by hand, owed by whoever wrote
        it. Recording one is the reviewing officer's decision on the interview, so its
        read task is closed."""
        service = (await self._check(interview_id, actor, at, "follow_up")).service
        ref = new_ref()
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO recommendations (ref, interview_id, body, addressed_to, due_on, "
                "created_by, created_at, addressee_user_id, addressee_role, addressee_service) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    ref,
                    interview_id,
                    self.db.seal(text),
                    addressee.label,
                    due.date().isoformat(),
                    actor.label,
                    iso(at),
                    addressee.user_id,
                    addressee.role,
                    addressee.service,
                ),
            )
            if addressee.registered:
                task = NewTask(
                    "respond",
                    due,
                    interview_id,
                    addressee.service or service,
                    addressee.user_id,
                    addressee.role,
                    cursor.lastrowid,
                )
            else:
                task = NewTask(
                    "send_by_hand",
                    at,
                    interview_id,
                    service,
                    actor.user_id,
                    "admin",
                    cursor.lastrowid,
                    {"to": addressee.label},
                )
            task_ref = await insert_task(connection, self.db, task, at, actor.label)
            await self._decided(connection, interview_id, "recommendations", actor, at)
            await write_audit(
                connection,
                actor,
                "recommendation_added",
                at,
                interview_id,
                f"{ref} to {addressee.label}, due {due.date()}",
            )
        return Recommended(ref, task_ref, addressee.registered)

    async def decide_no_action(
        self, interview_id: str, note: str, actor: Actor, at: datetime
    ) -> None:
        """Record that the interview was read and needs no action; closes its read task."""
        await self._check(interview_id, actor, at, "follow_up")
        async with self.db.transaction() as connection:
            await self._decided(connection, interview_id, "no_action", actor, at, note)

    async def _decided(
        self,
        connection: aiosqlite.Connection,
        interview_id: str,
        decision: str,
        actor: Actor,
        at: datetime,
        note: str = "",
    ) -> None:
        await connection.execute(
            "UPDATE interviews SET decision = CASE WHEN decision = 'recommendations' "
            "THEN decision ELSE ? END, decided_by = ?, decided_at = ? WHERE id = ?",
            (decision, actor.label, iso(at), interview_id),
        )
        await close_where(
            connection,
            self.db,
            note or decision.replace("_", " "),
            actor.label,
            at,
            interview_id,
            "read",
        )
        await write_audit(connection, actor, "decision_recorded", at, interview_id, decision)

    async def respond(self, ref: str, text: str, actor: Actor, at: datetime) -> Recommendation:
        """Record what action, if any, will be undertaken, against a recommendation's
        reference."""
        found = await self.get_by_ref(ref)
        recommendation_id = found.id
        addressed = (
            actor.staff is not None
            and found.addressee is not None
            and found.addressee.includes(actor.staff)
        )
        if not addressed:
            await self._check(found.interview_id, actor, at, "response_added")
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO recommendation_responses (recommendation_id, body, responded_by, "
                "responded_at) VALUES (?, ?, ?, ?)",
                (recommendation_id, self.db.seal(text), actor.label, iso(at)),
            )
            await close_where(
                connection,
                self.db,
                "responded",
                actor.label,
                at,
                recommendation_id=recommendation_id,
            )
            await write_audit(
                connection,
                actor,
                "response_added",
                at,
                found.interview_id,
                f"recommendation {recommendation_id}",
            )
        return await self.get(recommendation_id)

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
        """Recommendations on interviews this person may read, and those addressed to them."""
        readable = {i.id for i in await self.interviews.find(actor)}
        return [
            r
            for r in await self._load("1 = 1", ())
            if r.interview_id in readable
            or (
                actor.staff is not None
                and r.addressee is not None
                and r.addressee.includes(actor.staff)
            )
        ]

    async def _load(self, where: str, params: tuple[object, ...]) -> list[Recommendation]:
        rows = await self.db.fetch_all(
            "SELECT r.id, r.interview_id, r.body, r.addressed_to, r.due_on, r.created_by, "  # noqa: S608 - `where` is one of this module's own constants
            "r.created_at, i.service, r.ref, r.addressee_user_id, r.addressee_role, "
            "r.addressee_service FROM recommendations r JOIN interviews i "
            f"ON i.id = r.interview_id WHERE {where} ORDER BY r.id",
            params,
        )
        found = []
        for r in rows:
            responses = tuple(
                Response(
                    self.db.open_text(x["body"]),
                    x["responded_by"],
                    parse_time(x["responded_at"]) or datetime.min,
                )
                for x in await self.db.fetch_all(
                    "SELECT body, responded_by, responded_at FROM recommendation_responses "
                    "WHERE recommendation_id = ? ORDER BY id",
                    (r["id"],),
                )
            )
            found.append(
                Recommendation(
                    id=int(r["id"]),
                    ref=str(r["ref"]),
                    interview_id=r["interview_id"],
                    text=self.db.open_text(r["body"]),
                    addressed_to=r["addressed_to"],
                    due_on=date.fromisoformat(r["due_on"]),
                    created_by=r["created_by"],
                    created_at=parse_time(r["created_at"]) or datetime.min,
                    responses=responses,
                    service=r["service"],
                    addressee=Addressee(
                        r["addressed_to"],
                        r["addressee_user_id"],
                        r["addressee_role"],
                        r["addressee_service"],
                    ),
                )
            )
        return found
