"""Property tests: no input sequence crashes the engine or leaves it in a bad state."""

from __future__ import annotations

from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flows import Flow, InterviewState, step
from flows.inputs import Choice, Command, Control, Input, Start, Text, Timeout
from flows.state import Phase
from flows.visibility import visible
from storage.codec import encode_state
from tests.flows.helpers import T0, every_kind, real_flow

FLOWS = {
    "every-kind": every_kind(),
    "children-home": real_flow("children-home"),
    "foster-carer": real_flow("foster-carer"),
}


def inputs_for(flow: Flow) -> st.SearchStrategy[list[tuple[str, str, int]]]:
    values = sorted(
        {v for q in flow.questions() for v in q.answer_values()}
        | {q.id for q in flow.questions()}
        | {s.id for s in flow.sections}
        | {
            "yes",
            "no",
            "later",
            "keep",
            "delete",
            "resume",
            "confirm",
            "change",
            "summary",
            "_next",
            "_done",
            "_resume",
            "_skip",
            "_back",
            "cy",
            "en",
            "forged",
        }
    )
    one = st.tuples(
        st.sampled_from(["start", "text", "choice", "stale", "command", "timeout"]),
        st.one_of(st.sampled_from(values), st.text(max_size=60)),
        st.integers(min_value=0, max_value=24 * 40),
    )
    return st.lists(one, max_size=60)


def build(kind: str, value: str, hours: int, state: InterviewState, now: object) -> Input:
    at = T0 + timedelta(hours=hours)
    if kind == "start":
        return Start(at=at)
    if kind == "text":
        return Text(at=at, text=value)
    if kind == "choice":
        return Choice(at=at, value=value, prompt=state.prompt)
    if kind == "stale":
        return Choice(at=at, value=value, prompt=state.prompt - 1)
    if kind == "command":
        controls = list(Control)
        return Command(at=at, control=controls[len(value) % len(controls)])
    return Timeout(at=at)


def assert_valid(flow: Flow, state: InterviewState) -> None:
    ids = {q.id for q in flow.questions()}
    assert set(state.answers) <= ids
    assert set(state.skipped) <= ids
    assert not set(state.answers) & set(state.skipped)
    if state.phase is Phase.QUESTION:
        assert state.current in ids
        assert visible(flow, state, flow.question(state.current))
    for question_id in state.answers:
        assert visible(flow, state, flow.question(question_id))
    assert InterviewState.model_validate_json(state.model_dump_json()) == state
    assert InterviewState.model_validate_json(encode_state(state)) == state


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), flow_id=st.sampled_from(sorted(FLOWS)))
def test_random_inputs_never_crash_and_leave_a_valid_state(
    data: st.DataObject, flow_id: str
) -> None:
    flow = FLOWS[flow_id]
    state = InterviewState(flow_id=flow.id)
    for kind, value, hours in data.draw(inputs_for(flow)):
        before = state.model_dump_json()
        result = step(flow, state, build(kind, value, hours, state, None))
        assert state.model_dump_json() == before, "step never changes the state it is given"
        assert all(m.text for m in result.messages), "every message has words"
        state = result.state
        assert_valid(flow, state)


@settings(max_examples=60, deadline=None)
@given(flow_id=st.sampled_from(sorted(FLOWS)), seed=st.randoms(use_true_random=False))
def test_any_interview_reaches_its_ending_in_a_bounded_number_of_inputs(
    flow_id: str, seed: object
) -> None:
    import random

    assert isinstance(seed, random.Random)
    flow = FLOWS[flow_id]
    state = step(flow, InterviewState(flow_id=flow.id), Start(at=T0, language="en")).state
    state = step(flow, state, Choice(at=T0, value="yes", prompt=state.prompt)).state
    bound = 4 * len(flow.questions()) + 5
    for _ in range(bound):
        if state.phase is Phase.COMPLETED:
            break
        if state.phase is Phase.SUMMARY:
            inp: Input = Choice(at=T0, value="confirm", prompt=state.prompt)
        else:
            question = flow.question(state.current or "")
            if question.kind == "text" and state.draft_text:
                inp = Choice(at=T0, value="_next", prompt=state.prompt)
            elif question.kind == "text":
                inp = Text(at=T0, text=seed.choice(["fine", "ok", "no idea"]))
            elif question.kind == "multi":
                inp = Choice(at=T0, value="_done", prompt=state.prompt)
            elif seed.random() < 0.2:
                inp = Command(at=T0, control=Control.SKIP)
            else:
                inp = Choice(
                    at=T0, value=seed.choice(question.answer_values()), prompt=state.prompt
                )
        state = step(flow, state, inp).state
    else:
        raise AssertionError(f"not finished after {bound} inputs")
