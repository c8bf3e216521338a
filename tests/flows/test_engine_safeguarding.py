"""The engine hears signs of risk wherever they are typed, and help is one tap away."""

from __future__ import annotations

from flows.events import ConcernRaised
from flows.inputs import Aside, Choice, Command, Control
from flows.state import Phase
from tests.flows.helpers import Conversation, every_kind, real_flow


def concerns(chat: Conversation) -> list[ConcernRaised]:
    return [e for e in chat.last.events if isinstance(e, ConcernRaised)]


def finish(chat: Conversation) -> None:
    chat.consent()
    while chat.state.phase is not Phase.SUMMARY:
        chat.control(Control.SKIP)
    chat.tap("confirm")
    assert chat.state.phase is Phase.COMPLETED


def test_a_disclosure_after_the_ending_raises_a_concern_and_reopens_nothing() -> None:
    chat = Conversation(every_kind())
    finish(chat)
    chat.type("i want to kill myself")
    [concern] = concerns(chat)
    assert concern.after_end and concern.severity == "urgent"
    assert chat.state.phase is Phase.COMPLETED
    assert "Childline" in " ".join(chat.texts())


def test_a_disclosure_after_declining_is_heard() -> None:
    chat = Conversation(every_kind())
    chat.start()
    chat.tap("no")
    assert chat.state.phase is Phase.DECLINED
    chat.type("he hits me")
    assert concerns(chat)[0].category == "physical_harm"


def test_a_disclosure_while_paused_is_heard() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.control(Control.PAUSE)
    chat.type("im scared of one of the staff")
    assert concerns(chat)[0].category == "feeling_unsafe"


def test_an_edit_or_a_caption_is_checked_and_changes_nothing() -> None:
    for source in ("edited", "caption"):
        chat = Conversation(every_kind())
        chat.consent()
        before = chat.state.model_copy()
        chat.send(Aside(at=chat.tick(), text="he touched me", source=source))
        assert concerns(chat)[0].category == "sexual_harm_exploitation"
        assert chat.state.current == before.current and chat.state.answers == before.answers


def test_an_ordinary_edit_gets_a_kind_word_and_no_concern() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.send(Aside(at=chat.tick(), text="i meant yes", source="edited"))
    assert concerns(chat) == []
    assert "I keep what you first sent" in chat.texts()[0]


def test_help_offers_a_button_that_tells_staff_at_once_from_any_point() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.control(Control.HELP)
    assert "_unsafe" in chat.buttons()
    old_prompt = chat.state.prompt
    chat.tap("yes")
    chat.send(Choice(at=chat.tick(), value="_unsafe", prompt=old_prompt))
    [concern] = concerns(chat)
    assert concern.reason == "asked_for_help" and concern.severity == "urgent"
    assert any("999" in text for text in chat.texts())
    assert chat.state.current == "q_choice"


def test_i_need_help_now_works_after_the_ending_too() -> None:
    chat = Conversation(every_kind())
    finish(chat)
    chat.send(Command(at=chat.tick(), control=Control.UNSAFE))
    assert concerns(chat)[0].reason == "asked_for_help"
    assert chat.state.phase is Phase.COMPLETED


def test_yes_to_being_upset_asks_what_happened_and_decides_on_that() -> None:
    chat = Conversation(real_flow("children-home"))
    chat.consent()
    while chat.state.current != "upset_by_something":
        chat.control(Control.SKIP)
    chat.tap("yes")
    assert concerns(chat) == []
    assert chat.state.current == "what_happened"
    chat.type("a staff member grabbed my arm")
    assert concerns(chat)[0].category == "physical_harm"


def test_not_feeling_safe_is_still_a_concern() -> None:
    chat = Conversation(real_flow("children-home"))
    chat.consent()
    while chat.state.current != "felt_safe":
        chat.control(Control.SKIP)
    chat.tap("no")
    assert concerns(chat)[0].category == "feeling_unsafe"


def test_feeling_like_hurting_oneself_is_urgent_and_the_reply_says_what_happens_next() -> None:
    chat = Conversation(real_flow("children-home"))
    chat.consent()
    chat.type("I feel like hurting myself")
    [concern] = concerns(chat)
    assert concern.category == "suicide_self_harm" and concern.severity == "urgent"
    assert concern.tier == "red" and concern.span == (2, 26)
    said = " ".join(chat.texts())
    assert "0800 1111" in said and "116 123" in said
    assert "working day" in said and "999" in said
    assert "secret" not in said.lower()


def test_an_amber_answer_is_recorded_and_the_person_sees_only_a_gentle_line() -> None:
    chat = Conversation(real_flow("children-home"))
    chat.consent()
    chat.type("the police came round again last week")
    [concern] = concerns(chat)
    assert concern.tier == "amber"
    said = " ".join(chat.texts())
    assert "Talk to a person" in said and "Help" in said
    assert "0800 1111" not in said and "call 999" not in said
