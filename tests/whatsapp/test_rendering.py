"""Every engine message fits WhatsApp's limits, loses no answer, and keeps the controls out
of the answers' way."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bot.whatsapp.rendering import (
    MAX_ROW_TITLE,
    parse_button_id,
    render,
    tappable,
)
from flows.outputs import Button, Message
from flows.prompts import _control_rows
from tests.fake_whatsapp import SentMessage, _limits

CONTROLS = _control_rows("en")


def question(*labels: str, controls: bool = True, text: str = "Which one?") -> Message:
    answers = tuple((Button(label, f"v{n}"),) for n, label in enumerate(labels))
    return Message(text, "question", answers + (CONTROLS if controls else ()), prompt=4)


def shown(message: Message) -> list[SentMessage]:
    return [SentMessage("", "", part.body) for part in render(message, "iv-1", "en")]


def test_two_answers_are_buttons_with_more_beside_them() -> None:
    [sent] = shown(question("Yes", "No"))
    assert sent.kind == "button"
    assert [title for _, title in sent.choices] == ["Yes", "No", "More"]


def test_three_answers_fill_the_buttons_and_the_controls_are_typed() -> None:
    [sent] = shown(question("Yes", "No", "Not sure"))
    assert [title for _, title in sent.choices] == ["Yes", "No", "Not sure"]
    assert "back" in sent.body["interactive"]["footer"]["text"]


def test_an_answer_too_long_for_a_button_makes_a_list_with_its_whole_words() -> None:
    words = "Someone I trust at the home who listens"
    [sent] = shown(question("Yes", words))
    assert sent.kind == "list"
    rows = [row for s in sent.body["interactive"]["action"]["sections"] for row in s["rows"]]
    long = next(row for row in rows if row["title"].startswith("Someone"))
    assert len(long["title"]) <= MAX_ROW_TITLE and long["description"] == words
    assert rows[-1]["title"] == "More"


def test_twelve_answers_go_in_two_lists_and_none_is_lost() -> None:
    labels = [f"Answer {n}" for n in range(12)]
    sent = shown(question(*labels))
    assert [s.kind for s in sent] == ["list", "list"]
    titles = [title for s in sent for _, title in s.choices if title != "More"]
    assert titles == labels


def test_a_long_question_goes_first_as_text_when_buttons_cannot_hold_it() -> None:
    text = "Some words.\n\n" + "x" * 1500 + "\n\nWhich one?"
    sent = shown(question("Yes", "No", text=text))
    assert [s.kind for s in sent] == ["text", "button"]
    assert sent[1].text == "Which one?"


def test_a_message_without_buttons_is_text_and_helplines_are_tappable() -> None:
    [sent] = shown(Message("Childline: call 0800 1111 any time. Or 999 or 116 123.", "help"))
    assert sent.kind == "text"
    assert sent.text.startswith("Childline: call +44 800 1111 any time. Or 999 or 116 123.\n\n")
    assert "Delete chat" in sent.text, "help says how to leave quickly and delete the chat"
    assert tappable("already +44 800 1111") == "already +44 800 1111"


def test_a_reply_id_says_which_interview_and_prompt_it_belongs_to() -> None:
    [sent] = shown(question("Yes", "No"))
    press = parse_button_id(sent.choices[0][0])
    assert press is not None and (press.interview_id, press.prompt, press.value) == (
        "iv-1",
        4,
        "v0",
    )
    assert parse_button_id("a|iv-1|four|v0") is None and parse_button_id("junk") is None


@given(
    st.lists(st.text(min_size=1, max_size=80), min_size=1, max_size=25),
    st.booleans(),
    st.text(min_size=1, max_size=5000),
)
def test_whatever_the_flow_says_it_fits_whatsapps_limits(
    labels: list[str], controls: bool, text: str
) -> None:
    sent = shown(question(*labels, controls=controls, text=text))
    for message in sent:
        if message.kind in {"button", "list"}:
            assert _limits(message.body) is None, message.body
        else:
            assert len(message.text) <= 4096
    pressed = [parse_button_id(choice_id) for s in sent for choice_id, _ in s.choices]
    values = [press.value for press in pressed if press is not None]
    assert values == [f"v{n}" for n in range(len(labels))], "every answer once, in order"


def test_a_free_text_question_offers_more_alone_and_words_are_typed() -> None:
    [sent] = shown(question(controls=True, text="Anything else?"))
    assert sent.kind == "button" and [title for _, title in sent.choices] == ["More"]
