"""Every question of every real flow, in each of its languages, is shown on WhatsApp within
its limits and with every answer (the flows are written for Telegram first)."""

from __future__ import annotations

import pytest

from bot.whatsapp.rendering import parse_button_id, render
from flows.prompts import Prompter
from flows.state import InterviewState, Phase
from tests.fake_whatsapp import SentMessage, _limits
from tests.flows.helpers import real_flow

REAL_FLOWS = ("children-home", "children-home-easy-read", "foster-carer")


@pytest.mark.parametrize("flow_id", REAL_FLOWS)
def test_every_question_fits_whatsapp(flow_id: str) -> None:
    flow = real_flow(flow_id)
    for language in flow.languages:
        for question in flow.questions():
            state = InterviewState(
                flow_id=flow.id, language=language, phase=Phase.QUESTION, current=question.id
            )
            message = Prompter(flow, state).question_message(question)
            sent = [SentMessage("", "", p.body) for p in render(message, "iv-1", language, flow)]
            for part in sent:
                if part.kind in {"button", "list"}:
                    assert _limits(part.body) is None, (question.id, language, part.body)
            pressed = [parse_button_id(c) for part in sent for c, _ in part.choices]
            values = {press.value for press in pressed if press is not None}
            answers = {b.value for b in message.all_buttons() if not b.value.startswith("_")}
            assert answers <= values, (question.id, language)
