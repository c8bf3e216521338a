"""Engine messages as Telegram messages: inline keyboards, and button data that can be checked."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import TelegramError

from bot.core.numbers import whole_number
from flows.outputs import Message
from flows.prompts import shortened, utf16_length
from flows.text import Language

ANSWER_PREFIX = "a"
ACK_PREFIX = "ack"
MAX_CALLBACK_BYTES = 64
TELEGRAM_LIMIT = 4000
"""A little under Telegram's 4,096 UTF-16 units, for safety."""


@dataclass(frozen=True)
class ButtonPress:
    """What a person's button press claims: which interview, which prompt, which value."""

    interview_id: str
    prompt: int | None
    value: str


def answer_data(interview_id: str, prompt: int | None, value: str) -> str:
    """Callback data for an answer button; fits Telegram's 64-byte limit."""
    data = f"{ANSWER_PREFIX}|{interview_id}|{prompt if prompt is not None else ''}|{value}"
    if len(data.encode("utf-8")) > MAX_CALLBACK_BYTES:
        raise ValueError(f"button value too long for Telegram: {value!r}; shorten the option id")
    return data


def parse_answer(data: str) -> ButtonPress | None:
    """The claim in a button's data, or None if it is not one of ours."""
    parts = data.split("|", 3)
    if len(parts) != 4 or parts[0] != ANSWER_PREFIX:
        return None
    _, interview_id, prompt, value = parts
    number = whole_number(prompt) if prompt else None
    if prompt and number is None:
        return None
    return ButtonPress(interview_id, number, value)


def keyboard(message: Message, interview_id: str) -> InlineKeyboardMarkup | None:
    """The message's buttons as an inline keyboard, or None if it has none."""
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    b.label, callback_data=answer_data(interview_id, message.prompt, b.value)
                )
                for b in row
            ]
            for row in message.buttons
        ]
    )


def staff_keyboard(message: Message) -> InlineKeyboardMarkup | None:
    """Buttons for staff actions: each button's value is its callback data."""
    if not message.buttons:
        return None
    return InlineKeyboardMarkup(
        [
            [InlineKeyboardButton(b.label, callback_data=b.value) for b in row]
            for row in message.buttons
        ]
    )


def ack_keyboard(concern_id: int) -> InlineKeyboardMarkup:
    """The button staff press to say they have taken a concern on."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "✅ I am dealing with this", callback_data=f"{ACK_PREFIX}|{concern_id}"
                )
            ]
        ]
    )


def parse_ack(data: str) -> int | None:
    parts = data.split("|")
    if len(parts) == 2 and parts[0] == ACK_PREFIX:
        return whole_number(parts[1])
    return None


def split_for_telegram(text: str, limit: int = TELEGRAM_LIMIT) -> list[str]:
    """A text in pieces Telegram accepts (it counts UTF-16 units and refuses past 4,096),
    split at line ends where it can, never losing a character."""
    pieces: list[str] = []
    current = ""
    for line in text.splitlines() or [""]:
        while utf16_length(line) > limit:
            head = shortened(line, limit + 1)[:-1] or line[:1]
            pieces.append(head)
            line = line[len(head) :]
        joined = f"{current}\n{line}" if current else line
        if current and utf16_length(joined) > limit:
            pieces.append(current)
            current = line
        else:
            current = joined
    if current or not pieces:
        pieces.append(current)
    return pieces


async def answer_press(query: CallbackQuery, text: str | None = None) -> None:
    """Stop the button's spinner. Cosmetic: if Telegram fails here, the press still counts."""
    with contextlib.suppress(TelegramError):
        await query.answer(text)


def app_language(update: Update) -> Language:
    """Welsh if the person's Telegram app is set to Welsh, else English: for people the bot
    does not know yet (no interview to take the language from)."""
    user = update.effective_user
    code = (user.language_code or "") if user is not None else ""
    return "cy" if code.lower().startswith("cy") else "en"
