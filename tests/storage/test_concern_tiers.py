"""Concern tiers in storage: an upgraded database keeps its concerns as red, and only red
ones are alerted or escalated; an amber one's read-today task is made once."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import aiosqlite

from storage import Cipher, Storage
from storage.concerns import INSERT_RAISED, concern_detail
from storage.migrate import migrate
from storage.tasks import NewTask
from tests.conftest import FakeClock


async def test_an_upgraded_database_keeps_its_concerns_as_red(
    tmp_path: Path, key: str, clock: FakeClock
) -> None:
    path = tmp_path / "old.sqlite3"
    cipher = Cipher(key)
    async with aiosqlite.connect(path) as connection:
        await migrate(connection, cipher, target=13)
        await connection.execute(
            "INSERT INTO interviews (id, flow_id, flow_version, display_name, service, "
            "status, created_by, created_at, updated_at) VALUES ('iv-old', 'every-kind', '', "
            "x'00', 'Oak House', 'in_progress', 'operator:x', '2026-01-01T10:00:00+00:00', "
            "'2026-01-01T10:00:00+00:00')"
        )
        detail = concern_detail(None, "words", "neglect", None, False)
        await connection.execute(
            "INSERT INTO concerns (interview_id, severity, detail, raised_at) "
            "VALUES ('iv-old', 'serious', ?, '2026-01-01T10:00:00+00:00')",
            (cipher.encrypt(detail),),
        )
        await connection.commit()
    upgraded = await Storage.open(path, cipher)
    try:
        (concern,) = await upgraded.concerns.for_interview("iv-old")
        assert concern.tier == "red" and concern.span is None and concern.decision is None
        due = await upgraded.concerns.due_for_alert(clock(), 900, 3600)
        assert [c.id for c in due] == [concern.id]
    finally:
        await upgraded.close()


async def test_amber_is_never_due_for_an_alert_and_gets_one_read_today_task(
    tmp_path: Path, key: str, clock: FakeClock
) -> None:
    storage = await Storage.open(tmp_path / "db.sqlite3", Cipher(key))
    try:
        async with storage.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO interviews (id, flow_id, flow_version, display_name, service, "
                "status, created_by, created_at, updated_at) VALUES ('iv-a', 'every-kind', "
                "'', x'00', 'Oak House', 'in_progress', 'operator:x', ?, ?)",
                (clock().isoformat(), clock().isoformat()),
            )
            detail = concern_detail("q", "words", "threats", None, False, (2, 9), "a threat")
            await connection.execute(
                INSERT_RAISED,
                ("iv-a", "serious", storage.db.seal(detail), clock().isoformat(), "amber"),
            )
        (amber,) = await storage.concerns.for_interview("iv-a")
        assert amber.tier == "amber" and amber.span == (2, 9) and amber.source == "a threat"
        assert await storage.concerns.due_for_alert(clock(), 900, 3600) == []
        assert await storage.concerns.open_everywhere() == [], "never escalated as undelivered"
        task = NewTask("read_today", clock() + timedelta(hours=6), "iv-a", "Oak House")
        assert await storage.concerns.make_read_today_task(amber.id, task, clock())
        assert not await storage.concerns.make_read_today_task(amber.id, task, clock())
        assert await storage.concerns.amber_without_task() == []
        (made,) = await storage.tasks.for_interview("iv-a")
        assert made.kind == "read_today" and made.announced_at is not None
        assert await storage.concerns.claim_digest("2026-03-02", clock(), 1)
        assert not await storage.concerns.claim_digest("2026-03-02", clock(), 1)
    finally:
        await storage.close()
