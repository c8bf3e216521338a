"""The clock-driven work: reminders and closing, concern reminders, retries, daily purge.

Due times are in the database. This only wakes up, asks storage what is due, and feeds
it back through the service, so a restart loses nothing and sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime, time

from bot.core.concerns import ConcernAlerter
from bot.core.context import AppContext
from bot.core.delivery import Delivery
from bot.core.logs import log_event
from flows.outputs import Message
from storage import Actor
from storage.codec import encode_message

SCHEDULER = Actor.for_operator("scheduler")


def in_quiet_hours(moment: datetime, start: time, end: time) -> bool:
    """Whether a local time falls in the quiet hours, which may run past midnight."""
    now = moment.timetz().replace(tzinfo=None)
    if start <= end:
        return start <= now < end
    return now >= start or now < end


class Scheduler:
    """One tick does everything that is due; ticks are safe to repeat."""

    def __init__(self, app: AppContext, sender: Delivery, alerter: ConcernAlerter) -> None:
        self.app = app
        self.sender = sender
        self.alerter = alerter
        self.last_purge: datetime | None = None

    def quiet(self, now: datetime) -> bool:
        settings = self.app.settings
        return in_quiet_hours(
            now.astimezone(settings.zone), settings.quiet_start, settings.quiet_end
        )

    async def tick(self) -> None:
        now = self.app.clock()
        await self.sender.flush_all()
        if not self.quiet(now):
            for reply in await self.app.service.fire_due(now):
                if reply.messages and reply.messages[0].chat_id:
                    await self.sender.flush_chat(reply.messages[0].chat_id)
                for event in reply.events:
                    if event.type in {"reminder_sent", "expired"}:
                        log_event(event.type, interview=reply.interview_id)
        await self.alerter.realert_due(now)
        await self.remind_overdue(now)
        if self.last_purge is None or (now - self.last_purge).total_seconds() >= 24 * 3600:
            await self.purge(now)

    async def remind_overdue(self, now: datetime) -> None:
        """Once a day, tell admins and the home's staff of recommendations with no response."""
        storage = self.app.storage
        for recommendation in await storage.followup.overdue(now.date()):
            if not await storage.followup.claim_reminder(recommendation.id, now, 24 * 3600):
                continue
            text = (
                f"⏰ Recommendation {recommendation.id} on interview "
                f"{recommendation.interview_id} ({recommendation.service or '-'}), "
                f"addressed to {recommendation.addressed_to}, was due on "
                f"{recommendation.due_on:%d %B %Y} and has no response yet. Record one with: "
                f"exit-interviews followup respond {recommendation.id} --text ..."
            )
            payload = encode_message(Message(text, "info"))
            for member in await storage.staff.to_alert(recommendation.service):
                await storage.outbox.add(member.user_id, payload, now)
                await self.sender.flush_chat(member.user_id)
            log_event("recommendation_overdue", recommendation=recommendation.id)

    async def purge(self, now: datetime) -> None:
        report = await self.app.storage.retention.purge(
            now,
            SCHEDULER,
            keep_finished_days=self.app.settings.keep_finished_days,
            invitation_days=self.app.settings.invitation_days,
        )
        self.last_purge = now
        log_event("purge", erased=report.erased, expired_invitations=report.expired_invitations)
