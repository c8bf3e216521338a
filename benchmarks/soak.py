"""Soak: 1,000 people answering at once for minutes, against the real bot process.

Run: make soak   (or .venv/bin/python -m benchmarks.soak --people 1000 --seconds 180)
Reports replies per second, latency (median, p99), the bot's memory every 15 s (it should
be flat after warm-up), and any error line the bot logged; then the same people against a
bare echo bot. Telegram's 30-a-second limit is lifted (EXIT_TELEGRAM_MAX_RATE) for both,
so this measures the bots themselves; benchmarks/bot.py measures them under the limit.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.bot import percentile, start_process, stop_process
from benchmarks.common import invite_many, report
from flows import load_flows
from storage import Cipher, Storage, new_key
from tests.fake_telegram import TOKEN, FakeBotApi, Sent

MAX_RATE = "100000"
ROOT = Path(__file__).resolve().parents[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def next_tap(prompt: Sent) -> str | None:
    """Next, Done or Send if offered, else the first answer; None where the person types."""
    values = [
        (b["callback_data"].rsplit("|", 1)[1], b["callback_data"])
        for row in prompt.buttons
        for b in row
    ]
    for value, data in values:
        if value in {"_next", "_done", "confirm"}:
            return data
    return next((data for value, data in values if not value.startswith("_")), None)


async def soak_ours(
    api: FakeBotApi, people: int, seconds: float, folder: Path, errors_log: Path
) -> tuple[list[float], list[float], float]:
    key = new_key()
    database = folder / "soak.sqlite3"
    flow = load_flows()["children-home"]
    storage = await Storage.open(database, Cipher(key))
    tokens = [token for _, token in await invite_many(storage, flow, people * 3, datetime.now(UTC))]
    await storage.close()
    with errors_log.open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "bot",
            "run",
            cwd=ROOT,
            env=soak_env(database, key, api),
            stdout=asyncio.subprocess.DEVNULL,
            stderr=log,
        )
    latencies: list[float] = []
    memory: list[float] = []
    deadline = time.monotonic() + seconds
    spare = iter(range(people, people * 3))

    async def person(chat: int, token: str) -> None:
        while time.monotonic() < deadline:
            api.message(chat, f"/start {token}")
            seen = 0
            while time.monotonic() < deadline:
                prompt = await api.next_message(chat, seen, with_buttons=True, timeout=120)
                seen = len(api.sent[chat])
                data = next_tap(prompt)
                started = time.perf_counter()
                if data is None:
                    api.message(chat, "It was fine, mostly.")
                else:
                    api.press(chat, data, prompt)
                if data is not None and data.endswith("|confirm"):
                    break
                await api.next_message(chat, seen, with_buttons=True, timeout=120)
                latencies.append(time.perf_counter() - started)
            token = tokens[next(spare)]
            chat += 1_000_000

    async def watch() -> None:
        while time.monotonic() < deadline:
            memory.append(rss_mb(process.pid))
            await asyncio.sleep(15)

    start = time.perf_counter()
    try:
        await asyncio.gather(watch(), *(person(200_000 + n, tokens[n]) for n in range(people)))
    finally:
        await stop_process(process)
    return latencies, memory, time.perf_counter() - start


def soak_env(database: Path, key: str, api: FakeBotApi) -> dict[str, str]:
    return {
        **os.environ,
        "EXIT_DATABASE": str(database),
        "EXIT_DATA_KEY": key,
        "EXIT_TELEGRAM_TOKEN": TOKEN,
        "EXIT_TELEGRAM_BASE_URL": api.base_url,
        "EXIT_TELEGRAM_MAX_RATE": MAX_RATE,
        "EXIT_LOG_LEVEL": "WARNING",
    }


async def soak_echo(api: FakeBotApi, people: int, seconds: float) -> tuple[list[float], float]:
    process = await start_process(
        ["-m", "benchmarks.echo_bot"],
        {"EXIT_TELEGRAM_TOKEN": TOKEN, "EXIT_TELEGRAM_BASE_URL": api.base_url},
    )
    latencies: list[float] = []
    deadline = time.monotonic() + seconds

    async def person(chat: int) -> None:
        count = 0
        while time.monotonic() < deadline:
            seen = len(api.sent[chat])
            started = time.perf_counter()
            api.message(chat, f"echo {count}")
            await api.next_message(chat, seen, timeout=120)
            latencies.append(time.perf_counter() - started)
            count += 1

    start = time.perf_counter()
    try:
        await asyncio.gather(*(person(400_000 + n) for n in range(people)))
    finally:
        await stop_process(process)
    return latencies, time.perf_counter() - start


def line(latencies: list[float], elapsed: float) -> str:
    return (
        f"{len(latencies) / elapsed:,.0f} replies/s; median "
        f"{statistics.median(latencies) * 1e3:.0f} ms, p99 "
        f"{percentile(latencies, 0.99) * 1e3:.0f} ms ({len(latencies):,} replies)"
    )


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=180)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        api = await FakeBotApi().start()
        try:
            errors_log = Path(folder) / "bot.log"
            ours, memory, ours_time = await soak_ours(
                api, options.people, options.seconds, Path(folder), errors_log
            )
            problems = [
                text
                for text in errors_log.read_text().splitlines()
                if "ERROR" in text or "handler_error" in text or "Traceback" in text
            ]
        finally:
            await api.stop()
    api = await FakeBotApi().start()
    try:
        echo, echo_time = await soak_echo(api, options.people, options.seconds)
    finally:
        await api.stop()
    rows = [
        ("exit-interviews", line(ours, ours_time)),
        ("bare echo bot", line(echo, echo_time)),
        (
            "median latency ratio, ours / echo",
            f"{statistics.median(ours) / statistics.median(echo):.1f}x",
        ),
        ("bot memory every 15 s (MB)", ", ".join(f"{m:.0f}" for m in memory)),
        ("error lines logged by the bot", str(len(problems))),
    ]
    report(f"Soak: {options.people} people for {options.seconds:.0f} s", rows)
    for problem in problems[:5]:
        print("   ", problem)


if __name__ == "__main__":
    asyncio.run(main())
