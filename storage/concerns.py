"""Concerns: signs that someone may be at risk, who was alerted (and whether it reached
them), and who acknowledged. What a concern is about is sealed; only its severity and tier
are plain, for the re-alert schedule.

Red concerns are alerted at once and again until acknowledged. Amber ones are never pushed:
each becomes a "read today" task and a line in the daily digest, until staff raise it to red
or close it with a reason (both audited)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime, timedelta

import aiosqlite

from storage.audit import write_audit
from storage.database import Database, iso, parse_time
from storage.records import Actor, AlertDelivery, Circulation, ConcernRecord, parse_readers
from storage.tasks import NewTask, close_task, insert_task

_COLUMNS = (
    "c.id, c.interview_id, c.severity, c.detail, c.raised_at, c.acknowledged_at, "
    "c.acknowledged_by, i.service, c.escalated_at, c.last_alerted_at, i.flow_id, "
    "i.limited_circulation, i.assigned_reviewer, c.tier, c.decision, c.decided_by, "
    "c.decided_at, c.decision_reason, "
    "(SELECT group_concat(x.user_id) FROM interview_readers x WHERE x.interview_id = i.id) "
    "AS readers"
)
"""The columns `Concerns._records` reads, by name."""


def concern_detail(
    question: str | None,
    reason: str,
    category: str,
    answer: str | None,
    after_end: bool,
    span: tuple[int, int] | None = None,
    source: str | None = None,
) -> str:
    """What a concern is about, as the JSON that is sealed in its row; the span says where
    in the person's words (`source`, what they sent) it was found, so staff see those words
    highlighted in the transcript. Alerts never show them."""
    return json.dumps(
        {
            "question": question,
            "reason": reason,
            "category": category,
            "answer": answer,
            "after_end": after_end,
            "span": list(span) if span is not None else None,
            "source": source if span is not None else None,
        }
    )


INSERT_RAISED = (
    "INSERT INTO concerns (interview_id, severity, detail, raised_at, tier) VALUES (?, ?, ?, ?, ?)"
)
"""A concern the engine raised, with its tier (red or amber)."""


def _span(value: object) -> tuple[int, int] | None:
    if isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) for v in value):
        return (value[0], value[1])
    return None


async def insert_concern(
    connection: aiosqlite.Connection,
    db: Database,
    interview_id: str,
    severity: str,
    detail: str,
    at: datetime,
) -> int:
    """Add a concern inside the caller's transaction; returns its id."""
    cursor = await connection.execute(
        "INSERT INTO concerns (interview_id, severity, detail, raised_at) VALUES (?, ?, ?, ?)",
        (interview_id, severity, db.seal(detail), iso(at)),
    )
    return int(cursor.lastrowid or 0)


class Concerns:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def _records(self, where: str, params: Sequence[object]) -> list[ConcernRecord]:
        rows = await self.db.fetch_all(
            f"SELECT {_COLUMNS} FROM concerns c JOIN interviews i ON i.id = c.interview_id "  # noqa: S608
            f"WHERE {where} ORDER BY c.id",
            params,
        )
        if not rows:
            return []
        ids = [int(r["id"]) for r in rows]
        deliveries: dict[int, list[AlertDelivery]] = {concern_id: [] for concern_id in ids}
        placeholders = ",".join("?" * len(ids))
        for a in await self.db.fetch_all(
            "SELECT concern_id, user_id, sent_at, delivered_at, failed_at, failure, channel "  # noqa: S608
            f"FROM concern_alerts WHERE concern_id IN ({placeholders}) ORDER BY id",
            ids,
        ):
            deliveries[int(a["concern_id"])].append(
                AlertDelivery(
                    int(a["user_id"]),
                    parse_time(a["sent_at"]) or datetime.min,
                    parse_time(a["delivered_at"]),
                    parse_time(a["failed_at"]),
                    a["failure"],
                    a["channel"],
                )
            )
        records = []
        for r in rows:
            detail = json.loads(self.db.open_text(r["detail"]))
            records.append(
                ConcernRecord(
                    id=int(r["id"]),
                    interview_id=r["interview_id"],
                    question_id=detail.get("question"),
                    reason=detail.get("reason", "words"),
                    category=detail.get("category", "feeling_unsafe"),
                    severity=r["severity"],
                    answer=detail.get("answer"),
                    raised_at=parse_time(r["raised_at"]) or datetime.min,
                    acknowledged_at=parse_time(r["acknowledged_at"]),
                    acknowledged_by=r["acknowledged_by"],
                    service=r["service"],
                    after_end=bool(detail.get("after_end")),
                    deliveries=tuple(deliveries[int(r["id"])]),
                    escalated_at=parse_time(r["escalated_at"]),
                    last_alerted_at=parse_time(r["last_alerted_at"]),
                    flow_id=r["flow_id"],
                    circulation=Circulation(
                        r["service"],
                        bool(r["limited_circulation"]),
                        r["assigned_reviewer"],
                        parse_readers(r["readers"]),
                    ),
                    tier=r["tier"],
                    span=_span(detail.get("span")),
                    source=detail.get("source"),
                    decision=r["decision"],
                    decided_by=r["decided_by"],
                    decided_at=parse_time(r["decided_at"]),
                    decision_reason=(
                        self.db.open_text(r["decision_reason"]) if r["decision_reason"] else None
                    ),
                )
            )
        return records

    async def get(self, concern_id: int) -> ConcernRecord | None:
        found = await self._records("c.id = ?", (concern_id,))
        return found[0] if found else None

    async def for_interview(self, interview_id: str) -> list[ConcernRecord]:
        return await self._records("c.interview_id = ?", (interview_id,))

    async def open_everywhere(self) -> list[ConcernRecord]:
        """Every unacknowledged red concern, for the alerting loop (never shown to a person);
        amber ones are never pushed, so never escalated as undelivered."""
        return await self._records("c.acknowledged_at IS NULL AND c.tier = 'red'", ())

    async def open_amber(self) -> list[ConcernRecord]:
        """Every amber concern nobody has decided on yet, oldest first, for the digest."""
        return await self._records("c.acknowledged_at IS NULL AND c.tier = 'amber'", ())

    async def amber_without_task(self) -> list[ConcernRecord]:
        """Open amber concerns whose "read today" task is not made yet (just raised, or the
        bot stopped between saving one and making its task)."""
        return await self._records(
            "c.acknowledged_at IS NULL AND c.tier = 'amber' AND c.last_alerted_at IS NULL", ()
        )

    async def make_read_today_task(self, concern_id: int, task: NewTask, at: datetime) -> bool:
        """Make an amber concern's "read today" task, once: the concern is marked in the same
        transaction, so a restart or a second caller makes none twice. False if made before."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE concerns SET last_alerted_at = ? WHERE id = ? AND tier = 'amber' "
                "AND last_alerted_at IS NULL AND acknowledged_at IS NULL",
                (iso(at), concern_id),
            )
            if cursor.rowcount != 1:
                return False
            ref = await insert_task(connection, self.db, task, at, "bot")
            # Amber is never pushed one by one: the task is in the lists at once and in
            # the daily digest, so it counts as announced from the start.
            await connection.execute(
                "UPDATE tasks SET announced_at = ? WHERE ref = ?", (iso(at), ref)
            )
        return True

    async def decide_amber(
        self, concern_id: int, decision: str, reason: str, actor: Actor, at: datetime
    ) -> bool:
        """Raise an open amber concern to red (it is then alerted like any red one, from
        now) or close it with a reason; who, when and why are kept and audited, and its
        "read today" task is closed. False if it is not an open amber concern they may see."""
        if decision not in {"raised", "closed"}:
            raise ValueError(decision)
        concern = await self.get(concern_id)
        if (
            concern is None
            or concern.tier != "amber"
            or actor.staff is None
            or not actor.may_read(concern.readable_by)
        ):
            return False
        staff_id = actor.staff.user_id
        sealed = self.db.seal(reason)
        if decision == "raised":
            sql = (
                "UPDATE concerns SET tier = 'red', decision = 'raised', decided_by = ?, "
                "decided_at = ?, decision_reason = ?, last_alerted_at = NULL "
                "WHERE id = ? AND tier = 'amber' AND acknowledged_at IS NULL"
            )
            params: tuple[object, ...] = (staff_id, iso(at), sealed, concern_id)
        else:
            sql = (
                "UPDATE concerns SET decision = 'closed', decided_by = ?, decided_at = ?, "
                "decision_reason = ?, acknowledged_at = ?, acknowledged_by = ? "
                "WHERE id = ? AND tier = 'amber' AND acknowledged_at IS NULL"
            )
            params = (staff_id, iso(at), sealed, iso(at), staff_id, concern_id)
        async with self.db.transaction() as connection:
            cursor = await connection.execute(sql, params)
            if cursor.rowcount != 1:
                return False
            await write_audit(
                connection,
                actor,
                f"concern_{decision}",
                at,
                concern.interview_id,
                f"concern {concern_id}",
            )
            await _close_read_today(connection, self.db, concern, decision, actor.label, at)
        return True

    async def claim_digest(self, day: str, at: datetime, count: int) -> bool:
        """Take the right to send the amber digest for one local day; False if it was sent
        (or is being sent) already, so it goes once a day even across restarts."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT OR IGNORE INTO amber_digests (day, sent_at, concerns) VALUES (?, ?, ?)",
                (day, iso(at), count),
            )
            return cursor.rowcount == 1

    async def digest_sent(self, day: str) -> bool:
        """Whether the amber digest for this local day has gone."""
        row = await self.db.fetch_one("SELECT 1 FROM amber_digests WHERE day = ?", (day,))
        return row is not None

    async def visible(self, actor: Actor, open_only: bool = True) -> list[ConcernRecord]:
        """Concerns this person may see: open ones, or all."""
        where = "c.acknowledged_at IS NULL" if open_only else "1 = 1"
        return [c for c in await self._records(where, ()) if actor.may_read(c.readable_by)]

    async def open(self, actor: Actor) -> list[ConcernRecord]:
        """Unacknowledged concerns this person may see."""
        found = await self._records("c.acknowledged_at IS NULL", ())
        return [c for c in found if actor.may_read(c.readable_by)]

    async def due_for_alert(
        self, now: datetime, urgent_seconds: int, serious_seconds: int
    ) -> list[ConcernRecord]:
        """Open concerns never alerted, or last alerted longer ago than their severity's
        repeat interval (urgent ones more often)."""
        return await self._records(
            "c.acknowledged_at IS NULL AND c.tier = 'red' AND (c.last_alerted_at IS NULL OR "
            "(c.severity = 'urgent' AND c.last_alerted_at <= ?) OR "
            "(c.severity = 'serious' AND c.last_alerted_at <= ?))",
            (
                iso(now - timedelta(seconds=urgent_seconds)),
                iso(now - timedelta(seconds=serious_seconds)),
            ),
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
            also="AND acknowledged_at IS NULL AND tier = 'red'",
        )

    async def record_alert(
        self,
        concern_id: int,
        user_id: int,
        outbox_id: int | None,
        at: datetime,
        channel: str = "telegram",
    ) -> None:
        """Note that an alert to one member of staff is queued; delivery is noted when the
        channel accepts it (outbox.mark_sent) or fails (outbox.mark_failed)."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO concern_alerts (concern_id, user_id, sent_at, outbox_id, channel) "
                "VALUES (?, ?, ?, ?, ?)",
                (concern_id, user_id, iso(at), outbox_id, channel),
            )

    async def record_email(
        self, concern_id: int, address_label: str, at: datetime, ok: bool, failure: str | None
    ) -> None:
        """Note an e-mail escalation and whether the mail server took it."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO concern_alerts (concern_id, user_id, sent_at, delivered_at, "
                "failed_at, failure, channel) VALUES (?, 0, ?, ?, ?, ?, 'email')",
                (
                    concern_id,
                    iso(at),
                    iso(at) if ok else None,
                    None if ok else iso(at),
                    failure if not ok else address_label,
                ),
            )

    async def adopt_alerts(self, concern_id: int, user_ids: Sequence[int], at: datetime) -> None:
        """A concern first alerted from the safety journal: record that those staff received
        it then, so the re-alert clock starts from that alert rather than sending it again."""
        async with self.db.transaction() as connection:
            await connection.executemany(
                "INSERT INTO concern_alerts (concern_id, user_id, sent_at, delivered_at, channel) "
                "VALUES (?, ?, ?, ?, 'telegram')",
                [(concern_id, user_id, iso(at), iso(at)) for user_id in user_ids],
            )
            await connection.execute(
                "UPDATE concerns SET last_alerted_at = ? WHERE id = ?", (iso(at), concern_id)
            )

    async def mark_escalated(self, concern_id: int, at: datetime) -> bool:
        """Take the right to escalate a concern once; False if it was escalated already."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE concerns SET escalated_at = ? WHERE id = ? AND escalated_at IS NULL",
                (iso(at), concern_id),
            )
            return cursor.rowcount == 1

    async def acknowledge(self, concern_id: int, actor: Actor, at: datetime) -> bool:
        """Record that someone has taken a concern on; False if they cannot, or someone had."""
        concern = await self.get(concern_id)
        if concern is None or actor.staff is None or not actor.may_read(concern.readable_by):
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


async def _close_read_today(
    connection: aiosqlite.Connection,
    db: Database,
    concern: ConcernRecord,
    decision: str,
    actor: str,
    at: datetime,
) -> None:
    """The amber concern's "read today" task is done once someone decided on it."""
    note = "Raised to red." if decision == "raised" else "Closed with a reason."
    async with connection.execute(
        "SELECT id, detail FROM tasks WHERE interview_id = ? AND kind = 'read_today' "
        "AND closed_at IS NULL",
        (concern.interview_id,),
    ) as cursor:
        rows = list(await cursor.fetchall())
    for row in rows:
        detail = json.loads(db.open_text(row["detail"])) if row["detail"] else {}
        if str(detail.get("concern")) == str(concern.id):
            await close_task(connection, db, int(row["id"]), note, actor, at)
