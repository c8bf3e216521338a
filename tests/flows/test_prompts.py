"""What the person tapped is shown in the words of the button they saw, on every question."""

from __future__ import annotations

import pytest

from flows import Flow, InterviewState
from flows.prompts import Prompter
from flows.state import Phase
from tests.flows.helpers import every_kind, real_flow

FLOWS = [
    every_kind(),
    real_flow("children-home"),
    real_flow("children-home-easy-read"),
    real_flow("foster-carer"),
]


@pytest.mark.parametrize("flow", FLOWS, ids=lambda flow: flow.id)
def test_a_tapped_value_reads_as_the_first_button_on_screen_with_it(flow: Flow) -> None:
    checked = 0
    for language in flow.languages:
        for question in flow.questions():
            for answered in (False, True):
                state = InterviewState(
                    flow_id=flow.id, language=language, phase=Phase.QUESTION, current=question.id
                )
                if answered and question.answer_values():
                    state.answers[question.id] = question.answer_values()[0]
                prompter = Prompter(flow, state)
                on_screen = prompter.current_buttons()
                for value in {b.value for b in on_screen} | {"not-a-button", "_keep"}:
                    first = next((b.label for b in on_screen if b.value == value), None)
                    assert prompter.label_for(value) == first, (question.id, value)
                    checked += 1
    assert checked > 100
