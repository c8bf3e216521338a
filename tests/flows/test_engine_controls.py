"""Every control works at every kind of question, and answers are kept as the person gave them."""

from __future__ import annotations

import pytest

from flows.inputs import Control
from flows.state import Phase
from tests.flows.helpers import Conversation, every_kind

# How to reach each kind of question in the every-kind flow, and a valid answer to it.
ROUTES: dict[str, tuple[list[str], str | list[str]]] = {
    "q_yes_no": ([], "yes"),
    "q_choice": (["yes"], "me"),
    "q_multi": (["yes", "me"], ["sport"]),
    "q_scale": (["yes", "me", "sport", "_done"], "2"),
    "q_text": (["yes", "me", "sport", "_done", "2"], "all fine"),
}


def at_question(question_id: str) -> Conversation:
    chat = Conversation(every_kind())
    chat.consent()
    for value in ROUTES[question_id][0]:
        chat.tap(value)
    assert chat.state.current == question_id
    return chat


@pytest.mark.parametrize("question_id", list(ROUTES))
def test_skip_moves_on_and_is_recorded(question_id: str) -> None:
    chat = at_question(question_id)
    chat.control(Control.SKIP)
    assert "question_skipped" in chat.event_types()
    assert question_id in chat.state.skipped
    assert chat.state.current != question_id


@pytest.mark.parametrize("question_id", list(ROUTES)[1:])
def test_back_returns_to_the_previous_question(question_id: str) -> None:
    chat = at_question(question_id)
    previous = chat.state.history[-1]
    chat.control(Control.BACK)
    assert chat.state.current == previous
    assert "You said:" in chat.texts()[-1]


def test_back_at_the_first_question_says_so() -> None:
    chat = at_question("q_yes_no")
    chat.control(Control.BACK)
    assert chat.state.current == "q_yes_no"
    assert "This is the first question." in chat.texts()


@pytest.mark.parametrize("question_id", list(ROUTES))
def test_pause_then_any_message_resumes_at_the_same_question(question_id: str) -> None:
    chat = at_question(question_id)
    chat.control(Control.PAUSE)
    assert chat.state.phase is Phase.PAUSED
    assert "paused" in chat.event_types()
    assert chat.buttons() == ["_resume"]
    chat.type("hello again")
    assert chat.state.phase is Phase.QUESTION
    assert chat.state.current == question_id
    assert "resumed" in chat.event_types()


def test_pause_while_paused_stays_paused() -> None:
    chat = at_question("q_choice")
    chat.control(Control.PAUSE)
    chat.control(Control.PAUSE)
    assert chat.state.phase is Phase.PAUSED
    assert "resumed" not in chat.event_types()
    assert chat.buttons() == ["_resume"]


@pytest.mark.parametrize("question_id", list(ROUTES))
@pytest.mark.parametrize("choice", ["keep", "delete"])
def test_stop_asks_whether_to_keep_then_stops(question_id: str, choice: str) -> None:
    chat = at_question(question_id)
    answered_before = dict(chat.state.answers)
    chat.control(Control.STOP)
    assert chat.state.phase is Phase.STOP_CONFIRM
    assert set(chat.buttons()) == {"keep", "delete", "resume"}
    chat.tap(choice)
    assert chat.state.phase is Phase.STOPPED
    stopped = [e for e in chat.last.events if e.type == "stopped"]
    assert stopped and stopped[0].keep is (choice == "keep")  # type: ignore[union-attr]
    assert chat.state.answers == (answered_before if choice == "keep" else {})
    assert any("Childline" in text for text in chat.texts())


@pytest.mark.parametrize("question_id", list(ROUTES))
def test_stop_then_carry_on_returns_to_the_question(question_id: str) -> None:
    chat = at_question(question_id)
    chat.control(Control.STOP)
    chat.tap("resume")
    assert chat.state.phase is Phase.QUESTION
    assert chat.state.current == question_id


@pytest.mark.parametrize("question_id", list(ROUTES))
def test_help_shows_helplines_and_keeps_the_place(question_id: str) -> None:
    chat = at_question(question_id)
    chat.control(Control.HELP)
    assert "help_shown" in chat.event_types()
    assert "Childline" in chat.texts()[0]
    assert chat.state.current == question_id
    assert chat.last.messages[-1].kind == "question"


@pytest.mark.parametrize("question_id", list(ROUTES))
def test_a_valid_answer_is_recorded(question_id: str) -> None:
    chat = at_question(question_id)
    answer = ROUTES[question_id][1]
    if question_id == "q_multi":
        for value in answer:
            chat.tap(value)
        chat.tap("_done")
    elif question_id == "q_text":
        chat.type(str(answer))
        chat.tap("_next")
    else:
        chat.tap(str(answer))
    assert chat.state.answers[question_id] == answer


def test_typed_words_match_buttons() -> None:
    chat = at_question("q_yes_no")
    chat.type("Yep")
    assert chat.state.answers["q_yes_no"] == "yes"
    chat.type("They did")
    assert chat.state.answers["q_choice"] == "them"


def test_out_of_range_scale_number_gets_a_kind_reply_and_the_same_question() -> None:
    chat = at_question("q_scale")
    chat.type("9")
    assert "Please pick a number from 1 to 3" in chat.texts()[0]
    assert chat.state.current == "q_scale"
    chat.type("3")
    assert chat.state.answers["q_scale"] == "3"


def test_typing_where_buttons_are_offered_asks_again_kindly() -> None:
    chat = at_question("q_choice")
    chat.type("banana")
    assert chat.texts()[0].startswith("Sorry, I did not understand")
    assert chat.state.current == "q_choice"


def test_a_stale_button_is_refused_and_the_current_question_shown() -> None:
    chat = at_question("q_choice")
    old_prompt = chat.state.prompt
    chat.tap("me")
    from flows.inputs import Choice

    chat.send(Choice(at=chat.tick(), value="them", prompt=old_prompt))
    assert "earlier question" in chat.texts()[0]
    assert chat.state.answers["q_choice"] == "me"


def test_multi_toggles_and_done_with_nothing_counts_as_skipped() -> None:
    chat = at_question("q_multi")
    chat.tap("sport")
    assert chat.last.messages[0].replaces_prompt
    assert "✅ Sport" in [b.label for b in chat.last.messages[0].all_buttons()]
    chat.tap("sport")
    chat.tap("_done")
    assert "q_multi" in chat.state.skipped


def test_free_text_in_several_messages_is_one_answer() -> None:
    chat = at_question("q_text")
    chat.type("first part")
    assert "tap Next" in chat.texts()[0]
    chat.type("second part")
    chat.tap("_next")
    assert chat.state.answers["q_text"] == "first part\nsecond part"
    assert chat.state.phase is Phase.SUMMARY
