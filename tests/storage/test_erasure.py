"""The one erasure routine: it knows every table that refers to an interview, erases an
interview with a recommendation, and a purge carries on past an interview it cannot erase."""

from __future__ import annotations

import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from flows.inputs import Start
from storage import Cipher, Storage
from storage.erasure import ERASE_STEPS, KEPT, ErasureFailed
from storage.followup import Addressee
from storage.safety import SafetyJournal, journal_path
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import OPERATOR, feed, invite, start_and_consent, tap, type_text


def tables_reaching_interviews(path: Path) -> set[str]:
    """Every table whose rows refer to an interview, directly or through other tables,
    read from the schema's foreign keys."""
    with sqlite3.connect(path) as connection:
        names = [
            str(row[0])
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        parents = {
            name: {str(row[2]) for row in connection.execute(f"PRAGMA foreign_key_list('{name}')")}
            for name in names
        }
    reaching = {"interviews"}
    grew = True
    while grew:
        found = {name for name, refs in parents.items() if refs & reaching}
        grew = not found <= reaching
        reaching |= found
    return reaching


@pytest.mark.sqlite_only
async def test_every_table_that_refers_to_an_interview_is_erased(storage: Storage) -> None:
    """SQLite only: it reads the foreign keys from the SQLite file; PostgreSQL's schema is
    the same tables, checked against SQLite's by the migration tests."""
    reaching = tables_reaching_interviews(storage.db.path)
    handled = {table for table, _ in ERASE_STEPS} | KEPT
    assert {"tasks", "thank_yous", "web_sessions", "voice_answers"} <= reaching
    missing = reaching - handled
    assert not missing, f"storage/erasure.py does not erase {sorted(missing)}"


@pytest.mark.sqlite_only
async def test_the_schema_check_notices_a_new_table_left_out(storage: Storage) -> None:
    """SQLite only: the check it tests reads the SQLite file."""
    async with storage.db.transaction() as connection:
        await connection.execute(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, "
            "concern_id INTEGER REFERENCES concerns (id))"
        )
    assert "notes" in tables_reaching_interviews(storage.db.path) - {t for t, _ in ERASE_STEPS}


async def _recommended(storage: Storage, clock: FakeClock) -> str:
    """A finished interview with a concern and a recommendation owed by a role (a task)."""
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    await tap(storage, flow, interview_id, "no", clock())
    await type_text(storage, flow, interview_id, "he hits me", clock())
    await storage.followup.recommend(
        interview_id,
        "Review the night staffing",
        Addressee("the manager", role="interviewer", service="Oak House"),
        clock() + timedelta(days=28),
        OPERATOR,
        clock(),
    )
    return interview_id


async def test_an_interview_with_a_recommendation_is_erased(
    storage: Storage, clock: FakeClock
) -> None:
    interview_id = await _recommended(storage, clock)
    tasks = await storage.db.fetch_all(
        "SELECT COUNT(*) FROM tasks WHERE recommendation_id IS NOT NULL"
    )
    assert tasks[0][0] == 1
    await storage.retention.erase(interview_id, OPERATOR, clock(), "on request")
    for table in ("tasks", "recommendations", "concerns", "answers", "transcript"):
        rows = await storage.db.fetch_all(f"SELECT COUNT(*) FROM {table}")
        assert rows[0][0] == 0, f"{table} still holds rows"
    assert (await storage.interviews.get(interview_id)).status == "erased"


async def test_a_failed_erasure_names_the_table_and_keeps_everything(
    storage: Storage, clock: FakeClock
) -> None:
    interview_id = await _recommended(storage, clock)
    async with storage.db.transaction() as connection:
        await connection.execute(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, "
            "concern_id INTEGER REFERENCES concerns (id))"
        )
        await connection.execute("INSERT INTO notes (concern_id) SELECT id FROM concerns")
    with pytest.raises(ErasureFailed) as failure:
        await storage.retention.erase(interview_id, OPERATOR, clock(), "on request")
    message = str(failure.value)
    assert "'concerns'" in message and "foreign key" in message
    assert "safety journal" not in message
    assert (await storage.interviews.get(interview_id)).status != "erased"
    assert await storage.followup.for_interview(interview_id)


async def test_the_purge_carries_on_past_an_interview_it_cannot_erase_and_retries_it(
    storage: Storage, clock: FakeClock
) -> None:
    stuck = await _recommended(storage, clock)
    fine = await _recommended(storage, clock)
    async with storage.db.transaction() as connection:
        await connection.execute(
            "CREATE TABLE notes (id INTEGER PRIMARY KEY, "
            "concern_id INTEGER REFERENCES concerns (id))"
        )
        await connection.execute(
            "INSERT INTO notes (concern_id) SELECT id FROM concerns WHERE interview_id = ?",
            (stuck,),
        )
        await connection.execute(
            "UPDATE interviews SET status = 'completed', finished_at = ?",
            ((clock() - timedelta(days=400)).isoformat(),),
        )
    report = await storage.retention.purge(
        clock(), OPERATOR, keep_finished_days=365, invitation_days=28
    )
    assert report.erased == 1 and report.failed == (stuck,)
    assert (await storage.interviews.get(fine)).status == "erased"
    async with storage.db.transaction() as connection:
        await connection.execute("DELETE FROM notes")
    again = await storage.retention.purge(
        clock(), OPERATOR, keep_finished_days=365, invitation_days=28
    )
    assert again.erased == 1 and again.failed == ()
    assert (await storage.interviews.get(stuck)).status == "erased"


async def test_erasure_marks_backups_and_exports_that_hold_the_interview_stale(
    storage: Storage, clock: FakeClock, tmp_path: Path
) -> None:
    erased = await _recommended(storage, clock)
    await storage.retention.copies.record("backup", str(tmp_path / "b.sqlite3"), clock())
    await storage.retention.copies.record("export", str(tmp_path / "t.md"), clock(), [erased])
    await storage.retention.copies.record("export", str(tmp_path / "o.md"), clock(), ["other"])
    assert await storage.retention.copies.stale() == []
    await storage.retention.erase(erased, OPERATOR, clock(), "on request")
    stale = await storage.retention.copies.stale()
    assert sorted(copy.path for copy in stale) == [
        str(tmp_path / "b.sqlite3"),
        str(tmp_path / "t.md"),
    ]


async def test_a_declined_interview_keeps_nothing_the_person_said(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await feed(storage, flow, interview_id, Start(at=clock(), language="en"))
    await type_text(storage, flow, interview_id, "not sure about this", clock())
    secret = await storage.web_sessions.start(interview_id, 5, clock())
    await storage.web_sessions.seen(secret, clock(), page="<p>not sure</p>")
    await tap(storage, flow, interview_id, "no", clock())
    assert (await storage.interviews.get(interview_id)).status == "declined"
    for table in ("answers", "transcript", "voice_answers"):
        rows = await storage.db.fetch_all(
            f"SELECT COUNT(*) FROM {table} WHERE interview_id = ?", (interview_id,)
        )
        assert rows[0][0] == 0, f"{table} still holds what the person said"
    session = await storage.web_sessions.get(secret)
    assert session is not None and session.last_page is None


async def test_erasure_blocked_by_another_program_says_so_not_the_safety_journal(
    tmp_path: Path, key: str, clock: FakeClock
) -> None:
    opened = await Storage.open(tmp_path / "locked.sqlite3", Cipher(key), busy_timeout_ms=50)
    try:
        interview_id = await _recommended(opened, clock)
        other = sqlite3.connect(tmp_path / "locked.sqlite3")
        other.execute("BEGIN IMMEDIATE")
        try:
            with pytest.raises(ErasureFailed) as failure:
                await opened.retention.erase(interview_id, OPERATOR, clock(), "on request")
        finally:
            other.rollback()
            other.close()
        message = str(failure.value)
        assert "safety journal" not in message and "no other program" in message
        await opened.retention.erase(interview_id, OPERATOR, clock(), "on request")
        assert (await opened.interviews.get(interview_id)).status == "erased"
    finally:
        await opened.close()


async def test_erasing_twice_changes_nothing_the_second_time(
    storage: Storage, clock: FakeClock
) -> None:
    interview_id = await _recommended(storage, clock)
    await storage.retention.erase(interview_id, OPERATOR, clock(), "on request")
    await storage.retention.erase(interview_id, OPERATOR, clock(), "on request")
    actions = [e.action for e in await storage.audit.entries(interview_id)]
    assert actions.count("erased") == 1


async def test_inputs_parked_by_a_chat_that_is_taking_another_interview_are_kept(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    old, old_token = await invite(storage, flow, clock())
    await storage.interviews.redeem(old_token, 77, clock())
    async with storage.db.transaction() as connection:
        await connection.execute(
            "UPDATE interviews SET status = 'completed', finished_at = ? WHERE id = ?",
            (clock().isoformat(), old),
        )
    new, new_token = await invite(storage, flow, clock())
    await storage.interviews.redeem(new_token, 77, clock())
    journal = await SafetyJournal.open(journal_path(storage.db.path), storage.db.cipher)
    try:
        await journal.park(77, None, "an answer to the new interview", clock())
        await storage.retention.erase(old, OPERATOR, clock(), "on request")
        assert [p.payload for p in await journal.parked_for_chat(77)] == [
            "an answer to the new interview"
        ]
        await storage.retention.erase(new, OPERATOR, clock(), "on request")
        assert await journal.parked_for_chat(77) == []
    finally:
        await journal.close()
