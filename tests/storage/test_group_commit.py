"""Inputs that arrive together share a commit, yet each stands or falls on its own."""

from __future__ import annotations

import asyncio

import pytest

from storage import Storage
from storage.errors import StorageUnavailable
from storage.group_commit import Statement, UnitOfWork
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import invite, start_and_consent

INSERT_UPDATE = "INSERT INTO processed_updates (update_id, handled_at) VALUES (?, 'x')"


def marker(update_id: int) -> UnitOfWork:
    unit = UnitOfWork()
    unit.add(INSERT_UPDATE, (update_id,))
    return unit


async def count_updates(storage: Storage) -> int:
    row = await storage.db.fetch_one("SELECT COUNT(*) FROM processed_updates")
    assert row is not None
    return int(row[0])


async def test_units_arriving_together_share_one_commit(storage: Storage) -> None:
    commits = 0
    committer = storage.db._committer
    run = committer._run

    async def counting_run(*args: object) -> object:
        nonlocal commits
        commits += 1
        return await run(*args)  # type: ignore[arg-type]

    committer._run = counting_run  # type: ignore[method-assign]
    results = await asyncio.gather(*(storage.db.commit_unit(marker(n)) for n in range(100)))
    assert results == [[n] for n in range(100)], "each caller hears its own row's id"
    assert await count_updates(storage) == 100
    assert commits < 10, f"{commits} commits for 100 units arriving at once"


async def test_a_failing_unit_is_undone_alone(storage: Storage) -> None:
    broken = marker(2)
    broken.add("INSERT INTO no_such_table VALUES (1)")
    outcomes = await asyncio.gather(
        storage.db.commit_unit(marker(1)),
        storage.db.commit_unit(broken),
        storage.db.commit_unit(marker(3)),
        return_exceptions=True,
    )
    assert isinstance(outcomes[1], StorageUnavailable)
    assert not isinstance(outcomes[0], BaseException)
    assert not isinstance(outcomes[2], BaseException)
    rows = await storage.db.fetch_all("SELECT update_id FROM processed_updates ORDER BY 1")
    assert [row[0] for row in rows] == [1, 3], "the broken unit's first statement was undone"


async def test_a_guarded_unit_runs_once(storage: Storage) -> None:
    def guarded() -> UnitOfWork:
        unit = UnitOfWork(guard=Statement(f"INSERT OR IGNORE {INSERT_UPDATE[7:]}", (7,)))
        unit.add("INSERT INTO meta (key, value) VALUES ('seen-7', 'yes')")
        return unit

    first, second = await asyncio.gather(
        storage.db.commit_unit(guarded()), storage.db.commit_unit(guarded())
    )
    assert (first is None) != (second is None), "exactly one of two identical updates runs"


async def test_bookkeeping_rides_with_the_next_commit_or_soon_after(storage: Storage) -> None:
    storage.db.write_later(Statement(INSERT_UPDATE, (40,)))
    assert storage.db.writes_later_pending()
    await storage.db.commit_unit(marker(41))
    assert not storage.db.writes_later_pending()
    assert await count_updates(storage) == 2
    storage.db.write_later(Statement(INSERT_UPDATE, (42,)))
    for _ in range(50):
        if not storage.db.writes_later_pending():
            break
        await asyncio.sleep(0.05)
    assert await count_updates(storage) == 3, "written within a moment with no commit to join"


async def test_outbox_ids_are_never_given_out_twice(storage: Storage, clock: FakeClock) -> None:
    """A message must never take the id of one already sent (or of a tracked alert)."""
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    first = await storage.outbox.unsent()
    await storage.outbox.mark_sent([m.id for m in first])
    later = await storage.outbox.add(5, "{}", clock())
    assert later.id > max(m.id for m in first)


async def test_a_delivered_message_is_not_offered_again_before_its_removal_is_written(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    waiting = await storage.outbox.unsent_for_chat(1)
    assert waiting
    storage.outbox.mark_delivered([m.id for m in waiting])
    assert await storage.outbox.unsent_for_chat(1) == []
    await storage.db.commit_unit(marker(99))
    assert await storage.outbox.unsent_for_chat(1) == []
    row = await storage.db.fetch_one("SELECT COUNT(*) FROM outbox WHERE chat_id = 1")
    assert row is not None and row[0] == 0


@pytest.mark.parametrize("units", [1, 300])
async def test_every_unit_gets_its_own_row_ids(storage: Storage, units: int) -> None:
    def outbox_row(n: int) -> UnitOfWork:
        unit = UnitOfWork()
        unit.add("INSERT INTO outbox (chat_id, payload, created_at) VALUES (?, ?, 'x')", (n, b"p"))
        return unit

    results = await asyncio.gather(*(storage.db.commit_unit(outbox_row(n)) for n in range(units)))
    ids = [result[0] for result in results if result is not None]
    assert len(set(ids)) == units
    for n, row_id in enumerate(ids):
        row = await storage.db.fetch_one("SELECT chat_id FROM outbox WHERE id = ?", (row_id,))
        assert row is not None and row[0] == n
