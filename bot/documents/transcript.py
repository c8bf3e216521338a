"""Transcripts as text and JSON for staff: the plain wording and the seed wording together."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.documents.view import build_view, question_words
from flows import Flow
from flows.prompts import answer_label
from flows.text import pick
from storage.records import InterviewSummary, Transcript

BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
QUOTE = "  │ "
SUPPORT_WORDS = {
    "none": "none",
    "easy-read": "the easy-read version, chosen by the social worker",
    "worker": "supported: an adult helped them answer, as the social worker decided",
}


def plain(text: str) -> str:
    """A person's text with the invisible direction controls that can disguise it removed
    (a right-to-left override can make text read backwards)."""
    return BIDI_CONTROLS.sub("", text)


def quoted(text: str) -> str:
    """What a person wrote, every line marked as theirs, so nothing they type can look like
    a heading or a note from the system in a staff message."""
    return "\n".join(QUOTE + line for line in plain(text).splitlines() or [""])


def _when(value: object) -> str | None:
    return value.isoformat() if hasattr(value, "isoformat") else None


def interview_row(summary: InterviewSummary) -> dict[str, Any]:
    """An interview as a JSON object for lists: no answers."""
    return {
        "id": summary.id,
        "flow": summary.flow_id,
        "flow_version": summary.flow_version,
        "name": summary.display_name,
        "service": summary.service,
        "language": summary.language,
        "status": summary.status,
        "created_at": _when(summary.created_at),
        "updated_at": _when(summary.updated_at),
        "finished_at": _when(summary.finished_at),
        "limited_circulation": summary.limited_circulation,
        "support": summary.support,
        "concerns": summary.concerns,
        "open_concerns": summary.open_concerns,
    }


def transcript_json(transcript: Transcript, flow: Flow | None) -> dict[str, Any]:
    """The whole record as one JSON document, for case systems and scripts."""
    questions = []
    for question in flow.questions() if flow else []:
        value = transcript.answers.get(question.id)
        questions.append(
            {
                "id": question.id,
                "text": pick(question.text, "en"),
                "seed": question.seed,
                "status": "answered"
                if value is not None
                else ("skipped" if question.id in transcript.skipped else "not_asked"),
                "answer": value,
                "answer_label": answer_label(question, value, "en") if value is not None else None,
                "changes": [
                    {"kind": c.kind, "value": c.value, "at": _when(c.at)}
                    for c in transcript.history
                    if c.question_id == question.id
                ],
            }
        )
    return {
        "interview": interview_row(transcript.interview),
        "consented_at": _when(transcript.consented_at),
        "questions": questions,
        "concerns": [
            {
                "id": c.id,
                "question": c.question_id,
                "reason": c.reason,
                "answer": c.answer,
                "raised_at": _when(c.raised_at),
                "acknowledged_at": _when(c.acknowledged_at),
                "acknowledged_by": c.acknowledged_by,
                "question_text": question_words(flow, c.question_id),
                "alerted": list(c.alerted),
            }
            for c in transcript.concerns
        ],
        "messages": [
            {"direction": line.direction, "at": _when(line.at), "text": line.text}
            for line in transcript.lines
        ],
    }


def transcript_text(
    transcript: Transcript, flow: Flow | None, names: Mapping[int, str] | None = None
) -> str:
    """A readable record: each question in plain words and in the original, then the answer.
    Staff are named and questions worded; no internal id stands for either."""
    interview = transcript.interview
    view = build_view(transcript, flow, [], None, transcript.interview.updated_at, names=names)
    lines = [
        f"Interview {interview.id}: {plain(interview.display_name)}",
        f"{view.flow_title}; home or service: {interview.service or '-'}; "
        f"status: {interview.status}",
        f"Consent given: {_when(transcript.consented_at) or 'no'}",
    ]
    if interview.limited_circulation:
        lines.append("⚠ The person asked for their answers to be seen by fewer people.")
    if interview.support != "none":
        lines.append(f"Support: {SUPPORT_WORDS[interview.support]}.")
    if view.decision:
        lines.append(f"Decision: {view.decision}.")
    for concern in view.concern_views:
        acknowledged = (
            f"acknowledged by {concern.acknowledged_by} at {concern.acknowledged_at:%d %b %Y %H:%M}"
            if concern.acknowledged_at
            else "NOT YET ACKNOWLEDGED"
        )
        where = f"at “{concern.where}”" if concern.where else "in something they wrote"
        lines.append(f"⚠ Concern {concern.id} ({concern.reason}) {where}: {acknowledged}")
    for section in view.sections:
        lines.append("")
        lines.append(f"== {section.title} ==")
        for question in section.questions:
            lines.append(f"Q: {question.text}")
            if question.seed:
                lines.append(f"   (original: {question.seed})")
            if question.status == "answered":
                lines.append("A:")
                lines.append(quoted(question.answer))
            else:
                lines.append("A: (skipped)")
            if question.times_changed:
                lines.append(f"   (changed {question.times_changed} time(s))")
    sent = [line for line in transcript.lines if line.direction == "in"]
    if sent:
        lines.append("")
        lines.append("== Everything the person sent, in order ==")
        for line in sent:
            lines.append(f"{line.at:%d %b %H:%M}")
            lines.append(quoted(line.text))
    return "\n".join(lines)
