"""A transcript as something to read: the plain and original wording of each question,
the answer and its changes, skipped questions, concerns and follow-up."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from bot.documents.concern_view import (
    CallBackView,
    ConcernView,
    concern_views,
)
from flows import Flow
from flows.prompts import answer_label
from flows.text import Language, pick
from storage.followup import Recommendation
from storage.records import ConcernRecord, Transcript
from storage.thanks import ThankYou

LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg (Welsh)"}
DECISIONS = {
    "no_action": "Read; no action needed",
    "recommendations": "Read; recommendations made",
}


@dataclass
class QuestionView:
    text: str
    seed: str | None
    status: str
    answer: str
    free_text: bool
    changes: list[tuple[datetime, str]] = field(default_factory=list)
    times_changed: int = 0
    # The question as the person read it, when the interview was not in English.
    asked: str | None = None
    # The answer's words as the person tapped them, in that language.
    answer_as_seen: str | None = None
    # Concerns raised at this question, shown where they arose.
    concerns: list[ConcernView] = field(default_factory=list)


@dataclass
class SectionView:
    title: str
    questions: list[QuestionView]


@dataclass
class TranscriptView:
    transcript: Transcript
    flow_title: str
    sections: list[SectionView]
    concerns: list[ConcernRecord]
    recommendations: list[Recommendation]
    thanked_at: datetime | None
    generated_at: datetime
    language: str = "English"
    concern_views: list[ConcernView] = field(default_factory=list)
    decision: str | None = None
    messages_to_person: list[ThankYou] = field(default_factory=list)
    voices: list[str] = field(default_factory=list)
    call_backs: list[CallBackView] = field(default_factory=list)

    @property
    def concerns_elsewhere(self) -> list[ConcernView]:
        """Concerns not shown at a question of the transcript (outside a question, or at
        one not shown)."""
        shown = {c.id for s in self.sections for q in s.questions for c in q.concerns}
        return [c for c in self.concern_views if c.id not in shown]


def build_view(
    transcript: Transcript,
    flow: Flow | None,
    recommendations: list[Recommendation],
    thanked_at: datetime | None,
    now: datetime,
    *,
    names: Mapping[int, str] | None = None,
    messages_to_person: list[ThankYou] | None = None,
    call_backs: list[CallBackView] | None = None,
) -> TranscriptView:
    """Everything a reader needs, in the flow's order; questions never reached are left out.
    Each concern is shown at the question where it arose."""
    views = concern_views(transcript.concerns, flow, names or {}, transcript)
    sections: list[SectionView] = []
    code: Language = "cy" if transcript.interview.language == "cy" else "en"
    for section in flow.sections if flow else []:
        shown: list[QuestionView] = []
        for question in section.questions:
            value = transcript.answers.get(question.id)
            if value is None and question.id not in transcript.skipped:
                continue
            changes = [
                (c.at, answer_label(question, c.value, "en") if c.value is not None else c.kind)
                for c in transcript.history
                if c.question_id == question.id
            ]
            shown.append(
                QuestionView(
                    text=pick(question.text, "en"),
                    seed=question.seed,
                    status="answered" if value is not None else "skipped",
                    answer=answer_label(question, value, "en") if value is not None else "Skipped",
                    free_text=question.kind == "text",
                    changes=changes if len(changes) > 1 else [],
                    times_changed=sum(
                        c.kind == "changed"
                        for c in transcript.history
                        if c.question_id == question.id
                    ),
                    asked=pick(question.text, code) if code != "en" else None,
                    answer_as_seen=(
                        answer_label(question, value, code)
                        if code != "en" and value is not None and question.kind != "text"
                        else None
                    ),
                    concerns=[v for v in views if v.question_id == question.id],
                )
            )
        if shown:
            sections.append(SectionView(pick(section.title, "en"), shown))
    return TranscriptView(
        transcript,
        pick(flow.title, "en") if flow else transcript.interview.flow_id,
        sections,
        transcript.concerns,
        recommendations,
        thanked_at,
        now,
        LANGUAGE_NAMES[code],
        views,
        DECISIONS.get(transcript.interview.decision or ""),
        messages_to_person or [],
        call_backs=call_backs or [],
    )
