"""Small things people type: thumbs, Welsh yes and no, empty lines; and Welsh review words."""

from __future__ import annotations

import pytest

from flows.inputs import Control
from flows.prompts import plain_word
from tests.flows.helpers import Conversation, every_kind, real_flow


@pytest.mark.parametrize(("typed", "value"), [("👍", "yes"), ("👎🏽", "no"), ("🤷", "not_sure")])
def test_a_typed_thumb_is_the_button_it_shows(typed: str, value: str) -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.type(typed)
    assert chat.state.answers["q_yes_no"] == value


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("oeddwn", "yes"),
        ("Nac oeddwn", "no"),
        ("ydw", "yes"),
        ("nac ydw", "no"),
        ("ydy", "yes"),
        ("nac ydy", "no"),
        ("oedd", "yes"),
        ("nac oedd", "no"),
        ("do", "yes"),
        ("naddo", "no"),
        ("ie", "yes"),
        ("na", "no"),
        ("nag oedd", "no"),
    ],
)
def test_welsh_yes_and_no_are_understood(typed: str, value: str) -> None:
    chat = Conversation(real_flow("foster-carer"))
    chat.start(language="cy")
    chat.tap("yes")
    while chat.state.current != "out_of_hours":
        chat.control(Control.SKIP)
    chat.type(typed)
    assert chat.state.answers["out_of_hours"] == value


def test_an_empty_line_is_not_an_answer() -> None:
    chat = Conversation(every_kind())
    chat.consent()
    chat.tap("no")
    chat.type("   ")
    assert chat.state.draft_text == []
    chat.type("real words")
    assert chat.state.draft_text == ["real words"]


def test_the_welsh_review_says_skipped_in_full() -> None:
    assert plain_word("skipped", "cy") == "wedi'i hepgor"
    assert plain_word("yes", "en") == "Yes"
