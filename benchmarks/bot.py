"""The real bot process under load, beside a bare echo bot, through the fake Bot API server.

Run: .venv/bin/python -m benchmarks.bot [--people 1,10,50] [--rounds 30] [--repeat 3]
Each simulated person taps an answer the moment the next question arrives (no pause, unless
--think says otherwise); latency is from the update being available to the bot until the
reply arrives at the fake server. The echo bot sends through the same HTTP client as ours
(--client httpx for the library's own). At each load the two bots run alternately, --repeat
times, so each ratio compares runs made minutes apart on the same machine. Telegram's
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


def profiler() -> list[str]:
    """BENCH_PROFILE=out.txt runs our bot under pyinstrument (a dev tool: pip install
    pyinstrument into .venv), out.prof under cProfile; unset, no profiler."""
    profile = os.environ.get("BENCH_PROFILE")
    if not profile:
        return []
    if profile.endswith(".prof"):
        return ["-m", "cProfile", "-o", profile]
    return ["-m", "pyinstrument", "-o", profile, "-r", "text", "--show-all"]


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
    process = await start_process(
        [*profiler(), "-m", "bot", "run"],
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


@dataclass
class Run:
    """One bot's run at one load: its latencies and its window."""

    latencies: list[float]
    window: Window

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1e3

    @property
    def p99_ms(self) -> float:
        return percentile(self.latencies, 0.99) * 1e3

    @property
    def rate(self) -> float:
        return self.window.inputs / self.window.seconds

    @property
    def cpu_ms(self) -> float:
        return self.window.cpu / self.window.inputs * 1e3


async def ours_at(people: int, rounds: int, think: float) -> Run:
    window = Window()
    with tempfile.TemporaryDirectory() as folder:
        latencies = await measure(
            lambda api: our_bot(api, people, rounds, Path(folder), window, think), "ours"
        )
    return Run(latencies, window)


async def echo_at(people: int, rounds: int, think: float, client: str) -> Run:
    window = Window()
    latencies = await measure(
        lambda api: echo_bot(api, people, rounds, window, think, client), f"echo {client}"
    )
    return Run(latencies, window)


def ratio_row(people: int, think: float, pairs: list[tuple[Run, Run]]) -> list[tuple[str, str]]:
    """Ours against the echo bot, measured in the same run, one figure per repeat."""

    def each(figure: Callable[[Run, Run], float]) -> str:
        return " / ".join(f"{figure(ours, echo):.2f}" for ours, echo in pairs)

    def both(name: str, figure: Callable[[Run], float]) -> str:
        return " / ".join(f"{figure(o):.1f} vs {figure(e):.1f}" for o, e in pairs) + f" {name}"

    pause = "no pause" if think == 0 else f"a tap every {think:g} s"
    who = f"{people} {'person' if people == 1 else 'people'}, {pause}"
    return [
        (f"{who}: median ms, ours vs echo", both("ms", lambda r: r.median_ms)),
        (f"{who}: median ratio (target <= 2)", each(lambda o, e: o.median_ms / e.median_ms)),
        (f"{who}: p99 ms, ours vs echo", both("ms", lambda r: r.p99_ms)),
        (f"{who}: p99 ratio (target <= 2 at 50)", each(lambda o, e: o.p99_ms / e.p99_ms)),
        (f"{who}: replies/s, ours vs echo", both("/s", lambda r: r.rate)),
        (f"{who}: throughput ratio (target >= 0.5)", each(lambda o, e: o.rate / e.rate)),
        (f"{who}: CPU ms a reply, ours vs echo", both("ms", lambda r: r.cpu_ms)),
        (f"{who}: CPU ratio (target <= 2)", each(lambda o, e: o.cpu_ms / e.cpu_ms)),
    ]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--people", default="1,10,50", help="loads to run, e.g. 1,10,50")
    parser.add_argument("--rounds", type=int, default=30, help="answers each person gives")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each bot at each load")
    parser.add_argument("--think", type=float, default=0.0, help="seconds before each tap")
    parser.add_argument(
        "--client",
        default="aiohttp",
        choices=["aiohttp", "httpx"],
        help="the echo bot's HTTP client: ours (like for like) or the library's own",
    )
    options = parser.parse_args()
    if pinned():
        os.sched_setaffinity(0, {LOAD_CORE})
    rows: list[tuple[str, str]] = []
    calls: list[tuple[str, str]] = []
    for people in [int(n) for n in options.people.split(",")]:
        pairs: list[tuple[Run, Run]] = []
        for _ in range(options.repeat):
            # Alternate the bots, so that a noisy neighbour on the machine hits both alike.
            ours = await ours_at(people, options.rounds, options.think)
            echo = await echo_at(people, options.rounds, options.think, options.client)
            pairs.append((ours, echo))
        rows += ratio_row(people, options.think, pairs)
        ours, echo = pairs[-1]
        calls.append(
            (f"{people}: Bot API calls a reply, ours", per_reply("ours", ours.window.inputs))
        )
        calls.append(
            (
                f"{people}: Bot API calls a reply, echo",
                per_reply(f"echo {options.client}", echo.window.inputs),
            )
        )
    rows += calls
    rows.append(("bots pinned to one core, load on the other", "yes" if pinned() else "no"))
    report(
        f"exit-interviews against the echo bot on the {options.client} client, same fake Bot "
        f"API, {options.rounds} answers each, {options.repeat} runs each (run by run)",
        rows,
    )


if __name__ == "__main__":
    asyncio.run(main())
