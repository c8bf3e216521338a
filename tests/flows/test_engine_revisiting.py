"""Going back never costs an answer by accident, and the opening is short."""

from __future__ import annotations

import re

from flows.inputs import Control
from flows.state import Phase
from flows.text import pick
from tests.flows.helpers import Conversation, every_kind, real_flow


def answered_then_back() -> Conversation:
    chat = Conversation(every_kind())
    chat.consent()
    chat.tap("no")
    chat.type("the older kids")
    chat.tap("_next")
    chat.control(Control.BACK)
    assert chat.state.current == "q_follow_up"
    return chat


def test_a_revisited_text_answer_can_be_kept_with_one_tap() -> None:
    chat = answered_then_back()
    assert "_keep" in chat.buttons()
    assert "the older kids" in " ".join(chat.texts())
    chat.tap("_keep")
    assert chat.state.current == "q_choice"
    assert chat.state.answers["q_follow_up"] == "the older kids"
    assert "answer_cleared" not in chat.event_types()


def test_a_revisited_button_answer_can_be_kept_too() -> None:
    chat = answered_then_back()
    chat.control(Control.BACK)
    assert chat.state.current == "q_yes_no"
    chat.tap("_keep")
    assert chat.state.current == "q_follow_up", "the follow-up under the kept answer stays"
    assert chat.state.answers["q_yes_no"] == "no"


def test_skip_on_an_answered_question_says_the_answer_was_taken_out() -> None:
    chat = answered_then_back()
    chat.control(Control.SKIP)
    assert "q_follow_up" not in chat.state.answers
    assert any("took out your answer" in text for text in chat.texts())


def test_skip_on_an_unanswered_question_says_nothing_of_answers() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.control(Control.SKIP)
    assert not any("took out" in text for text in chat.texts())


def test_no_keep_button_on_a_question_never_answered() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    assert "_keep" not in chat.buttons()


def words_before_first_button(chat: Conversation) -> int:
    words = 0
    for message in chat.last.messages:
        words += len(re.findall(r"[\w'’]+", message.text))
        if message.buttons:
            return words
    raise AssertionError("no button in the opening")


def test_the_young_peoples_opening_is_short_and_says_who_reads_first() -> None:
    chat = Conversation(real_flow("children-home"))
    chat.start()
    assert words_before_first_button(chat) <= 60
    assert "read your answers" in chat.texts()[0]
    assert "tell someone" in chat.texts()[0], "the limit of confidentiality comes first"
    assert "more" in chat.buttons()


def test_tell_me_more_gives_the_rest_and_asks_again() -> None:
    flow = real_flow("children-home")
    chat = Conversation(flow)
    chat.start()
    chat.tap("more")
    told = " ".join(chat.texts())
    for message in flow.introduction.messages:
        assert pick(message, "en") in told
    assert chat.state.phase is Phase.CONSENT
    assert {"yes", "no", "later"} <= set(chat.buttons())


def test_fewer_people_is_the_first_question_and_not_sure_is_answered() -> None:
    chat = Conversation(real_flow("children-home"))
    chat.consent()
    assert chat.state.current == "fewer_people"
    chat.tap("not_sure")
    assert any("change this at the end" in text for text in chat.texts())
    assert not chat.state.limited_circulation


def test_fewer_people_can_be_changed_in_the_review() -> None:
    flow = real_flow("children-home")
    chat = Conversation(flow)
    chat.consent()
    chat.tap("no")
    while chat.state.phase is not Phase.SUMMARY:
        chat.control(Control.SKIP)
    chat.tap("change")
    chat.tap("your_answers")
    chat.tap("fewer_people")
    chat.tap("yes")
    assert chat.state.limited_circulation
    assert chat.state.phase is Phase.SUMMARY


def test_bad_news_questions_have_plain_buttons_and_others_keep_their_faces() -> None:
    flow = real_flow("children-home")
    bullied = flow.question("bullied")
    happy = flow.question("happy_living_here")
    for question, expect_thumbs in ((bullied, False), (happy, True)):
        chat = Conversation(flow)
        chat.consent()
        chat.state = chat.state.model_copy(update={"current": question.id})
        chat.control(Control.HELP)
        labels = [b.label for m in chat.last.messages for b in m.all_buttons() if b.value == "yes"]
        assert labels, question.id
        assert ("👍" in labels[-1]) is expect_thumbs, question.id


def test_changing_a_several_choice_answer_leaves_the_earlier_state_as_it_was() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.tap("yes")
    chat.tap("me")
    chat.tap("sport")
    chat.tap("music")
    chat.tap("_done")
    assert chat.state.answers["q_multi"] == ["sport", "music"]
    answered = chat.state
    chat.control(Control.BACK)
    assert chat.state.current == "q_multi"
    chat.tap("music")
    chat.tap("games")
    chat.tap("_done")
    assert chat.state.answers["q_multi"] == ["sport", "games"]
    assert answered.answers["q_multi"] == ["sport", "music"], "the earlier state kept its own"
