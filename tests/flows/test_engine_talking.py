"""Talk to a person: asked for at any point (and after the end), it asks how and when,
records the request, and puts the person back where they were."""

from __future__ import annotations

from flows import events as ev
from flows.inputs import Control
from tests.flows.helpers import Conversation, every_kind, real_flow


def requested(conversation: Conversation) -> ev.TalkRequested:
    found = [e for e in conversation.last.events if isinstance(e, ev.TalkRequested)]
    assert len(found) == 1
    return found[0]


def test_asked_mid_question_it_records_how_and_when_then_returns_to_the_question() -> None:
    talk = Conversation(every_kind())
    talk.consent()
    assert talk.state.current == "q_yes_no"
    talk.tap("_help")
    assert "_talk" in talk.buttons(), "Talk to a person is in the help menu"
    talk.tap("_talk")
    assert "How would you like that?" in talk.texts()[-1]
    talk.tap("talk_chat")
    assert "When is a good time?" in talk.texts()[-1]
    talk.tap("talk_evening")
    request = requested(talk)
    assert (request.how, request.when, request.number) == ("chat", "evening", None)
    assert request.due > talk.at, "a due time for the call back"
    assert any("will contact you with a message here, in the evening" in t for t in talk.texts())
    assert talk.state.current == "q_yes_no" and talk.state.talk_step is None
    assert "Did you feel safe?" in talk.texts()[-1], "back where they were"
    assert "q_yes_no" not in talk.state.answers


def test_a_phone_call_takes_a_typed_number_and_typed_words_work_as_buttons() -> None:
    talk = Conversation(every_kind())
    talk.consent()
    talk.control(Control.TALK)
    talk.type("phone please")
    assert "What number should they call?" in talk.texts()[-1]
    talk.type("07700 900123")
    talk.type("any time")
    request = requested(talk)
    assert (request.how, request.number, request.when) == ("phone", "07700 900123", "any")
    assert "q_yes_no" not in talk.state.answers, "the number is not taken as an answer"


def test_not_now_changes_nothing_and_other_controls_leave_the_aside() -> None:
    talk = Conversation(every_kind())
    talk.consent()
    talk.tap("_talk")
    talk.tap("talk_cancel")
    assert not any(isinstance(e, ev.TalkRequested) for e in talk.last.events)
    assert talk.state.talk_step is None and talk.state.current == "q_yes_no"
    talk.tap("_talk")
    talk.control(Control.SKIP)
    assert talk.state.talk_step is None
    assert "q_yes_no" in talk.state.skipped


def test_after_the_end_the_ending_offers_it_and_a_request_is_taken() -> None:
    talk = Conversation(every_kind())
    talk.consent()
    for value in ("yes", "me", "_done", "2", "_skip", "confirm"):
        talk.tap(value)
    assert talk.state.finished and "_talk" in talk.buttons()
    talk.tap("_talk")
    talk.tap("talk_phone")
    talk.tap("talk_known")
    talk.tap("talk_morning")
    request = requested(talk)
    assert request.after_end and request.number is None
    assert talk.state.finished


def test_carers_are_told_the_independent_worker_will_contact_them_in_welsh_too() -> None:
    for language, words in (("en", "The independent worker"), ("cy", "Y gweithiwr annibynnol")):
        talk = Conversation(real_flow("foster-carer"))
        talk.start(language)
        talk.tap("yes")
        talk.tap("_talk")
        talk.tap("talk_chat")
        talk.tap("talk_any")
        assert any(words in t for t in talk.texts()), language


def test_in_a_web_browser_only_a_phone_call_is_offered() -> None:
    """Staff cannot write to a browser later, so "a message here" is never promised there."""
    from flows.inputs import Start

    talk = Conversation(every_kind())
    talk.send(Start(at=talk.tick(), web=True))
    talk.tap("yes")
    talk.tap("_talk")
    assert "talk_chat" not in talk.buttons() and "talk_phone" in talk.buttons()
    talk.tap("talk_chat")
    assert talk.state.talk_how is None, "a forged 'message here' is not taken"
    talk.tap("talk_phone")
    talk.tap("talk_known")
    talk.tap("talk_any")
    assert requested(talk).how == "phone"
