"""The shape of an interview flow, as written in a YAML file under flows/definitions/."""

from __future__ import annotations

import functools
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from flows.help import Organisation
from flows.safeguarding import Category, Detector
from flows.text import Language, LocalText
from flows.welsh_answers import WelshYesNo

Audience = Literal["young_person", "foster_carer"]
QuestionKind = Literal["yes_no", "choice", "multi", "scale", "text"]

YES_NO_VALUES: tuple[str, ...] = ("yes", "no", "not_sure")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Option(_Strict):
    """One answer a person can tap."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    text: LocalText


class Condition(_Strict):
    """Show a question only after one of these answers to an earlier question."""

    question: str
    answers: list[str] = Field(min_length=1)


class Scale(_Strict):
    """A 1-to-N scale; each point has a label (a face and a word) so it can be a button."""

    labels: list[LocalText] = Field(min_length=2, max_length=7)


class Question(_Strict):
    """One question, with the plain words a person reads and the seed wording staff see."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    kind: QuestionKind
    text: LocalText
    seed: str | None = None
    options: list[Option] = Field(default_factory=list)
    scale: Scale | None = None
    when: Condition | None = None
    concern: list[str] = Field(default_factory=list)
    concern_category: Category | None = None
    help: LocalText | None = None
    replies: dict[str, LocalText] = Field(default_factory=dict)
    limits_circulation: bool = False
    required: bool = False
    # Plain Yes / No / Not sure buttons, without thumbs, where "yes" is bad news
    # ("Were you bullied here?"): a thumbs-up beside it would read as approval.
    neutral: bool = False
    # The form a Welsh yes / no takes from the question's verb (Do / Naddo, Oes / Nac oes).
    welsh_yes_no: WelshYesNo | None = None

    def answer_values(self) -> list[str]:
        """Every value a button answer to this question can have."""
        if self.kind == "yes_no":
            return list(YES_NO_VALUES)
        if self.kind == "scale" and self.scale is not None:
            return [str(n) for n in range(1, len(self.scale.labels) + 1)]
        return [option.id for option in self.options]


class Section(_Strict):
    """A group of questions about one part of the person's experience."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    title: LocalText
    questions: list[Question] = Field(min_length=1)


class Introduction(_Strict):
    """What a person is told before they agree, and the question that asks for their yes."""

    messages: list[LocalText] = Field(min_length=1)
    readers: LocalText
    consent: LocalText
    # Said first when an adult is helping the person (the social worker chose "worker").
    supported: LocalText | None = None


class Timing(_Strict):
    """When a quiet interview gets reminders and when it closes, in hours since last activity."""

    reminders_after_hours: list[float] = Field(default_factory=lambda: [48.0, 168.0])
    closes_after_hours: float = Field(default=24.0 * 28, gt=0)


class ChannelTemplate(_Strict):
    """A message a channel may send only once a provider has approved its words (e.g. after
    a day without a reply): why it is sent, the name it is approved under, and its words.
    The words carry no names and no answers: the provider can read them."""

    why: str
    name: str = Field(pattern=r"^[a-z0-9_]+$")
    text: LocalText


class Flow(_Strict):
    """A whole interview: introduction, sections of questions, and an ending. The loader
    attaches the safeguarding rules of the flow's folder as `safeguarding`."""

    model_config = ConfigDict(extra="forbid", frozen=True, arbitrary_types_allowed=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    title: LocalText
    audience: Audience
    languages: list[Language] = Field(min_length=1)
    introduction: Introduction
    sections: list[Section] = Field(min_length=1)
    ending: LocalText
    declined: LocalText
    help_intro: LocalText
    helplines: list[str] = Field(min_length=0)
    concern_message: LocalText
    timing: Timing = Field(default_factory=Timing)
    version: str = ""
    contacts: list[Organisation] = Field(default_factory=list)
    talk_who: LocalText | None = None
    # Easy read: faces on Yes / No / Not sure, and the engine's shortest words.
    easy_read: bool = False
    thank_you: LocalText | None = None
    # For channels with short buttons and list rows: shorter answer labels, by question id
    # then answer value, used only where the full label does not fit.
    short_labels: dict[str, dict[str, LocalText]] = Field(default_factory=dict)
    # Messages for channels that allow only pre-approved words outside a reply window.
    channel_templates: dict[str, ChannelTemplate] = Field(default_factory=dict)
    # Said with the consent on channels whose provider can see who wrote and when.
    provider_sees_metadata: LocalText | None = None
    safeguarding: Detector | None = Field(default=None, exclude=True)
    source: str = Field(default="", exclude=True)

    # A flow never changes once loaded (it is frozen), so its questions are listed and
    # indexed once, on first use, and kept as plain attributes: pydantic's private
    # attributes cost about forty times as much to read, and the engine reads these on
    # every step.
    @functools.cached_property
    def _ordered(self) -> tuple[Question, ...]:
        return tuple(q for section in self.sections for q in section.questions)

    @functools.cached_property
    def _index(self) -> dict[str, Question]:
        return {q.id: q for q in self._ordered}

    @functools.cached_property
    def _positions(self) -> dict[str, int]:
        return {q.id: n for n, q in enumerate(self._ordered)}

    @functools.cached_property
    def _conditional(self) -> tuple[Question, ...]:
        return tuple(q for q in self._ordered if q.when is not None)

    @functools.cached_property
    def _depending(self) -> dict[str, tuple[Question, ...]]:
        direct: dict[str, list[str]] = {}
        for q in self._conditional:
            assert q.when is not None
            direct.setdefault(q.when.question, []).append(q.id)
        found: dict[str, tuple[Question, ...]] = {}
        for question in self._ordered:
            reached: set[str] = set()
            waiting = list(direct.get(question.id, ()))
            while waiting:
                follow_up = waiting.pop()
                if follow_up not in reached:
                    reached.add(follow_up)
                    waiting.extend(direct.get(follow_up, ()))
            found[question.id] = tuple(q for q in self._conditional if q.id in reached)
        return found

    @functools.cached_property
    def memo(self) -> dict[tuple[str, ...], object]:
        """What the engine works out once per flow and reuses on every step (the buttons
        of each question in each language): a flow never changes once loaded."""
        return {}

    def depending_on(self, question_id: str) -> tuple[Question, ...]:
        """The questions whose showing depends on this one's answer, directly or through
        another follow-up, in the order they are asked."""
        return self._depending.get(question_id, ())

    def questions(self) -> tuple[Question, ...]:
        """All questions in the order they are asked."""
        return self._ordered

    def conditional_questions(self) -> tuple[Question, ...]:
        """The questions asked only after certain answers (those with a `when`)."""
        return self._conditional

    def position(self, question_id: str) -> int:
        """Where a question comes in the order they are asked; KeyError if it is not here."""
        return self._positions[question_id]

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError if the flow has none."""
        return self._index[question_id]

    @functools.cached_property
    def _sections(self) -> dict[str, Section]:
        return {q.id: section for section in self.sections for q in section.questions}

    def section_of(self, question_id: str) -> Section:
        """The section a question belongs to; KeyError if the flow has no such question."""
        return self._sections[question_id]
