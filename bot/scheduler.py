"""The clock-driven work: reminders and closing, concern reminders, retries, daily purge.

Due times are in the database. This only wakes up, asks storage what is due, and feeds
it back through the service, so a restart loses nothing and sends nothing twice.
"""

from __future__ import annotations

from datetime import datetime, time

from bot.alerts import ConcernAlerter
from bot.context import AppContext
from bot.delivery import OutboxSender
from bot.logs import log_event
from storage import Actor

SCHEDULER = Actor.for_operator("scheduler")


def in_quiet_hours(moment: datetime, start: time, end: time) -> bool:
    """Whether a local time falls in the quiet hours, which may run past midnight."""
    now = moment.timetz().replace(tzinfo=None)
    if start <= end:
        return start <= now < end
    return now >= start or now < end


class Scheduler:
    """One tick does everything that is due; ticks are safe to repeat."""

    def __init__(self, app: AppContext, sender: OutboxSender, alerter: ConcernAlerter) -> None:
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
        if self.last_purge is None or (now - self.last_purge).total_seconds() >= 24 * 3600:
            await self.purge(now)

    async def purge(self, now: datetime) -> None:
        report = await self.app.storage.retention.purge(
            now,
            SCHEDULER,
            keep_finished_days=self.app.settings.keep_finished_days,
            invitation_days=self.app.settings.invitation_days,
        )
        self.last_purge = now
        log_event("purge", erased=report.erased, expired_invitations=report.expired_invitations)
