"""Sending committed replies to Telegram, in order, and only marking them sent once they are."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.core.clock import Clock
from bot.core.dialling import TAPPABLE_KINDS, with_international_numbers
from bot.core.locks import KeyedLocks
from bot.core.logs import log_error, log_event, person
from bot.telegram.keyboards import ack_keyboard, keyboard, split_for_telegram, staff_keyboard
from storage import Storage
from storage.codec import has_staff_buttons, open_message, tracked
from storage.phone_chats import is_phone_chat
from storage.records import OutgoingMessage
from storage.web_sessions import is_web_chat

FIRST_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 60.0
# Chats whose last question can be edited in place (a choose-several question being ticked);
# older chats simply get a new message.
REMEMBERED_PROMPTS = 10_000
REMEMBERED_SENT = 10_000


FailedAlert = Callable[[int, str], Awaitable[None]]


class OutboxSender:
    """Delivers the outbox chat by chat. A failed send stays in the outbox for the next try,
    and later messages for that chat wait behind it, so nobody gets them out of order.
    A message Telegram refuses for good is dropped; if it was a concern alert, the alert is
    marked failed and `on_failed_alert` escalates it."""

    def __init__(self, bot: Bot, storage: Storage, clock: Clock) -> None:
        self.bot = bot
        self.storage = storage
        self.clock = clock
        self._locks = KeyedLocks()
        self.last_prompt: dict[int, int] = {}
        self._failures: dict[int, int] = {}
        self._retry_at: dict[int, float] = {}
        self.on_failed_alert: FailedAlert | None = None
        self.priority_chats: set[int] = set()
        # Chats with messages waiting in the outbox from before (a failed send, a restart);
        # None until the first flush_all has looked, so that until then all go by the outbox.
        self._backlog: set[int] | None = None
        # Messages already sent (by a retry that ran first), so a reply is never sent twice.
        self._recently_sent: dict[int, None] = {}

    async def flush_chat(self, chat_id: int) -> bool:
        """Send everything waiting for one chat; False if Telegram could not take it now."""
        async with self._locks.hold(chat_id):
            return await self._flush_from_outbox(chat_id)

    async def deliver(self, chat_id: int, messages: list[OutgoingMessage]) -> bool:
        """Send the messages an input has just committed, as they are in memory (no read
        back), unless the chat has older messages still waiting: then everything goes from
        the outbox in order. False if Telegram could not take them now."""
        async with self._locks.hold(chat_id):
            if self._backlog is None or chat_id in self._backlog:
                return await self._flush_from_outbox(chat_id)
            for message in messages:
                if message.id in self._recently_sent:
                    continue
                if not await self._deliver_one(chat_id, message):
                    self._backlog.add(chat_id)
                    return False
            return True

    async def _flush_from_outbox(self, chat_id: int) -> bool:
        if is_web_chat(chat_id):
            return True  # the browser reads its messages when it next asks for the page
        if is_phone_chat(chat_id):
            return True  # the WhatsApp channel (bot/whatsapp/) delivers these
        while True:
            waiting = [
                message
                for message in await self.storage.outbox.unsent_for_chat(chat_id)
                if message.id not in self._recently_sent
            ]
            if not waiting:
                if self._backlog is not None:
                    self._backlog.discard(chat_id)
                return True
            for message in waiting:
                if not await self._deliver_one(chat_id, message):
                    if self._backlog is not None:
                        self._backlog.add(chat_id)
                    return False

    async def _deliver_one(self, chat_id: int, message: OutgoingMessage) -> bool:
        """Send one message and record it; False if Telegram could not take it now (it
        stays in the outbox). A message refused for good is dropped and counts as done."""
        try:
            await self._send(message)
        except (Forbidden, BadRequest) as error:
            await self._refused(chat_id, message.id, type(error).__name__)
            return True
        except TelegramError as error:
            delay = self._back_off(chat_id)
            log_event(
                "send_failed",
                chat=person(chat_id),
                outbox=message.id,
                reason=type(error).__name__,
                retry_in=f"{delay:.1f}s",
            )
            return False
        self._failures.pop(chat_id, None)
        self._retry_at.pop(chat_id, None)
        self._recently_sent[message.id] = None
        if len(self._recently_sent) > REMEMBERED_SENT:
            del self._recently_sent[next(iter(self._recently_sent))]
        if message.message is not None or not tracked(message.payload):
            self.storage.outbox.mark_delivered([message.id])
        else:
            await self.storage.outbox.mark_sent([message.id], self.clock())
        return True

    async def _refused(self, chat_id: int, outbox_id: int, reason: str) -> None:
        concern_id = await self.storage.outbox.mark_failed(outbox_id, reason, self.clock())
        if concern_id is None:
            log_event("message_dropped", chat=person(chat_id), outbox=outbox_id, reason=reason)
            return
        log_error("concern_alert_refused", concern=concern_id, outbox=outbox_id, reason=reason)
        if self.on_failed_alert is not None:
            await self.on_failed_alert(concern_id, f"Telegram refused an alert ({reason})")

    async def send_direct(self, chat_id: int, text: str) -> bool:
        """Send now, around the outbox (the database holding it may be down); True if
        Telegram accepted it. Long texts are cut to what Telegram takes."""
        try:
            for part in split_for_telegram(text):
                await self.bot.send_message(chat_id, part)
        except TelegramError as error:
            log_event("direct_send_failed", chat=person(chat_id), reason=type(error).__name__)
            return False
        return True

    async def send_document(self, chat_id: int, name: str, data: bytes, caption: str) -> bool:
        """Send a file now; True if Telegram accepted it."""
        try:
            await self.bot.send_document(chat_id, data, filename=name, caption=caption)
        except TelegramError as error:
            log_event("document_send_failed", chat=person(chat_id), reason=type(error).__name__)
            return False
        return True

    def _back_off(self, chat_id: int) -> float:
        """Wait longer after each failure in a row, up to a minute."""
        failures = self._failures.get(chat_id, 0) + 1
        self._failures[chat_id] = failures
        delay = min(MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS * 2.0 ** (failures - 1))
        self._retry_at[chat_id] = time.monotonic() + delay
        return delay

    async def flush_all(self) -> None:
        """Retry every chat with undelivered messages (after a restart or an outage), backing
        off chat by chat while Telegram keeps failing, so an outage is not a busy loop."""
        now = time.monotonic()
        waiting = await self.storage.outbox.chats_waiting()
        if self._backlog is None:
            self._backlog = set(waiting)
        for chat_id in waiting:
            if self._retry_at.get(chat_id, 0.0) <= now:
                await self.flush_chat(chat_id)

    async def _send(self, outgoing: OutgoingMessage) -> None:
        assert outgoing.chat_id is not None
        chat_id = outgoing.chat_id
        if outgoing.message is not None:
            message, concern_id = outgoing.message, None
        else:
            message, concern_id = open_message(outgoing.payload)
        markup: InlineKeyboardMarkup | None
        if concern_id is not None:
            markup = ack_keyboard(concern_id)
        elif outgoing.message is None and has_staff_buttons(outgoing.payload):
            markup = staff_keyboard(message)
        else:
            markup = keyboard(message, outgoing.interview_id or "")
        text = message.text
        if message.kind in TAPPABLE_KINDS:
            text = with_international_numbers(text)
        parts = split_for_telegram(text)
        if message.replaces_prompt and chat_id in self.last_prompt and len(parts) == 1:
            try:
                await self.bot.edit_message_text(
                    text,
                    chat_id=chat_id,
                    message_id=self.last_prompt[chat_id],
                    reply_markup=markup,
                )
                return
            except BadRequest:
                pass
        if concern_id is not None:
            self.priority_chats.add(chat_id)
        try:
            for part in parts[:-1]:
                await self.bot.send_message(chat_id, part)
            sent = await self.bot.send_message(chat_id, parts[-1], reply_markup=markup)
        finally:
            self.priority_chats.discard(chat_id)
        if markup is not None and concern_id is None:
            self.last_prompt.pop(chat_id, None)
            self.last_prompt[chat_id] = sent.message_id
            if len(self.last_prompt) > REMEMBERED_PROMPTS:
                del self.last_prompt[next(iter(self.last_prompt))]
