"""WhatsApp under load: simulated people answering at once through signed webhooks, beside
the Telegram figures of benchmarks/bot.py and the web chat's of benchmarks/web.py.

Run: .venv/bin/python -m benchmarks.whatsapp [--people 50] [--rounds 10]
The real `exit-interviews run` (Telegram against the fake Bot API, for staff; WhatsApp
against the fake Cloud API) runs on core 1 and the load on core 0 where `taskset` exists.
Each person sends their start code, says yes, then taps the first answer of each new
question (or types "skip" at a free-text one); latency is from the signed post leaving to
the next question arriving at the fake Cloud API.
"""

from __future__ import annotations

import argparse
import asyncio
import os
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
from tests.fake_telegram import TOKEN as TELEGRAM_TOKEN
from tests.fake_telegram import FakeBotApi
from tests.fake_whatsapp import (
    APP_SECRET,
    BUSINESS_NUMBER,
    PHONE_NUMBER_ID,
    TOKEN,
    VERIFY_TOKEN,
    FakeCloudApi,
    SentMessage,
)


async def wait_until_up(url: str, process: asyncio.subprocess.Process) -> None:
    """Wait until the webhook answers Meta's handshake."""
    query = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "1"}
    async with aiohttp.ClientSession() as session:
        for _ in range(400):
            if process.returncode is not None:
                raise RuntimeError("the bot stopped before WhatsApp started")
            try:
                async with session.get(url, params=query) as response:
                    if response.status == 200:
                        return
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.05)
    raise RuntimeError("WhatsApp did not start")


async def next_question(cloud: FakeCloudApi, number: str, seen: int) -> SentMessage:
    """The first message with buttons or rows sent to `number` after the first `seen`."""
    while True:
        found = [m for m in cloud.sent[number][seen:] if m.choices]
        if found:
            return found[-1]
        await asyncio.sleep(0.005)


async def person(
    cloud: FakeCloudApi, number: str, token: str, rounds: int, latencies: list[float]
) -> None:
    await cloud.write(number, f"START-{token}")
    prompt = await next_question(cloud, number, 0)
    seen = len(cloud.sent[number])
    await cloud.tap(number, "Yes")
    prompt = await next_question(cloud, number, seen)
    for _ in range(rounds):
        seen = len(cloud.sent[number])
        started = time.perf_counter()
        answers = [c for c in prompt.choices if c[0].startswith("a|")]
        if answers:
            await cloud.tap(number, answers[0][1])
        else:
            await cloud.write(number, "skip")
        prompt = await next_question(cloud, number, seen)
        latencies.append(time.perf_counter() - started)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=10)
    options = parser.parse_args()
    if pinned():
        os.sched_setaffinity(0, {LOAD_CORE})
    telegram = await FakeBotApi().start()
    cloud = await FakeCloudApi(lambda: datetime.now(UTC)).start()
    with tempfile.TemporaryDirectory() as folder:
        key = new_key()
        database = Path(folder) / "whatsapp.sqlite3"
        storage = await Storage.open(database, Cipher(key))
        flow = load_flows()["children-home"]
        tokens = [t for _, t in await invite_many(storage, flow, options.people, datetime.now(UTC))]
        await storage.close()
        port = free_port()
        cloud.webhook_url = f"http://127.0.0.1:{port}/whatsapp/webhook"
        process = await start_process(
            ["-m", "bot", "run"],
            {
                "EXIT_DATABASE": str(database),
                "EXIT_DATA_KEY": key,
                "EXIT_LOG_LEVEL": "WARNING",
                "EXIT_TELEGRAM_TOKEN": TELEGRAM_TOKEN,
                "EXIT_TELEGRAM_BASE_URL": telegram.base_url,
                "EXIT_WHATSAPP_TOKEN": TOKEN,
                "EXIT_WHATSAPP_PHONE_NUMBER_ID": PHONE_NUMBER_ID,
                "EXIT_WHATSAPP_APP_SECRET": APP_SECRET,
                "EXIT_WHATSAPP_VERIFY_TOKEN": VERIFY_TOKEN,
                "EXIT_WHATSAPP_BUSINESS_NUMBER": BUSINESS_NUMBER,
                "EXIT_WHATSAPP_API_URL": cloud.base_url,
                "EXIT_WHATSAPP_PORT": str(port),
            },
        )
        latencies: list[float] = []
        try:
            await wait_until_up(cloud.webhook_url, process)
            cpu_at_start = cpu_seconds(process.pid)
            started = time.perf_counter()
            await asyncio.gather(
                *(
                    person(cloud, f"4477009{n:05d}", token, options.rounds, latencies)
                    for n, token in enumerate(tokens)
                )
            )
            elapsed = time.perf_counter() - started
            cpu = cpu_seconds(process.pid) - cpu_at_start
        finally:
            await stop_process(process)
            await cloud.stop()
            await telegram.stop()
    sends = sum(len(messages) for messages in cloud.sent.values())
    inputs = options.people * (options.rounds + 2)
    rows = [
        (
            "answers a second (a signed post to the next question)",
            f"{len(latencies) / elapsed:,.0f}",
        ),
        ("latency median", f"{percentile(latencies, 0.5) * 1e3:.0f} ms"),
        ("latency p99", f"{percentile(latencies, 0.99) * 1e3:.0f} ms"),
        ("server CPU per input", f"{cpu / inputs * 1e3:.1f} ms"),
        ("Cloud API sends per input", f"{sends / inputs:.1f}"),
        ("sends WhatsApp refused", str(len(cloud.refused))),
        ("server pinned to its own core", "yes" if pinned() else "no (no taskset)"),
    ]
    report(
        f"WhatsApp under load: {options.people} people answering at once, "
        f"{options.rounds + 2} inputs each",
        rows,
    )


if __name__ == "__main__":
    asyncio.run(main())
