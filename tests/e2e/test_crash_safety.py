"""The real `exit-interviews run` process, killed with SIGKILL again and again mid-interview.

Twenty people answer through the fake Bot API server while the bot is killed 50 times and
restarted each time. At the end every answer the bot acknowledged is stored exactly once,
every interview carries on from the right question to its end, and no reminder was sent
twice.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import yaml

from flows import load_flow
from storage import Actor, Cipher, Storage
from tests.fake_telegram import TOKEN, FakeBotApi, Sent
from tests.flows.helpers import FIXTURES

ROOT = Path(__file__).resolve().parents[2]
KILLS = 50
ACTIVE = 15
IDLE = 5
FIRST_REMINDER_HOURS = 0.002
LAST_REMINDER_HOURS = 0.004
SCHEDULER_INTERVAL_SECONDS = 0.2
SETTLE_SCHEDULER_ROUNDS = 5
ENDING = "Thank you."


def fast_reminder_flow(folder: Path) -> Path:
    data = yaml.safe_load((FIXTURES / "every-kind.yaml").read_text(encoding="utf-8"))
    data["timing"] = {
        "reminders_after_hours": [FIRST_REMINDER_HOURS, LAST_REMINDER_HOURS],
        "closes_after_hours": 1,
    }
    folder.mkdir()
    path = folder / "every-kind.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


class BotProcess:
    def __init__(self, env: dict[str, str], log: Path) -> None:
        self.env = env
        self.log = log
        self.process: asyncio.subprocess.Process | None = None
        self.starts = 0

    async def start(self) -> None:
        with self.log.open("ab") as log:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot",
                "run",
                cwd=ROOT,
                env={**os.environ, **self.env},
                stdout=asyncio.subprocess.DEVNULL,
                stderr=log,
            )
        self.starts += 1

    async def kill(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGKILL)
        await self.process.wait()

    async def stop(self) -> int:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        return await asyncio.wait_for(self.process.wait(), timeout=30)


def reminders_sent(database: Path, interview_ids: list[str]) -> list[int]:
    """How many reminders each interview has had, as the bot recorded them."""
    with sqlite3.connect(database) as db:
        return [
            db.execute(
                "SELECT COUNT(*) FROM events WHERE interview_id = ? AND type = 'reminder_sent'",
                (interview_id,),
            ).fetchone()[0]
            for interview_id in interview_ids
        ]


async def reminders_settled(database: Path, interview_ids: list[str]) -> None:
    """Until every idle person has had both reminders (the last is due LAST_REMINDER_HOURS
    after they consented), then a few more scheduler rounds, in which a reminder sent
    twice would show; never a fixed wait."""
    deadline = time.monotonic() + LAST_REMINDER_HOURS * 3600 + 60
    while any(n < 2 for n in reminders_sent(database, interview_ids)):
        if time.monotonic() > deadline:
            return  # the assertions below say which interview missed its reminders
        await asyncio.sleep(0.1)
    await asyncio.sleep(SETTLE_SCHEDULER_ROUNDS * SCHEDULER_INTERVAL_SECONDS)


def answer_for(prompt: Sent) -> str | None:
    """The callback data a cooperative person taps: the first answer, Done, Next or Send."""
    values = [
        (b["callback_data"].rsplit("|", 1)[1], b["callback_data"])
        for row in prompt.buttons
        for b in row
    ]
    for wanted in ("yes", "confirm", "_next", "_done"):
        for value, data in values:
            if value == wanted:
                return data
    answers = [data for value, data in values if not value.startswith("_")]
    return answers[0] if answers else None


class Person:
    """A cooperative person: answers every prompt; if the bot goes quiet (it was killed
    while holding their last tap), they tap again, as people do. Idle people consent and
    then say nothing more, so only reminders reach them."""

    PATIENCE_SECONDS = 6.0

    def __init__(self, api: FakeBotApi, chat: int, token: str, active: bool) -> None:
        self.api = api
        self.chat = chat
        self.token = token
        self.active = active
        self.seen = 0
        self.last_action: tuple[str, str] = ("message", f"/start {token}")
        self.quiet_since = time.monotonic()
        self.text_sends = 0

    def repeat_last_action(self) -> None:
        kind, value = self.last_action
        if kind == "message":
            self.text_sends += value.startswith("words")
            self.api.message(self.chat, value)
        else:
            self.api.press(self.chat, value)
        self.quiet_since = time.monotonic()

    def act(self, prompt: Sent) -> bool:
        """Answer a prompt; False once this person has nothing more to say."""
        consent = "Do you want to start?" in prompt.text
        if not self.active and not consent:
            return False
        data = answer_for(prompt)
        if data is None:
            self.last_action = ("message", f"words from person {self.chat}")
            self.text_sends += 1
            self.api.message(self.chat, self.last_action[1])
        else:
            self.last_action = ("press", data)
            self.api.press(self.chat, data, prompt)
        return self.active or not consent

    async def take_part(self) -> None:
        self.api.message(self.chat, f"/start {self.token}")
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            new = self.api.sent[self.chat][self.seen :]
            if any(m.text == ENDING for m in new):
                return
            prompt = next((m for m in reversed(new) if m.buttons), None)
            if prompt is None:
                await asyncio.sleep(0.05)
                if time.monotonic() - self.quiet_since > self.PATIENCE_SECONDS:
                    self.repeat_last_action()
                continue
            self.seen = len(self.api.sent[self.chat])
            self.quiet_since = time.monotonic()
            if not self.act(prompt):
                return
        raise AssertionError(f"chat {self.chat} did not finish")


@pytest.mark.slow
async def test_sigkill_fifty_times_loses_and_doubles_nothing(tmp_path: Path, key: str) -> None:
    flows_dir = tmp_path / "flows"
    flow = load_flow(fast_reminder_flow(flows_dir))
    database = tmp_path / "crash.sqlite3"
    storage = await Storage.open(database, Cipher(key))
    now = datetime.now(UTC)
    invitations = [
        await storage.interviews.invite(
            flow_id=flow.id,
            flow_version=flow.version,
            display_name=f"P{n}",
            service="Oak House",
            language=None,
            expires_at=now + timedelta(days=1),
            actor=Actor.for_operator("test"),
            at=now,
        )
        for n in range(ACTIVE + IDLE)
    ]
    await storage.close()
    api = await FakeBotApi().start()
    bot = BotProcess(
        {
            "EXIT_DATABASE": str(database),
            "EXIT_DATA_KEY": key,
            "EXIT_TELEGRAM_TOKEN": TOKEN,
            "EXIT_TELEGRAM_BASE_URL": api.base_url,
            "EXIT_FLOWS_DIR": str(flows_dir),
            "EXIT_SCHEDULER_INTERVAL_SECONDS": str(SCHEDULER_INTERVAL_SECONDS),
            "EXIT_QUIET_START": "00:00",
            "EXIT_QUIET_END": "00:00",
            "EXIT_LOG_LEVEL": "WARNING",
            # Telegram's 30 calls a second is not what is tested here: at that pace the
            # replies to everyone's repeated taps took a minute to drain.
            "EXIT_TELEGRAM_MAX_RATE": "100000",
        },
        tmp_path / "bot.log",
    )
    await bot.start()
    persons = [Person(api, 70_000 + n, inv.token, n < ACTIVE) for n, inv in enumerate(invitations)]
    people = [asyncio.create_task(person.take_part()) for person in persons]
    chooser = random.Random(2026)
    try:
        for _ in range(KILLS):
            await asyncio.sleep(chooser.uniform(0.05, 0.6))
            await bot.kill()
            await bot.start()
        await asyncio.wait_for(asyncio.gather(*people), timeout=240)
        await reminders_settled(database, [inv.interview_id for inv in invitations[ACTIVE:]])
    finally:
        for task in people:
            task.cancel()
        assert await bot.stop() == 0, "a clean stop on SIGTERM"
        await api.stop()
    assert bot.starts == KILLS + 1

    db = sqlite3.connect(database)
    ids = [inv.interview_id for inv in invitations]
    check = await Storage.open(database, Cipher(key))
    try:
        for n, interview_id in enumerate(ids[:ACTIVE]):
            record = await check.transcripts.load(interview_id)
            assert record.interview.status == "completed", interview_id
            text = record.answers.pop("q_text")
            assert record.answers == {"q_yes_no": "yes", "q_choice": "me", "q_scale": "1"}
            assert record.skipped == ["q_multi"]
            # A person who heard nothing while the bot was down sent their words again; each
            # message the bot took is kept once, and none more than the person sent.
            parts = str(text).split("\n")
            assert set(parts) == {f"words from person {70_000 + n}"}
            assert 1 <= len(parts) <= persons[n].text_sends
    finally:
        await check.close()
    doubled = db.execute(
        "SELECT interview_id, question_id, COUNT(*) FROM answers WHERE kind = 'answered' "
        "GROUP BY 1, 2 HAVING COUNT(*) > 1"
    ).fetchall()
    assert doubled == [], "no answer stored twice"
    for interview_id in ids[ACTIVE:]:
        reminders = db.execute(
            "SELECT COUNT(*) FROM events WHERE interview_id = ? AND type = 'reminder_sent'",
            (interview_id,),
        ).fetchone()[0]
        assert reminders == 2, f"{interview_id}: {reminders} reminders, expected exactly 2"
    for n in range(ACTIVE, ACTIVE + IDLE):
        texts = api.texts(70_000 + n)
        assert sum("Hello again" in t for t in texts) >= 1
        assert sum("last reminder" in t for t in texts) >= 1
