"""What the engine asks the shell to show: messages with their buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from flows.events import Event
from flows.state import InterviewState

MessageKind = Literal["question", "info", "help", "concern", "summary", "reminder", "ending"]


@dataclass(frozen=True, slots=True)
class Button:
    """A tap-able answer. `value` goes back to the engine in a Choice input."""

    label: str
    value: str


@dataclass(frozen=True, slots=True)
class Message:
    """One message for the person. `replaces_prompt` lets a channel edit the last prompt."""

    text: str
    kind: MessageKind = "info"
    buttons: tuple[tuple[Button, ...], ...] = ()
    prompt: int | None = None
    replaces_prompt: bool = False

    def all_buttons(self) -> list[Button]:
        """The buttons row by row, as one list, for channels that number them."""
        return [button for row in self.buttons for button in row]


@dataclass(frozen=True, slots=True)
class Step:
    """The result of one input: the new state, what to send, and what happened."""

    state: InterviewState
    messages: list[Message] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    chosen: str | None = None
