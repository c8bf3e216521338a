"""The canary: a unique word in every field an interview can fill, then erasure, then a
search of every file the product wrote (the database, its WAL, the safety journal and its
WAL, the logs), in the clear and decrypted with the key. Backups and exports made before
must say they are out of date."""

from __future__ import annotations

import logging
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.config import Settings
from bot.core.tasks import TaskDesk
from flows import step
from flows.inputs import Choice, Input, Start, Text
from storage import Cipher, Storage
from storage.erasure import ERASED_NAME
from storage.followup import Addressee
from storage.interviews import token_hash
from storage.safety import SafetyJournal, journal_path
from storage.tasks import NewTask
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import OPERATOR, invite

CHAT = 987_654_321_987
PHONE = "07700 900461"
WORDS = {
    "name": "Quillibrant",
    "answer": "zephyrmoss",
    "disclosure": "marrowglint",
    "recommendation": "tallowquince",
    "response": "brindlefog",
    "call_back": "ashcombery",
    "thanks": "vellumtwist",
    "voice": "corvidhum",
    "web_page": "saltmarrow",
    "journal": "pebblewick",
    "close_note": "fernquiver",
}


async def say(storage: Storage, interview_id: str, inp: Input, incoming: str | None) -> None:
    flow = every_kind()
    state = await storage.interviews.state(interview_id)
    await storage.steps.save_step(
        interview_id, step(flow, state, inp), at=inp.at, incoming=incoming, chat_id=CHAT
    )


async def fill_every_field(storage: Storage, clock: FakeClock, tmp_path: Path) -> tuple[str, str]:
    """An interview with a disclosure, a recommendation and its response, a call-back with
    a phone number, a thank-you, a voice note, a web session and a parked input."""
    flow = every_kind()
    interview_id, token = await invite(storage, flow, clock(), name=WORDS["name"])
    await storage.interviews.redeem(token, CHAT, clock())
    await say(storage, interview_id, Start(at=clock(), language="en"), None)
    state = await storage.interviews.state(interview_id)
    await say(storage, interview_id, Choice(at=clock(), value="yes", prompt=state.prompt), "yes")
    state = await storage.interviews.state(interview_id)
    await say(storage, interview_id, Choice(at=clock(), value="no", prompt=state.prompt), "no")
    text = f"he hits me {WORDS['disclosure']} {WORDS['answer']}"
    await say(storage, interview_id, Text(at=clock(), text=text), text)
    assert await storage.concerns.for_interview(interview_id)
    recommended = await storage.followup.recommend(
        interview_id,
        f"Review {WORDS['recommendation']}",
        Addressee("the manager", role="interviewer", service="Oak House"),
        clock() + timedelta(days=28),
        OPERATOR,
        clock(),
    )
    await storage.followup.respond(recommended.ref, f"Done {WORDS['response']}", OPERATOR, clock())
    await storage.tasks.create(
        NewTask(
            kind="call_back",
            due_at=clock() + timedelta(days=2),
            interview_id=interview_id,
            owner_role="interviewer",
            service="Oak House",
            detail={"how": "phone", "number": PHONE, "when": WORDS["call_back"]},
        ),
        clock(),
        OPERATOR,
    )
    await storage.thanks.write(interview_id, f"Thank you {WORDS['thanks']}", OPERATOR, clock())
    await storage.voices.keep(
        interview_id, f"OggS {WORDS['voice']}".encode(), 3, "audio/ogg", clock()
    )
    secret = await storage.web_sessions.start(interview_id, CHAT, clock())
    await storage.web_sessions.seen(secret, clock(), page=f"<p>{WORDS['web_page']}</p>")
    journal = await SafetyJournal.open(journal_path(storage.db.path), storage.db.cipher)
    parked = await journal.park(CHAT, None, f"parked {WORDS['journal']}", clock())
    await journal.hold_concern(parked, interview_id, "high", WORDS["journal"], clock())
    await journal.close()
    return interview_id, token


def decrypted_values(path: Path, cipher: Cipher) -> list[str]:
    """Every value of every table, opened with the key where it is sealed."""
    found: list[str] = []
    with sqlite3.connect(path) as connection:
        tables = [
            str(r[0])
            for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        ]
        for table in tables:
            for row in connection.execute(f"SELECT * FROM '{table}'"):
                for value in row:
                    if isinstance(value, bytes):
                        try:
                            found.append(cipher.decrypt(value))
                        except Exception:
                            found.append(value.decode("latin-1"))
                    elif value is not None:
                        found.append(str(value))
    return found


async def test_erasure_leaves_nothing_but_the_content_free_audit_row(
    tmp_path: Path, key: str, clock: FakeClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="aiosqlite")
    cipher = Cipher(key)
    live = tmp_path / "live"
    storage = await Storage.open(live / "interviews.sqlite3", cipher)
    try:
        interview_id, token = await fill_every_field(storage, clock, tmp_path)
        backup = tmp_path / "copies" / "before.sqlite3"
        await storage.retention.copies.backup(backup, clock())
        await storage.retention.copies.record(
            "export", str(tmp_path / "copies" / "t.md"), clock(), [interview_id]
        )
        before = b"".join(p.read_bytes() for p in live.iterdir())
        assert PHONE.encode() not in before, "the phone number was stored in the clear"
        assert any(
            WORDS["journal"] in v for v in decrypted_values(journal_path(storage.db.path), cipher)
        )

        await storage.retention.erase(interview_id, OPERATOR, clock(), "on request")

        files = sorted(p for p in live.iterdir() if p.is_file())
        assert {p.name for p in files} >= {"interviews.sqlite3", "interviews.safety.sqlite3"}
        in_the_clear = [
            PHONE.encode(),
            PHONE.replace(" ", "").encode(),
            str(CHAT).encode(),
            CHAT.to_bytes(6, "big"),
            token_hash(token).encode(),
            token.encode(),
            *(word.encode() for word in WORDS.values()),
        ]
        for path in files:
            raw = path.read_bytes()
            for needle in in_the_clear:
                assert needle not in raw, f"{path.name} still holds {needle!r}"
        for path in (storage.db.path, journal_path(storage.db.path)):
            values = "\n".join(decrypted_values(path, cipher))
            for word in [*WORDS.values(), PHONE, str(CHAT), token_hash(token)]:
                assert word not in values, f"{path.name} holds {word} once decrypted"
        row = await storage.db.fetch_one(
            "SELECT display_name, status FROM interviews WHERE id = ?", (interview_id,)
        )
        assert row is not None and cipher.decrypt(row[0]) == ERASED_NAME
        assert row[1] == "erased"
        erased_rows = await storage.db.fetch_all(
            "SELECT actor, detail FROM audit WHERE action = 'erased' AND interview_id = ?",
            (interview_id,),
        )
        assert [tuple(r) for r in erased_rows] == [(OPERATOR.label, "on request")]
        stale = {copy.path for copy in await storage.retention.copies.stale()}
        assert stale == {str(backup), str(tmp_path / "copies" / "t.md")}
        for word in [*WORDS.values(), PHONE, str(CHAT), token]:
            assert word not in caplog.text, f"the logs hold {word}"
    finally:
        await storage.close()


class Unreachable:
    """A channel that cannot reach anyone just now: messages stay queued."""

    async def flush_chat(self, chat_id: int) -> bool:
        return False


async def test_a_waiting_call_back_announcement_goes_with_the_erased_interview(
    storage: Storage, clock: FakeClock, tmp_path: Path
) -> None:
    await storage.services.add("Oak House", OPERATOR, clock())
    await storage.staff.add(605, "Ivy Interviewer", "interviewer", ["Oak House"], OPERATOR, clock())
    interview_id, _ = await invite(storage, every_kind(), clock())
    await storage.tasks.create(
        NewTask(
            kind="call_back",
            due_at=clock() + timedelta(days=2),
            interview_id=interview_id,
            owner_user_id=605,
            service="Oak House",
            detail={"how": "phone", "number": PHONE, "when": "afternoon"},
        ),
        clock(),
        OPERATOR,
    )
    settings = Settings(database=tmp_path / "unused.sqlite3")
    desk = TaskDesk(storage, {"every-kind": every_kind()}, Unreachable(), settings)  # type: ignore[arg-type]
    await desk.announce_new(clock())
    waiting = await storage.outbox.unsent_for_chat(605)
    assert any(PHONE in message.payload for message in waiting)
    await storage.retention.erase(interview_id, OPERATOR, clock(), "on request")
    assert await storage.outbox.unsent_for_chat(605) == []
