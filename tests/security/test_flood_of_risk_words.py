"""Issue 25, item 15: a flood of messages holding risk words no longer skips the per-chat
bound without end; a disclosure in an ordinary flood is still kept and applied."""

from __future__ import annotations

import asyncio

from bot.telegram.ordering import MAX_WAITING, RISKY_ALLOWANCE, ChatOrderedProcessor
from tests.bot.telegram.test_ordering import settle, text_update


async def test_item_15_a_flood_of_risk_words_is_bounded_and_other_chats_go_on() -> None:
    processor = ChatOrderedProcessor()
    ran: list[str] = []
    blocked = asyncio.Event()

    async def held() -> None:
        await blocked.wait()

    async def note(name: str) -> None:
        ran.append(name)

    await processor.do_process_update(text_update(5, "first"), held())
    await settle(processor)
    flood = MAX_WAITING + RISKY_ALLOWANCE + 200
    for n in range(flood):
        await processor.do_process_update(
            text_update(5, f"I want to kill myself {n}"), note(f"risky {n}")
        )
    assert processor.dropped == flood - MAX_WAITING - RISKY_ALLOWANCE
    await processor.do_process_update(text_update(6, "hello"), note("another chat"))
    await settle(processor)
    assert "another chat" in ran

    blocked.set()
    await processor.shutdown()
    kept = [name for name in ran if name.startswith("risky")]
    assert kept == [f"risky {n}" for n in range(MAX_WAITING + RISKY_ALLOWANCE)]
