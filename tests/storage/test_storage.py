"""Storage keeps every answer once, shows it only to the right people, and hides it at rest."""

from __future__ import annotations

import asyncio
import signal
import sys
from datetime import timedelta
from pathlib import Path

import aiosqlite
import pytest

from flows.inputs import Command, Control, Start
from storage import AccessDenied, Actor, Cipher, InvitationError, Storage, WrongKeyError, new_key
from storage.migrate import latest_version, migrate, schema_version
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import OPERATOR, feed, invite, start_and_consent, tap, type_text

SECRET_ANSWER = "zebra-crossing-7781 was where it happened"


async def test_migrations_build_the_schema_from_empty(tmp_path: Path) -> None:
    async with aiosqlite.connect(tmp_path / "m.sqlite3") as connection:
        assert await schema_version(connection) == 0
        await migrate(connection)
        assert await schema_version(connection) == latest_version()
        async with connection.execute("SELECT name FROM sqlite_master WHERE type='table'") as c:
            tables = {row[0] async for row in c}
    assert {"interviews", "answers", "transcript", "concerns", "audit", "outbox"} <= tables


@pytest.mark.parametrize("start_version", range(latest_version()))
async def test_migrations_upgrade_from_every_earlier_version(
    tmp_path: Path, start_version: int, key: str
) -> None:
    path = tmp_path / "old.sqlite3"
    async with aiosqlite.connect(path) as connection:
        await migrate(connection, target=start_version)
        assert await schema_version(connection) == start_version
    opened = await Storage.open(path, Cipher(key))
    try:
        assert await schema_version(opened.db.connection) == latest_version()
    finally:
        await opened.close()


async def test_an_interview_round_trips(storage: Storage, clock: FakeClock) -> None:
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    await tap(storage, flow, interview_id, "no", clock.advance(minutes=1))
    await type_text(storage, flow, interview_id, SECRET_ANSWER, clock.advance(minutes=1))
    await tap(storage, flow, interview_id, "_next", clock.advance(minutes=1))
    record = await storage.transcripts.read(interview_id, OPERATOR, clock())
    assert record.answers == {"q_yes_no": "no", "q_follow_up": SECRET_ANSWER}
    assert record.interview.display_name == "Test Person A"
    assert record.interview.status == "in_progress"
    assert record.consented_at is not None
    assert [c.question_id for c in record.concerns] == ["q_yes_no"]
    assert any(line.direction == "in" and line.text == SECRET_ANSWER for line in record.lines)
    assert any(line.direction == "out" and "Who decided?" in line.text for line in record.lines)
    state = await storage.interviews.state(interview_id)
    assert state.current == "q_choice"


async def test_answer_history_keeps_every_change(storage: Storage, clock: FakeClock) -> None:
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    await tap(storage, flow, interview_id, "yes", clock.advance(minutes=1))
    await feed(
        storage, flow, interview_id, Command(at=clock.advance(minutes=1), control=Control.BACK)
    )
    await tap(storage, flow, interview_id, "not_sure", clock.advance(minutes=1))
    record = await storage.transcripts.read(interview_id, OPERATOR, clock())
    kinds = [(c.question_id, c.kind, c.value) for c in record.history]
    assert kinds == [("q_yes_no", "answered", "yes"), ("q_yes_no", "changed", "not_sure")]


async def test_a_repeated_update_is_handled_once(storage: Storage, clock: FakeClock) -> None:
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    first = await tap(storage, flow, interview_id, "yes", clock(), update_id=1001)
    again = await tap(storage, flow, interview_id, "yes", clock(), update_id=1001)
    assert first is not None and again is None
    record = await storage.transcripts.load(interview_id)
    assert len([c for c in record.history if c.question_id == "q_yes_no"]) == 1


async def test_many_interviews_at_once_lose_and_double_nothing(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    ids = [(await invite(storage, flow, clock(), name=f"P{n}"))[0] for n in range(60)]

    async def answer(interview_id: str) -> None:
        await start_and_consent(storage, flow, interview_id, clock())
        for value in ("yes", "me", "sport", "_done", "2"):
            await tap(storage, flow, interview_id, value, clock())

    await asyncio.gather(*(answer(i) for i in ids))
    rows = await storage.db.fetch_all(
        "SELECT interview_id, question_id, COUNT(*) FROM answers GROUP BY 1, 2"
    )
    assert len(rows) == 60 * 4
    assert all(row[2] == 1 for row in rows)


CRASHING_WRITER = """
import asyncio, os, signal, sys
from datetime import UTC, datetime
from pathlib import Path
from storage import Cipher, Storage
from tests.flows.helpers import every_kind
from tests.storage.helpers import invite, start_and_consent, tap

async def main() -> None:
    flow = every_kind()
    at = datetime(2026, 3, 2, tzinfo=UTC)
    store = await Storage.open(Path(sys.argv[1]), Cipher(sys.argv[2]))
    interview_id, _ = await invite(store, flow, at)
    await start_and_consent(store, flow, interview_id, at)
    print(interview_id, flush=True)
    for value in ("yes", "me"):
        await tap(store, flow, interview_id, value, at)
        print("committed", value, flush=True)
    await store.db.connection.execute("BEGIN IMMEDIATE")
    await store.db.connection.execute("DELETE FROM answers")
    await store.db.connection.execute("UPDATE interviews SET state = NULL")
    os.kill(os.getpid(), signal.SIGKILL)

asyncio.run(main())
"""


async def test_a_killed_process_loses_nothing_it_committed(tmp_path: Path, key: str) -> None:
    path = tmp_path / "crash.sqlite3"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-c",
        CRASHING_WRITER,
        str(path),
        key,
        stdout=asyncio.subprocess.PIPE,
        cwd=Path(__file__).resolve().parents[2],
    )
    output, _ = await process.communicate()
    assert process.returncode == -signal.SIGKILL
    lines = output.decode().split("\n")
    interview_id = lines[0]
    assert lines[1:3] == ["committed yes", "committed me"]
    reopened = await Storage.open(path, Cipher(key))
    try:
        record = await reopened.transcripts.load(interview_id)
        assert record.answers == {"q_yes_no": "yes", "q_choice": "me"}
        assert (await reopened.interviews.state(interview_id)).current == "q_multi"
    finally:
        await reopened.close()


async def test_the_database_file_holds_no_plaintext_answer(
    tmp_path: Path, key: str, clock: FakeClock
) -> None:
    path = tmp_path / "plain.sqlite3"
    flow = every_kind()
    opened = await Storage.open(path, Cipher(key))
    interview_id, _ = await invite(opened, flow, clock(), name="Zoltan Example-Name")
    await start_and_consent(opened, flow, interview_id, clock())
    await tap(opened, flow, interview_id, "no", clock())
    await type_text(opened, flow, interview_id, SECRET_ANSWER, clock())
    await tap(opened, flow, interview_id, "_next", clock())
    files = [p for p in tmp_path.iterdir() if p.name.startswith("plain.sqlite3")]
    raw = b"".join(p.read_bytes() for p in files)
    await opened.close()
    raw += path.read_bytes()
    assert b"zebra-crossing-7781" not in raw
    assert b"Zoltan" not in raw
    assert "zebra".encode("utf-16-le") not in raw


async def test_a_wrong_key_is_a_clear_error(tmp_path: Path, key: str) -> None:
    path = tmp_path / "k.sqlite3"
    await (await Storage.open(path, Cipher(key))).close()
    with pytest.raises(WrongKeyError, match="EXIT_DATA_KEY does not match"):
        await Storage.open(path, Cipher(new_key()))


async def test_invitations_are_single_use_expire_and_are_stored_hashed(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    interview_id, token = await invite(storage, flow, clock())
    rows = await storage.db.fetch_all("SELECT token_hash FROM invitations")
    assert token not in str([tuple(r) for r in rows])
    assert await storage.interviews.redeem(token, 55, clock()) == interview_id
    assert await storage.interviews.redeem(token, 55, clock()) == interview_id
    with pytest.raises(InvitationError, match="used"):
        await storage.interviews.redeem(token, 66, clock())
    _, late = await invite(storage, flow, clock())
    with pytest.raises(InvitationError, match="expired"):
        await storage.interviews.redeem(late, 77, clock() + timedelta(days=29))
    with pytest.raises(InvitationError, match="unknown"):
        await storage.interviews.redeem("not-a-token", 77, clock())


async def test_a_reviewer_reads_only_their_services_and_every_read_is_audited(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    oak, _ = await invite(storage, flow, clock(), service="Oak House")
    elm, _ = await invite(storage, flow, clock(), service="Elm House")
    reviewer = await storage.staff.add(
        501, "Reviewer R", "reviewer", ["Oak House"], OPERATOR, clock()
    )
    actor = Actor.for_staff(reviewer)
    await storage.transcripts.read(oak, actor, clock())
    with pytest.raises(AccessDenied, match="not assigned"):
        await storage.transcripts.read(elm, actor, clock())
    listed = [s.id for s in await storage.interviews.find(actor)]
    assert listed == [oak]
    audit = await storage.audit.entries()
    assert [(a.action, a.interview_id) for a in audit if a.actor == "staff:501"] == [
        ("transcript_read", oak),
        ("access_refused", elm),
    ]


async def test_removed_staff_see_nothing(storage: Storage, clock: FakeClock) -> None:
    flow = every_kind()
    oak, _ = await invite(storage, flow, clock(), service="Oak House")
    await storage.staff.add(502, "Admin A", "admin", [], OPERATOR, clock())
    await storage.staff.remove(502, OPERATOR, clock())
    assert await storage.staff.get(502) is None
    former = Actor("staff:502")
    with pytest.raises(AccessDenied):
        await storage.transcripts.read(oak, former, clock())


async def test_erase_removes_content_and_keeps_a_contentless_audit_entry(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    await tap(storage, flow, interview_id, "no", clock())
    await type_text(storage, flow, interview_id, SECRET_ANSWER, clock())
    await storage.retention.erase(interview_id, OPERATOR, clock(), "erased on request")
    for table in ("answers", "transcript"):
        rows = await storage.db.fetch_all(
            f"SELECT COUNT(*) FROM {table} WHERE interview_id = ?", (interview_id,)
        )
        assert rows[0][0] == 0
    summary = await storage.interviews.get(interview_id)
    assert summary.status == "erased" and summary.display_name == "(erased)"
    audit = await storage.audit.entries(interview_id)
    assert audit[-1].action == "erased"
    assert SECRET_ANSWER not in str(audit)


async def test_purge_applies_the_retention_period(storage: Storage, clock: FakeClock) -> None:
    flow = every_kind()
    done, _ = await invite(storage, flow, clock())
    await feed(storage, flow, done, Start(at=clock(), language="en"))
    await tap(storage, flow, done, "no", clock())
    unused, _ = await invite(storage, flow, clock())
    recent, _ = await invite(storage, flow, clock.advance(days=700))
    report = await storage.retention.purge(
        clock.advance(days=40), OPERATOR, keep_finished_days=730, invitation_days=28
    )
    assert report.erased == 1 and report.expired_invitations == 2
    assert (await storage.interviews.get(done)).status == "erased"
    assert (await storage.interviews.get(unused)).status == "expired"
    assert (await storage.interviews.get(recent)).status == "expired"


async def test_stop_with_delete_removes_what_was_said(storage: Storage, clock: FakeClock) -> None:
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    await tap(storage, flow, interview_id, "no", clock())
    await type_text(storage, flow, interview_id, SECRET_ANSWER, clock())
    await feed(storage, flow, interview_id, Command(at=clock(), control=Control.STOP))
    await tap(storage, flow, interview_id, "delete", clock())
    record = await storage.transcripts.load(interview_id)
    assert record.answers == {} and record.lines == []
    assert record.interview.status == "stopped"
    assert any(
        a.action == "answers_deleted_on_request" for a in await storage.audit.entries(interview_id)
    )


@pytest.mark.sqlite_only
async def test_backup_is_a_readable_copy(
    storage: Storage, clock: FakeClock, tmp_path: Path, key: str
) -> None:
    """SQLite only: a PostgreSQL store is backed up with pg_dump, not by this program."""
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await storage.backup(tmp_path / "backup.sqlite3")
    copy = await Storage.open(tmp_path / "backup.sqlite3", Cipher(key))
    try:
        assert (await copy.interviews.get(interview_id)).display_name == "Test Person A"
    finally:
        await copy.close()


async def test_outbox_keeps_replies_until_sent_then_deletes_them(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    unsent = await storage.outbox.unsent()
    assert unsent and "Did you feel safe?" in unsent[-1].payload
    await storage.outbox.mark_sent([m.id for m in unsent])
    assert await storage.outbox.unsent() == []
    rows = await storage.db.fetch_all("SELECT COUNT(*) FROM outbox WHERE payload IS NOT NULL")
    assert rows[0][0] == 0
