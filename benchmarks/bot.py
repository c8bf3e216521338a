"""The real bot process under load, beside a bare echo bot, through the fake Bot API server.

Run: .venv/bin/python -m benchmarks.bot [--people 200] [--rounds 10]
Each simulated person taps an answer and waits for the next question; latency is from the
update being available to the bot until the reply arrives at the fake server.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import invite_many, report
from flows import load_flows
from storage import Cipher, Storage, new_key
from tests.fake_telegram import TOKEN, FakeBotApi

ROOT = Path(__file__).resolve().parents[1]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


async def start_process(args: list[str], env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(
        sys.executable,
        *args,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


async def stop_process(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), timeout=20)
    except TimeoutError:
        process.kill()
        await process.wait()


async def our_bot(api: FakeBotApi, people: int, rounds: int, folder: Path) -> list[float]:
    key = new_key()
    database = folder / "bot.sqlite3"
    flow = load_flows()["children-home"]
    storage = await Storage.open(database, Cipher(key))
    tokens = [token for _, token in await invite_many(storage, flow, people, datetime.now(UTC))]
    await storage.close()
    process = await start_process(
        ["-m", "bot", "run"],
        {
            "EXIT_DATABASE": str(database),
            "EXIT_DATA_KEY": key,
            "EXIT_TELEGRAM_TOKEN": TOKEN,
            "EXIT_TELEGRAM_BASE_URL": api.base_url,
            "EXIT_LOG_LEVEL": "WARNING",
        },
    )
    latencies: list[float] = []

    async def person(n: int) -> None:
        chat = 50_000 + n
        api.message(chat, f"/start {tokens[n]}")
        await api.next_message(chat, 0, with_buttons=True)
        api.tap(chat, "Yes, let's start")
        for _ in range(rounds):
            await api.next_message(chat, len(api.sent[chat]) - 1, with_buttons=True)
            seen = len(api.sent[chat])
            started = time.perf_counter()
            prompt = api.last_with_buttons(chat)
            api.press(chat, prompt.buttons[0][0]["callback_data"], prompt)
            await api.next_message(chat, seen, with_buttons=True)
            latencies.append(time.perf_counter() - started)

    try:
        await asyncio.gather(*(person(n) for n in range(people)))
    finally:
        await stop_process(process)
    return latencies


async def echo_bot(api: FakeBotApi, people: int, rounds: int, limiter: bool) -> list[float]:
    process = await start_process(
        ["-m", "benchmarks.echo_bot"],
        {
            "EXIT_TELEGRAM_TOKEN": TOKEN,
            "EXIT_TELEGRAM_BASE_URL": api.base_url,
            "ECHO_RATE_LIMITER": "1" if limiter else "0",
        },
    )
    latencies: list[float] = []

    async def person(n: int) -> None:
        chat = 90_000 + n + (people if limiter else 0)
        for round_number in range(rounds + 1):
            seen = len(api.sent[chat])
            started = time.perf_counter()
            api.message(chat, f"echo {round_number}")
            await api.next_message(chat, seen)
            if round_number:
                latencies.append(time.perf_counter() - started)

    try:
        await asyncio.gather(*(person(n) for n in range(people)))
    finally:
        await stop_process(process)
    return latencies


def summary(latencies: list[float], elapsed: float) -> str:
    return (
        f"{len(latencies) / elapsed:,.0f} replies/s; latency median "
        f"{statistics.median(latencies) * 1e3:.0f} ms, p99 {percentile(latencies, 0.99) * 1e3:.0f} ms"
    )


async def fresh_server() -> FakeBotApi:
    """Each bot gets its own fake server, so none starts with another's unread updates."""
    return await FakeBotApi().start()


async def measure(run: Callable[[FakeBotApi], Awaitable[list[float]]]) -> tuple[list[float], float]:
    api = await fresh_server()
    try:
        start = time.perf_counter()
        latencies = await run(api)
        return latencies, time.perf_counter() - start
    finally:
        await api.stop()


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    options = parser.parse_args()
    people, rounds = options.people, options.rounds
    with tempfile.TemporaryDirectory() as folder:
        ours, ours_time = await measure(lambda api: our_bot(api, people, rounds, Path(folder)))
    bare, bare_time = await measure(lambda api: echo_bot(api, people, rounds, limiter=False))
    limited, limited_time = await measure(lambda api: echo_bot(api, people, rounds, limiter=True))
    rows = [
        ("exit-interviews (process, durable commits)", summary(ours, ours_time)),
        ("bare echo bot, no rate limiter", summary(bare, bare_time)),
        ("bare echo bot, same rate limiter", summary(limited, limited_time)),
        (
            "median latency ratio, ours / bare echo",
            f"{statistics.median(ours) / statistics.median(bare):.1f}x",
        ),
        (
            "median latency ratio, ours / rate-limited echo",
            f"{statistics.median(ours) / statistics.median(limited):.1f}x",
        ),
    ]
    report(f"Bot under load: {people} people answering at once, {rounds} answers each", rows)


if __name__ == "__main__":
    asyncio.run(main())
