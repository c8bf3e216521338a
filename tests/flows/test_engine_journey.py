"""Whole journeys: consent, branching, concerns, the summary, changing answers, time."""

from __future__ import annotations

from datetime import timedelta

from flows.inputs import Control
from flows.state import Phase
from tests.flows.helpers import Conversation, every_kind, real_flow


def test_consent_is_asked_before_any_question_and_no_means_no() -> None:
    chat = Conversation(every_kind())
    chat.start()
    assert chat.state.phase is Phase.CONSENT
    texts = chat.texts()
    assert "will read your answers" in " ".join(texts)
    chat.tap("no")
    assert chat.state.phase is Phase.DECLINED
    assert "consent_refused" in chat.event_types()
    assert chat.state.answers == {}


def test_not_now_pauses_before_consent() -> None:
    chat = Conversation(every_kind())
    chat.start()
    chat.tap("later")
    assert chat.state.phase is Phase.PAUSED
    chat.type("ok")
    assert chat.state.phase is Phase.CONSENT


def test_follow_up_is_asked_only_after_the_answer_it_follows() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.tap("yes")
    assert chat.state.current == "q_choice"
    chat.control(Control.BACK)
    chat.tap("no")
    assert chat.state.current == "q_follow_up"


def test_concern_answer_raises_a_concern_and_tells_the_person_who_will_know() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.tap("no")
    assert "concern_raised" in chat.event_types()
    concern = next(e for e in chat.last.events if e.type == "concern_raised")
    assert concern.question == "q_yes_no" and concern.reason == "answer"  # type: ignore[union-attr]
    texts = " ".join(chat.texts())
    assert "We will tell a member of staff" in texts
    assert "Childline" in texts
    assert "secret" not in texts.lower()


def test_concern_phrase_in_free_text_raises_a_concern_without_the_text_in_the_event() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.tap("no")
    chat.type("Someone HURT me last week")
    concern = [e for e in chat.last.events if e.type == "concern_raised"]
    assert concern and concern[0].reason == "words"  # type: ignore[union-attr]
    assert concern[0].category == "physical_harm"  # type: ignore[union-attr]
    assert "hurt" not in repr(concern[0]).lower()


def test_concern_phrase_typed_at_a_button_question_is_still_heard() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.tap("yes")
    chat.type("i want to kill myself")
    assert "concern_raised" in chat.event_types()
    assert chat.state.current == "q_choice"


def test_summary_shows_answers_and_nothing_is_final_until_confirmed() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    for value in ["yes", "me", "music", "_done", "3"]:
        chat.tap(value)
    chat.type("nothing more")
    chat.tap("_next")
    assert chat.state.phase is Phase.SUMMARY
    summary = " ".join(chat.texts())
    assert "Here is what you told us" in summary
    assert "I did" in summary and "Music" in summary and "nothing more" in summary
    assert "completed" not in chat.event_types()
    chat.tap("confirm")
    assert chat.state.phase is Phase.COMPLETED
    assert "completed" in chat.event_types()


def test_change_an_answer_from_the_summary_then_return_to_it() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    for value in ["yes", "me", "_done", "1"]:
        chat.tap(value)
    chat.control(Control.SKIP)
    assert chat.state.phase is Phase.SUMMARY
    chat.tap("change")
    chat.tap("first")
    chat.tap("q_yes_no")
    chat.tap("no")
    changed = next(e for e in chat.last.events if e.type == "answer_recorded")
    assert changed.previous == "yes"  # type: ignore[union-attr]
    assert chat.state.current == "q_follow_up"
    chat.type("the dark")
    chat.tap("_next")
    assert chat.state.phase is Phase.SUMMARY
    assert chat.state.answers["q_yes_no"] == "no"


def test_changing_an_answer_clears_a_follow_up_that_no_longer_applies() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.tap("no")
    chat.type("reason")
    chat.tap("_next")
    chat.control(Control.BACK)
    chat.control(Control.BACK)
    assert chat.state.current == "q_yes_no"
    chat.tap("yes")
    assert "answer_cleared" in chat.event_types()
    assert "q_follow_up" not in chat.state.answers


def test_reminders_come_once_each_then_the_interview_closes() -> None:
    flow = every_kind()
    chat = Conversation(flow)
    chat.consent()
    waiting = next(e for e in chat.last.events if e.type == "waiting")
    first_due = waiting.due  # type: ignore[union-attr]
    assert first_due == chat.at + timedelta(hours=48)
    chat.timeout(first_due - timedelta(minutes=1))
    assert chat.last.messages == []
    chat.timeout(first_due)
    assert "reminder_sent" in chat.event_types()
    chat.timeout(first_due)
    assert "reminder_sent" not in chat.event_types(), "a repeated timeout must not remind twice"
    last_due = next(e for e in chat.last.events if e.type == "waiting").due  # type: ignore[union-attr]
    chat.timeout(last_due)
    assert "last reminder" in chat.texts()[0]
    closes = next(e for e in chat.last.events if e.type == "waiting").due  # type: ignore[union-attr]
    chat.timeout(closes)
    assert chat.state.phase is Phase.EXPIRED


def test_an_answer_resets_the_reminders() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    due = next(e for e in chat.last.events if e.type == "waiting").due  # type: ignore[union-attr]
    chat.timeout(due)
    chat.tap("yes")
    assert chat.state.reminders_sent == 0


def test_no_reminder_after_the_person_stopped() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.control(Control.STOP)
    chat.tap("keep")
    assert not any(e.type == "waiting" for e in chat.last.events)
    chat.timeout(chat.at + timedelta(days=3))
    assert chat.last.messages == [] and chat.last.events == []


def test_welsh_flow_makes_the_active_offer_and_remembers_the_choice() -> None:
    chat = Conversation(real_flow("foster-carer"))
    chat.start()
    offer = chat.texts()[0]
    assert "Cymraeg" in offer and "English" in offer
    assert chat.buttons() == ["cy", "en"]
    chat.tap("cy")
    assert chat.state.language == "cy"
    assert "Helo" in chat.texts()[0]
    chat.tap("yes")
    assert "Hepgor" in " ".join(b.label for m in chat.last.messages for b in m.all_buttons())


def test_finished_interview_answers_kindly_and_changes_nothing() -> None:
    chat = Conversation(every_kind())
    chat.start()
    chat.tap("no")
    state = chat.state
    chat.type("hello?")
    assert chat.state == state
    assert "ended" in chat.texts()[0]
