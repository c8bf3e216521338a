"""What can happen to an interview: the person says or taps something, or time passes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, Field

from flows.text import Language


class Control(StrEnum):
    """The things a person can do at any question, besides answering it."""

    SKIP = "skip"
    BACK = "back"
    PAUSE = "pause"
    STOP = "stop"
    HELP = "help"
    UNSAFE = "unsafe"
    TALK = "talk"


class Start(BaseModel):
    """The person opened their invitation. A language given here skips the language offer."""

    kind: Literal["start"] = "start"
    at: datetime
    language: Language | None = None
    # Opened in a web browser, which the bot cannot write to later (no "message here").
    web: bool = False


class Text(BaseModel):
    """The person typed something."""

    kind: Literal["text"] = "text"
    at: datetime
    text: str


class Choice(BaseModel):
    """The person tapped a button; `prompt` is the prompt the button belonged to."""

    kind: Literal["choice"] = "choice"
    at: datetime
    value: str
    prompt: int | None = None


class Command(BaseModel):
    """The person used a control (a command such as /skip, or a control button)."""

    kind: Literal["command"] = "command"
    at: datetime
    control: Control


class Aside(BaseModel):
    """Text the person sent that is not an answer: an edited message, or a photo's caption.
    It is checked for signs of risk and kept in the transcript; the interview stays where it is."""

    kind: Literal["aside"] = "aside"
    at: datetime
    text: str
    source: Literal["edited", "caption"]


class Voice(BaseModel):
    """The person sent a voice note (or an audio file), already kept by storage as
    `voice_id`; `seconds` is its length when the channel knows it."""

    kind: Literal["voice"] = "voice"
    at: datetime
    voice_id: str
    seconds: int | None = None


class Timeout(BaseModel):
    """Time passed: the shell found a reminder or the closing time due for this interview."""

    kind: Literal["timeout"] = "timeout"
    at: datetime


Input = Annotated[
    Start | Text | Choice | Command | Aside | Voice | Timeout, Field(discriminator="kind")
]


def asks_for_help_now(inp: Input) -> bool:
    """Whether an input is the one-tap "I need help now" (the button or /unsafe)."""
    if isinstance(inp, Command):
        return inp.control is Control.UNSAFE
    return isinstance(inp, Choice) and inp.value == "_unsafe"
