"""The service applies each input once, in order, even when many arrive at the same moment."""

from __future__ import annotations

import asyncio
import itertools

from bot.core.answer import InterviewService
from flows.inputs import Choice, Text
from storage import Storage
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import invite


async def test_two_inputs_for_one_interview_at_once_are_both_applied_in_order(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    service = InterviewService(storage, {flow.id: flow}, clock)
    interview_id, token = await invite(storage, flow, clock())
    await service.open_invitation(token, 77)
    state = await storage.interviews.state(interview_id)
    await service.handle(interview_id, Choice(at=clock(), value="yes", prompt=state.prompt))
    await service.handle(
        interview_id,
        Choice(
            at=clock(), value="no", prompt=(await storage.interviews.state(interview_id)).prompt
        ),
    )
    await asyncio.gather(
        service.handle(interview_id, Text(at=clock(), text="part one"), update_id=1),
        service.handle(interview_id, Text(at=clock(), text="part two"), update_id=2),
    )
    state = await storage.interviews.state(interview_id)
    assert state.draft_text == ["part one", "part two"]


async def test_hundreds_of_people_at_once_lose_and_double_nothing(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    service = InterviewService(storage, {flow.id: flow}, clock)
    people = [await invite(storage, flow, clock(), name=f"P{n}") for n in range(200)]
    update_ids = itertools.count(1)

    async def take_part(n: int, interview_id: str, token: str) -> None:
        await service.open_invitation(token, 1000 + n)
        for value in ("yes", "yes", "me", "music", "_done", "3"):
            state = await storage.interviews.state(interview_id)
            await service.handle(
                interview_id,
                Choice(at=clock(), value=value, prompt=state.prompt),
                update_id=next(update_ids),
            )
            await asyncio.sleep(0)

    await asyncio.gather(*(take_part(n, i, t) for n, (i, t) in enumerate(people)))
    rows = await storage.db.fetch_all(
        "SELECT COUNT(*), COUNT(DISTINCT interview_id || question_id) FROM answers"
    )
    assert rows[0][0] == rows[0][1] == 200 * 4
    for interview_id, _ in people[:5]:
        assert (await storage.interviews.state(interview_id)).current == "q_text"
