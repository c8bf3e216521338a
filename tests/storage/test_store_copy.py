"""Moving an installation from SQLite to PostgreSQL keeps every interview readable."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import Cipher, Storage
from storage.postgres.copy import CopyRefused, copy_store
from storage.postgres.database import PostgresDatabase
from tests import postgres
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import OPERATOR, invite, start_and_consent, tap, type_text

WORDS = "an invented answer about the garden, 4417"


async def _filled_sqlite(path: Path, key: str, clock: FakeClock) -> str:
    storage = await Storage.open(path, Cipher(key))
    try:
        flow = every_kind()
        interview_id, _ = await invite(storage, flow, clock(), service=None)
        await start_and_consent(storage, flow, interview_id, clock())
        await tap(storage, flow, interview_id, "no", clock.advance(minutes=1))
        await type_text(storage, flow, interview_id, WORDS, clock.advance(minutes=1))
        await tap(storage, flow, interview_id, "_next", clock.advance(minutes=1))
        await storage.outbox.add(1, "a reply", clock())
        return interview_id
    finally:
        await storage.close()


async def test_a_copied_installation_serves_its_old_interviews(
    tmp_path: Path, key: str, clock: FakeClock
) -> None:
    interview_id = await _filled_sqlite(tmp_path / "old.sqlite3", key, clock)
    source = await Storage.open(tmp_path / "old.sqlite3", Cipher(key))
    async with postgres.fresh_database() as url:
        target = await Storage.open(url, Cipher(key))
        try:
            assert isinstance(target.db, PostgresDatabase)
            report = await copy_store(source.db, target.db)
            assert report.rows["answers"] >= 2 and report.answers_checked >= 2
            record = await target.transcripts.read(interview_id, OPERATOR, clock())
            assert record.answers["q_follow_up"] == WORDS
            assert record.interview.display_name == "Test Person A"
            old_ids = [row[0] for row in await source.db.fetch_all("SELECT id FROM outbox")]
            new = await target.outbox.add(1, "after the move", clock())
            assert new.id > max(old_ids), "an outbox id was given out twice"
            with pytest.raises(CopyRefused, match="already holds data"):
                await copy_store(source.db, target.db)
        finally:
            await target.close()
            await source.close()
