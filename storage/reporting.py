"""Bulk reads for exports and monitoring reports: current answers of many interviews at once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from storage.audit import write_audit
from storage.codec import decode_value
from storage.database import Database, parse_time
from storage.errors import AccessDenied
from storage.interviews import SUMMARY_COLUMNS, Interviews
from storage.records import Actor, InterviewSummary


@dataclass
class InterviewAnswers:
    """One interview's current answers, as an export row or a report counts them."""

    interview: InterviewSummary
    consented_at: datetime | None
    answers: dict[str, str | list[str]] = field(default_factory=dict)
    skipped: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class ConcernTiming:
    interview_id: str
    service: str | None
    raised_at: datetime
    acknowledged_at: datetime | None


class Reporting:
    def __init__(self, db: Database, interviews: Interviews) -> None:
        self.db = db
        self.interviews = interviews

    async def answers(
        self,
        actor: Actor,
        at: datetime,
        purpose: str,
        *,
        flow_id: str,
        start: date | None = None,
        end: date | None = None,
        service: str | None = None,
    ) -> list[InterviewAnswers]:
        """Every interview of a flow in the period that this person may see, with answers.

        Asking for a home or service outside one's own is refused, not answered with nothing.
        The read is audited once, naming the purpose (an export, a report)."""
        if service is not None and not actor.may_see(service):
            async with self.db.transaction() as connection:
                await write_audit(
                    connection, actor, "access_refused", at, None, f"{purpose} for {service}"
                )
            raise AccessDenied(
                f"You are not assigned to {service}. Ask an admin to add it to "
                "your services if you need it."
            )
        sql = (
            f"SELECT {SUMMARY_COLUMNS}, i.consented_at FROM interviews i "  # noqa: S608
            "WHERE i.flow_id = ? AND i.status != 'erased'"
        )
        params: list[object] = [flow_id]
        if start is not None:
            sql += " AND i.created_at >= ?"
            params.append(start.isoformat())
        if end is not None:
            sql += " AND i.created_at < ?"
            params.append(date.fromordinal(end.toordinal() + 1).isoformat())
        if service is not None:
            sql += " AND i.service = ?"
            params.append(service)
        summaries = [
            (self.interviews.summary(r), parse_time(r["consented_at"]))
            for r in await self.db.fetch_all(sql + " ORDER BY i.created_at", params)
        ]
        found = {
            summary.id: InterviewAnswers(summary, consented)
            for summary, consented in summaries
            if actor.may_read(summary.circulation)
        }
        if found:
            await self._fill_answers(found)
        async with self.db.transaction() as connection:
            await write_audit(
                connection,
                actor,
                purpose,
                at,
                None,
                f"flow {flow_id}; {len(found)} interviews; service {service or 'all visible'}",
            )
        return list(found.values())

    async def _fill_answers(self, found: dict[str, InterviewAnswers]) -> None:
        placeholders = ",".join("?" * len(found))
        rows = (
            await self.db.fetch_all(
                "SELECT interview_id, question_id, kind, value FROM answers "  # noqa: S608
                f"WHERE interview_id IN ({placeholders}) ORDER BY id",
                list(found),
            )
            if len(found) < 900
            else await self.db.fetch_all(
                "SELECT interview_id, question_id, kind, value FROM answers ORDER BY id"
            )
        )
        for interview_id, sealed_question, kind, value in rows:
            record = found.get(interview_id)
            if record is None:
                continue
            question_id = self.db.open_label(sealed_question)
            if kind in {"answered", "changed"} and value is not None:
                record.answers[question_id] = decode_value(self.db.open_text(value))
                record.skipped.discard(question_id)
            else:
                record.answers.pop(question_id, None)
                if kind == "skipped":
                    record.skipped.add(question_id)
                else:
                    record.skipped.discard(question_id)

    async def concern_timings(self, interview_ids: list[str]) -> list[ConcernTiming]:
        """When each concern was raised and acknowledged, for the interviews in a report."""
        wanted = set(interview_ids)
        rows = await self.db.fetch_all(
            "SELECT c.interview_id, i.service, c.raised_at, c.acknowledged_at FROM concerns c "
            "JOIN interviews i ON i.id = c.interview_id ORDER BY c.id"
        )
        return [
            ConcernTiming(
                r["interview_id"],
                r["service"],
                parse_time(r["raised_at"]) or datetime.min,
                parse_time(r["acknowledged_at"]),
            )
            for r in rows
            if r["interview_id"] in wanted
        ]

    async def follow_up_counts(self, interview_ids: list[str], today: date) -> dict[str, int]:
        """Recommendations made, answered and overdue, young people thanked, and free text
        read on time."""
        wanted = set(interview_ids)
        counts: dict[str, int] = defaultdict(int)
        for r in await self.db.fetch_all(
            "SELECT r.interview_id, r.due_on, (SELECT COUNT(*) FROM recommendation_responses x "
            "WHERE x.recommendation_id = r.id) AS responses FROM recommendations r"
        ):
            if r["interview_id"] not in wanted:
                continue
            counts["made"] += 1
            if r["responses"]:
                counts["answered"] += 1
            elif date.fromisoformat(r["due_on"]) < today:
                counts["overdue"] += 1
        for r in await self.db.fetch_all("SELECT id FROM interviews WHERE thanked_at IS NOT NULL"):
            if r[0] in wanted:
                counts["thanked"] += 1
        await self._free_text_counts(wanted, counts)
        return dict(counts)

    async def _free_text_counts(self, wanted: set[str], counts: dict[str, int]) -> None:
        """How many interviews' free text a person had to read, and whether on time (by the
        task's due time), late, or not yet: the detector never replaces that reading."""
        for r in await self.db.fetch_all(
            "SELECT interview_id, due_at, closed_at FROM tasks WHERE kind = 'read_free_text'"
        ):
            if r["interview_id"] not in wanted:
                continue
            counts["free_text"] += 1
            closed, due = parse_time(r["closed_at"]), parse_time(r["due_at"])
            if closed is None:
                counts["free_text_unread"] += 1
            elif due is not None and closed <= due:
                counts["free_text_on_time"] += 1
            else:
                counts["free_text_late"] += 1
