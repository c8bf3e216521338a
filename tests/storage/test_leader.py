"""One leader for the scheduled work: on PostgreSQL several workers share a database and
only one may send re-alerts and reminders; if it dies another takes over within the lease.
On SQLite the one process always leads. And what `health` reads, on both stores."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from types import SimpleNamespace
from typing import cast

import pytest

from bot.core.concerns import ConcernAlerter
from bot.core.context import AppContext
from bot.core.delivery import Delivery
from bot.core.scheduler import Job, Scheduler
from storage import Cipher, Storage
from storage.leader import LEASE_SECONDS, SchedulerLeader, probe
from tests.conftest import FakeClock


async def test_one_of_two_workers_leads_and_the_other_takes_over_when_it_stops(
    storage: Storage, database_address: str, key: str, clock: FakeClock, store_kind: str
) -> None:
    second = await Storage.open(database_address, Cipher(key))
    try:
        first_leader, second_leader = SchedulerLeader(storage.db), SchedulerLeader(second.db)
        assert await first_leader.claim("worker-a", clock())
        follower_leads = await second_leader.claim("worker-b", clock())
        if store_kind == "sqlite":
            # One process runs the bot on SQLite: whoever asks leads, a restart never waits.
            assert follower_leads
            return
        assert not follower_leads
        clock.advance(seconds=LEASE_SECONDS - 5)
        assert await first_leader.claim("worker-a", clock()), "the leader renews its lease"
        clock.advance(seconds=LEASE_SECONDS - 1)
        assert not await second_leader.claim("worker-b", clock()), "the renewed lease holds"
        # worker-a stops renewing (it died): once its lease runs out, worker-b leads.
        clock.advance(seconds=2)
        assert await second_leader.claim("worker-b", clock())
        assert not await first_leader.claim("worker-a", clock())
        lease = await first_leader.current()
        assert lease.leader_id == "worker-b"
        assert lease.lease_until == clock() + timedelta(seconds=LEASE_SECONDS)
    finally:
        await second.close()


@pytest.mark.parametrize("workers", [6])
async def test_workers_claiming_at_the_same_moment_get_exactly_one_leader(
    storage: Storage,
    database_address: str,
    key: str,
    clock: FakeClock,
    store_kind: str,
    workers: int,
) -> None:
    if store_kind == "sqlite":
        pytest.skip("one process on SQLite: it always leads (the test above)")
    opened = [await Storage.open(database_address, Cipher(key)) for _ in range(workers)]
    try:
        results = await asyncio.gather(
            *(
                SchedulerLeader(each.db).claim(f"worker-{n}", clock())
                for n, each in enumerate(opened)
            )
        )
        assert sum(results) == 1
    finally:
        for each in opened:
            await each.close()


async def test_health_reads_the_database_its_version_and_the_lease(
    storage: Storage, database_address: str, clock: FakeClock
) -> None:
    before = await probe(database_address)
    assert before.reachable and before.migrated
    assert before.lease.leader_id == ""
    assert not before.healthy_at(clock()), "nobody leads the scheduled work yet"
    await SchedulerLeader(storage.db).claim("worker-a", clock())
    led = await probe(database_address)
    assert led.lease.leader_id == "worker-a"
    assert led.lease.renewed_at == clock()
    assert led.healthy_at(clock())
    assert not led.healthy_at(clock() + timedelta(seconds=LEASE_SECONDS + 1))


async def test_health_says_when_the_database_cannot_be_reached() -> None:
    missing = await probe("sqlite:/nonexistent-folder-for-health/none.sqlite3")
    assert not missing.reachable and not missing.migrated
    assert missing.problem == "no database file"
    unreachable = await probe("postgresql://postgres@127.0.0.1:1/none")
    assert not unreachable.reachable
    assert unreachable.problem == "OperationalError"


async def test_only_the_leading_scheduler_runs_the_scheduled_work(
    storage: Storage, database_address: str, key: str, clock: FakeClock, store_kind: str
) -> None:
    """Two workers' schedulers tick side by side: the re-alerts and reminders run on one
    only; when it stops ticking, the other runs them once the lease has run out."""
    second = await Storage.open(database_address, Cipher(key))
    try:
        runs: list[str] = []
        realerts: dict[str, Job] = {}
        for name, opened in (("a", storage), ("b", second)):
            app = cast(AppContext, SimpleNamespace(storage=opened, clock=clock))
            sender = cast(Delivery, SimpleNamespace(flush_all=None))
            scheduler = Scheduler(app, sender, cast(ConcernAlerter, None))
            assert scheduler.jobs()["parked"] == scheduler.parked, "each worker's own inputs"

            async def realert(name: str = name) -> None:
                runs.append(name)

            realerts[name] = scheduler.led(realert)

        async def tick(*names: str) -> None:
            for name in names:
                await realerts[name]()

        await tick("a", "b")
        if store_kind == "sqlite":
            assert runs == ["a", "b"], "one process on SQLite: whichever ticks leads"
            return
        for _ in range(6):
            clock.advance(seconds=LEASE_SECONDS / 3)
            await tick("a", "b")
        assert runs == ["a"] * 7
        runs.clear()
        clock.advance(seconds=LEASE_SECONDS - 1)
        await tick("b")
        assert runs == [], "worker a's lease still holds"
        clock.advance(seconds=2)
        await tick("b", "a")
        assert runs == ["b"], "a stopped renewing: b took over, and a stands down"
    finally:
        await second.close()


async def test_the_every_few_seconds_replay_job_keeps_the_lease(
    storage: Storage, clock: FakeClock
) -> None:
    """The jobs tick every 30 s by default, longer than the lease: the 5-second replay job
    every worker runs is what renews it, so health never sees a lapsed lease between ticks."""
    app = cast(AppContext, SimpleNamespace(storage=storage, clock=clock))
    scheduler = Scheduler(app, cast(Delivery, None), cast(ConcernAlerter, None))
    leader = SchedulerLeader(storage.db)
    for _ in range(12):
        await scheduler.parked()
        lease = await leader.current()
        assert lease.leader_id == scheduler.me
        assert lease.held_at(clock() + timedelta(seconds=5))
        clock.advance(seconds=5)
