"""Sending committed replies to Telegram, in order, and only marking them sent once they are."""

from __future__ import annotations

import asyncio
import logging

from telegram import Bot, InlineKeyboardMarkup
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.clock import Clock
from bot.logs import log_event
from bot.telegram_render import ack_keyboard, keyboard
from storage import Storage
from storage.codec import concern_of, decode_message
from storage.records import OutgoingMessage

LOGGER = logging.getLogger(__name__)


class OutboxSender:
    """Delivers the outbox chat by chat. A failed send stays in the outbox for the next try,
    and later messages for that chat wait behind it, so nobody gets them out of order."""

    def __init__(self, bot: Bot, storage: Storage, clock: Clock) -> None:
        self.bot = bot
        self.storage = storage
        self.clock = clock
        self._locks: dict[int, asyncio.Lock] = {}
        self.last_prompt: dict[int, int] = {}

    def _lock(self, chat_id: int) -> asyncio.Lock:
        return self._locks.setdefault(chat_id, asyncio.Lock())

    async def flush_chat(self, chat_id: int) -> bool:
        """Send everything waiting for one chat; False if Telegram could not take it now."""
        async with self._lock(chat_id):
            while True:
                waiting = await self.storage.outbox.unsent_for_chat(chat_id)
                if not waiting:
                    return True
                for message in waiting:
                    try:
                        await self._send(message)
                    except (Forbidden, BadRequest) as error:
                        log_event(
                            "message_dropped",
                            chat=chat_id,
                            outbox=message.id,
                            reason=type(error).__name__,
                        )
                    except TelegramError as error:
                        log_event(
                            "send_failed",
                            chat=chat_id,
                            outbox=message.id,
                            reason=type(error).__name__,
                        )
                        return False
                    await self.storage.outbox.mark_sent([message.id], self.clock())

    async def flush_all(self) -> None:
        """Retry every chat with undelivered messages (after a restart or an outage)."""
        for chat_id in await self.storage.outbox.chats_waiting():
            await self.flush_chat(chat_id)

    async def _send(self, outgoing: OutgoingMessage) -> None:
        assert outgoing.chat_id is not None
        chat_id = outgoing.chat_id
        message = decode_message(outgoing.payload)
        concern_id = concern_of(outgoing.payload)
        markup: InlineKeyboardMarkup | None
        if concern_id is not None:
            markup = ack_keyboard(concern_id)
        else:
            markup = keyboard(message, outgoing.interview_id or "")
        if message.replaces_prompt and chat_id in self.last_prompt:
            try:
                await self.bot.edit_message_text(
                    message.text,
                    chat_id=chat_id,
                    message_id=self.last_prompt[chat_id],
                    reply_markup=markup,
                )
                return
            except BadRequest:
                pass
        sent = await self.bot.send_message(chat_id, message.text, reply_markup=markup)
        if markup is not None and concern_id is None:
            self.last_prompt[chat_id] = sent.message_id
