"""The engine's questions: taking an answer, skipping, moving on and going back."""

from __future__ import annotations

from flows import events as ev
from flows.inputs import Voice
from flows.model import Question
from flows.outputs import Message
from flows.prompts import answer_label
from flows.safeguarding import Category
from flows.state import Phase
from flows.text import pick
from flows.turn import TurnBase
from flows.visibility import visible
from flows.voice import voice_marker
from flows.wording import say

MAX_TEXT_ANSWER = 20_000


class Asking(TurnBase):
    """Moves while a question is open."""

    def _question_input(self, value: str) -> None:
        question = self._current_question()
        if value == "_skip":
            self._skip(question)
        elif value == "_keep" and question.id in self.state.answers:
            self.chosen = answer_label(question, self.state.answers[question.id], self.lang)
            self._advance(question)
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
        self._ask_for_more("got_text")

    def _ask_for_more(self, key: str) -> None:
        """After part of a written (or spoken) answer: send more, or tap Next."""
        self.messages.append(
            Message(
                say(key, self.lang),
                "question",
                (tuple(self._next_button()), *self.prompter.control_rows()),
                self.state.prompt,
            )
        )

    def _voice(self, inp: Voice) -> None:
        """A voice note at a free-text question joins the answer being written; anywhere
        else it is not kept, and the person is told what to do instead."""
        question = (
            self._current_question()
            if self.state.phase is Phase.QUESTION and self.state.current and not self.state.finished
            else None
        )
        if question is None or question.kind != "text" or self.state.talk_step is not None:
            self.events.append(ev.VoiceRefused(voice_id=inp.voice_id))
            self.say("voice_not_here")
            if not self.state.finished and self.state.phase is not Phase.NEW:
                self._present()
            return
        self.state.last_activity = self.at
        self.state.draft_text.append(voice_marker(inp.voice_id, inp.seconds))
        self.events.append(ev.VoiceTaken(question=question.id, voice_id=inp.voice_id))
        self._ask_for_more("voice_taken")

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
        self._clear_hidden_follow_ups(question)
        self._advance(question)

    def _clear_hidden_follow_ups(self, changed: Question) -> None:
        """Answers to follow-ups that no longer apply after this question's answer changed
        are taken out (in asking order, so a follow-up of a follow-up goes too)."""
        for question in self.flow.depending_on(changed.id):
            if visible(self.flow, self.state, question):
                continue
            if question.id in self.state.answers:
                del self.state.answers[question.id]
                self.events.append(ev.AnswerCleared(question=question.id))
            if question.id in self.state.skipped:
                self.state.skipped.remove(question.id)

    def _skip(self, question: Question) -> None:
        """Skipping a question already answered takes the answer out, and says so."""
        if question.id in self.state.answers:
            del self.state.answers[question.id]
            self.events.append(ev.AnswerCleared(question=question.id))
            self.say("skip_cleared")
        if question.id not in self.state.skipped:
            self.state.skipped.append(question.id)
        self.events.append(ev.QuestionSkipped(question=question.id))
        self._clear_hidden_follow_ups(question)
        self._advance(question)

    def _advance(self, question: Question) -> None:
        if self.state.back_to_summary:
            follow_up = next(
                (
                    q
                    for q in self.flow.conditional_questions()
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
        start = 0 if after is None else self.flow.position(after) + 1
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
