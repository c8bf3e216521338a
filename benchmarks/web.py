"""The web chat under load: simulated people answering at once through real HTTP, beside
the Telegram figures of benchmarks/bot.py.

Run: .venv/bin/python -m benchmarks.web [--people 200] [--rounds 10]
Each person opens their link (token exchanged for a cookie), then taps an answer and loads
the next question, over and over; latency is from the form's submission to the next page
arriving (the POST, its redirect and the GET). The server (`exit-interviews web`) runs on
core 1 and the load on core 0 where `taskset` exists.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import re
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import aiohttp

from benchmarks.bot import LOAD_CORE, cpu_seconds, percentile, pinned, start_process, stop_process
from benchmarks.common import invite_many, report
from flows import load_flows
from storage import Cipher, Storage, new_key
from tests.e2e.conftest import free_port

START = re.compile(r'name="start" value="([^"]+)"')
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
BUTTON = re.compile(
    r'name="prompt" value="(\d*)">\s*<div class="row">\s*'
    r'<button type="submit" name="value" value="([^"_][^"]*)"'
)


async def wait_until_up(base: str) -> None:
    async with aiohttp.ClientSession() as session:
        for _ in range(200):
            try:
                async with session.get(base + "/") as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("the web chat did not start")


async def person(base: str, token: str, rounds: int, latencies: list[float]) -> None:
    jar = aiohttp.CookieJar(unsafe=True)
    async with aiohttp.ClientSession(cookie_jar=jar) as session:
        async with session.get(f"{base}/i/{token}") as response:
            start = START.search(await response.text())
        if start is None:
            raise RuntimeError("the link showed no Start button")
        async with session.post(f"{base}/i/{token}", data={"start": start.group(1)}) as response:
            page = await response.text()
        for _ in range(rounds + 1):
            csrf = CSRF.search(page)
            button = BUTTON.search(page)
            prompt, value = (button.group(1), button.group(2)) if button else ("", "_skip")
            if csrf is None:
                raise RuntimeError("no form on the page")
            started = time.perf_counter()
            async with session.post(
                f"{base}/answer", data={"csrf": csrf.group(1), "prompt": prompt, "value": value}
            ) as response:
                page = await response.text()
            latencies.append(time.perf_counter() - started)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=10)
    options = parser.parse_args()
    if pinned():
        os.sched_setaffinity(0, {LOAD_CORE})
    with tempfile.TemporaryDirectory() as folder:
        key = new_key()
        database = Path(folder) / "web.sqlite3"
        storage = await Storage.open(database, Cipher(key))
        flow = load_flows()["children-home"]
        tokens = [t for _, t in await invite_many(storage, flow, options.people, datetime.now(UTC))]
        await storage.close()
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        process = await start_process(
            ["-m", "bot", "web", "--port", str(port)],
            {
                "EXIT_DATABASE": str(database),
                "EXIT_DATA_KEY": key,
                "EXIT_LOG_LEVEL": "WARNING",
                "EXIT_WEB_INPUTS_PER_MINUTE": "100000",
            },
        )
        latencies: list[float] = []
        try:
            await wait_until_up(base)
            cpu_at_start = cpu_seconds(process.pid)
            started = time.perf_counter()
            await asyncio.gather(
                *(person(base, token, options.rounds, latencies) for token in tokens)
            )
            elapsed = time.perf_counter() - started
            cpu = cpu_seconds(process.pid) - cpu_at_start
        finally:
            await stop_process(process)
    rows = [
        (
            "answers a second (each a POST, a redirect and the next page)",
            f"{len(latencies) / elapsed:,.0f}",
        ),
        ("latency median", f"{percentile(latencies, 0.5) * 1e3:.0f} ms"),
        ("latency p99", f"{percentile(latencies, 0.99) * 1e3:.0f} ms"),
        ("server CPU per answer", f"{cpu / len(latencies) * 1e3:.1f} ms"),
        ("server pinned to its own core", "yes" if pinned() else "no (no taskset)"),
    ]
    report(
        f"Web chat under load: {options.people} people answering at once, "
        f"{options.rounds + 1} answers each",
        rows,
    )


if __name__ == "__main__":
    asyncio.run(main())
