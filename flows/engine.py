"""The engine: one input in, the new state, the messages to send and the events out.

Pure and synchronous. The clock arrives inside each input (`at`); nothing here reads it,
sleeps, or touches the outside world.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flows import events as ev
from flows.inputs import (
    Aside,
    Choice,
    Command,
    Control,
    Input,
    Start,
    Text,
    Timeout,
    asks_for_help_now,
)
from flows.matching import match_button
from flows.model import Flow, Question
from flows.outputs import Button, Message, MessageKind, Step
from flows.prompts import Prompter, answer_label
from flows.safeguarding import Category, default_detector
from flows.state import InterviewState, Phase
from flows.text import LANGUAGES, Language, pick
from flows.visibility import visible
from flows.wording import say

MAX_TEXT_ANSWER = 20_000
ALWAYS_VALID = frozenset({"_unsafe", "_help"})
"""Buttons that work whenever they are pressed, even on an old message: help must never
be refused as 'for an earlier question'."""


def step(flow: Flow, state: InterviewState, inp: Input) -> Step:
    """Take one input through the interview. The state passed in is never changed."""
    turn = _Turn(flow, state.clone(), inp.at)
    turn.handle(inp)
    return turn.result()


class _Turn:
    """One step's working space: a mutable copy of the state and what to send."""

    def __init__(self, flow: Flow, state: InterviewState, at: datetime) -> None:
        self.flow = flow
        self.state = state
        self.at = at
        self.messages: list[Message] = []
        self.events: list[ev.Event] = []
        self.chosen: str | None = None
        self.prompter = Prompter(flow, state)

    @property
    def lang(self) -> Language:
        return self.state.language

    def result(self) -> Step:
        if not self.state.finished and self.state.phase is not Phase.NEW:
            self.events.append(self._waiting())
        return Step(self.state, self.messages, self.events, self.chosen)

    def say(self, key: str, kind: MessageKind = "info", **values: object) -> None:
        self.messages.append(Message(say(key, self.lang, **values), kind))

    def tell(self, text: str, kind: MessageKind = "info") -> None:
        self.messages.append(Message(text, kind))

    # Dispatch -----------------------------------------------------------------------

    def handle(self, inp: Input) -> None:
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
        phase = self.state.phase
        if isinstance(inp, Choice):
            self.chosen = self.prompter.label_for(value)
        if value == "_help":
            self._help()
        elif value == "_resume":
            self._present()
        elif value == "_pause":
            self._pause()
        elif value == "_stop":
            self._stop_requested()
        elif phase is Phase.LANGUAGE:
            self._language_chosen(value)
        elif phase is Phase.CONSENT:
            self._consent(value)
        elif phase is Phase.QUESTION:
            self._question_input(value)
        elif phase is Phase.SUMMARY:
            self._summary_input(value)
        elif phase is Phase.CHANGE_SECTION:
            self._section_picked(value)
        elif phase is Phase.CHANGE_QUESTION:
            self._question_picked(value)
        elif phase is Phase.STOP_CONFIRM:
            self._stop_confirmed(value)

    # Opening, language and consent ---------------------------------------------------

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
        for text in self.flow.introduction.messages:
            self.tell(pick(text, self.lang))
        self.tell(pick(self.flow.introduction.readers, self.lang))
        self.state.phase = Phase.CONSENT
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
        else:
            self._present()

    def _decline(self) -> None:
        self.events.append(ev.ConsentRefused())
        self.state.phase = Phase.DECLINED
        self.tell(pick(self.flow.declined, self.lang), "ending")
        self.tell(self.prompter.help_text(), "help")

    # Questions -----------------------------------------------------------------------

    def _current_question(self) -> Question:
        assert self.state.current is not None
        return self.flow.question(self.state.current)

    def _next_button(self) -> list[Button]:
        return [Button(say("next", self.lang), "_next")]

    def _question_input(self, value: str) -> None:
        question = self._current_question()
        if value == "_skip":
            self._skip(question)
        elif value == "_back":
            self._back()
        elif question.kind == "text":
            if value == "_next" and self.state.draft_text:
                self._record(question, "\n".join(self.state.draft_text))
            else:
                self._present()
        elif question.kind == "multi":
            self._toggle(question, value)
        elif value in question.answer_values():
            self._record(question, value)
        else:
            self._present()

    def _take_text(self, text: str) -> None:
        if not text.strip():
            self._present()
            return
        if sum(len(part) for part in self.state.draft_text) + len(text) > MAX_TEXT_ANSWER:
            self.messages.append(
                Message(
                    say("too_long", self.lang),
                    "info",
                    (tuple(self._next_button()),),
                    self.state.prompt,
                )
            )
            return
        self.state.draft_text.append(text)
        self.messages.append(
            Message(
                say("got_text", self.lang),
                "question",
                (tuple(self._next_button()), *self.prompter.control_rows()),
                self.state.prompt,
            )
        )

    def _toggle(self, question: Question, value: str) -> None:
        if value == "_done":
            chosen = [v for v in question.answer_values() if v in self.state.draft_choices]
            if chosen:
                self._record(question, chosen)
            else:
                self._skip(question)
            return
        if value not in question.answer_values():
            self._present()
            return
        if value in self.state.draft_choices:
            self.state.draft_choices.remove(value)
        else:
            self.state.draft_choices.append(value)
        self.messages.append(self.prompter.question_message(question, replaces=True))

    def _record(self, question: Question, value: str | list[str]) -> None:
        previous = self.state.answers.get(question.id)
        self.state.answers[question.id] = value
        if question.id in self.state.skipped:
            self.state.skipped.remove(question.id)
        label = answer_label(question, value, self.lang)
        if question.kind != "text":
            self.chosen = label
        if previous != value:
            self.events.append(
                ev.AnswerRecorded(question=question.id, value=value, label=label, previous=previous)
            )
        values = value if isinstance(value, list) else [value]
        if question.kind != "text" and any(v in question.concern for v in values):
            category = question.concern_category or Category.FEELING_UNSAFE
            self._raise_concern(
                ev.ConcernRaised(
                    question=question.id,
                    reason="answer",
                    category=category.value,
                    severity=category.severity.value,
                    answer=",".join(values),
                )
            )
        for answer_value in values:
            if answer_value in question.replies:
                self.tell(pick(question.replies[answer_value], self.lang))
        if question.limits_circulation:
            limited = value == "yes"
            if limited != self.state.limited_circulation:
                self.state.limited_circulation = limited
                self.events.append(ev.CirculationLimited(limited=limited))
        self._clear_hidden_follow_ups()
        self._advance(question)

    def _clear_hidden_follow_ups(self) -> None:
        for question in self.flow.questions():
            if visible(self.flow, self.state, question):
                continue
            if question.id in self.state.answers:
                del self.state.answers[question.id]
                self.events.append(ev.AnswerCleared(question=question.id))
            if question.id in self.state.skipped:
                self.state.skipped.remove(question.id)

    def _skip(self, question: Question) -> None:
        if question.id in self.state.answers:
            del self.state.answers[question.id]
            self.events.append(ev.AnswerCleared(question=question.id))
        if question.id not in self.state.skipped:
            self.state.skipped.append(question.id)
        self.events.append(ev.QuestionSkipped(question=question.id))
        self._clear_hidden_follow_ups()
        self._advance(question)

    def _advance(self, question: Question) -> None:
        if self.state.back_to_summary:
            follow_up = next(
                (
                    q
                    for q in self.flow.questions()
                    if q.when is not None
                    and q.when.question == question.id
                    and visible(self.flow, self.state, q)
                    and q.id not in self.state.answers
                    and q.id not in self.state.skipped
                ),
                None,
            )
            if follow_up is not None:
                self._go_to(follow_up, record_history=True)
            else:
                self._summary()
            return
        self._go_to(self._next_visible(after=question.id), record_history=True)

    def _next_visible(self, after: str | None) -> Question | None:
        questions = self.flow.questions()
        start = 0 if after is None else [q.id for q in questions].index(after) + 1
        return next((q for q in questions[start:] if visible(self.flow, self.state, q)), None)

    def _go_to(self, question: Question | None, record_history: bool) -> None:
        if record_history and self.state.current is not None:
            self.state.history.append(self.state.current)
        self.state.draft_text = []
        if question is None:
            self._summary()
            return
        self.state.phase = Phase.QUESTION
        self.state.current = question.id
        value = self.state.answers.get(question.id)
        self.state.draft_choices = list(value) if isinstance(value, list) else []
        self._present()

    def _back(self) -> None:
        if self.state.back_to_summary:
            self._summary()
            return
        while self.state.history:
            previous = self.flow.question(self.state.history.pop())
            if visible(self.flow, self.state, previous):
                self.state.current = previous.id
                self.state.draft_text = []
                value = self.state.answers.get(previous.id)
                self.state.draft_choices = list(value) if isinstance(value, list) else []
                self._present()
                return
        self.say("first_question")
        self._present()

    # Summary and changes -------------------------------------------------------------

    def _summary(self) -> None:
        self.state.phase = Phase.SUMMARY
        self.state.back_to_summary = False
        self.state.current = None
        self.state.draft_text = []
        self.state.draft_choices = []
        self._present()

    def _summary_input(self, value: str) -> None:
        if value == "confirm":
            self.state.phase = Phase.COMPLETED
            self.events.append(ev.Completed())
            self.tell(pick(self.flow.ending, self.lang), "ending")
        elif value == "change":
            self.state.phase = Phase.CHANGE_SECTION
            self._present()
        elif value == "_back":
            last = self._last_visible()
            if last is not None:
                self.state.phase = Phase.QUESTION
                self._go_to(last, record_history=False)
        elif value == "_skip":
            self.say("nothing_to_skip")
            self._present()
        else:
            self._present()

    def _last_visible(self) -> Question | None:
        shown = [q for q in self.flow.questions() if visible(self.flow, self.state, q)]
        return shown[-1] if shown else None

    def _section_picked(self, value: str) -> None:
        if value in {"summary", "_back"}:
            self._summary()
            return
        if not any(s.id == value for s in self.flow.sections):
            self._present()
            return
        self.state.change_section = value
        self.state.phase = Phase.CHANGE_QUESTION
        self._present()

    def _question_picked(self, value: str) -> None:
        if value == "_back":
            self.state.phase = Phase.CHANGE_SECTION
            self._present()
            return
        if value == "summary":
            self._summary()
            return
        try:
            question = self.flow.question(value)
        except KeyError:
            self._present()
            return
        if not visible(self.flow, self.state, question):
            self._present()
            return
        self.state.back_to_summary = True
        self.state.current = None
        self._go_to(question, record_history=False)

    # Pause, stop, help, concern -------------------------------------------------------

    def _pause(self) -> None:
        self.state.resume_phase = self.state.phase
        self.state.phase = Phase.PAUSED
        self.events.append(ev.Paused())
        self._present()

    def _while_paused(self, inp: Start | Text | Choice | Command) -> None:
        if isinstance(inp, Command) and inp.control is Control.PAUSE:
            self._present()
            return
        if isinstance(inp, Command) and inp.control in {Control.STOP, Control.HELP}:
            self.state.phase = self.state.resume_phase or Phase.QUESTION
            self.events.append(ev.Resumed())
            self._route(f"_{inp.control.value}", inp)
            return
        self.state.phase = self.state.resume_phase or Phase.QUESTION
        self.state.resume_phase = None
        self.events.append(ev.Resumed())
        self.say("resumed")
        self._present()

    def _stop_requested(self) -> None:
        if self.state.phase in {Phase.LANGUAGE, Phase.CONSENT}:
            self._decline()
            return
        if self.state.phase is not Phase.STOP_CONFIRM:
            self.state.resume_phase = self.state.phase
        self.state.phase = Phase.STOP_CONFIRM
        self._present()

    def _stop_confirmed(self, value: str) -> None:
        if value in {"keep", "delete"}:
            keep = value == "keep"
            self.state.phase = Phase.STOPPED
            if not keep:
                self.state.answers = {}
                self.state.skipped = []
                self.state.draft_text = []
            self.events.append(ev.Stopped(keep=keep))
            self.say("stopped_keep" if keep else "stopped_delete", "ending")
            self.tell(self.prompter.help_text(), "help")
        elif value in {"_back", "resume"}:
            self.state.phase = self.state.resume_phase or Phase.QUESTION
            self.state.resume_phase = None
            self._present()
        else:
            self._present()

    def _help(self) -> None:
        self.events.append(ev.HelpShown())
        self.messages.append(self.prompter.help_message())
        self._present()

    def _check_words(self, text: str) -> None:
        """Look for signs of risk in anything the person wrote, wherever they are."""
        detector = self.flow.safeguarding or default_detector()
        findings = detector.findings(text)
        if not findings:
            return
        self._raise_concern(
            ev.ConcernRaised(
                question=self.state.current,
                reason="words",
                category=findings[0].category.value,
                severity=findings[0].severity.value,
                after_end=self.state.finished,
            )
        )

    def _unsafe(self) -> None:
        """The one-tap "I need help now": staff are told at once, the person sees 999 first."""
        category = Category.DANGER_NOW
        self.events.append(
            ev.ConcernRaised(
                question=self.state.current,
                reason="asked_for_help",
                category=category.value,
                severity=category.severity.value,
                after_end=self.state.finished,
            )
        )
        self.say("unsafe_now", "concern")
        self.tell(self.prompter.contacts_text(), "concern")

    def _raise_concern(self, concern: ev.ConcernRaised) -> None:
        if any(isinstance(e, ev.ConcernRaised) for e in self.events):
            return
        self.events.append(concern)
        self.tell(pick(self.flow.concern_message, self.lang), "concern")
        self.tell(self.prompter.contacts_text(), "concern")

    def _invalid(self, text: str) -> None:
        question = self.state.current and self._current_question()
        if question and question.kind == "scale" and text.strip().lstrip("-").isdigit():
            self.say("out_of_range", top=len(question.answer_values()))
        elif not any(isinstance(e, ev.ConcernRaised) for e in self.events):
            self.say("tap_button")
        self._present()

    # Presenting and time --------------------------------------------------------------

    def _present(self, resumed: bool = False) -> None:
        if resumed:
            self.say("resumed")
        self.messages.extend(self.prompter.prompt_messages())

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
        if sent < len(offsets) and self.at >= state.last_activity + timedelta(hours=offsets[sent]):
            state.reminders_sent += 1
            self.events.append(ev.ReminderSent(number=state.reminders_sent))
            key = "reminder_last" if state.reminders_sent == len(offsets) else "reminder_first"
            resume = Button(say("resume", self.lang), "_resume")
            self.messages.append(
                Message(say(key, self.lang), "reminder", ((resume,),), self.state.prompt)
            )

    def _closes_at(self) -> datetime:
        assert self.state.last_activity is not None
        return self.state.last_activity + timedelta(hours=self.flow.timing.closes_after_hours)

    def _waiting(self) -> ev.Waiting:
        assert self.state.last_activity is not None
        closes = self._closes_at()
        offsets = self.flow.timing.reminders_after_hours
        sent = self.state.reminders_sent
        due = (
            self.state.last_activity + timedelta(hours=offsets[sent])
            if sent < len(offsets)
            else closes
        )
        return ev.Waiting(due=min(due, closes), closes_at=closes)


__all__ = ["step", "visible"]
