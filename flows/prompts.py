"""Building what the person sees at each point: the question, its buttons, the summary."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar, cast

from flows.model import Flow, Question
from flows.outputs import Button, Message
from flows.state import InterviewState, Phase
from flows.text import Language, pick
from flows.visibility import visible
from flows.voice import without_references
from flows.welsh_answers import welsh_answer_word
from flows.wording import say

MAX_MESSAGE = 3500
MAX_BUTTON_LABEL = 40
MAX_ECHO = 300
"""How much of a person's own answer is shown back to them (the rest is kept, not shown)."""


def utf16_length(text: str) -> int:
    """A text's length as Telegram counts it: UTF-16 code units (an emoji is two)."""
    if text.isascii():
        return len(text)
    return len(text.encode("utf-16-le")) // 2


def shortened(text: str, limit: int) -> str:
    """The text cut to `limit` UTF-16 units, with an ellipsis when something was cut."""
    if utf16_length(text) <= limit:
        return text
    kept = text.encode("utf-16-le")[: 2 * (limit - 1)].decode("utf-16-le", errors="ignore")
    return kept.rstrip() + "…"


Rows = tuple[tuple[Button, ...], ...]
_Kept = TypeVar("_Kept")


def plain_word(key: str, language: Language) -> str:
    """A button's words without the emoji in front, for summaries and transcripts
    ("wedi'i hepgor" stays whole: only a leading symbol is taken off)."""
    words = say(key, language)
    first, _, rest = words.partition(" ")
    return rest if rest and not any(ch.isalnum() for ch in first) else words


def answer_label(question: Question, value: str | list[str], language: Language) -> str:
    """How an answer reads to a person: the words of the option, not its id."""
    if isinstance(value, list):
        return ", ".join(answer_label(question, v, language) for v in value)
    if question.kind == "yes_no":
        return _welsh_word(question, value, language) or plain_word(value, language)
    if question.kind == "scale" and question.scale is not None and value.isdigit():
        index = int(value) - 1
        if 0 <= index < len(question.scale.labels):
            return pick(question.scale.labels[index], language)
    if question.kind in {"choice", "multi"}:
        option = next((o for o in question.options if o.id == value), None)
        if option is not None:
            return pick(option.text, language)
    if question.kind == "text":
        return without_references(value)
    return value


def _welsh_word(question: Question, value: str, language: Language) -> str | None:
    """The Welsh yes or no in the form the question's verb takes; None in English."""
    return welsh_answer_word(question.welsh_yes_no, value) if language == "cy" else None


def _in_form(label: str, word: str | None) -> str:
    """A yes / no button's label with its word put in the question's form, its emoji kept
    ("👍 Ie" -> "👍 Do")."""
    if word is None:
        return label
    first, _, rest = label.partition(" ")
    return f"{first} {word}" if rest and not any(ch.isalnum() for ch in first) else word


def _short(text: str) -> str:
    return text if len(text) <= MAX_BUTTON_LABEL else text[: MAX_BUTTON_LABEL - 1] + "…"


@functools.cache
def _controls(language: Language) -> tuple[Button, ...]:
    """The same five buttons on every question, made once per language."""
    return tuple(
        Button(say(c, language), f"_{c}") for c in ("skip", "back", "pause", "stop", "help")
    )


@functools.cache
def _control_rows(language: Language) -> Rows:
    skip, back, pause, stop, help_ = _controls(language)
    return ((skip, back), (pause, stop, help_))


class Prompter:
    """Knows how to show the current point of an interview, in the person's language."""

    def __init__(self, flow: Flow, state: InterviewState) -> None:
        self.flow = flow
        self.state = state

    @property
    def lang(self) -> Language:
        return self.state.language

    def _button(self, key: str, value: str) -> Button:
        return Button(say(key, self.lang), value)

    def controls(self) -> list[Button]:
        """Skip, Back, Pause, Stop and Help: on every question."""
        return list(_controls(self.lang))

    def control_rows(self) -> Rows:
        return _control_rows(self.lang)

    def contacts_text(self) -> str:
        return "\n".join(contact.line(self.lang) for contact in self.flow.contacts)

    def help_message(self, with_intro: bool = True) -> Message:
        """Helplines, with the one-tap button that tells staff at once that help is needed."""
        text = self.help_text() if with_intro else self.contacts_text()
        unsafe = self._button("unsafe", "_unsafe")
        talk = self._button("talk", "_talk")
        return Message(text, "help", ((unsafe,), (talk,)), self.state.prompt)

    def help_text(self) -> str:
        parts = [pick(self.flow.help_intro, self.lang)]
        if self.state.phase is Phase.QUESTION and self.state.current:
            question = self.flow.question(self.state.current)
            if question.help:
                parts.append(pick(question.help, self.lang))
        parts.append(self.contacts_text())
        return "\n\n".join(part for part in parts if part)

    def _ensure_prompt(self) -> None:
        key = f"{self.state.phase}:{self.state.current}:{self.state.change_section}"
        if key != self.state.prompt_key:
            self.state.prompt += 1
            self.state.prompt_key = key

    def prompt_messages(self) -> list[Message]:
        """The message(s) that ask the person for their next input."""
        self._ensure_prompt()
        phase = self.state.phase
        if phase is Phase.QUESTION:
            assert self.state.current is not None
            return [self.question_message(self.flow.question(self.state.current))]
        if phase is Phase.SUMMARY:
            return self._summary_messages()
        text, rows = self._phase_prompt()
        return [Message(text, "question", rows, self.state.prompt)]

    def current_buttons(self) -> list[Button]:
        """Every button on the current prompt, so typed words can be matched to one."""
        if self.state.phase is Phase.QUESTION and self.state.current:
            question = self.flow.question(self.state.current)
            return [b for row in self._question_rows(question) for b in row]
        if self.state.phase is Phase.SUMMARY:
            return [b for row in self._summary_rows() for b in row]
        return [b for row in self._phase_prompt()[1] for b in row]

    def label_for(self, value: str) -> str | None:
        """The words of the button with this value, to show what the person tapped."""
        state = self.state
        if state.phase is Phase.QUESTION and state.current and value != "_keep":
            question = self.flow.question(state.current)
            if question.kind not in {"multi", "text"}:
                return self._once(("labels", question.id), lambda: self._labels(question)).get(
                    value
                )
        return next((b.label for b in self.current_buttons() if b.value == value), None)

    def _labels(self, question: Question) -> dict[str, str]:
        """Each value's words on a question whose buttons never change, the first button
        with a value winning, as on screen."""
        labels: dict[str, str] = {}
        for row in (*self._answer_rows(question), *self.control_rows()):
            for button in row:
                labels.setdefault(button.value, button.label)
        return labels

    def _phase_prompt(self) -> tuple[str, Rows]:
        phase = self.state.phase
        if phase is Phase.LANGUAGE:
            rows: Rows = ((self._button("language_cy", "cy"), self._button("language_en", "en")),)
            return say("language_offer", self.lang), rows
        if phase is Phase.CONSENT:
            return pick(self.flow.introduction.consent, self.lang), (
                (self._button("consent_yes", "yes"),),
                (self._button("consent_more", "more"),),
                (self._button("consent_later", "later"),),
                (self._button("consent_no", "no"),),
                (self._button("help", "_help"),),
            )
        if phase is Phase.CHANGE_SECTION:
            sections = [
                (Button(_short(pick(s.title, self.lang)), s.id),)
                for s in self.flow.sections
                if any(self._shown(q) for q in s.questions)
            ]
            return say("pick_section", self.lang), (
                *sections,
                (self._button("to_summary", "summary"),),
            )
        if phase is Phase.CHANGE_QUESTION:
            section = next(s for s in self.flow.sections if s.id == self.state.change_section)
            questions = [
                (Button(_short(pick(q.text, self.lang)), q.id),)
                for q in section.questions
                if self._shown(q)
            ]
            return say("pick_question", self.lang), (
                *questions,
                (self._button("back", "_back"), self._button("to_summary", "summary")),
            )
        if phase is Phase.STOP_CONFIRM:
            return say("stop_confirm", self.lang), (
                (self._button("keep", "keep"),),
                (self._button("delete", "delete"),),
                (self._button("resume", "resume"),),
            )
        if phase is Phase.PAUSED:
            return say("paused", self.lang), ((self._button("resume", "_resume"),),)
        return say("finished", self.lang), ((self._button("help", "_help"),),)

    def _shown(self, question: Question) -> bool:
        return visible(self.flow, self.state, question)

    def _question_rows(self, question: Question) -> Rows:
        rows: list[tuple[Button, ...]] = []
        if question.id in self.state.answers and not self.state.draft_text:
            rows.append((self._button("keep_answer", "_keep"),))
        if question.kind == "multi":
            for option in question.options:
                mark = "✅ " if option.id in self.state.draft_choices else "▫ "
                rows.append((Button(mark + pick(option.text, self.lang), option.id),))
            rows.append((self._button("done", "_done"),))
        elif question.kind == "text":
            if self.state.draft_text:
                rows.append((self._button("next", "_next"),))
        else:
            rows.extend(self._once(("rows", question.id), lambda: self._answer_rows(question)))
        return (*rows, *self.control_rows())

    def _once(self, key: tuple[str, ...], make: Callable[[], _Kept]) -> _Kept:
        """What `make` gives for this key in this language, made on first use and kept
        with the flow (which never changes once loaded)."""
        memo = self.flow.memo
        full_key = (*key, self.lang)
        if full_key not in memo:
            memo[full_key] = make()
        return cast(_Kept, memo[full_key])

    def _answer_rows(self, question: Question) -> Rows:
        """The answer buttons of a question whose buttons never change (not multi, not
        text)."""
        if question.kind == "yes_no":
            if self.flow.easy_read:
                style = "_neutral_easy" if question.neutral else "_easy"
                keys = [(v + style, v) for v in question.answer_values()]
            else:
                keys = [(v, v) for v in question.answer_values()]
            return (
                tuple(
                    Button(self._yes_no_label(question, key, value), value) for key, value in keys
                ),
            )
        return tuple(
            (Button(answer_label(question, value, self.lang), value),)
            for value in question.answer_values()
        )

    def _yes_no_label(self, question: Question, key: str, value: str) -> str:
        """A yes / no button: thumbs where yes is good news, plain words where it is bad
        news (neutral), and in Welsh the form the question's verb takes."""
        word = _welsh_word(question, value, self.lang)
        if question.neutral and not self.flow.easy_read:
            return word or plain_word(value, self.lang)
        return _in_form(say(key, self.lang), word)

    def question_message(self, question: Question, replaces: bool = False) -> Message:
        """A question as the person sees it, with its answer buttons and the controls."""
        opening, hint = self._once(("words", question.id), lambda: self._words(question))
        lines = [opening]
        given = self.state.answers.get(question.id)
        if given is not None:
            echoed = shortened(answer_label(question, given, self.lang), MAX_ECHO)
            lines.append(say("you_said", self.lang, answer=echoed))
        if hint:
            lines.append(hint)
        return Message(
            "\n\n".join(lines),
            "question",
            self._question_rows(question),
            self.state.prompt,
            replaces,
        )

    def _words(self, question: Question) -> tuple[str, str]:
        """What a question always says: the section heading (on its first question) and
        the question, then the hint on how to answer (empty if none)."""
        section = self.flow.section_of(question.id)
        lines: list[str] = []
        if section.questions[0].id == question.id:
            number = self.flow.sections.index(section) + 1
            lines.append(
                say(
                    "section",
                    self.lang,
                    n=number,
                    total=len(self.flow.sections),
                    title=pick(section.title, self.lang),
                )
            )
        lines.append(pick(question.text, self.lang))
        easy = "_easy" if self.flow.easy_read else ""
        hint = ""
        if question.kind == "text":
            hint = say("type_answer" + easy, self.lang)
        elif question.kind == "multi":
            hint = say("pick_many" + easy, self.lang)
        return "\n\n".join(lines), hint

    def _summary_rows(self) -> Rows:
        pause, stop, help_ = self.control_rows()[1]
        return (
            (self._button("confirm", "confirm"),),
            (self._button("change", "change"),),
            (self._button("back", "_back"), pause, stop, help_),
        )

    def _summary_messages(self) -> list[Message]:
        blocks: list[str] = [say("summary_intro", self.lang)]
        for section in self.flow.sections:
            lines = [f"📌 {pick(section.title, self.lang)}"]
            for question in section.questions:
                if not self._shown(question):
                    continue
                given = self.state.answers.get(question.id)
                answer = (
                    answer_label(question, given, self.lang)
                    if given is not None
                    else f"({plain_word('skipped', self.lang)})"
                )
                lines.append(
                    f"• {pick(question.text, self.lang)}\n   → {shortened(answer, MAX_ECHO)}"
                )
            if len(lines) > 1:
                blocks.append("\n".join(lines))
        messages = [Message(chunk, "summary") for chunk in _chunks(blocks)]
        messages.append(
            Message(
                say("summary_ask", self.lang), "question", self._summary_rows(), self.state.prompt
            )
        )
        return messages


def _chunks(blocks: list[str]) -> list[str]:
    """Join blocks into messages that fit on a phone screen and under Telegram's limit,
    measured as Telegram measures it (UTF-16 units)."""
    chunks: list[str] = []
    current = ""
    for block in blocks:
        while utf16_length(block) > MAX_MESSAGE:
            if current:
                chunks.append(current)
                current = ""
            head = shortened(block, MAX_MESSAGE + 1)[:-1]
            chunks.append(head)
            block = block[len(head) :]
        if current and utf16_length(current) + utf16_length(block) + 2 > MAX_MESSAGE:
            chunks.append(current)
            current = ""
        current = f"{current}\n\n{block}" if current else block
    if current:
        chunks.append(current)
    return chunks
