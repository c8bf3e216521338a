"""Button data that can be checked, and long texts cut where Telegram accepts them."""

from __future__ import annotations

import pytest

from bot.telegram.keyboards import (
    ButtonPress,
    answer_data,
    parse_ack,
    parse_answer,
    split_for_telegram,
)
from flows.prompts import utf16_length


def test_a_buttons_data_says_which_interview_prompt_and_answer() -> None:
    data = answer_data("iv-1a2b3c", 7, "not_sure")
    assert parse_answer(data) == ButtonPress("iv-1a2b3c", 7, "not_sure")
    assert parse_answer(answer_data("iv-1a2b3c", None, "yes")) == ButtonPress(
        "iv-1a2b3c", None, "yes"
    )


@pytest.mark.parametrize(
    "forged", ["", "ack|4", "a|iv-1|x|yes", "a|iv-1|7", "b|iv-1|7|yes", "a|iv-1|-3|yes"]
)
def test_data_that_is_not_ours_is_refused(forged: str) -> None:
    assert parse_answer(forged) is None


def test_an_answer_too_long_for_telegrams_64_bytes_is_refused_when_made() -> None:
    with pytest.raises(ValueError, match="shorten the option id"):
        answer_data("iv-1a2b3c", 7, "x" * 60)


def test_an_alert_button_names_its_concern() -> None:
    assert parse_ack("ack|42") == 42
    assert parse_ack("ack|forty") is None
    assert parse_ack("a|42") is None


def test_a_long_text_is_cut_at_line_ends_without_losing_anything() -> None:
    lines = [f"Line {n}: " + "words " * 40 for n in range(60)]
    text = "\n".join(lines)
    pieces = split_for_telegram(text, limit=1000)
    assert len(pieces) > 1
    assert all(utf16_length(piece) <= 1000 for piece in pieces)
    assert "\n".join(pieces) == text


def test_one_enormous_line_is_cut_too_even_inside_emoji() -> None:
    text = "😀" * 3000  # each counts two towards Telegram's limit
    pieces = split_for_telegram(text, limit=1000)
    assert all(utf16_length(piece) <= 1000 for piece in pieces)
    assert "".join(pieces) == text
