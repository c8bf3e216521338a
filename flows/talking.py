"""The engine's "Talk to a person": at any point, and after the end, the person can ask
for someone to contact them, saying how (this chat or a phone call) and when.

It is a short aside that does not move the interview: when it is done (or put aside with
"Not now") the person is back where they were.
"""

from __future__ import annotations

from flows import events as ev
from flows.inputs import Aside, Choice, Command, Control, Input, Text
from flows.matching import match_button, normalise
from flows.outputs import Button, Message
from flows.state import Phase
from flows.text import pick
from flows.turn import TurnBase
from flows.wording import say
from flows.workdays import add_working_days

TALK = "_talk"
MAX_NUMBER_LENGTH = 40


KEYWORDS: dict[str, tuple[str, ...]] = {
    "talk_chat": ("message", "chat", "text", "here", "neges", "yma"),
    "talk_phone": ("phone", "call", "ring", "ffon", "ffonio", "galwad"),
    "talk_known": ("have my number", "have it", "got it", "ganddyn"),
    "talk_morning": ("morning", "bore"),
    "talk_afternoon": ("afternoon", "prynhawn"),
    "talk_evening": ("evening", "night", "noswaith", "nos"),
    "talk_any": ("any", "anytime", "whenever", "unrhyw"),
    "talk_cancel": ("not now", "cancel", "no thanks", "dim nawr"),
}
"""Words that choose a talk button when typed, for people who type rather than tap."""


def _by_keyword(text: str, buttons: list[Button]) -> Button | None:
    """The one button on screen whose keywords the text contains; None if none or several."""
    words = f" {normalise(text)} "
    hits = [b for b in buttons if any(f" {k} " in words for k in KEYWORDS.get(b.value, ()))]
    return hits[0] if len(hits) == 1 else None


class Talking(TurnBase):
    """The "Talk to a person" aside."""

    def _talk_input(self, inp: Input) -> bool:
        """Handle an input that belongs to the aside; False if it is not the aside's."""
        if self._asks_to_talk(inp):
            if self.state.phase is Phase.NEW:
                return False
            self.state.talk_step = "how"
            self.state.talk_how = None
            self.state.talk_number = None
            self._talk_prompt()
            return True
        step = self.state.talk_step
        if step is None:
            return False
        if isinstance(inp, Choice) and inp.value.startswith("talk_"):
            self._talk_value(inp.value)
            return True
        if isinstance(inp, Text):
            buttons = [b for row in self._talk_rows() for b in row]
            typed = match_button(inp.text, buttons) or _by_keyword(inp.text, buttons)
            if typed is None and step == "number":
                self.state.talk_number = inp.text.strip()[:MAX_NUMBER_LENGTH]
                self.state.talk_step = "when"
                self._talk_prompt()
                return True
            if typed is None:
                self.say("tap_button")
                self._talk_prompt()
            else:
                self._talk_value(typed.value)
            return True
        if isinstance(inp, Aside):
            return False
        self.state.talk_step = None
        return False

    @staticmethod
    def _asks_to_talk(inp: Input) -> bool:
        if isinstance(inp, Command):
            return inp.control is Control.TALK
        return isinstance(inp, Choice) and inp.value == TALK

    def _talk_value(self, value: str) -> None:
        """Only the buttons on the prompt shown count (on the web chat, no "message here")."""
        if value not in {b.value for row in self._talk_rows() for b in row}:
            self._talk_prompt()
        elif value == "talk_cancel":
            self.state.talk_step = None
            self.say("talk_not_now")
            self._back_from_talk()
        elif self.state.talk_step == "how":
            self.state.talk_how = value.removeprefix("talk_")
            self.state.talk_step = "number" if value == "talk_phone" else "when"
            self._talk_prompt()
        elif self.state.talk_step == "number":
            self.state.talk_step = "when"
            self._talk_prompt()
        else:
            self._talk_requested(value.removeprefix("talk_"))

    def _talk_requested(self, when: str) -> None:
        how = self.state.talk_how or "chat"
        self.events.append(
            ev.TalkRequested(
                how=how,
                when=when,
                number=self.state.talk_number,
                due=add_working_days(self.at, 1),
                after_end=self.state.finished,
            )
        )
        self.state.talk_step = None
        self.state.talk_how = None
        self.state.talk_number = None
        who = (
            pick(self.flow.talk_who, self.lang)
            if self.flow.talk_who
            else say("talk_who", self.lang)
        )
        self.say(
            "talk_done",
            who=who,
            how=say(f"talk_by_{how}", self.lang),
            when=say(f"talk_when_{when}", self.lang),
        )
        self._back_from_talk()

    def _back_from_talk(self) -> None:
        if not self.state.finished:
            self._present()

    def _talk_rows(self) -> tuple[tuple[Button, ...], ...]:
        step = self.state.talk_step
        cancel = (Button(say("talk_cancel", self.lang), "talk_cancel"),)
        if step == "how" and self.state.web:
            return ((Button(say("talk_phone", self.lang), "talk_phone"),), cancel)
        if step == "how":
            return (
                (Button(say("talk_chat", self.lang), "talk_chat"),),
                (Button(say("talk_phone", self.lang), "talk_phone"),),
                cancel,
            )
        if step == "number":
            return ((Button(say("talk_known", self.lang), "talk_known"),), cancel)
        return (
            (
                Button(say("talk_morning", self.lang), "talk_morning"),
                Button(say("talk_afternoon", self.lang), "talk_afternoon"),
            ),
            (
                Button(say("talk_evening", self.lang), "talk_evening"),
                Button(say("talk_any", self.lang), "talk_any"),
            ),
            cancel,
        )

    def _talk_prompt(self) -> None:
        key = f"talk_ask_{self.state.talk_step}"
        self.messages.append(
            Message(say(key, self.lang), "question", self._talk_rows(), self.state.prompt)
        )
