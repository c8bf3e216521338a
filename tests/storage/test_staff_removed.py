"""Issue 25, item 6: a member of staff who is removed receives nothing already queued."""

from __future__ import annotations

from storage import Storage
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import OPERATOR, invite, start_and_consent, tap


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


async def test_item_6_an_alert_waiting_for_a_removed_member_counts_as_not_delivered(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    await storage.services.add("Oak House", OPERATOR, clock())
    await storage.staff.add(601, "Staff A", "reviewer", ["Oak House"], OPERATOR, clock())
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    await tap(storage, flow, interview_id, "no", clock())
    (concern,) = await storage.concerns.for_interview(interview_id)
    queued = await storage.outbox.add(601, "Possible safeguarding concern", clock(), priority=2)
    await storage.concerns.record_alert(concern.id, 601, queued.id, clock())
    await storage.staff.remove(601, OPERATOR, clock())
    (after,) = await storage.concerns.for_interview(interview_id)
    assert [d.state for d in after.deliveries if d.user_id == 601] == ["failed"]
    assert not after.delivered
