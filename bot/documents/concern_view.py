"""A concern as staff read it in a transcript, where it arose: its tier, kind and severity,
the person's words that raised it (highlighted), who was alerted, who acknowledged it and
when, and what was decided. Also the call-back requests with their number and status."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from flows import Flow
from flows.safeguarding import Category
from flows.text import pick
from storage.records import ConcernRecord, Transcript
from storage.tasks import Task

CHANNEL_MARK = re.compile(r"^\((?:edited message|caption)\) ")
"""What the bot puts before words that came another way ("(edited message) ", "(caption) ")."""
DECISION_WORDS = {"raised": "Raised to red", "closed": "Closed with no further action"}
WHEN_WORDS = {
    "morning": "in the morning",
    "afternoon": "in the afternoon",
    "evening": "in the evening",
    "any": "at any time",
}


@dataclass(frozen=True)
class Highlight:
    """The person's words around a concern: the words that raised it in the middle."""

    before: str
    words: str
    after: str


@dataclass(frozen=True)
class ConcernView:
    """A concern with wording and names in place of ids."""

    id: int
    raised_at: datetime
    reason: str
    where: str | None
    acknowledged_at: datetime | None
    acknowledged_by: str | None
    question_id: str | None = None
    tier: str = "red"
    category: str = ""
    severity: str = "serious"
    next_step: str = ""
    highlight: Highlight | None = None
    at_answer: bool = False
    """Whether the highlight is the question's answer as it stands (shown at that answer)."""
    alerted: tuple[str, ...] = ()
    decision: str | None = None
    decided_by: str | None = None
    decided_at: datetime | None = None
    decision_reason: str | None = None


@dataclass(frozen=True)
class CallBackView:
    """A request to talk to a person: how, when, the number they gave, and whether done."""

    ref: str
    asked_at: datetime
    how: str
    number: str | None
    status: str
    note: str | None = None
    closed_by: str | None = None


def highlight(text: str, span: tuple[int, int] | None) -> Highlight | None:
    """The words the span points at in a text, if it fits (a prefix the bot added for an
    edited message or a caption is allowed for)."""
    if span is None:
        return None
    start, end = span
    shifts = [0]
    mark = CHANNEL_MARK.match(text)
    if mark:
        shifts.append(len(mark.group(0)))
    for shift in reversed(shifts):
        if 0 <= start + shift < end + shift <= len(text):
            return Highlight(
                text[: start + shift], text[start + shift : end + shift], text[end + shift :]
            )
    return None


def source_text(concern: ConcernRecord, transcript: Transcript) -> tuple[str | None, bool]:
    """The person's words the concern was found in (kept, sealed, with the concern), and
    whether they are part of the answer to its question as it stands now."""
    if concern.source is None:
        return None, False
    answer = transcript.answers.get(concern.question_id or "")
    return concern.source, isinstance(answer, str) and concern.source in answer


def category_words(category: str) -> tuple[str, str]:
    """A category's label and next step; one this version does not know is shown as is."""
    try:
        known = Category(category)
    except ValueError:
        return category.replace("_", " "), ""
    return known.label, known.next_step


def concern_views(
    concerns: Sequence[ConcernRecord],
    flow: Flow | None,
    names: Mapping[int, str],
    transcript: Transcript | None = None,
) -> list[ConcernView]:
    """The concerns as staff read them, each with the words that raised it if known."""

    def name(user_id: int | None) -> str | None:
        return names.get(user_id, "a former member of staff") if user_id else None

    views = []
    for c in concerns:
        text, current = source_text(c, transcript) if transcript else (None, False)
        label, step = category_words(c.category)
        views.append(
            ConcernView(
                c.id,
                c.raised_at,
                "their answer" if c.reason == "answer" else "words that may mean risk",
                question_words(flow, c.question_id),
                c.acknowledged_at,
                name(c.acknowledged_by),
                question_id=c.question_id,
                tier=c.tier,
                category=label,
                severity=c.severity,
                next_step=step,
                highlight=highlight(text, c.span) if text is not None else None,
                at_answer=current,
                alerted=tuple(names.get(u, f"staff {u}") for u in c.alerted),
                decision=DECISION_WORDS.get(c.decision or ""),
                decided_by=name(c.decided_by),
                decided_at=c.decided_at,
                decision_reason=c.decision_reason,
            )
        )
    return views


def call_back_views(tasks: Sequence[Task], names: Mapping[int, str]) -> list[CallBackView]:
    """The person's requests to talk to someone, with the number they gave and the status."""
    views = []
    for task in tasks:
        if task.kind != "call_back":
            continue
        how = task.detail.get("how", "chat")
        when = WHEN_WORDS.get(task.detail.get("when", "any"), "at any time")
        closer = task.closed_by or ""
        closer_id = int(closer[6:]) if closer.startswith("staff:") and closer[6:].isdigit() else 0
        views.append(
            CallBackView(
                task.ref,
                task.created_at,
                f"{'a phone call' if how == 'phone' else 'a message in their chat'}, {when}",
                task.detail.get("number") or None,
                f"done {task.closed_at:%d %B %Y %H:%M}" if task.closed_at else "not done yet",
                task.close_note,
                names.get(closer_id, closer) if task.closed_at else None,
            )
        )
    return views


def question_words(flow: Flow | None, question_id: str | None) -> str | None:
    """A question's wording, for documents; never its internal id."""
    if question_id is None:
        return None
    if flow is not None:
        try:
            return pick(flow.question(question_id).text, "en")
        except KeyError:
            pass
    return "a question no longer in this flow"
