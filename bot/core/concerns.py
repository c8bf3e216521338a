"""Telling staff at once when someone may be at risk, and again every hour until one acts."""

from __future__ import annotations

from datetime import datetime

from bot.core.clock import Clock
from bot.core.delivery import Delivery
from bot.core.logs import log_event
from flows import Flow
from flows.outputs import Message
from flows.text import pick
from storage import Storage
from storage.codec import encode_message
from storage.records import ConcernRecord


def alert_text(concern: ConcernRecord, flow: Flow | None, reminder: bool) -> str:
    """What staff read: where and why, never the person's own words."""
    where = "something they typed"
    if concern.question_id and flow is not None:
        try:
            where = f"the question “{pick(flow.question(concern.question_id).text, 'en')}”"
        except KeyError:
            where = f"question {concern.question_id}"
    why = (
        f"their answer was “{concern.answer}”"
        if concern.reason == "answer"
        else "their words matched a phrase that may mean someone is at risk"
    )
    head = "⏰ Reminder: still not acknowledged.\n" if reminder else ""
    return (
        f"{head}⚠️ Possible safeguarding concern\n"
        f"Interview: {concern.interview_id}\nHome or service: {concern.service or '-'}\n"
        f"Where: {where}; {why}.\n"
        f"The person has been shown helplines and told that staff will be in touch.\n"
        f"Read it with /transcript {concern.interview_id}, then press the button below."
    )


class ConcernAlerter:
    """Sends concern alerts through the outbox to every admin and the service's staff."""

    def __init__(
        self,
        storage: Storage,
        flows: dict[str, Flow],
        sender: Delivery,
        clock: Clock,
        every_minutes: int,
    ) -> None:
        self.every_minutes = every_minutes
        self.storage = storage
        self.flows = flows
        self.sender = sender
        self.clock = clock

    async def alert(self, concern_ids: list[int]) -> None:
        """Alert staff at once about concerns just raised."""
        for concern_id in concern_ids:
            concern = await self.storage.concerns.get(concern_id)
            if concern is not None:
                await self._send(concern, reminder=False)

    async def _send(self, concern: ConcernRecord, reminder: bool) -> None:
        now = self.clock()
        if not await self.storage.concerns.claim_alert(concern.id, now, self.every_minutes * 60):
            return
        recipients = await self.storage.staff.to_alert(concern.service)
        if not recipients:
            log_event(
                "concern_unrouted",
                concern=concern.id,
                interview=concern.interview_id,
                action="register an admin with 'exit-interviews staff add'",
            )
        summary = await self.storage.interviews.get(concern.interview_id)
        text = alert_text(concern, self.flows.get(summary.flow_id), reminder)
        payload = encode_message(Message(text, "info"), concern_id=concern.id)
        for member in recipients:
            await self.storage.outbox.add(member.user_id, payload, now)
        await self.storage.concerns.record_alerts(concern.id, [m.user_id for m in recipients], now)
        log_event(
            "concern_alerted",
            concern=concern.id,
            interview=concern.interview_id,
            staff=len(recipients),
            reminder=reminder,
        )
        for member in recipients:
            await self.sender.flush_chat(member.user_id)

    async def realert_due(self, now: datetime) -> None:
        """Re-send every open concern whose last alert is older than the repeat interval."""
        for concern in await self.storage.concerns.due_for_alert(now, self.every_minutes * 60):
            await self._send(concern, reminder=bool(concern.alerted))
