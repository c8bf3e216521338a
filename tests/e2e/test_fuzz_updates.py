"""Thousands of odd updates: the bot never crashes, every reply is plain words, and the
database stays consistent (checked with SQL afterwards)."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.core.context import open_context
from bot.telegram.application import build_application
from storage import Cipher, new_key
from tests.conftest import FakeClock
from tests.e2e.conftest import OPERATOR, invite_into, make_settings
from tests.fake_telegram import FakeBotApi

INTERVIEW_CHATS = [101, 102, 103]
STAFF_CHATS = [201]
STRANGER_CHATS = [301, 302]
GROUP_CHATS = [-401]
ALL_CHATS = INTERVIEW_CHATS + STAFF_CHATS + STRANGER_CHATS + GROUP_CHATS

odd_text = st.one_of(
    st.text(max_size=80),
    st.text(alphabet=st.characters(codec="utf-8"), min_size=0, max_size=4096),
    st.sampled_from(
        [
            "",
            " ",
            "\x00\x01\x02",
            "\u202eevil\u202c",
            "مرحبا بالعالم",
            "👍🏽🤷‍♀️",
            "yes",
            "No",
            "not sure",
            "1",
            "99",
            "-1",
            "skip",
            "Cymraeg",
            "x" * 5000,
            "he hurt me",
            "I want to kill myself",
        ]
    ),
)
commands = st.builds(
    lambda name, arg: f"/{name}{(' ' + arg) if arg else ''}",
    st.sampled_from(
        [
            "start",
            "skip",
            "back",
            "pause",
            "stop",
            "help",
            "next",
            "done",
            "interviews",
            "transcript",
            "concerns",
            "invite",
            "whoami",
            "unknown",
            "start@exit_interviews_test_bot",
        ]
    ),
    st.one_of(
        st.just(""),
        st.text(max_size=70),
        st.sampled_from(["iv-0000000000", "every-kind; Oak House; X", ";;;;", "A" * 64]),
    ),
)
callback_data = st.one_of(
    st.text(max_size=64),
    st.builds(
        lambda i, p, v: f"a|{i}|{p}|{v}",
        st.sampled_from(["iv-0000000000", "", "x"]),
        st.one_of(st.integers(-5, 50).map(str), st.just("")),
        st.sampled_from(
            [
                "yes",
                "no",
                "_skip",
                "_back",
                "_next",
                "_done",
                "confirm",
                "keep",
                "delete",
                "me",
                "zzz",
            ]
        ),
    ),
    st.sampled_from(["ack|1", "ack|999", "ack|x", "a|||", "|", ""]),
)


def user(chat: int) -> dict[str, Any]:
    return {"id": abs(chat), "is_bot": False, "first_name": "Fuzz"}


def chat_json(chat: int) -> dict[str, Any]:
    kind = "group" if chat < 0 else "private"
    return {"id": chat, "type": kind, "first_name": "F", "title": "G"}


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    chat = draw(st.sampled_from(ALL_CHATS))
    base = {
        "message_id": draw(st.integers(1, 10**6)),
        "date": 1_700_000_000,
        "chat": chat_json(chat),
        "from": user(chat),
    }
    kind = draw(
        st.sampled_from(
            [
                "text",
                "command",
                "callback",
                "edited",
                "channel",
                "photo",
                "sticker",
                "voice",
                "document",
                "location",
                "dice",
                "contact",
                "member",
            ]
        )
    )
    update_id = draw(st.integers(1, 400))
    if kind == "text":
        return {"update_id": update_id, "message": {**base, "text": draw(odd_text)}}
    if kind == "command":
        text = draw(commands)
        return {
            "update_id": update_id,
            "message": {
                **base,
                "text": text,
                "entities": [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}],
            },
        }
    if kind == "callback":
        return {
            "update_id": update_id,
            "callback_query": {
                "id": str(draw(st.integers(1, 10**9))),
                "from": user(chat),
                "chat_instance": "c",
                "data": draw(callback_data),
                "message": {**base, "text": "old prompt"},
            },
        }
    if kind == "edited":
        return {
            "update_id": update_id,
            "edited_message": {**base, "text": draw(odd_text), "edit_date": 1_700_000_001},
        }
    if kind == "channel":
        return {
            "update_id": update_id,
            "channel_post": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": -1009, "type": "channel", "title": "C"},
                "text": draw(odd_text),
            },
        }
    extra: dict[str, Any] = {
        "photo": {"photo": [{"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]},
        "sticker": {
            "sticker": {
                "file_id": "s",
                "file_unique_id": "su",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        },
        "voice": {"voice": {"file_id": "v", "file_unique_id": "vu", "duration": 1}},
        "document": {"document": {"file_id": "d", "file_unique_id": "du"}},
        "location": {"location": {"latitude": 51.5, "longitude": -0.1}},
        "dice": {"dice": {"emoji": "🎲", "value": 3}},
        "contact": {"contact": {"phone_number": "+440000000000", "first_name": "Nobody"}},
        "member": {"new_chat_members": [user(999)]},
    }[kind]
    return {"update_id": update_id, "message": {**base, **extra}}


class Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if "handler_error" in message or record.levelno >= logging.ERROR:
            self.lines.append(message)


async def run_batch(tmp_path: Path, batch: list[dict[str, Any]]) -> None:
    api = await FakeBotApi().start()
    clock = FakeClock()
    key = new_key()
    config = make_settings(tmp_path, api, key, telegram_max_rate=100_000)
    errors = Errors()
    logging.getLogger().addHandler(errors)
    try:
        async with open_context(config, clock) as app:
            await app.storage.staff.add(201, "Admin", "admin", [], OPERATOR, clock())
            parts = build_application(app)
            application = parts.application
            await application.initialize()
            for chat in INTERVIEW_CHATS:
                _, token = await invite_into(app, clock, name="F")
                await app.service.open_invitation(token, chat)
            for data in batch:
                await application.process_update(Update.de_json(data, application.bot))
            await parts.sender.flush_all()
            await application.shutdown()
    finally:
        logging.getLogger().removeHandler(errors)
        await api.stop()
    assert errors.lines == [], errors.lines[:3]
    for chat, messages in api.sent.items():
        for message in messages:
            assert message.text.strip(), f"an empty message to {chat}"
            assert len(message.text) <= 4096
            assert "Traceback" not in message.text and "Exception" not in message.text
    assert -1009 not in api.sent
    db = sqlite3.connect(config.database)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert db.execute("PRAGMA foreign_key_check").fetchall() == []
    assert db.execute("SELECT COUNT(*) FROM interviews").fetchone()[0] == len(INTERVIEW_CHATS)
    linked = {row[0] for row in db.execute("SELECT chat_id FROM interviews")}
    assert linked == set(INTERVIEW_CHATS), "strangers never get an interview"
    orphans = db.execute(
        "SELECT COUNT(*) FROM answers WHERE interview_id NOT IN (SELECT id FROM interviews)"
    ).fetchone()[0]
    assert orphans == 0
    known = {"q_yes_no", "q_follow_up", "q_choice", "q_multi", "q_scale", "q_text"}
    cipher = Cipher(key)
    stored = {
        cipher.decrypt(row[0]) for row in db.execute("SELECT DISTINCT question_id FROM answers")
    }
    assert stored <= known
    unsent = db.execute("SELECT COUNT(*) FROM outbox WHERE chat_id > 0").fetchone()[0]
    assert unsent == 0


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.too_slow,
        HealthCheck.function_scoped_fixture,
        HealthCheck.data_too_large,
    ],
)
@given(batch=st.lists(updates(), min_size=30, max_size=80))
def test_odd_updates_never_crash_the_bot(
    tmp_path_factory: Any, batch: list[dict[str, Any]]
) -> None:
    asyncio.run(run_batch(tmp_path_factory.mktemp("fuzz"), batch))
