"""The engine: one input in, the new state, the messages to send and the events out.

Pure and synchronous. The clock arrives inside each input (`at`); nothing here reads it,
sleeps, or touches the outside world.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import datetime, timedelta

from flows import events as ev
from flows.asking import Asking
from flows.caring import Caring
from flows.inputs import (
    Aside,
    Choice,
    Command,
    Input,
    Start,
    Text,
    Timeout,
    Voice,
    asks_for_help_now,
)
from flows.matching import match_button
from flows.model import Flow
from flows.outputs import Button, Message, Step
from flows.reviewing import Reviewing
from flows.state import InterviewState, Phase
from flows.talking import Talking
from flows.text import LANGUAGES, Language, pick
from flows.visibility import visible
from flows.wording import say

ALWAYS_VALID = frozenset({"_unsafe", "_help", "_talk"})
"""Buttons that work whenever they are pressed, even on an old message: help must never
be refused as 'for an earlier question'."""


@functools.cache
def hours(count: float) -> timedelta:
    """A flow's reminder and closing delays as time spans, made once each: every step
    works out when the interview next needs a reminder."""
    return timedelta(hours=count)


def step(flow: Flow, state: InterviewState, inp: Input) -> Step:
    """Take one input through the interview. The state passed in is never changed."""
    turn = _Turn(flow, state.clone(), inp.at)
    turn.handle(inp)
    return turn.result()


class _Turn(Asking, Reviewing, Caring, Talking):
    """One step: the parts put together, and the dispatch between them."""

    def handle(self, inp: Input) -> None:
        if isinstance(inp, Start) and inp.web:
            self.state.web = True
        if isinstance(inp, Timeout):
            self._timeout()
            return
        if isinstance(inp, Text | Aside):
            self._check_words(inp.text)
        if asks_for_help_now(inp):
            self._unsafe()
            if not self.state.finished and self.state.phase is not Phase.NEW:
                self._present()
            return
        if isinstance(inp, Voice):
            self._voice(inp)
            return
        if self._talk_input(inp):
            return
        if self.state.finished:
            self._finished_reply()
            return
        if isinstance(inp, Aside):
            self.say(f"aside_{inp.source}")
            return
        self.state.last_activity = self.at
        self.state.reminders_sent = 0
        if self.state.phase is Phase.NEW:
            self._open(inp.language if isinstance(inp, Start) else None)
            return
        if self.state.phase is Phase.PAUSED:
            self._while_paused(inp)
            return
        if isinstance(inp, Start):
            self._present(resumed=True)
            return
        value = self._value_of(inp)
        if value is None:
            return
        self._route(value, inp)

    def _value_of(self, inp: Text | Choice | Command) -> str | None:
        """Turn any input into a button value, or None once it has been dealt with."""
        if isinstance(inp, Command):
            return f"_{inp.control.value}"
        if isinstance(inp, Choice):
            if inp.value in ALWAYS_VALID:
                return inp.value
            if inp.prompt is not None and inp.prompt != self.state.prompt:
                self.say("stale_button")
                self._present()
                return None
            return inp.value
        if self.state.phase is Phase.QUESTION and self._current_question().kind == "text":
            typed = match_button(inp.text, self.prompter.controls() + self._next_button())
            if typed is not None and (typed.value != "_next" or self.state.draft_text):
                return typed.value
            self._take_text(inp.text)
            return None
        buttons = self.prompter.current_buttons()
        typed = match_button(inp.text, buttons)
        if typed is None:
            self._invalid(inp.text)
            return None
        return typed.value

    def _route(self, value: str, inp: Text | Choice | Command) -> None:
        """Controls work in every phase; anything else is the phase's to handle."""
        if isinstance(inp, Choice):
            self.chosen = self.prompter.label_for(value)
        control = CONTROL_MOVES.get(value)
        if control is not None:
            control(self)
            return
        move = PHASE_MOVES.get(self.state.phase)
        if move is not None:
            move(self, value)

    def _open(self, language: Language | None) -> None:
        if language is not None:
            self.state.language = language
            self.events.append(ev.LanguageChosen(language=language))
            self._introduce()
        elif len(self.flow.languages) > 1:
            self.state.phase = Phase.LANGUAGE
            self._present()
        else:
            self.state.language = self.flow.languages[0]
            self._introduce()

    def _language_chosen(self, value: str) -> None:
        if value not in LANGUAGES or value not in self.flow.languages:
            self._present()
            return
        self.state.language = value
        self.events.append(ev.LanguageChosen(language=self.state.language))
        self._introduce()

    def _introduce(self) -> None:
        """Who will read the answers comes first; the rest waits behind "Tell me more", so
        the first button is reached after a few sentences, not four messages. An adult
        helping is reminded first to let the person answer."""
        if self.state.supported:
            helper = self.flow.introduction.supported
            self.tell(pick(helper, self.lang) if helper else say("supported_intro", self.lang))
        self.tell(pick(self.flow.introduction.readers, self.lang))
        self.state.phase = Phase.CONSENT
        self._present()

    def _tell_more(self) -> None:
        for text in self.flow.introduction.messages:
            self.tell(pick(text, self.lang))
        self._present()

    def _consent(self, value: str) -> None:
        if value == "yes":
            self.events.append(ev.ConsentGiven())
            self.state.phase = Phase.QUESTION
            self._go_to(self._next_visible(after=None), record_history=False)
        elif value == "no":
            self._decline()
        elif value == "later":
            self._pause()
        elif value == "more":
            self._tell_more()
        else:
            self._present()

    def _decline(self) -> None:
        self.events.append(ev.ConsentRefused())
        self.state.phase = Phase.DECLINED
        self.tell(pick(self.flow.declined, self.lang), "ending")
        self.tell(self.prompter.help_text(), "help")

    def _finished_reply(self) -> None:
        if any(isinstance(e, ev.ConcernRaised) for e in self.events):
            self.say("finished_told", "ending")
            return
        self.say("finished", "ending")
        self.messages.append(self.prompter.help_message(with_intro=False))

    def _timeout(self) -> None:
        state = self.state
        if state.finished or state.phase is Phase.NEW or state.last_activity is None:
            return
        if self.at >= self._closes_at():
            state.resume_phase = None
            state.phase = Phase.EXPIRED
            self.events.append(ev.Expired())
            self.say("expired", "ending")
            return
        offsets = self.flow.timing.reminders_after_hours
        sent = state.reminders_sent
        if sent < len(offsets) and self.at >= state.last_activity + hours(offsets[sent]):
            state.reminders_sent += 1
            self.events.append(ev.ReminderSent(number=state.reminders_sent))
            key = "reminder_last" if state.reminders_sent == len(offsets) else "reminder_first"
            resume = Button(say("resume", self.lang), "_resume")
            self.messages.append(
                Message(say(key, self.lang), "reminder", ((resume,),), self.state.prompt)
            )

    def _closes_at(self) -> datetime:
        assert self.state.last_activity is not None
        return self.state.last_activity + hours(self.flow.timing.closes_after_hours)

    def _waiting(self) -> ev.Waiting:
        assert self.state.last_activity is not None
        closes = self._closes_at()
        offsets = self.flow.timing.reminders_after_hours
        sent = self.state.reminders_sent
        due = self.state.last_activity + hours(offsets[sent]) if sent < len(offsets) else closes
        return ev.Waiting(due=min(due, closes), closes_at=closes)


ControlMove = Callable[[_Turn], None]
PhaseMove = Callable[[_Turn, str], None]
CONTROL_MOVES: dict[str, ControlMove] = {
    "_help": _Turn._help,
    "_resume": _Turn._present,
    "_pause": _Turn._pause,
    "_stop": _Turn._stop_requested,
}
"""Button values that mean the same in every phase."""
PHASE_MOVES: dict[Phase, PhaseMove] = {
    Phase.LANGUAGE: _Turn._language_chosen,
    Phase.CONSENT: _Turn._consent,
    Phase.QUESTION: _Turn._question_input,
    Phase.SUMMARY: _Turn._summary_input,
    Phase.CHANGE_SECTION: _Turn._section_picked,
    Phase.CHANGE_QUESTION: _Turn._question_picked,
    Phase.STOP_CONFIRM: _Turn._stop_confirmed,
}
"""What any other value means, by the phase the interview is in."""

__all__ = ["step", "visible"]
