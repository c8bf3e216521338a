"""When Telegram misbehaves (429, 500, 502, slow answers, dropped connections) nothing is
lost, each person gets every message once and in order, and the bot does not busy-loop."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

from tests.conftest import FakeClock
from tests.e2e.conftest import RunningBot, make_settings, outbox_drained
from tests.fake_telegram import FakeBotApi, Sent

PEOPLE = 6


async def answer_everything(api: FakeBotApi, chat: int, token: str) -> None:
    """Tap through the every-kind flow, waiting for each prompt however long it takes."""
    api.message(chat, f"/start {token}")
    steps = [
        ("press", "yes"),
        ("press", "yes"),
        ("press", "me"),
        ("press", "_done"),
        ("press", "2"),
        ("text", f"fine, says {chat}"),
        ("press", "_next"),
        ("press", "confirm"),
    ]
    seen = 0
    for kind, value in steps:
        prompt = await api.next_message(chat, seen, with_buttons=True, timeout=60)
        seen = api.sent[chat].index(prompt) + 1
        if kind == "text":
            api.message(chat, value)
            continue
        data = next(
            b["callback_data"]
            for row in prompt.buttons
            for b in row
            if b["callback_data"].endswith(f"|{value}")
        )
        api.press(chat, data, prompt)
    await api.wait_for(lambda: any(m.first_text == "Thank you." for m in api.sent[chat]), 60)


def received(api: FakeBotApi, chat: int) -> list[str]:
    return [m.first_text for m in api.sent[chat]]


async def test_faults_lose_nothing_and_repeat_nothing(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock
) -> None:
    """A timed-out call here is one the server dropped after the client gave up (after 1 s)."""
    bot = (
        await RunningBot(
            make_settings(tmp_path, api, key, telegram_read_timeout=1.0), clock
        ).start()
    ).watch(api)
    try:
        await _faults_lose_nothing(bot, api)
    finally:
        await bot.stop()


async def _faults_lose_nothing(bot: RunningBot, api: FakeBotApi) -> None:
    invitations = [await bot.invite(name=f"P{n}") for n in range(PEOPLE)]
    api.faults.rate = 0.3
    await asyncio.gather(
        *(answer_everything(api, 60_000 + n, token) for n, (_, token) in enumerate(invitations))
    )
    api.faults.rate = 0.0
    await api.wait_until_idle()
    assert {"429", "500", "502", "slow", "drop", "timeout"} <= set(api.faults_served)
    for n, (interview_id, _) in enumerate(invitations):
        record = await bot.app.storage.transcripts.load(interview_id)
        assert record.interview.status == "completed"
        assert record.answers["q_text"] == f"fine, says {60_000 + n}"
        sent_by_bot = [line.text for line in record.lines if line.direction == "out"]
        assert received(api, 60_000 + n) == sent_by_bot, "every message once, in order"
    assert await outbox_drained(bot.app), "every reply delivered and forgotten"


async def test_an_outage_is_retried_with_backoff_not_a_busy_loop(
    bot: RunningBot, api: FakeBotApi
) -> None:
    _, token = await bot.invite()
    api.faults.rate = 1.0
    api.faults.kinds = ("500",)
    api.faults.methods = frozenset({"sendMessage"})
    api.message(60_100, f"/start {token}")
    await api.wait_for(lambda: "500" in api.faults_served)
    started = time.monotonic()
    await asyncio.sleep(4)
    attempts = sum(1 for method, at in api.calls if method == "sendMessage" and at >= started)
    assert attempts <= 6, f"{attempts} attempts in 4 s during an outage"
    api.faults.rate = 0.0
    prompt: Sent = await api.next_message(60_100, 0, with_buttons=True, timeout=90)
    assert "Do you want to start?" in prompt.text
    assert received(api, 60_100)[0].startswith("The person who checks your care plan will read")
