"""Telling staff at once when someone may be at risk, again until one of them acknowledges
it by name, and further (every other admin, the duty e-mail) when nobody could be reached.

An alert counts only when the channel accepted it. Urgent concerns are re-sent every 15
minutes and serious ones every hour (both configurable). Each concern is handled on its
own: one that fails is logged at ERROR and never stops the others.

That is the red tier. An amber concern is never pushed: it becomes a "read today" task for
the duty officer (the reviewers of its home or service, else the admins) and a line in the
daily digest (bot/core/amber.py), until someone raises it to red or closes it.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.clock import Clock
from bot.core.config import Settings
from bot.core.delivery import Delivery
from bot.core.logs import log_error, log_event
from bot.core.mail import DutyMailer
from flows import Flow
from flows.outputs import Message
from flows.safeguarding import Category
from flows.text import pick
from flows.workdays import add_working_days
from storage import Storage
from storage.codec import encode_message
from storage.records import ConcernRecord, Role, StaffMember
from storage.tasks import NewTask

PRIORITY = {"urgent": 2, "serious": 1}
REASONS = {
    "answer": "their answer to a question",
    "words": "something they wrote",
    "asked_for_help": "they pressed “I need help now”",
}


END_OF_WORKING_DAY = time(17, 30)
"""A "read today" task is due by this local time on the day it is raised (a working day),
or on the next working day if it is raised later or at a weekend."""


def category_label(category: str) -> str:
    """The category in the words staff read."""
    try:
        return Category(category).label
    except ValueError:
        return category.replace("_", " ")


def next_step(category: str) -> str:
    """What staff do next for this kind of concern, the one line every alert and list shows;
    a category this version does not know still gets a safe instruction."""
    try:
        return Category(category).next_step
    except (ValueError, KeyError):
        return "Talk to the designated safeguarding lead today."


def read_today_due(now: datetime, zone: ZoneInfo) -> datetime:
    """When a "read today" task falls due: the end of this working day, or of the next one."""
    local = now.astimezone(zone)
    end = local.replace(
        hour=END_OF_WORKING_DAY.hour, minute=END_OF_WORKING_DAY.minute, second=0, microsecond=0
    )
    if local.weekday() < 5 and local < end:
        return end
    if local.weekday() >= 5:
        return add_working_days(end, 0)
    return add_working_days(end, 1)


def read_today_task(concern: ConcernRecord, now: datetime, zone: ZoneInfo) -> NewTask:
    """The duty officer's task for an amber concern: the reviewers of its home or service
    (else the admins, see storage.tasks.owners_among); if the person asked for fewer people
    to see their answers, its assigned reviewer, else the admins."""
    circulation = concern.readable_by
    role: Role = "admin" if circulation.limited else "reviewer"
    return NewTask(
        "read_today",
        read_today_due(now, zone),
        concern.interview_id,
        concern.service,
        circulation.assigned_reviewer if circulation.limited else None,
        role,
        detail={"concern": str(concern.id), "category": concern.category},
    )


def alert_text(concern: ConcernRecord, flow: Flow | None, reminder: bool) -> str:
    """What staff read: what kind of risk, how urgent, where and why; never the person's
    own words, which are only in the transcript."""
    where = ""
    if concern.question_id and flow is not None:
        try:
            where = f" at the question “{pick(flow.question(concern.question_id).text, 'en')}”"
        except KeyError:
            where = ""
    why = REASONS.get(concern.reason, concern.reason)
    if concern.reason == "answer" and concern.answer:
        why += f" (“{concern.answer.replace('_', ' ')}”)"
    head = "⏰ Reminder: still not acknowledged.\n" if reminder else ""
    raised = (
        "Raised from amber to red by a member of staff.\n" if concern.decision == "raised" else ""
    )
    urgent = concern.severity == "urgent"
    title = "🚨 URGENT safeguarding concern" if urgent else "⚠️ Possible safeguarding concern"
    after = " It was sent after the interview ended." if concern.after_end else ""
    return (
        f"{head}{title}: {category_label(concern.category)}\n{raised}"
        f"➡ What to do next: {next_step(concern.category)}\n"
        f"Interview: {concern.interview_id}\nHome or service: {concern.service or '-'}\n"
        f"Raised by {why}{where}.{after}\n"
        "The person has been shown helplines and told that staff will be in touch.\n"
        f"Read it with /transcript {concern.interview_id}, then press the button below."
    )


class ConcernAlerter:
    """Sends concern alerts through the outbox to every admin and the service's staff, and
    escalates any that reach nobody."""

    def __init__(
        self,
        storage: Storage,
        flows: Mapping[str, Flow],
        sender: Delivery,
        clock: Clock,
        settings: Settings,
        mailer: DutyMailer | None = None,
    ) -> None:
        self.storage = storage
        self.flows = flows
        self.sender = sender
        self.clock = clock
        self.settings = settings
        self.mailer = mailer

    def repeat_seconds(self, severity: str) -> int:
        """How long an unacknowledged concern waits before it is sent again."""
        minutes = (
            self.settings.urgent_repeat_minutes
            if severity == "urgent"
            else self.settings.concern_repeat_minutes
        )
        return minutes * 60

    async def alert(self, concern_ids: list[int]) -> None:
        """Alert staff at once about red concerns just raised; give each amber one its
        "read today" task instead (never a push)."""
        for concern_id in concern_ids:
            try:
                concern = await self.storage.concerns.get(concern_id)
                if concern is None:
                    continue
                if concern.tier == "amber":
                    await self._read_today(concern)
                else:
                    await self._send(concern, reminder=False)
            except Exception as error:  # one concern must never stop the others
                log_error("concern_alert_failed", concern=concern_id, error=type(error).__name__)

    async def _read_today(self, concern: ConcernRecord) -> None:
        now = self.clock()
        task = read_today_task(concern, now, self.settings.zone)
        if await self.storage.concerns.make_read_today_task(concern.id, task, now):
            log_event("concern_amber", concern=concern.id, category=concern.category)

    async def _send(self, concern: ConcernRecord, reminder: bool) -> None:
        now = self.clock()
        repeat = self.repeat_seconds(concern.severity)
        if not await self.storage.concerns.claim_alert(concern.id, now, repeat):
            return
        recipients = await self.storage.staff.to_alert(concern.readable_by)
        text = alert_text(concern, self._flow_of(concern), reminder)
        payload = encode_message(Message(text, "info"), concern_id=concern.id)
        for member in recipients:
            queued = await self.storage.outbox.add(
                member.user_id, payload, now, PRIORITY.get(concern.severity, 1)
            )
            await self.storage.concerns.record_alert(concern.id, member.user_id, queued.id, now)
        log_event(
            "concern_alerted",
            concern=concern.id,
            severity=concern.severity,
            staff=len(recipients),
            reminder=reminder,
        )
        for member in recipients:
            await self.sender.flush_chat(member.user_id)
        if not recipients:
            await self.escalate(concern.id, "no member of staff is registered to receive it")
            return
        refreshed = await self.storage.concerns.get(concern.id)
        if refreshed is not None and not refreshed.delivered and _all_failed(refreshed):
            await self.escalate(concern.id, "every alert was refused")

    def _flow_of(self, concern: ConcernRecord) -> Flow | None:
        return self.flows.get(concern.flow_id or "")

    async def escalate(self, concern_id: int, why: str) -> None:
        """Nobody received an alert: tell every other admin, e-mail the duty address if one
        is set, and log at ERROR. Done once per concern; the re-alerts go on regardless."""
        concern = await self.storage.concerns.get(concern_id)
        if concern is None or concern.acknowledged_at is not None:
            return
        now = self.clock()
        if not await self.storage.concerns.mark_escalated(concern.id, now):
            return
        log_error(
            "concern_undelivered",
            concern=concern.id,
            severity=concern.severity,
            why=why.replace(" ", "_"),
            action="run 'exit-interviews concerns' and contact the staff",
        )
        reached = set(concern.alerted)
        admins = [m for m in await self.storage.staff.all() if m.role == "admin"]
        others = [m for m in admins if m.user_id not in reached]
        await self._tell_admins(concern, others, now)
        await self._email(concern, why, now)

    async def _tell_admins(
        self, concern: ConcernRecord, admins: list[StaffMember], now: datetime
    ) -> None:
        text = (
            "‼️ Nobody could be reached about this concern, so every admin is told.\n"
            + alert_text(concern, self._flow_of(concern), reminder=False)
        )
        payload = encode_message(Message(text, "info"), concern_id=concern.id)
        for member in admins:
            queued = await self.storage.outbox.add(member.user_id, payload, now, priority=3)
            await self.storage.concerns.record_alert(concern.id, member.user_id, queued.id, now)
            await self.sender.flush_chat(member.user_id)

    async def _email(self, concern: ConcernRecord, why: str, now: datetime) -> None:
        if self.mailer is None:
            log_error(
                "concern_no_email",
                concern=concern.id,
                action="set EXIT_DUTY_EMAIL and EXIT_SMTP_HOST so undelivered alerts are mailed",
            )
            return
        subject = (
            f"[{concern.severity.upper()}] Safeguarding concern not delivered: "
            f"{concern.interview_id}"
        )
        body = (
            f"A {concern.severity} safeguarding concern ({category_label(concern.category)}) "
            f"was raised at {concern.raised_at:%d %B %Y %H:%M} UTC on interview "
            f"{concern.interview_id} (home or service: {concern.service or '-'}).\n\n"
            f"No member of staff could be reached in Telegram: {why}.\n\n"
            "Please act now: read the interview (exit-interviews transcript "
            f"{concern.interview_id}) and acknowledge it in the staff chat, and check with "
            "'exit-interviews concerns' who has been alerted.\n"
        )
        try:
            await self.mailer.send(subject, body)
        except Exception as error:  # a mail server outage must not stop the re-alerts
            log_error("concern_email_failed", concern=concern.id, error=type(error).__name__)
            await self.storage.concerns.record_email(
                concern.id, "duty", now, ok=False, failure=type(error).__name__
            )
            return
        await self.storage.concerns.record_email(concern.id, "duty", now, ok=True, failure=None)
        log_event("concern_emailed", concern=concern.id)

    async def email_held(self, interview_id: str | None, severity: str, category: str) -> None:
        """A concern held in the safety journal reached nobody in Telegram: e-mail the duty
        address, and log at ERROR either way."""
        log_error(
            "held_concern_undelivered",
            interview=interview_id or "-",
            severity=severity,
            action="contact the staff; the database could not be written",
        )
        if self.mailer is None:
            return
        body = (
            f"A {severity} safeguarding concern ({category_label(category)}) was raised on "
            f"interview {interview_id or '-'}, while the interview database could not be "
            "written, and no member of staff could be reached in Telegram.\n\n"
            "Please act now, and check the server: disk space, other programs holding the "
            "database, the data key.\n"
        )
        try:
            await self.mailer.send(f"[{severity.upper()}] Safeguarding concern not delivered", body)
        except Exception as error:  # a mail server outage must not stop anything else
            log_error("held_concern_email_failed", error=type(error).__name__)

    async def realert_due(self, now: datetime) -> None:
        """Re-send every open concern whose last alert is older than its repeat interval, and
        escalate any that nobody has received for a few minutes (Telegram down)."""
        due = await self.storage.concerns.due_for_alert(
            now,
            self.repeat_seconds("urgent"),
            self.repeat_seconds("serious"),
        )
        for concern in due:
            try:
                await self._send(concern, reminder=bool(concern.deliveries))
            except Exception as error:  # one concern must never stop the others
                log_error("concern_alert_failed", concern=concern.id, error=type(error).__name__)
        await self.alert([c.id for c in await self.storage.concerns.amber_without_task()])
        await self.escalate_undelivered(now)

    async def escalate_undelivered(self, now: datetime) -> None:
        """Escalate open concerns that no member of staff has received within a few minutes."""
        grace = timedelta(minutes=self.settings.undelivered_escalate_minutes)
        for concern in await self.storage.concerns.open_everywhere():
            if concern.delivered or concern.escalated_at is not None:
                continue
            if now - concern.raised_at < grace:
                continue
            try:
                await self.escalate(concern.id, "no alert was accepted by Telegram in time")
            except Exception as error:  # one concern must never stop the others
                log_error(
                    "concern_escalation_failed", concern=concern.id, error=type(error).__name__
                )


def _all_failed(concern: ConcernRecord) -> bool:
    telegram = [d for d in concern.deliveries if d.channel == "telegram"]
    return bool(telegram) and all(d.state == "failed" for d in telegram)


def alerter_for(
    storage: Storage,
    flows: Mapping[str, Flow],
    sender: Delivery,
    clock: Clock,
    settings: Settings,
) -> ConcernAlerter:
    """The alerter every channel uses: through `sender`, with the duty e-mail behind it."""
    return ConcernAlerter(
        storage, flows, sender, clock, settings, DutyMailer.from_settings(settings)
    )
