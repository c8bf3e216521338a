"""Tasks in storage: owners (a person, a role at a home, else the admins), claims that stop
double reminders, closing audited, and old finished interviews not flooding staff."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import aiosqlite

from storage import Cipher, Storage
from storage.migrate import migrate
from storage.tasks import NewTask
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import OPERATOR, invite, start_and_consent, tap


async def staff(storage: Storage, clock: FakeClock) -> None:
    add = storage.staff.add
    await add(1, "Ola Reviewer", "reviewer", ["Oak House"], OPERATOR, clock())
    await add(2, "Ivy Interviewer", "interviewer", ["Oak House"], OPERATOR, clock())
    await add(3, "Ada Admin", "admin", [], OPERATOR, clock())


async def test_owners_are_the_named_person_else_the_role_at_the_home_else_the_admins(
    storage: Storage, clock: FakeClock
) -> None:
    await staff(storage, clock)
    due = clock() + timedelta(days=1)
    named = await storage.tasks.create(NewTask("call_back", due, owner_user_id=2), clock(), "t")
    by_role = await storage.tasks.create(
        NewTask("read", due, service="Oak House", owner_role="reviewer"), clock(), "t"
    )
    nobody = await storage.tasks.create(
        NewTask("read", due, service="Elm House", owner_role="reviewer"), clock(), "t"
    )
    owners = {}
    for ref in (named, by_role, nobody):
        assert ref is not None
        owners[ref] = [m.name for m in await storage.tasks.owners(await storage.tasks.get(ref))]
    assert owners[named] == ["Ivy Interviewer"]
    assert owners[by_role] == ["Ola Reviewer"]
    assert owners[nobody] == ["Ada Admin"], "a home with no reviewer falls to the admins"
    await storage.staff.remove(2, OPERATOR, clock())
    assert named is not None
    fallen = await storage.tasks.owners(await storage.tasks.get(named))
    assert [m.name for m in fallen] == ["Ada Admin"], "a removed owner's task is not lost"


async def test_a_reminder_is_claimed_once_a_day_and_closing_is_audited(
    storage: Storage, clock: FakeClock
) -> None:
    ref = await storage.tasks.create(NewTask("call_back", clock()), clock(), "t")
    assert ref is not None
    task = await storage.tasks.get(ref)
    assert await storage.tasks.claim(task.id, "last_reminded_at", clock(), 86400)
    assert not await storage.tasks.claim(task.id, "last_reminded_at", clock(), 86400)
    clock.advance(days=1)
    assert await storage.tasks.claim(task.id, "last_reminded_at", clock(), 86400)
    closed = await storage.tasks.close(ref, "Called", OPERATOR, clock())
    assert closed.close_note == "Called" and not closed.open
    assert not await storage.tasks.claim(task.id, "last_reminded_at", clock.advance(days=2), 1)
    actions = [e.action for e in await storage.audit.entries()]
    assert actions.count("task_created") == 1 and actions.count("task_closed") == 1


async def test_only_one_read_task_per_interview(storage: Storage, clock: FakeClock) -> None:
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    first = NewTask("read", clock(), interview_id, "Oak House", owner_role="reviewer")
    assert await storage.tasks.create(first, clock(), "bot") is not None
    assert await storage.tasks.create(first, clock(), "bot") is None


async def test_fewer_people_makes_an_admin_task_and_no_closes_it(
    storage: Storage, clock: FakeClock
) -> None:
    from tests.flows.helpers import real_flow

    flow = real_flow("children-home")
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    await tap(storage, flow, interview_id, "yes", clock.advance(minutes=1))
    (task,) = await storage.tasks.for_interview(interview_id)
    assert task.kind == "agree_readers" and task.open and task.owner_role == "admin"
    assert (await storage.interviews.get(interview_id)).limited_circulation


async def test_upgrading_records_old_finished_interviews_as_read(
    tmp_path: Path, key: str, clock: FakeClock
) -> None:
    path = tmp_path / "old.sqlite3"
    async with aiosqlite.connect(path) as connection:
        await migrate(connection, target=9)
        await connection.execute(
            "INSERT INTO interviews (id, flow_id, flow_version, display_name, service, "
            "status, created_by, created_at, updated_at, finished_at) VALUES "
            "('iv-old', 'every-kind', '', x'00', 'Oak House', 'completed', 'operator:x', "
            "'2025-01-01T10:00:00+00:00', '2025-01-01T10:00:00+00:00', "
            "'2025-01-01T10:00:00+00:00')"
        )
        await connection.commit()
    upgraded = await Storage.open(path, Cipher(key))
    try:
        assert await upgraded.tasks.finished_without_read_task() == []
        (task,) = await upgraded.tasks.for_interview("iv-old")
        assert task.kind == "read" and not task.open and task.announced_at is not None
    finally:
        await upgraded.close()
