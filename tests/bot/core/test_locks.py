"""Per-key locks keep each chat's updates in order and are forgotten when idle."""

from __future__ import annotations

import asyncio

from bot.core.locks import KeyedLocks


async def test_one_key_at_a_time_in_arrival_order_and_forgotten_after() -> None:
    locks = KeyedLocks()
    order: list[int] = []

    async def work(n: int) -> None:
        async with locks.hold("chat"):
            await asyncio.sleep(0.01 * (5 - n))
            order.append(n)

    await asyncio.gather(*(work(n) for n in range(5)))
    assert order == [0, 1, 2, 3, 4]
    assert len(locks) == 0


async def test_different_keys_run_at_once() -> None:
    locks = KeyedLocks()
    started = asyncio.Event()

    async def first() -> None:
        async with locks.hold(1):
            started.set()
            await asyncio.sleep(0.2)

    async def second() -> float:
        await started.wait()
        loop = asyncio.get_running_loop()
        begin = loop.time()
        async with locks.hold(2):
            return loop.time() - begin

    _, waited = await asyncio.gather(first(), second())
    assert waited < 0.1
