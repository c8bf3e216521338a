"""Issue 25, item 6: a member of staff who is removed receives nothing already queued."""

from __future__ import annotations

from storage import Storage
from tests.conftest import FakeClock
from tests.storage.helpers import OPERATOR


async def test_item_6_a_removed_member_of_staff_receives_nothing_already_queued(
    storage: Storage, clock: FakeClock
) -> None:
    await storage.services.add("Oak House", OPERATOR, clock())
    await storage.staff.add(601, "Staff A", "reviewer", ["Oak House"], OPERATOR, clock())
    await storage.staff.add(602, "Staff B", "reviewer", ["Oak House"], OPERATOR, clock())
    await storage.outbox.add(601, "An alert for A", clock(), priority=2)
    await storage.outbox.add(602, "An alert for B", clock(), priority=2)
    await storage.staff.remove(601, OPERATOR, clock())
    assert await storage.outbox.unsent_for_chat(601) == []
    assert 601 not in await storage.outbox.chats_waiting()
    assert [m.chat_id for m in await storage.outbox.unsent_for_chat(602)] == [602]
