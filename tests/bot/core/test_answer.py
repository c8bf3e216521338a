"""The service applies each input once, in order, even when many arrive at the same moment."""

from __future__ import annotations

import asyncio
import itertools

import pytest

from bot.core.answer import InterviewService
from flows import Flow
from flows.inputs import Choice, Text
from storage import Cipher, Storage
from storage.errors import NotFound
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import OPERATOR, invite


async def opened_interview(
    storage: Storage, clock: FakeClock
) -> tuple[Flow, InterviewService, str]:
    """A service, and an interview whose invitation chat 77 has just opened."""
    flow = every_kind()
    service = InterviewService(storage, {flow.id: flow}, clock)
    interview_id, token = await invite(storage, flow, clock())
    await service.open_invitation(token, 77)
    return flow, service, interview_id


async def test_two_inputs_for_one_interview_at_once_are_both_applied_in_order(
    storage: Storage, clock: FakeClock
) -> None:
    _, service, interview_id = await opened_interview(storage, clock)
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


async def another_process(storage: Storage, key: str) -> Storage:
    """The same database opened again, as a command run beside the bot would open it."""
    return await Storage.open(storage.db.path, Cipher(key))


async def test_an_input_after_another_process_wrote_starts_from_what_it_wrote(
    storage: Storage, clock: FakeClock, key: str
) -> None:
    flow, bot, interview_id = await opened_interview(storage, clock)
    for value in ("yes", "no"):
        state = await storage.interviews.state(interview_id)
        await bot.handle(interview_id, Choice(at=clock(), value=value, prompt=state.prompt))
    await bot.handle(interview_id, Text(at=clock(), text="part one"))
    other = await another_process(storage, key)
    try:
        beside = InterviewService(other, {flow.id: flow}, clock)
        await beside.handle(interview_id, Text(at=clock(), text="part two"))
    finally:
        await other.close()
    await bot.handle(interview_id, Text(at=clock(), text="part three"))
    state = await storage.interviews.state(interview_id)
    assert state.draft_text == ["part one", "part two", "part three"]


async def test_an_interview_erased_by_another_process_is_not_brought_back_by_a_late_input(
    storage: Storage, clock: FakeClock, key: str
) -> None:
    _, bot, interview_id = await opened_interview(storage, clock)
    other = await another_process(storage, key)
    try:
        await other.retention.erase(interview_id, OPERATOR, clock(), "asked to")
    finally:
        await other.close()
    with pytest.raises(NotFound):
        await bot.handle(interview_id, Text(at=clock(), text="written after the erasure"))
    rows = await storage.db.fetch_all(
        "SELECT (SELECT COUNT(*) FROM transcript WHERE interview_id = ?), "
        "(SELECT state IS NULL FROM interviews WHERE id = ?)",
        (interview_id, interview_id),
    )
    assert tuple(rows[0]) == (0, 1), "nothing written, and the state stays erased"
