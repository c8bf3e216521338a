"""Per-chat order and floods (`ChatOrderedProcessor`), and which calls count as urgent."""

from __future__ import annotations

import asyncio
import inspect
import itertools
from collections.abc import Coroutine
from typing import Any

from telegram import Update
from telegram.request import RequestData
from telegram.request._requestparameter import RequestParameter

from bot.telegram.ordering import BURST, MAX_WAITING, ChatOrderedProcessor, PriorityRateLimiter

UPDATE_IDS = itertools.count(1)


def text_update(chat_id: int, text: str) -> Update:
    return Update.de_json(
        {
            "update_id": next(UPDATE_IDS),
            "message": {
                "message_id": next(UPDATE_IDS),
                "date": 0,
                "chat": {"id": chat_id, "type": "private"},
                "from": {"id": chat_id, "is_bot": False, "first_name": "P"},
                "text": text,
            },
        },
        None,
    )


async def settle(processor: ChatOrderedProcessor) -> None:
    """Let every lane run until none has work it can do."""
    for _ in range(50):
        await asyncio.sleep(0)


async def test_one_chat_waits_its_turn_while_other_chats_go_on() -> None:
    processor = ChatOrderedProcessor()
    happened: list[str] = []
    first_may_finish = asyncio.Event()

    async def first() -> None:
        happened.append("A1 began")
        await first_may_finish.wait()
        happened.append("A1 ended")

    async def note(name: str) -> None:
        happened.append(name)

    await processor.do_process_update(text_update(1, "one"), first())
    await processor.do_process_update(text_update(1, "two"), note("A2"))
    await processor.do_process_update(text_update(2, "other"), note("B1"))
    await settle(processor)
    assert happened == ["A1 began", "B1"]
    assert processor.busy

    first_may_finish.set()
    await settle(processor)
    assert happened == ["A1 began", "B1", "A1 ended", "A2"]
    assert not processor.busy


async def test_a_flood_is_shed_but_never_a_sign_of_risk() -> None:
    processor = ChatOrderedProcessor()
    ran: list[str] = []
    blocked = asyncio.Event()

    async def held() -> None:
        await blocked.wait()

    async def note(name: str) -> None:
        ran.append(name)

    await processor.do_process_update(text_update(3, "first"), held())
    await settle(processor)
    for n in range(MAX_WAITING):
        await processor.do_process_update(text_update(3, f"msg {n}"), note(f"msg {n}"))
    extra: Coroutine[Any, Any, None] = note("one too many")
    await processor.do_process_update(text_update(3, "one too many"), extra)
    await processor.do_process_update(
        text_update(3, "I want to kill myself"), note("the disclosure")
    )
    assert processor.dropped == 1

    blocked.set()
    await processor.shutdown()  # applies everything already taken, without the pacing
    assert ran == [f"msg {n}" for n in range(MAX_WAITING)] + ["the disclosure"]
    assert inspect.getcoroutinestate(extra) == inspect.CORO_CLOSED  # shed, never run


async def test_a_person_answering_each_reply_at_once_never_waits_for_the_pace() -> None:
    processor = ChatOrderedProcessor()
    ran: list[int] = []

    async def note(n: int) -> None:
        ran.append(n)

    for n in range(3 * BURST):
        await processor.do_process_update(text_update(4, f"tap {n}"), note(n))
        await settle(processor)
        assert ran[-1:] == [n]  # answered before the next tap, with no pause between


async def test_a_backlog_goes_at_the_pace_after_a_burst() -> None:
    processor = ChatOrderedProcessor()
    ran: list[int] = []

    async def note(n: int) -> None:
        ran.append(n)

    for n in range(3 * BURST):
        await processor.do_process_update(text_update(5, f"msg {n}"), note(n))
    await settle(processor)
    assert ran == list(range(BURST + 1))  # the first, then the burst; the rest are paced
    await processor.shutdown()
    assert ran == list(range(3 * BURST))


def request_to(chat_id: int) -> RequestData:
    return RequestData([RequestParameter("chat_id", chat_id, None)])


def test_calls_to_a_chat_receiving_an_alert_are_urgent_others_are_not() -> None:
    limiter = PriorityRateLimiter(overall_max_rate=30)
    assert not limiter.is_urgent(request_to(10))
    limiter.priority_chats.add(10)
    assert limiter.is_urgent(request_to(10))
    assert not limiter.is_urgent(request_to(11))
    assert not limiter.is_urgent(None)
