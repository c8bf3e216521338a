"""Thank-you and feedback messages: written by staff, delivered by the bot into the person's
chat (even after the interview has ended), and whether they arrived."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import aiosqlite

from flows.outputs import Message
from storage.audit import write_audit
from storage.codec import encode_message
from storage.database import Database, iso, parse_time
from storage.interviews import Interviews
from storage.records import Actor, OutgoingMessage, delivery_state, staff_id_of
from storage.tasks import NewTask, insert_task
from storage.web_sessions import is_web_chat


@dataclass(frozen=True)
class ThankYou:
    """One message from staff to the person, and what became of it."""

    interview_id: str
    purpose: str
    text: str
    written_by: str
    written_at: datetime
    delivered_at: datetime | None
    failed_at: datetime | None
    failure: str | None

    @property
    def state(self) -> str:
        """delivered, failed, or waiting (queued, not yet accepted)."""
        return delivery_state(self.delivered_at, self.failed_at)


@dataclass(frozen=True)
class ThankYouQueued:
    """A thank-you written: the message waiting to go, or the task saying it cannot."""

    message: OutgoingMessage | None
    task_ref: str | None


async def thanks_undelivered(
    connection: aiosqlite.Connection, db: Database, outbox_id: int, reason: str, at: datetime
) -> None:
    """Inside the caller's transaction: a thank-you the channel refused for good is marked
    failed, and whoever wrote it is given a task to reach the person another way."""
    async with connection.execute(
        "SELECT interview_id, written_by FROM thank_yous WHERE outbox_id = ? "
        "AND delivered_at IS NULL AND failed_at IS NULL",
        (outbox_id,),
    ) as cursor:
        row = await cursor.fetchone()
    if row is None:
        return
    await connection.execute(
        "UPDATE thank_yous SET failed_at = ?, failure = ? WHERE outbox_id = ?",
        (iso(at), reason, outbox_id),
    )
    await _undelivered_task(connection, db, row["interview_id"], row["written_by"], reason, at)


async def _undelivered_task(
    connection: aiosqlite.Connection,
    db: Database,
    interview_id: str,
    written_by: str,
    reason: str,
    at: datetime,
) -> str | None:
    async with connection.execute(
        "SELECT service FROM interviews WHERE id = ?", (interview_id,)
    ) as cursor:
        row = await cursor.fetchone()
    task = NewTask(
        "thanks_undelivered",
        at,
        interview_id,
        row[0] if row else None,
        staff_id_of(written_by),
        "admin",
        detail={"reason": reason},
    )
    return await insert_task(connection, db, task, at, "bot")


class ThankYous:
    def __init__(self, db: Database, interviews: Interviews) -> None:
        self.db = db
        self.interviews = interviews

    async def write(
        self,
        interview_id: str,
        text: str,
        actor: Actor,
        at: datetime,
        purpose: Literal["thanks", "message"] = "thanks",
    ) -> ThankYouQueued:
        """Queue a thank-you for the person's chat and record it in the transcript; if the
        chat cannot be reached (never opened, or erased), a task says so instead."""
        interview = await self.interviews.require_access(interview_id, actor, at, "thank_you")
        payload = encode_message(Message(text, "ending"), track=True)
        chat_id = interview.chat_id if interview.status != "erased" else None
        if is_web_chat(chat_id):
            chat_id = None  # a browser is not there to be written to once the interview is over
        async with self.db.transaction() as connection:
            outbox_id: int | None = None
            task_ref: str | None = None
            if chat_id is not None:
                cursor = await connection.execute(
                    "INSERT INTO outbox (interview_id, chat_id, payload, created_at) "
                    "VALUES (?, ?, ?, ?)",
                    (interview_id, chat_id, self.db.seal(payload), iso(at)),
                )
                outbox_id = int(cursor.lastrowid or 0)
                await connection.execute(
                    "INSERT INTO transcript (interview_id, direction, at, body) "
                    "VALUES (?, 'out', ?, ?)",
                    (interview_id, iso(at), self.db.seal(text)),
                )
            await connection.execute(
                "INSERT INTO thank_yous (interview_id, purpose, body, written_by, written_at, "
                "outbox_id, failed_at, failure) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    interview_id,
                    purpose,
                    self.db.seal(text),
                    actor.label,
                    iso(at),
                    outbox_id,
                    None if chat_id is not None else iso(at),
                    None if chat_id is not None else "no chat",
                ),
            )
            if chat_id is None:
                task_ref = await _undelivered_task(
                    connection, self.db, interview_id, actor.label, "no chat", at
                )
            await write_audit(connection, actor, f"{purpose}_written", at, interview_id)
        if outbox_id is None:
            return ThankYouQueued(None, task_ref)
        return ThankYouQueued(OutgoingMessage(outbox_id, interview_id, chat_id, payload), task_ref)

    async def for_interview(self, interview_id: str) -> list[ThankYou]:
        rows = await self.db.fetch_all(
            "SELECT interview_id, purpose, body, written_by, written_at, delivered_at, failed_at, "
            "failure FROM thank_yous WHERE interview_id = ? ORDER BY id",
            (interview_id,),
        )
        return [
            ThankYou(
                r["interview_id"],
                r["purpose"],
                self.db.open_text(r["body"]),
                r["written_by"],
                parse_time(r["written_at"]) or datetime.min,
                parse_time(r["delivered_at"]),
                parse_time(r["failed_at"]),
                r["failure"],
            )
            for r in rows
        ]
