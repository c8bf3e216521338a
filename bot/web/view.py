"""What a chat page shows around the messages, worked out from where the person is in their
interview: whether typing is an answer here, how far they are, the review as a compact list,
and what this channel can and cannot promise. The engine's messages stay as they are (they
serve Telegram and the terminal too); this only decides how the web shows them."""

from __future__ import annotations

import math
from dataclasses import dataclass

from flows.model import Flow, Question
from flows.outputs import Button, Message
from flows.prompts import answer_label, plain_word
from flows.state import InterviewState, Phase
from flows.text import Language, pick
from flows.visibility import visible

CONTROL_VALUES = frozenset({"_back", "_skip", "_help", "_pause", "_stop"})
"""The buttons that move around the interview rather than answer it."""

UNSURE = "not_sure"


@dataclass(frozen=True)
class ChannelAbilities:
    """What a channel can do after the interview, so no page promises more than that."""

    can_write_later: bool


WEB_CHAT = ChannelAbilities(can_write_later=False)
"""A browser tab cannot be written to later: the people who read the answers get in touch
by phone, by letter or through the person's worker."""


@dataclass(frozen=True)
class Progress:
    """How far through the questions that apply to this person, and the time left."""

    done: int
    total: int
    minutes_left: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


@dataclass(frozen=True)
class ReviewLine:
    """One line of the review: the question, the answer as the person sees it, and
    whether it is one they were not sure about or skipped (offered again)."""

    question_id: str
    question: str
    answer: str
    unsure: bool


@dataclass(frozen=True)
class Shown:
    """A message split for the page: its answer buttons, and its controls apart."""

    message: Message
    answers: tuple[tuple[Button, ...], ...]
    controls: tuple[Button, ...]


@dataclass(frozen=True)
class PageView:
    """Everything the chat page needs beyond the messages."""

    easy_read: bool
    typing: bool
    progress: Progress | None
    review: tuple[ReviewLine, ...]
    ending: str | None
    language: Language = "en"


NO_VIEW = PageView(easy_read=False, typing=True, progress=None, review=(), ending=None)
"""When the interview's state cannot be read: typing stays open, so nobody is stuck."""


def split(message: Message) -> Shown:
    """The message's answers as big buttons, and Back, Skip, Help, Pause and Stop apart."""
    answers = tuple(
        row
        for row in (
            tuple(b for b in row if b.value not in CONTROL_VALUES) for row in message.buttons
        )
        if row
    )
    controls = tuple(b for b in message.all_buttons() if b.value in CONTROL_VALUES)
    return Shown(message, answers, controls)


def typing_is_an_answer(flow: Flow, state: InterviewState) -> bool:
    """Whether the person is asked to type: a free-text question, a phone number to be
    called on, or the last word after the end (kept for a while on the ending page)."""
    if state.talk_step is not None:
        return state.talk_step == "number"
    if state.phase is Phase.QUESTION and state.current:
        return flow.question(state.current).kind == "text"
    return state.phase is Phase.COMPLETED


def progress(
    flow: Flow, state: InterviewState, seconds_a_question: float | None
) -> Progress | None:
    """How far the person is, counting only the questions that apply to them (a question
    branched over is not counted; a skipped one counts as passed)."""
    if state.phase is not Phase.QUESTION or not state.current or state.back_to_summary:
        return None
    shown = [q.id for q in flow.questions() if visible(flow, state, q)]
    if state.current not in shown:
        return None
    done = shown.index(state.current)
    left = len(shown) - done
    pace = seconds_a_question or flow_pace(flow)
    return Progress(done, len(shown), max(1, math.ceil(left * pace / 60)))


def flow_pace(flow: Flow) -> float:
    """The flow's own estimate when too few interviews have finished to go by: twenty
    seconds a question, which puts a typical path in the consent's "10 to 15 minutes"."""
    del flow
    return 20.0


def review_lines(flow: Flow, state: InterviewState) -> tuple[ReviewLine, ...]:
    """The review as a list a phone can show: every question that applied, its answer."""
    if state.phase is not Phase.SUMMARY:
        return ()
    lang = state.language
    lines: list[ReviewLine] = []
    for question in flow.questions():
        if not visible(flow, state, question):
            continue
        given = state.answers.get(question.id)
        answer = (
            answer_label(question, given, lang)
            if given is not None
            else plain_word("skipped", lang)
        )
        lines.append(
            ReviewLine(question.id, pick(question.text, lang), answer, _unsure(question, given))
        )
    return tuple(lines)


def _unsure(question: Question, given: str | list[str] | None) -> bool:
    return given is None or given == UNSURE or (isinstance(given, list) and not given)


def page_view(flow: Flow, state: InterviewState, seconds_a_question: float | None) -> PageView:
    """What the page around the messages shows at this point of the interview."""
    return PageView(
        easy_read=flow.easy_read,
        typing=typing_is_an_answer(flow, state),
        progress=progress(flow, state, seconds_a_question),
        review=review_lines(flow, state),
        ending=pick(flow.ending, state.language),
        language=state.language,
    )
