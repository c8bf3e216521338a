"""The web chat's "minutes left" comes from how long finished interviews of the same flow
took once there are enough of them, and from the flow's own estimate before that; the
count of questions leaves out those branched over."""

from __future__ import annotations

import math
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

from bot.web.pace import ENOUGH, Pace
from bot.web.view import flow_pace, progress
from flows.state import InterviewState, Phase
from tests.flows.helpers import every_kind


class Finished:
    def __init__(self, durations: list[float]) -> None:
        self.durations = durations

    async def completed_durations(self, flow_id: str, limit: int = 200) -> list[float]:
        return self.durations


def app_with(durations: list[float]) -> Any:
    flow = every_kind()
    return SimpleNamespace(
        clock=lambda: datetime(2026, 1, 5, 10, tzinfo=UTC),
        flows={flow.id: flow},
        storage=SimpleNamespace(interviews=Finished(durations)),
    )


def at_first_question() -> InterviewState:
    return InterviewState(flow_id="every-kind", phase=Phase.QUESTION, current="q_yes_no")


async def test_minutes_left_follow_finished_interviews_once_there_are_enough() -> None:
    flow = every_kind()
    slow = Pace(app_with([50 * 60.0] * ENOUGH))
    await slow.refresh(flow.id)
    pace = slow.seconds_a_question(flow.id)
    assert pace is not None
    shown = progress(flow, at_first_question(), pace)
    assert shown is not None and shown.total == 5 and shown.done == 0
    assert shown.minutes_left == 50, "five questions that took fifty minutes in all"


async def test_too_few_finished_interviews_fall_back_to_the_flows_estimate() -> None:
    flow = every_kind()
    few = Pace(app_with([50 * 60.0] * (ENOUGH - 1)))
    await few.refresh(flow.id)
    assert few.seconds_a_question(flow.id) is None
    shown = progress(flow, at_first_question(), few.seconds_a_question(flow.id))
    assert shown is not None
    assert shown.minutes_left == math.ceil(5 * flow_pace(flow) / 60)


def test_a_follow_up_counts_only_once_its_answer_opens_it() -> None:
    flow = every_kind()
    state = at_first_question()
    state.answers["q_yes_no"] = "no"
    state.current = "q_follow_up"
    shown = progress(flow, state, None)
    assert shown is not None and (shown.done, shown.total) == (1, 6)
