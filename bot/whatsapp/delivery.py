"""Sending committed replies to WhatsApp in order, within the day WhatsApp allows after the
person last wrote; outside it, one approved template instead, and staff are told.

Like the Telegram sender: a message stays in the outbox until the Cloud API has taken it,
and later messages for the same chat wait behind it, so nobody gets them out of order."""

from __future__ import annotations

import time
from collections.abc import Mapping
from datetime import timedelta

import aiohttp

from bot.core.clock import Clock
from bot.core.delivery import Delivery
from bot.core.locks import KeyedLocks
from bot.core.logs import log_error, log_event, person
from bot.whatsapp.cloud import WINDOW_CLOSED, CloudApi, CloudError
from bot.whatsapp.rendering import Outgoing, render
from bot.whatsapp.templates import MissingTemplate, TemplateKey, template_body
from flows.model import Flow
from flows.outputs import Message
from flows.text import Language
from storage import Storage
from storage.codec import encode_message, open_message, tracked
from storage.delivery_receipts import DeliveryReceipts
from storage.errors import NotFound
from storage.phone_chats import PhoneChats
from storage.records import OutgoingMessage

WINDOW = timedelta(hours=24) - timedelta(minutes=5)
"""How long after the person last wrote we may write freely: WhatsApp's day, less a margin
for our clock and Meta's disagreeing."""
FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 60.0
REMEMBERED_SENT = 10_000
STAFF_NOTICE = (
    "📵 A WhatsApp message for interview {interview} could not be sent: the person has not "
    "written for over a day, and WhatsApp then allows only an approved template. A template "
    "asking them to reply was sent; what is waiting goes to them as soon as they do. If it "
    "matters sooner, contact them another way."
)


class WhatsAppSender:
    """Delivers phone chats' outbox messages through the Cloud API."""

    def __init__(
        self,
        api: CloudApi,
        storage: Storage,
        clock: Clock,
        staff: Delivery | None = None,
        flows: Mapping[str, Flow] | None = None,
    ) -> None:
        self.api = api
        self.flows: Mapping[str, Flow] = flows or {}
        self.storage = storage
        self.clock = clock
        self.staff = staff
        self.chats = PhoneChats(storage.db)
        self.receipts = DeliveryReceipts(storage.db)
        self._locks = KeyedLocks()
        self._failures: dict[int, int] = {}
        self._retry_at: dict[int, float] = {}
        self._recently_sent: dict[int, None] = {}

    async def window_open(self, chat_id: int) -> bool:
        """Whether a free-form message may go to this chat now."""
        last = await self.chats.last_inbound(chat_id)
        return last is not None and self.clock() - last < WINDOW

    async def flush_chat(self, chat_id: int) -> bool:
        """Send everything waiting for one chat; False if some of it could not go now."""
        async with self._locks.hold(chat_id):
            if self._retry_at.get(chat_id, 0.0) > time.monotonic():
                return False
            address = await self.chats.address(chat_id)
            if address is None:
                return True  # the chat was erased; its messages went with it
            while True:
                waiting = [
                    m
                    for m in await self.storage.outbox.unsent_for_chat(chat_id)
                    if m.id not in self._recently_sent
                ]
                if not waiting:
                    return True
                for message in waiting:
                    if not await self.window_open(chat_id):
                        await self._window_shut(chat_id, address, message)
                        return False
                    if not await self._deliver_one(chat_id, address, message):
                        return False

    async def flush_all(self) -> None:
        """Try every phone chat with messages waiting (reminders the scheduler made, replies
        left by a restart or an outage)."""
        for chat_id in await self.chats.chats_waiting():
            try:
                await self.flush_chat(chat_id)
            except Exception as error:  # one chat must never stop the others
                log_error("whatsapp_flush_failed", chat=person(chat_id), error=type(error).__name__)

    async def _deliver_one(self, chat_id: int, address: str, outgoing: OutgoingMessage) -> bool:
        message = outgoing.message or open_message(outgoing.payload)[0]
        language, flow = await self._reader(outgoing.interview_id)
        parts = render(message, outgoing.interview_id or "", language, flow)
        try:
            for part in parts:
                await self._send(chat_id, address, part, outgoing)
        except CloudError as error:
            if error.code == WINDOW_CLOSED:
                await self.chats.close_window(chat_id)
                await self._window_shut(chat_id, address, outgoing)
                return False
            if error.for_good:
                await self.storage.outbox.mark_failed(outgoing.id, str(error.code), self.clock())
                log_event(
                    "message_dropped", chat=person(chat_id), outbox=outgoing.id, reason=error.code
                )
                return True
            self._back_off(chat_id, outgoing.id, f"cloud {error.code}")
            return False
        except (aiohttp.ClientError, TimeoutError) as error:
            self._back_off(chat_id, outgoing.id, type(error).__name__)
            return False
        self._failures.pop(chat_id, None)
        self._retry_at.pop(chat_id, None)
        self._recently_sent[outgoing.id] = None
        if len(self._recently_sent) > REMEMBERED_SENT:
            del self._recently_sent[next(iter(self._recently_sent))]
        if outgoing.message is not None or not tracked(outgoing.payload):
            self.storage.outbox.mark_delivered([outgoing.id])
        else:
            await self.storage.outbox.mark_sent([outgoing.id], self.clock())
        return True

    async def _send(
        self, chat_id: int, address: str, part: Outgoing, outgoing: OutgoingMessage | None
    ) -> None:
        provider_id = await self.api.send(address, part.body)
        await self.receipts.accepted(
            provider_id,
            chat_id,
            outgoing.id if outgoing else None,
            outgoing.interview_id if outgoing else None,
            self.clock(),
        )

    async def _window_shut(self, chat_id: int, address: str, waiting: OutgoingMessage) -> None:
        """Outside the day WhatsApp allows: the messages wait; the person gets one template
        asking them to reply (once until they do) and staff are told."""
        if not await self.chats.claim_template(chat_id, self.clock()):
            return
        key: TemplateKey = "message_waiting" if tracked(waiting.payload) else "carry_on"
        language, flow = await self._reader(waiting.interview_id)
        try:
            body, _ = template_body(key, language, flow, self.flows.values())
            await self._send(chat_id, address, Outgoing(body), None)
            log_event("whatsapp_template_sent", chat=person(chat_id), template=key)
        except (CloudError, aiohttp.ClientError, TimeoutError, MissingTemplate) as error:
            log_error(
                "whatsapp_template_failed",
                chat=person(chat_id),
                reason=type(error).__name__,
                action="check the template is approved in WhatsApp Manager",
            )
        if waiting.interview_id is not None:
            await self.tell_staff(
                waiting.interview_id, STAFF_NOTICE.format(interview=waiting.interview_id)
            )

    async def tell_staff(self, interview_id: str, text: str) -> None:
        """Tell the staff of the interview's service (in their staff chat) that a message
        did not reach the person; the text names the interview and never the answers."""
        if self.staff is None:
            return
        try:
            service = (await self.storage.interviews.get(interview_id)).service
        except NotFound:
            return
        payload = encode_message(Message(text, "info"))
        now = self.clock()
        for user_id in await self.storage.staff.alert_ids(service):
            await self.storage.outbox.add(user_id, payload, now, priority=1)
            await self.staff.flush_chat(user_id)

    async def _reader(self, interview_id: str | None) -> tuple[Language, Flow | None]:
        """The language and flow of the interview a message belongs to, so it is shown in
        the person's language with the flow's own shorter labels."""
        if interview_id is None:
            return "en", None
        try:
            interview = await self.storage.interviews.get(interview_id)
        except NotFound:
            return "en", None
        language: Language = "cy" if interview.language == "cy" else "en"
        return language, self.flows.get(interview.flow_id)

    def _back_off(self, chat_id: int, outbox_id: int, reason: str) -> None:
        """Wait longer after each failure in a row, up to a minute."""
        failures = self._failures.get(chat_id, 0) + 1
        self._failures[chat_id] = failures
        delay = min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2.0 ** (failures - 1))
        self._retry_at[chat_id] = time.monotonic() + delay
        log_event(
            "send_failed",
            chat=person(chat_id),
            outbox=outbox_id,
            reason=reason,
            retry_in=f"{delay:.1f}s",
        )

    async def send_direct(self, chat_id: int, text: str) -> bool:
        """Send a text now, around the outbox (to someone who has just written, so within
        the window); True if the Cloud API took it."""
        address = await self.chats.address(chat_id)
        if address is None:
            return False
        try:
            for part in render(Message(text), "", "en"):
                await self._send(chat_id, address, part, None)
        except (CloudError, aiohttp.ClientError, TimeoutError) as error:
            log_event("direct_send_failed", chat=person(chat_id), reason=type(error).__name__)
            return False
        return True

    async def send_document(self, chat_id: int, name: str, data: bytes, caption: str) -> bool:
        """Reports go to staff in Telegram, never to a WhatsApp chat."""
        return False
