"""Telegram handlers for people taking an interview. Thin: the service decides everything."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import timedelta
from typing import Any, Literal

from telegram import CallbackQuery, InlineKeyboardMarkup, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from bot.core.after_reply import AfterReply
from bot.core.answer import Reply
from bot.core.context import AppContext
from bot.core.failsafe import SafeReply, SafetyNet
from bot.core.logs import log_event, person
from bot.core.notices import QuietPeriod, TokenGuard, notice, stranger_text
from bot.telegram.delivery import OutboxSender
from bot.telegram.keyboards import answer_press, app_language, parse_answer
from flows.inputs import Aside, Choice, Command, Control, Start, Text, Voice
from flows.text import Language
from flows.voice import voice_marker
from storage import InvitationError
from storage.errors import StorageUnavailable
from storage.voices import MAX_VOICE_BYTES

TYPING_AFTER_SECONDS = 0.5
STRANGER_QUIET_SECONDS = 600.0
Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]


def pressed_label(query: CallbackQuery) -> str | None:
    """The words on the button that was pressed, for the transcript."""
    markup = getattr(query.message, "reply_markup", None)
    if not isinstance(markup, InlineKeyboardMarkup):
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == query.data:
                return button.text
    return None


def _seconds(duration: object) -> int | None:
    """A recording's length in whole seconds, whichever way python-telegram-bot gives it
    (a timedelta from version 22.2 with PTB_TIMEDELTA, else an int)."""
    if isinstance(duration, timedelta):
        return int(duration.total_seconds())
    return int(duration) if isinstance(duration, int | float) else None


class Participants:
    """Handlers for the person answering: /start with a token, text, buttons and controls."""

    def __init__(
        self,
        app: AppContext,
        sender: OutboxSender,
        after: AfterReply,
        guard: TokenGuard,
        net: SafetyNet,
    ) -> None:
        self.app = app
        self.sender = sender
        self.after = after
        self.guard = guard
        self.net = net
        self.strangers = QuietPeriod(STRANGER_QUIET_SECONDS)
        self._tasks: set[asyncio.Task[None]] = set()

    def _background(self, work: Coroutine[Any, Any, None]) -> None:
        """Run cosmetic Telegram calls (stopping a button's spinner) beside the real work."""
        task = asyncio.create_task(work)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def reply(self, update: Update, text: str) -> None:
        message = update.effective_message
        if message is not None:
            await message.reply_text(text)

    async def language(self, update: Update) -> Language:
        """The language of the person's interview, or else of their Telegram app."""
        chat = update.effective_chat
        if chat is not None:
            with contextlib.suppress(StorageUnavailable):
                ref = await self.app.storage.interviews.ref_for_chat(chat.id)
                if ref is not None:
                    return "cy" if ref.language == "cy" else "en"
        return app_language(update)

    async def tell(self, update: Update, key: str) -> None:
        """A fixed notice, in the person's language."""
        await self.reply(update, notice(key, await self.language(update)))

    @contextlib.asynccontextmanager
    async def _typing(
        self, context: ContextTypes.DEFAULT_TYPE, chat_id: int
    ) -> AsyncIterator[None]:
        """Show "typing…" only if the reply is slow to come: a quick reply needs no indicator,
        and every chat action counts against Telegram's 30-a-second limit."""

        async def indicate() -> None:
            await asyncio.sleep(TYPING_AFTER_SECONDS)
            with contextlib.suppress(TelegramError):
                await context.bot.send_chat_action(chat_id, ChatAction.TYPING)

        indicator = asyncio.create_task(indicate())
        try:
            yield
        finally:
            indicator.cancel()

    async def _after(self, reply: Reply, chat_id: int) -> None:
        if reply.duplicate:
            log_event("duplicate_update", interview=reply.interview_id)
            return
        await self.after.alert(reply)
        await self.sender.deliver(chat_id, reply.messages)
        await self.after.announce(reply)

    async def _stranger(self, update: Update) -> None:
        """A stranger gets one kind reply with helplines, then silence for a while, so
        nobody can make the bot talk at them (or spend its sending limit) by flooding it."""
        if update.update_id is not None:
            await self.app.storage.interviews.mark_update(update.update_id, self.app.clock())
        chat = update.effective_chat
        if chat is not None and not self.strangers.first_in_a_while(chat.id, time.monotonic()):
            return
        await self.reply(update, stranger_text(self.app.help, app_language(update)))

    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        if chat is None or chat.type != ChatType.PRIVATE:
            await self.reply(update, notice("group", app_language(update)))
            return
        args = context.args or []
        now = self.app.clock()
        if args:
            if self.guard.blocked(chat.id, now):
                await self.reply(update, notice("too_many_tries", app_language(update)))
                return
            try:
                async with self._typing(context, chat.id):
                    reply = await self.app.service.open_invitation(
                        args[0], chat.id, update_id=update.update_id
                    )
            except InvitationError as error:
                self.guard.failed(chat.id, now)
                log_event("invitation_refused", chat=person(chat.id), reason=error.reason)
                await self.reply(update, notice("invitation_problem", app_language(update)))
                return
            log_event("invitation_opened", chat=person(chat.id), interview=reply.interview_id)
            await self._after(reply, chat.id)
            return
        await self._to_interview(update, context, Start(at=now), "/start")

    async def _to_interview(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        inp: Any,
        incoming: str,
        pressed_in: str | None = None,
    ) -> Reply | None:
        chat = update.effective_chat
        assert chat is not None
        async with self._typing(context, chat.id):
            reply = await self.net.answer(
                chat.id, inp, incoming=incoming, update_id=update.update_id, pressed_in=pressed_in
            )
        if reply is None:
            await self._stranger(update)
            return None
        if isinstance(reply, SafeReply):
            for text in reply.texts:
                await self.sender.send_direct(chat.id, text)
            return None
        if reply.not_this_interview:
            return reply
        await self._after(reply, chat.id)
        return reply

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or message.text is None:
            return
        await self._to_interview(
            update, context, Text(at=self.app.clock(), text=message.text), message.text
        )

    async def on_control(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        if message is None or not message.text:
            return
        name = message.text.split()[0].lstrip("/").split("@")[0].lower()
        try:
            control = Control(name)
        except ValueError:
            await self._to_interview(
                update, context, Text(at=self.app.clock(), text=message.text), message.text
            )
            return
        await self._to_interview(
            update, context, Command(at=self.app.clock(), control=control), f"/{name}"
        )

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        chat = update.effective_chat
        if query is None or chat is None:
            return
        press = parse_answer(query.data or "")
        if press is None:
            await self._refuse_press(update, query, chat.id)
            return
        inp = Choice(at=self.app.clock(), value=press.value, prompt=press.prompt)
        reply = await self._to_interview(
            update, context, inp, pressed_label(query) or press.value, press.interview_id
        )
        if reply is not None and reply.not_this_interview:
            await self._refuse_press(update, query, chat.id)
            return
        self._background(answer_press(query))
        if reply is None or reply.duplicate or reply.chosen is None:
            return
        if any(m.message is None or m.message.replaces_prompt for m in reply.messages):
            return
        original = getattr(query.message, "text", None)
        if original:
            with contextlib.suppress(TelegramError):
                await query.edit_message_text(f"{original}\n\n✓ {reply.chosen}")

    async def _refuse_press(self, update: Update, query: CallbackQuery, chat_id: int) -> None:
        """A button from another interview, or one that was never ours."""
        log_event("button_refused", chat=person(chat_id))
        await answer_press(query, notice("forged_button", await self.language(update)))
        await self.app.storage.interviews.mark_update(update.update_id, self.app.clock())

    async def on_voice(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A voice note (or audio file) at a free-text question is an answer: downloaded,
        kept encrypted, and listened to by a person. Anywhere else, the engine says so."""
        message = update.effective_message
        chat = update.effective_chat
        media = (message.voice or message.audio or message.video_note) if message else None
        if message is None or chat is None or media is None:
            return
        ref = await self.app.storage.interviews.ref_for_chat(chat.id)
        if ref is None or ref.finished:
            await self._mark(update)
            await self.tell(update, "voice")
            return
        if (media.file_size or 0) > MAX_VOICE_BYTES:
            await self._mark(update)
            await self.tell(update, "voice_too_big")
            return
        try:
            telegram_file = await media.get_file()
            audio = bytes(await telegram_file.download_as_bytearray())
        except TelegramError as error:
            log_event("voice_download_failed", chat=person(chat.id), reason=type(error).__name__)
            await self._mark(update)
            await self.tell(update, "voice_failed")
            return
        if len(audio) > MAX_VOICE_BYTES:
            await self._mark(update)
            await self.tell(update, "voice_too_big")
            return
        seconds = _seconds(getattr(media, "duration", None))
        mime = getattr(media, "mime_type", None) or "audio/ogg"
        voice_id = await self.app.storage.voices.keep(
            ref.id, audio, seconds, mime, self.app.clock()
        )
        await self._to_interview(
            update,
            context,
            Voice(at=self.app.clock(), voice_id=voice_id, seconds=seconds),
            voice_marker(voice_id, seconds),
        )

    async def on_media(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.effective_message
        caption = message.caption if message is not None else None
        if caption:
            await self._aside(update, context, caption, "caption")
            return
        await self._mark(update)
        await self.tell(update, "media")

    async def on_edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        chat = update.effective_chat
        message = update.effective_message
        if chat is None or chat.type != ChatType.PRIVATE or message is None:
            await self._mark(update)
            return
        text = message.text or message.caption
        if text:
            await self._aside(update, context, text, "edited")
            return
        await self._mark(update)
        await context.bot.send_message(chat.id, notice("edited", await self.language(update)))

    async def _aside(
        self,
        update: Update,
        context: ContextTypes.DEFAULT_TYPE,
        text: str,
        source: Literal["edited", "caption"],
    ) -> None:
        """An edited message or a caption: checked for signs of risk and kept in the
        transcript, without changing any answer."""
        label = "(edited message)" if source == "edited" else "(caption)"
        await self._to_interview(
            update,
            context,
            Aside(at=self.app.clock(), text=text, source=source),
            f"{label} {text}",
        )

    async def on_group(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await self._mark(update)
        message = update.effective_message
        chat = update.effective_chat
        in_group = chat is not None and chat.type in {ChatType.GROUP, ChatType.SUPERGROUP}
        if in_group and message is not None and message.text and message.text.startswith("/"):
            await self.reply(update, notice("group", app_language(update)))

    async def _mark(self, update: Update) -> None:
        await self.app.storage.interviews.mark_update(update.update_id, self.app.clock())
