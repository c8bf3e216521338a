"""Per-chat order and fairness, through python-telegram-bot's own extension points.

`ChatOrderedProcessor` (a BaseUpdateProcessor) runs one update at a time per chat, in the
order they came, while chats run side by side; a chat's updates wait in its own queue, so a
flood from one person never takes the places other people's updates need. Each chat is
taken at a steady pace after a burst, but only while it has a backlog: an update that
finds nothing of its chat waiting (a person answering each reply as it comes, however
quickly) never waits for the pace (BENCHMARKS.md). Beyond a bounded queue, an update is
dropped with one kind reply, unless it holds a sign of risk: up to RISKY_ALLOWANCE of those
are kept beyond the bound (each is checked and alerted on when its turn comes, at the chat's
pace), so a disclosure in a flood is never lost, yet a flood of risk words cannot grow a
queue without end and starve everyone else.

`PriorityRateLimiter` lets alerts to staff chats go before ordinary replies.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from telegram import Bot, Update
from telegram.error import RetryAfter, TelegramError
from telegram.ext import AIORateLimiter, BaseUpdateProcessor
from telegram.request import RequestData

from bot.core.logs import log_event, person
from bot.core.notices import notice
from bot.telegram.keyboards import app_language
from flows.safeguarding import default_detector
from flows.text import Language

BURST = 10
PER_SECOND = 2.0
MAX_WAITING = 30
RISKY_ALLOWANCE = 10
SLOW_DOWN_EVERY_SECONDS = 60.0
IDLE_CHAT_SECONDS = 300.0
DRAIN_SECONDS = 30.0


def _language_of(update: object) -> Language:
    return app_language(update) if isinstance(update, Update) else "en"


def _chat_of(update: object) -> int | None:
    if isinstance(update, Update) and update.effective_chat is not None:
        return update.effective_chat.id
    return None


def _text_of(update: object) -> str:
    if isinstance(update, Update) and update.effective_message is not None:
        message = update.effective_message
        return message.text or message.caption or ""
    return ""


class _ChatLane:
    """One chat's queue and its pace: a burst, then PER_SECOND updates a second. Each
    queued update notes whether it came behind another still waiting (a backlog, paced)."""

    def __init__(self) -> None:
        self.queue: deque[tuple[Awaitable[Any], bool]] = deque()
        self.tokens = float(BURST)
        self.refilled = time.monotonic()
        self.worker: asyncio.Task[None] | None = None
        self.warned_at = 0.0

    async def take(self) -> None:
        """Wait for this chat's turn at its pace."""
        while True:
            now = time.monotonic()
            self.tokens = min(BURST, self.tokens + (now - self.refilled) * PER_SECOND)
            self.refilled = now
            if self.tokens >= 1:
                self.tokens -= 1
                return
            await asyncio.sleep((1 - self.tokens) / PER_SECOND)


class ChatOrderedProcessor(BaseUpdateProcessor):
    """One update at a time per chat, in order; chats in parallel; floods contained."""

    def __init__(self, max_concurrent_updates: int = 256) -> None:
        super().__init__(max_concurrent_updates)
        self._lanes: dict[int, _ChatLane] = {}
        self.bot: Bot | None = None
        self.dropped = 0
        self.draining = False

    async def initialize(self) -> None:
        """Nothing to set up: lanes are made as chats appear."""

    async def shutdown(self) -> None:
        """Apply every update already taken (Telegram counts them as delivered), without the
        pacing, then stop."""
        self.draining = True
        workers = [lane.worker for lane in self._lanes.values() if lane.worker is not None]
        if workers:
            await asyncio.wait(workers, timeout=DRAIN_SECONDS)
        for task in workers:
            task.cancel()
        for lane in self._lanes.values():
            while lane.queue:
                left, _ = lane.queue.popleft()
                if isinstance(left, Coroutine):
                    left.close()

    @property
    def busy(self) -> bool:
        """Whether any chat still has an update waiting or running."""
        return any(lane.queue or lane.worker is not None for lane in self._lanes.values())

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Queue the update in its chat's lane and return at once, so the processor's places
        are never held by one chat's backlog."""
        chat_id = _chat_of(update)
        if chat_id is None:
            await coroutine
            return
        lane = self._lanes.setdefault(chat_id, _ChatLane())
        if len(lane.queue) >= MAX_WAITING and (
            len(lane.queue) >= MAX_WAITING + RISKY_ALLOWANCE
            or not default_detector().findings(_text_of(update))
        ):
            self._shed(chat_id, lane, coroutine, _language_of(update))
            return
        lane.queue.append((coroutine, bool(lane.queue)))
        if lane.worker is None:
            lane.worker = asyncio.create_task(self._run(chat_id, lane))

    async def _run(self, chat_id: int, lane: _ChatLane) -> None:
        try:
            while lane.queue:
                if lane.queue[0][1] and not self.draining:
                    await lane.take()
                coroutine, _ = lane.queue.popleft()
                with contextlib.suppress(Exception):
                    await coroutine
        finally:
            lane.worker = None
            if not lane.queue and time.monotonic() - lane.refilled > 0:
                self._forget_idle()

    def _forget_idle(self) -> None:
        now = time.monotonic()
        for chat_id in [
            c
            for c, lane in self._lanes.items()
            if not lane.queue and lane.worker is None and now - lane.refilled > IDLE_CHAT_SECONDS
        ]:
            del self._lanes[chat_id]

    def _shed(
        self, chat_id: int, lane: _ChatLane, coroutine: Awaitable[Any], language: Language
    ) -> None:
        """Too many waiting from one chat: drop this one (no sign of risk in it, or already
        RISKY_ALLOWANCE such signs waiting to be alerted on), and say so kindly, once a
        minute at most."""
        if isinstance(coroutine, Coroutine):
            coroutine.close()
        self.dropped += 1
        now = time.monotonic()
        if now - lane.warned_at < SLOW_DOWN_EVERY_SECONDS or self.bot is None:
            return
        lane.warned_at = now
        log_event("chat_flood_shed", chat=person(chat_id), waiting=len(lane.queue))
        bot = self.bot

        async def warn() -> None:
            with contextlib.suppress(TelegramError):
                await bot.send_message(chat_id, notice("slow_down", language))

        asyncio.get_running_loop().create_task(warn())


class PriorityRateLimiter(AIORateLimiter):
    """Telegram's rate limits for everyone, except that sends to chats marked urgent (staff
    receiving a concern alert) do not queue behind ordinary replies."""

    def __init__(self, overall_max_rate: float, max_retries: int = 5) -> None:
        super().__init__(overall_max_rate=overall_max_rate, max_retries=max_retries)
        self.priority_chats: set[int] = set()

    def is_urgent(self, request: RequestData | None) -> bool:
        """Whether a call is to a chat marked urgent, so it goes first wherever calls queue."""
        return request is not None and self._to_priority_chat(request.parameters.get("chat_id"))

    def _to_priority_chat(self, chat_id: object) -> bool:
        return isinstance(chat_id, int | str) and _as_int(chat_id) in self.priority_chats

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        """Straight through for priority chats (still retrying on 429); else as usual."""
        if self._to_priority_chat(data.get("chat_id")):
            for attempt in range(6):
                try:
                    return await callback(*args, **kwargs)
                except RetryAfter as error:
                    if attempt == 5:
                        raise
                    delay = error.retry_after
                    seconds = delay if isinstance(delay, int | float) else delay.total_seconds()
                    await asyncio.sleep(float(seconds) + 0.1)
        return await super().process_request(
            callback, args, kwargs, endpoint, data, rate_limit_args
        )


def _as_int(value: int | str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None
