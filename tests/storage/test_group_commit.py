"""Inputs that arrive together share a commit, yet each stands or falls on its own."""

from __future__ import annotations

import asyncio
import sqlite3

import pytest

from storage import Storage
from storage.batch import Statement, UnitOfWork, run_batch, shared_order
from storage.errors import StaleStateError, StorageUnavailable
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import invite, start_and_consent

INSERT_UPDATE = "INSERT INTO processed_updates (update_id, handled_at) VALUES (?, 'x')"


def marker(update_id: int) -> UnitOfWork:
    unit = UnitOfWork()
    unit.add(INSERT_UPDATE, (update_id,), id_from="processed_updates")
    return unit


async def count_updates(storage: Storage) -> int:
    row = await storage.db.fetch_one("SELECT COUNT(*) FROM processed_updates")
    assert row is not None
    return int(row[0])


@pytest.mark.sqlite_only
async def test_units_arriving_together_share_one_commit(storage: Storage) -> None:
    """SQLite only: group commit is SQLite's (PostgreSQL shares WAL flushes itself)."""
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


@pytest.mark.parametrize(("units", "owned"), [(1, False), (300, False), (300, True)])
async def test_every_unit_gets_its_own_row_ids(storage: Storage, units: int, owned: bool) -> None:
    """Written one by one or together (owned units), each caller hears the id of its own
    message, even when older messages were deleted meanwhile."""
    old = await storage.db.commit_unit(outbox_row(-1, owned))
    assert old is not None
    storage.outbox.mark_delivered(old)

    results = await asyncio.gather(
        *(storage.db.commit_unit(outbox_row(n, owned)) for n in range(units))
    )
    ids = [result[0] for result in results if result is not None]
    assert len(set(ids)) == units
    for n, row_id in enumerate(ids):
        row = await storage.db.fetch_one("SELECT chat_id FROM outbox WHERE id = ?", (row_id,))
        assert row is not None and row[0] == n


def outbox_row(n: int, owned: bool) -> UnitOfWork:
    unit = UnitOfWork(owner=f"owner-{n}" if owned else None)
    unit.add(
        "INSERT INTO outbox (chat_id, payload, created_at) VALUES (?, ?, 'x')",
        (n, b"p"),
        id_from="outbox",
    )
    return unit


INSERT_META = "INSERT INTO meta (key, value) VALUES (?, 'v')"
DELETE_META = "DELETE FROM meta WHERE key = ?"


async def meta_keys(storage: Storage) -> list[str]:
    rows = await storage.db.fetch_all("SELECT key FROM meta WHERE value = 'v' ORDER BY key")
    return [row[0] for row in rows]


@pytest.mark.parametrize("owned", [True, False])
async def test_units_written_together_keep_each_units_own_order(
    storage: Storage, owned: bool
) -> None:
    """One unit deletes what it has just written (as stopping and deleting does); another
    unit in the same batch only deletes. The first unit's delete must still come after its
    insert, whatever order the other unit suggests. Units without owners may touch the
    same rows, so they also keep the order in which they came."""
    only_deletes = UnitOfWork(owner="a" if owned else None)
    only_deletes.add(DELETE_META, ("a-gone",) if owned else ("kept",))
    writes_then_deletes = UnitOfWork(owner="b" if owned else None)
    writes_then_deletes.add(INSERT_META, ("b-gone",))
    writes_then_deletes.add(DELETE_META, ("b-gone",))
    keeps = UnitOfWork(owner="c" if owned else None)
    keeps.add(INSERT_META, ("kept",))
    await asyncio.gather(
        *(storage.db.commit_unit(unit) for unit in (only_deletes, writes_then_deletes, keeps))
    )
    assert await meta_keys(storage) == ["kept"]


def test_statements_share_an_order_only_when_every_unit_keeps_its_own() -> None:
    def unit(*sqls: str) -> UnitOfWork:
        made = UnitOfWork()
        for sql in sqls:
            made.add(sql)
        return made

    together = shared_order([unit("a", "b", "d"), unit("a", "c", "d"), unit("c", "c", "d")])
    assert together is not None
    order = [group[0][2].sql for group in together]
    assert order.index("a") < order.index("b") < order.index("d")
    assert order.index("c") < order.index("d")
    assert shared_order([unit("a", "b"), unit("b", "a")]) is None
    assert shared_order([unit("a", "b", "a")]) is None


async def test_a_unit_built_on_a_changed_row_is_refused_alone(storage: Storage) -> None:
    await storage.db.commit_unit(marker(500))

    def expects(key: str) -> UnitOfWork:
        unit = UnitOfWork(owner=key)
        unit.add(INSERT_META, (f"after-{key}",))
        unit.add(
            "UPDATE processed_updates SET handled_at = 'y' WHERE update_id = ?",
            (int(key),),
            changes_one=True,
        )
        return unit

    other = UnitOfWork(owner="other")
    other.add(INSERT_META, ("other",))
    outcomes = await asyncio.gather(
        storage.db.commit_unit(expects("500")),
        storage.db.commit_unit(expects("404")),
        storage.db.commit_unit(other),
        return_exceptions=True,
    )
    assert isinstance(outcomes[1], StaleStateError)
    assert not isinstance(outcomes[0], BaseException)
    assert not isinstance(outcomes[2], BaseException)
    assert await meta_keys(storage) == ["after-500", "other"], "the refused unit wrote nothing"


def test_units_of_different_interviews_are_written_with_one_call_per_statement() -> None:
    connection = sqlite3.connect(":memory:", isolation_level=None)
    connection.execute("CREATE TABLE rows (owner TEXT, n INTEGER)")
    calls: list[str] = []
    connection.set_trace_callback(calls.append)
    units = []
    for n in range(50):
        unit = UnitOfWork(owner=f"iv-{n}")
        unit.add("INSERT INTO rows VALUES (?, 1)", (f"iv-{n}",))
        unit.add_many("INSERT INTO rows VALUES (?, ?)", [(f"iv-{n}", 2), (f"iv-{n}", 3)])
        units.append(unit)
    results = run_batch(connection, units, [])
    assert results == [[0, 0]] * 50
    assert connection.execute("SELECT COUNT(*) FROM rows").fetchone()[0] == 150
    assert not any("SAVEPOINT unit" in sql for sql in calls), "no unit was written alone"


async def test_a_repeated_update_among_many_is_skipped_and_the_rest_written(
    storage: Storage,
) -> None:
    def guarded(update_id: int) -> UnitOfWork:
        unit = UnitOfWork(
            guard=Statement(f"INSERT OR IGNORE {INSERT_UPDATE[7:]}", (update_id,)),
            owner=str(update_id),
        )
        unit.add(INSERT_META, (f"seen-{update_id}",))
        return unit

    await storage.db.commit_unit(guarded(3))
    outcomes = await asyncio.gather(*(storage.db.commit_unit(guarded(n)) for n in range(1, 6)))
    assert [outcome is None for outcome in outcomes] == [False, False, True, False, False]
    assert await meta_keys(storage) == [f"seen-{n}" for n in range(1, 6)]
