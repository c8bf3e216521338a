"""The real bot process under load, beside a bare echo bot, through the fake Bot API server.

Run: .venv/bin/python -m benchmarks.bot [--people 200] [--rounds 10]
Each simulated person taps an answer and waits for the next question; latency is from the
update being available to the bot until the reply arrives at the fake server. Telegram's
30-a-second limit is lifted for both bots. Where `taskset` exists, each bot runs on core 1
and the load (this process and the fake server) on core 0, so they do not share a core.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
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


BOT_CORE = "1"
LOAD_CORE = 0


def pinned() -> list[str]:
    """The prefix that runs a bot on its own core, if the machine can."""
    if shutil.which("taskset") and (os.cpu_count() or 1) > 1:
        return ["taskset", "-c", BOT_CORE]
    return []


def cpu_seconds(pid: int) -> float:
    """User and system CPU a process has used so far (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def start_process(args: list[str], env: dict[str, str]) -> asyncio.subprocess.Process:
    prefix = pinned()
    return await asyncio.create_subprocess_exec(
        *(prefix or [sys.executable]),
        *([sys.executable] if prefix else []),
        *args,
        cwd=ROOT,
        env={**os.environ, **env},
        stdout=asyncio.subprocess.DEVNULL,
        stderr=asyncio.subprocess.DEVNULL,
    )


@dataclass
class Window:
    """The stretch of a run under load: from the bot's first poll for updates (its start-up,
    imports and the benchmark's own set-up left out, for both bots alike) until the last
    reply, with the CPU the bot process spent in it and the inputs it answered."""

    inputs: int = 0
    started: float = 0.0
    cpu_at_start: float = 0.0
    seconds: float = 0.0
    cpu: float = 0.0

    async def open(self, api: FakeBotApi, process: asyncio.subprocess.Process) -> None:
        """Wait until the bot is polling, then start the clock and the CPU count."""
        while not any(method == "getUpdates" for method, _ in api.calls):
            if process.returncode is not None:
                raise RuntimeError("the bot stopped before it began polling")
            await asyncio.sleep(0.01)
        self.cpu_at_start = cpu_seconds(process.pid)
        self.started = time.perf_counter()

    def close(self, process: asyncio.subprocess.Process) -> None:
        self.seconds = time.perf_counter() - self.started
        self.cpu = cpu_seconds(process.pid) - self.cpu_at_start


async def stop_process(process: asyncio.subprocess.Process) -> None:
    """Stop the bot."""
    process.send_signal(signal.SIGTERM)
    try:
        await asyncio.wait_for(process.wait(), timeout=20)
    except TimeoutError:
        process.kill()
        await process.wait()


async def our_bot(
    api: FakeBotApi,
    people: int,
    rounds: int,
    folder: Path,
    window: Window,
    think_seconds: float = 0.0,
) -> list[float]:
    """Latencies of `people` answering at once; each waits `think_seconds` before a tap."""
    key = new_key()
    database = folder / "bot.sqlite3"
    flow = load_flows()["children-home"]
    storage = await Storage.open(database, Cipher(key))
    tokens = [token for _, token in await invite_many(storage, flow, people, datetime.now(UTC))]
    await storage.close()
    profile = os.environ.get("BENCH_PROFILE")
    process = await start_process(
        ["-m", "cProfile", "-o", profile, "-m", "bot", "run"] if profile else ["-m", "bot", "run"],
        {
            "EXIT_DATABASE": str(database),
            "EXIT_DATA_KEY": key,
            "EXIT_TELEGRAM_TOKEN": TOKEN,
            "EXIT_TELEGRAM_BASE_URL": api.base_url,
            "EXIT_LOG_LEVEL": "WARNING",
            "EXIT_TELEGRAM_MAX_RATE": "1000000",
        },
    )
    latencies: list[float] = []
    await window.open(api, process)
    window.inputs = people * (rounds + 2)

    async def person(n: int) -> None:
        """Opens the link, says yes, then answers: each tap on the newest question, once
        its reply has come, as a person reading the chat does (a tap on a question already
        answered would be refused as out of date, which is not what is being measured)."""
        chat = 50_000 + n
        api.message(chat, f"/start {tokens[n]}")
        prompt = await api.next_message(chat, 0, with_buttons=True)
        seen = len(api.sent[chat])
        api.press(chat, prompt.button_data("Yes, let's start"), prompt)
        prompt = await api.next_message(chat, seen, with_buttons=True)
        for _ in range(rounds):
            await asyncio.sleep(think_seconds)
            seen = len(api.sent[chat])
            started = time.perf_counter()
            api.press(chat, prompt.buttons[0][0]["callback_data"], prompt)
            prompt = await api.next_message(chat, seen, with_buttons=True)
            latencies.append(time.perf_counter() - started)

    try:
        await asyncio.gather(*(person(n) for n in range(people)))
        window.close(process)
    finally:
        await stop_process(process)
    return latencies


async def echo_bot(
    api: FakeBotApi,
    people: int,
    rounds: int,
    window: Window,
    think_seconds: float = 0.0,
    client: str = "httpx",
) -> list[float]:
    process = await start_process(
        ["-m", "benchmarks.echo_bot"],
        {
            "EXIT_TELEGRAM_TOKEN": TOKEN,
            "EXIT_TELEGRAM_BASE_URL": api.base_url,
            "ECHO_RATE_LIMITER": "0",
            "ECHO_CLIENT": client,
        },
    )
    latencies: list[float] = []
    await window.open(api, process)
    window.inputs = people * (rounds + 1)

    async def person(n: int) -> None:
        chat = 90_000 + n
        for round_number in range(rounds + 1):
            await asyncio.sleep(think_seconds if round_number else 0.0)
            seen = len(api.sent[chat])
            started = time.perf_counter()
            api.message(chat, f"echo {round_number}")
            await api.next_message(chat, seen)
            if round_number:
                latencies.append(time.perf_counter() - started)

    try:
        await asyncio.gather(*(person(n) for n in range(people)))
        window.close(process)
    finally:
        await stop_process(process)
    return latencies


def summary(latencies: list[float], window: Window) -> str:
    return (
        f"{window.inputs / window.seconds:,.0f} replies/s; latency median "
        f"{statistics.median(latencies) * 1e3:.0f} ms, p99 {percentile(latencies, 0.99) * 1e3:.0f} ms"
    )


CALLS: dict[str, Counter[str]] = {}
"""Bot API calls each run made, by method (getUpdates aside), to count calls per reply."""


async def measure(run: Callable[[FakeBotApi], Awaitable[list[float]]], name: str) -> list[float]:
    """Run one bot against a fresh fake server (so none starts with another's unread
    updates), noting the calls it made."""
    api = await FakeBotApi().start()
    try:
        latencies = await run(api)
        CALLS[name] = Counter(method for method, _ in api.calls if method != "getUpdates")
        return latencies
    finally:
        await api.stop()


def per_reply(name: str, replies: int) -> str:
    calls = CALLS[name]
    each = ", ".join(f"{method} {count / replies:.2f}" for method, count in calls.most_common())
    return f"{sum(calls.values()) / replies:.2f} ({each})"


def median_ms(latencies: list[float]) -> str:
    return f"{statistics.median(latencies) * 1e3:.1f} ms"


def cpu_ms(window: Window) -> float:
    return window.cpu / window.inputs * 1e3


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    options = parser.parse_args()
    people, rounds = options.people, options.rounds
    if pinned():
        os.sched_setaffinity(0, {LOAD_CORE})
    ours_window, bare_window, alone_window, echo_alone_window, same_window = (
        Window() for _ in range(5)
    )
    with tempfile.TemporaryDirectory() as folder:
        ours = await measure(
            lambda api: our_bot(api, people, rounds, Path(folder), ours_window), "ours"
        )
    bare = await measure(lambda api: echo_bot(api, people, rounds, bare_window), "echo")
    same = await measure(
        lambda api: echo_bot(api, people, rounds, same_window, client="aiohttp"), "echo, aiohttp"
    )
    with tempfile.TemporaryDirectory() as folder:
        alone = await measure(
            lambda api: our_bot(api, 1, 30, Path(folder), alone_window, think_seconds=0.6),
            "alone",
        )
    echo_alone = await measure(
        lambda api: echo_bot(api, 1, 30, echo_alone_window, think_seconds=0.6), "echo alone"
    )
    ours_rate = ours_window.inputs / ours_window.seconds
    bare_rate = bare_window.inputs / bare_window.seconds
    rows = [
        ("exit-interviews (process, durable commits)", summary(ours, ours_window)),
        ("bare echo bot, no rate limiter", summary(bare, bare_window)),
        ("echo bot through our HTTP client (aiohttp)", summary(same, same_window)),
        ("throughput ratio, ours / echo (target >= 0.5)", f"{ours_rate / bare_rate:.2f}"),
        (
            "p99 latency ratio, ours / echo (target <= 2)",
            f"{percentile(ours, 0.99) / percentile(bare, 0.99):.2f}",
        ),
        (
            "bot CPU per reply, ours / echo (target <= 2)",
            f"{cpu_ms(ours_window):.1f} ms / {cpu_ms(bare_window):.1f} ms = "
            f"{cpu_ms(ours_window) / cpu_ms(bare_window):.2f}",
        ),
        (
            "like for like, against the echo bot on our HTTP client: throughput, p99, CPU",
            f"{ours_rate / (same_window.inputs / same_window.seconds):.2f}, "
            f"{percentile(ours, 0.99) / percentile(same, 0.99):.2f}, "
            f"{cpu_ms(ours_window) / cpu_ms(same_window):.2f} "
            f"({cpu_ms(same_window):.1f} ms per reply)",
        ),
        (
            "one person alone, tapping every 0.6 s: median press to next question",
            f"{median_ms(alone)} (CPU {cpu_ms(alone_window):.1f} ms per reply)",
        ),
        (
            "the echo bot alone, the same way: median message to echo",
            f"{median_ms(echo_alone)} (CPU {cpu_ms(echo_alone_window):.1f} ms per reply)",
        ),
        ("Bot API calls per reply, ours", per_reply("ours", ours_window.inputs)),
        ("Bot API calls per reply, echo", per_reply("echo", bare_window.inputs)),
        ("bots pinned to their own core", "yes" if pinned() else "no (no taskset)"),
    ]
    report(f"Bot under load: {people} people answering at once, {rounds} answers each", rows)


if __name__ == "__main__":
    asyncio.run(main())
