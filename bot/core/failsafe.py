"""The safety net under every input: if the interview database cannot take it, the person is
still heard.

When saving an input fails (the database locked by another program, the disk full, the key
changed under the running bot), the words are still checked for signs of risk, staff are
still alerted (straight through the channel, not the outbox), the person still gets the
helplines, and the input is parked in the safety journal to be applied, in order, once the
database is back. Nothing acknowledged is lost; a parked chat's later inputs wait behind it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from pydantic import TypeAdapter

from bot.core.answer import InterviewService, Reply
from bot.core.clock import Clock
from bot.core.concerns import ConcernAlerter, category_label
from bot.core.delivery import Delivery
from bot.core.logs import log_error, log_event
from flows import Flow
from flows.inputs import Aside, Input, Text, asks_for_help_now
from flows.safeguarding import Category, default_detector
from flows.text import Language, pick
from flows.wording import say
from storage import Storage
from storage.concerns import concern_detail
from storage.errors import StaleStateError, StorageUnavailable, WrongKeyError
from storage.records import InterviewRef
from storage.safety import HeldConcern, ParkedInput, SafetyJournal

INPUT = TypeAdapter[Input](Input)
# StaleStateError: another program kept changing the interview while this input was being
# saved, even after the service read it again; the input waits in the journal like any other.
UNAVAILABLE = (StorageUnavailable, WrongKeyError, StaleStateError)


@dataclass
class HeldAlert:
    """A concern raised while the database was down, alerted from the journal."""

    journal_id: int
    category: str
    severity: str
    interview_id: str | None
    service: str | None


@dataclass
class SafeReply:
    """What the person is sent when their input was parked: words, not outbox rows."""

    texts: list[str] = field(default_factory=list)
    alert: HeldAlert | None = None


class SafetyNet:
    """Answers an input through the service, or, if the database cannot take it, through
    the journal. Also applies parked inputs once the database is back."""

    def __init__(
        self,
        service: InterviewService,
        storage: Storage,
        journal: SafetyJournal,
        sender: Delivery,
        alerter: ConcernAlerter,
        clock: Clock,
    ) -> None:
        self.service = service
        self.storage = storage
        self.journal = journal
        self.sender = sender
        self.alerter = alerter
        self.clock = clock
        self._staff_ids: dict[str | None, list[int]] = {}
        self._refs: dict[int, InterviewRef] = {}

    async def answer(
        self,
        chat_id: int,
        inp: Input,
        *,
        incoming: str | None,
        update_id: int | None,
        pressed_in: str | None = None,
    ) -> Reply | SafeReply | None:
        """The reply to one input: committed through the service, or parked. None if the
        chat is taking no interview (a stranger). `pressed_in`: see answer_in_chat."""
        if await self.journal.has_parked(chat_id):
            ref = await self._ref(chat_id)
            if ref is None:
                return None
            safe = await self._park(chat_id, ref, inp, incoming, update_id, "catching_up")
            await self.replay(chat_id)
            return safe
        try:
            reply = await self.service.answer_in_chat(
                chat_id, inp, incoming=incoming, update_id=update_id, pressed_in=pressed_in
            )
        except UNAVAILABLE as error:
            ref = await self._ref(chat_id)
            if ref is None:
                return None
            log_error(
                "input_parked",
                interview=ref.id,
                problem=getattr(error, "problem", type(error).__name__).replace(" ", "_"),
                action="free the database (disk space, other programs, the data key)",
            )
            return await self._park(chat_id, ref, inp, incoming, update_id, "not_saved")
        if reply is not None and reply.ref is not None:
            self._refs[chat_id] = reply.ref
        return reply

    async def _ref(self, chat_id: int) -> InterviewRef | None:
        try:
            ref = await self.storage.interviews.ref_for_chat(chat_id)
        except UNAVAILABLE:
            return self._refs.get(chat_id)
        if ref is not None:
            self._refs[chat_id] = ref
        return ref

    async def _park(
        self,
        chat_id: int,
        ref: InterviewRef,
        inp: Input,
        incoming: str | None,
        update_id: int | None,
        why: str,
    ) -> SafeReply:
        now = self.clock()
        payload = json.dumps({"input": INPUT.dump_python(inp, mode="json"), "incoming": incoming})
        parked_id = await self.journal.park(chat_id, update_id, payload, now)
        flow = self.service.flows.get(ref.flow_id)
        language: Language = "cy" if ref.language == "cy" else "en"
        reply = SafeReply([say(f"failsafe_{why}", language)])
        category = self._category(inp, flow)
        if category is not None:
            reason = "asked_for_help" if asks_for_help_now(inp) else "words"
            detail = concern_detail(None, reason, category.value, None, ref.finished)
            held_id = await self.journal.hold_concern(
                parked_id, ref.id, category.severity.value, detail, now
            )
            reply.alert = HeldAlert(
                held_id, category.value, category.severity.value, ref.id, ref.service
            )
            concern_words = (
                say("unsafe_now", language)
                if reason == "asked_for_help" or flow is None
                else pick(flow.concern_message, language)
            )
            reply.texts.append(concern_words)
        if flow is not None:
            reply.texts.append("\n".join(c.line(language) for c in flow.contacts))
        if reply.alert is not None:
            await self._alert_directly(reply.alert)
        return reply

    def _category(self, inp: Input, flow: Flow | None) -> Category | None:
        if asks_for_help_now(inp):
            return Category.DANGER_NOW
        if not isinstance(inp, Text | Aside):
            return None
        detector = (flow.safeguarding if flow else None) or default_detector()
        findings = detector.findings(inp.text)
        return findings[0].category if findings else None

    async def _recipients(self, service: str | None) -> list[int]:
        try:
            ids = await self.storage.staff.alert_ids(service)
        except UNAVAILABLE:
            return self._staff_ids.get(service, self._staff_ids.get(None, []))
        self._staff_ids[service] = ids
        return ids

    async def _alert_directly(self, alert: HeldAlert) -> None:
        """Tell staff straight through the channel: the outbox is in the database that is
        down. Escalated by e-mail and at ERROR if nobody could be reached."""
        urgent = alert.severity == "urgent"
        title = "🚨 URGENT safeguarding concern" if urgent else "⚠️ Possible safeguarding concern"
        text = (
            f"{title}: {category_label(alert.category)}\n"
            f"Interview: {alert.interview_id or '-'}\nHome or service: {alert.service or '-'}\n"
            "The interview database could not be written just now, so this alert comes from "
            "the safety journal. The person has been shown helplines. The concern will be "
            "recorded, with a button to acknowledge it, as soon as the database is back; "
            f"then read it with /transcript {alert.interview_id or ''}."
        )
        reached = [
            user_id
            for user_id in await self._recipients(alert.service)
            if await self.sender.send_direct(user_id, text)
        ]
        await self.journal.note_alerted(alert.journal_id, reached)
        log_event("held_concern_alerted", severity=alert.severity, staff=len(reached))
        if not reached:
            await self.alerter.email_held(alert.interview_id, alert.severity, alert.category)

    async def replay_all(self) -> None:
        """Apply every parked input whose database is back, chat by chat, in order."""
        await self.journal.flush_memory()
        for chat_id in await self.journal.chats_waiting():
            try:
                await self.replay(chat_id)
            except Exception as error:  # one chat must never stop the others
                log_error("replay_failed", error=type(error).__name__)

    async def replay(self, chat_id: int) -> None:
        """Apply one chat's parked inputs in order; stop at the first that still fails."""
        for parked in await self.journal.parked_for_chat(chat_id):
            try:
                reply = await self._apply(parked)
            except UNAVAILABLE:
                await self.journal.tried(parked.id)
                return
            held = await self.journal.held_for(parked.id)
            await self._carry_over(reply, held)
            await self.journal.done(parked.id)
            log_event("parked_input_applied", interview=reply.interview_id if reply else "-")
            await self.sender.flush_chat(chat_id)

    async def _apply(self, parked: ParkedInput) -> Reply | None:
        data = json.loads(parked.payload)
        inp = INPUT.validate_python(data["input"])
        return await self.service.answer_in_chat(
            parked.chat_id, inp, incoming=data.get("incoming"), update_id=parked.update_id
        )

    async def _carry_over(self, reply: Reply | None, held: list[HeldConcern]) -> None:
        """A concern alerted from the journal is now stored: note who it reached, so it is
        not alerted twice, and let the normal re-alerts take it from there."""
        if reply is None or reply.duplicate:
            return
        reached = sorted({user for record in held for user in record.alerted_to})
        at = min((record.raised_at for record in held), default=self.clock())
        for concern_id in reply.concern_ids:
            if reached:
                await self.storage.concerns.adopt_alerts(concern_id, reached, at)
            else:
                await self.alerter.alert([concern_id])

    async def waiting(self) -> int:
        """How many inputs wait in the journal."""
        return await self.journal.count()
