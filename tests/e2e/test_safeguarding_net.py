"""The safeguarding net end to end: every text is heard, alerts reach a person or are
escalated, and a database that cannot be written loses nothing and silences nothing."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from collections.abc import AsyncIterator
from email import message_from_bytes
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from bot.core.answer import ATTEMPTS_WHEN_CHANGED
from storage import Cipher, new_key
from storage.errors import StaleStateError
from tests.conftest import FakeClock
from tests.e2e.conftest import OPERATOR, RunningBot, free_port, make_settings
from tests.e2e.test_interview import CHAT, open_and_consent
from tests.e2e.test_safety_and_staff import ADMIN, OAK_STAFF, register_staff
from tests.fake_telegram import FakeBotApi, Sent

HOLD_THE_DATABASE = """
import sqlite3, sys, time
connection = sqlite3.connect(sys.argv[1], isolation_level=None, timeout=10)
for attempt in range(200):
    try:
        connection.execute("BEGIN EXCLUSIVE")
        break
    except sqlite3.OperationalError:
        time.sleep(0.05)
print("held", flush=True)
sys.stdin.readline()
connection.execute("ROLLBACK")
"""


async def finish_interview(bot: RunningBot, api: FakeBotApi) -> str:
    interview_id = await open_and_consent(bot, api)
    for _ in range(12):
        api.message(CHAT, "/skip")
    await api.wait_for_text(CHAT, "Is this right?")
    api.tap(CHAT, "Yes, send it")
    await api.wait_for_text(CHAT, "Thank you.")
    return interview_id


async def test_a_disclosure_after_the_ending_reaches_staff(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    interview_id = await finish_interview(bot, api)
    api.message(CHAT, "i want to kill myself")
    alert = await api.wait_for_text(OAK_STAFF, "URGENT safeguarding concern")
    assert interview_id in alert.text and "after the interview ended" in alert.text
    assert "kill" not in alert.text
    await api.wait_for_text(CHAT, "a member of staff will be told")


async def test_an_edited_message_and_a_caption_reach_staff(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    await open_and_consent(bot, api)
    api.raw_message(
        CHAT, {"text": "he hits me", "edit_date": int(time.time())}, key="edited_message"
    )
    await api.wait_for_text(OAK_STAFF, "physical harm")
    api.raw_message(CHAT, {"photo": [_photo()], "caption": "nobody looked after us"})
    await api.wait_for_text(OAK_STAFF, "neglect")
    transcript = await bot.app.storage.transcripts.load(
        (await bot.app.storage.interviews.find(OPERATOR))[0].id
    )
    sent = [line.text for line in transcript.lines if line.direction == "in"]
    assert "(edited message) he hits me" in sent and "(caption) nobody looked after us" in sent


async def test_i_need_help_now_reaches_staff_at_once(bot: RunningBot, api: FakeBotApi) -> None:
    await register_staff(bot)
    await open_and_consent(bot, api)
    api.tap(CHAT, "Help")
    await api.wait_for(lambda: with_button(api, "I need help now") is not None)
    help_message = with_button(api, "I need help now")
    assert help_message is not None
    await api.wait_for(lambda: "Not sure" in str(api.last_with_buttons(CHAT).buttons))
    api.tap(CHAT, "Yes")
    await api.wait_for_text(CHAT, "Who decided?")
    api.press(CHAT, help_message.button_data("I need help now"), help_message)
    alert = await api.wait_for_text(ADMIN, "URGENT safeguarding concern")
    assert "pressed “I need help now”" in alert.text
    await api.wait_for_text(CHAT, "If you are in danger right now, call 999")


@pytest.fixture
async def lockable_bot(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    settings = make_settings(tmp_path, api, key, busy_timeout_ms=200, replay_interval_seconds=0.2)
    running = (await RunningBot(settings, clock).start()).watch(api)
    yield running
    await running.stop()


async def test_a_disclosure_while_another_program_holds_the_database_is_heard_and_kept(
    lockable_bot: RunningBot, api: FakeBotApi
) -> None:
    bot = lockable_bot
    await register_staff(bot)
    interview_id = await open_and_consent(bot, api)
    api.tap(CHAT, "No")
    await api.wait_for_text(CHAT, "What made you feel unsafe?")
    holder = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        HOLD_THE_DATABASE,
        str(bot.settings.database),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    assert holder.stdin is not None and holder.stdout is not None
    try:
        held = await asyncio.wait_for(holder.stdout.readline(), timeout=60)
        assert held.strip() == b"held"
        api.message(CHAT, "a staff member pushed me down the stairs")
        await api.wait_for_text(CHAT, "could not save that just now")
        await api.wait_for_text(CHAT, "Childline")
        alert = await api.wait_for_text(OAK_STAFF, "safety journal")
        assert "physical harm" in alert.text and interview_id in alert.text
        assert await bot.app.journal.count() == 1
    finally:
        holder.stdin.write(b"\n")
        await holder.stdin.drain()
        holder.stdin.close()
        await asyncio.wait_for(holder.wait(), timeout=30)
    await api.wait_for_text(CHAT, "Got it. Add more")
    for _ in range(50):
        if await bot.app.journal.count() == 0:
            break
        await asyncio.sleep(0.1)
    assert await bot.app.journal.count() == 0
    state = await bot.app.storage.interviews.state(interview_id)
    assert state.draft_text == ["a staff member pushed me down the stairs"]
    [concern] = [
        c
        for c in await bot.app.storage.concerns.for_interview(interview_id)
        if c.category == "physical_harm"
    ]
    assert OAK_STAFF in concern.alerted
    staff_alerts = [t for t in api.texts(OAK_STAFF) if "physical harm" in t]
    assert len(staff_alerts) == 1, "an alert sent from the journal is not sent again"


async def test_a_full_disk_loses_nothing_and_silences_nothing(
    lockable_bot: RunningBot, api: FakeBotApi
) -> None:
    bot = lockable_bot
    await register_staff(bot)
    interview_id = await open_and_consent(bot, api)
    connection = bot.app.storage.db.connection
    async with connection.execute("PRAGMA page_count") as cursor:
        row = await cursor.fetchone()
    assert row is not None
    await connection.execute(f"PRAGMA max_page_count = {row[0]}")
    api.message(CHAT, "i want to die. " + "I have thought about it a lot. " * 150)
    await api.wait_for_text(ADMIN, "safety journal")
    await api.wait_for_text(CHAT, "could not save that just now")
    api.tap(CHAT, "Yes")
    await api.wait_for_text(CHAT, "still catching up")
    await connection.execute("PRAGMA max_page_count = 1073741823")
    await api.wait_for_text(CHAT, "Who decided?")
    state = await bot.app.storage.interviews.state(interview_id)
    assert state.answers.get("q_yes_no") == "yes"
    assert await bot.app.journal.count() == 0


async def concerns_once_the_journal_is_applied(bot: RunningBot, interview_id: str) -> list[str]:
    """The interview's concern categories, once every parked input has been applied."""
    for _ in range(100):
        if await bot.app.journal.count() == 0:
            break
        await asyncio.sleep(0.05)
    assert await bot.app.journal.count() == 0
    return [c.category for c in await bot.app.storage.concerns.for_interview(interview_id)]


async def test_a_wrong_key_under_a_running_bot_still_alerts_and_keeps_the_input(
    lockable_bot: RunningBot, api: FakeBotApi
) -> None:
    bot = lockable_bot
    await register_staff(bot)
    interview_id = await open_and_consent(bot, api)
    right = bot.app.storage.db.cipher
    bot.app.storage.db.cipher = Cipher(new_key())
    try:
        api.message(CHAT, "he touched me and said not to tell")
        await api.wait_for_text(OAK_STAFF, "safety journal")
        await api.wait_for_text(CHAT, "could not save that just now")
    finally:
        bot.app.storage.db.cipher = right
    assert await concerns_once_the_journal_is_applied(bot, interview_id) == [
        "sexual_harm_exploitation"
    ]


async def test_an_interview_changed_under_every_save_still_alerts_and_keeps_the_input(
    lockable_bot: RunningBot, api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    bot = lockable_bot
    await register_staff(bot)
    interview_id = await open_and_consent(bot, api)
    steps = bot.app.storage.steps
    save_step = steps.save_step
    refused: list[str] = []

    async def another_program_wrote_first(interview: str, *args: Any, **kwargs: Any) -> Any:
        if len(refused) < ATTEMPTS_WHEN_CHANGED:
            refused.append(interview)
            raise StaleStateError()
        return await save_step(interview, *args, **kwargs)

    monkeypatch.setattr(steps, "save_step", another_program_wrote_first)
    api.message(CHAT, "he hits me when nobody is looking")
    await api.wait_for_text(OAK_STAFF, "safety journal")
    await api.wait_for_text(CHAT, "could not save that just now")
    assert refused == [interview_id] * ATTEMPTS_WHEN_CHANGED
    assert await concerns_once_the_journal_is_applied(bot, interview_id) == ["physical_harm"]


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(message_from_bytes(envelope.content))
        return "250 OK"


async def test_an_alert_to_staff_who_blocked_the_bot_is_escalated_and_shown_undelivered(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock
) -> None:
    mailbox = Mailbox()
    port = free_port()
    server = Controller(mailbox, hostname="127.0.0.1", port=port)
    server.start()
    try:
        settings = make_settings(
            tmp_path,
            api,
            key,
            duty_email="duty@example.org",
            smtp_host="127.0.0.1",
            smtp_port=port,
            smtp_starttls=False,
        )
        bot = (await RunningBot(settings, clock).start()).watch(api)
        try:
            await bot.app.storage.staff.add(
                OAK_STAFF, "Oak Reviewer", "reviewer", ["Oak House"], OPERATOR, clock()
            )
            api.blocked.add(OAK_STAFF)
            interview_id = await open_and_consent(bot, api)
            api.tap(CHAT, "No")
            await api.wait_for(lambda: len(mailbox.messages) == 1)
            mail = mailbox.messages[0]
            assert mail["To"] == "duty@example.org" and interview_id in mail["Subject"]
            [concern] = await bot.app.storage.concerns.for_interview(interview_id)
            assert concern.alerted == () and concern.escalated_at is not None
            assert any(d.state == "failed" for d in concern.deliveries)
        finally:
            await bot.stop()
    finally:
        server.stop()
    listed = subprocess.run(
        [sys.executable, "-m", "bot", "concerns"],
        env={
            "PATH": "/usr/bin:/bin",
            "EXIT_ENV_FILE": "",
            "EXIT_DATABASE": str(settings.database),
            "EXIT_DATA_KEY": key,
            "PYTHONPATH": str(Path(__file__).resolve().parents[2]),
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 0, listed.stderr
    assert "NOT DELIVERED" in listed.stdout and "feeling unsafe" in listed.stdout


async def test_a_retired_flow_does_not_stop_concern_re_alerts(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    await open_and_consent(bot, api)
    api.tap(CHAT, "No")
    await api.wait_for_text(OAK_STAFF, "Possible safeguarding concern")
    del bot.app.flows["every-kind"]
    bot.clock.advance(hours=49)
    await api.wait_for_text(OAK_STAFF, "Reminder: still not acknowledged")


def with_button(api: FakeBotApi, label: str) -> Sent | None:
    """The newest message in the person's chat with a button labelled so."""
    for message in reversed(api.sent[CHAT]):
        if any(label in button["text"] for row in message.buttons for button in row):
            return message
    return None


def _photo() -> dict[str, Any]:
    return {"file_id": "photo-1", "file_unique_id": "u1", "width": 10, "height": 10}


async def test_a_flood_from_one_chat_does_not_delay_another_person(
    bot: RunningBot, api: FakeBotApi
) -> None:
    flooder = 9300
    await open_and_consent(bot, api)
    await open_and_consent(bot, api, chat=flooder)
    for number in range(1000):
        api.message(flooder, f"message {number}")
    await asyncio.sleep(0.2)
    seen = len(api.sent[CHAT])
    started = time.monotonic()
    api.tap(CHAT, "Yes")
    await api.next_message(CHAT, seen, with_buttons=True, timeout=30)
    waited = time.monotonic() - started
    assert waited < 2.0, f"the other person waited {waited:.1f} s"


async def test_a_stranger_gets_one_reply_then_silence_for_a_while(
    bot: RunningBot, api: FakeBotApi
) -> None:
    stranger = 9400
    for number in range(5):
        api.message(stranger, f"hello {number}")
    await api.wait_for_text(stranger, "invited")
    await asyncio.sleep(0.5)
    assert len(api.texts(stranger)) == 1
