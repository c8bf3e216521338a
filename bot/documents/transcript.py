"""Transcripts as text and JSON for staff: the plain wording and the seed wording together."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from bot.documents.concern_view import CallBackView, ConcernView, concern_views
from bot.documents.view import build_view
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


def _concern_json(c: ConcernView) -> dict[str, Any]:
    """A concern for case systems: where, what kind, the words that raised it (as a span
    and as text), who was alerted, acknowledgement and decision."""
    return {
        "id": c.id,
        "question": c.question_id,
        "question_text": c.where,
        "reason": c.reason,
        "tier": c.tier,
        "category": c.category,
        "severity": c.severity,
        "next_step": c.next_step,
        "words": c.highlight.words if c.highlight else None,
        "context": (
            {"before": c.highlight.before, "after": c.highlight.after} if c.highlight else None
        ),
        "raised_at": _when(c.raised_at),
        "alerted": list(c.alerted),
        "acknowledged_at": _when(c.acknowledged_at),
        "acknowledged_by": c.acknowledged_by,
        "decision": c.decision,
        "decided_by": c.decided_by,
        "decided_at": _when(c.decided_at),
        "decision_reason": c.decision_reason,
    }


def transcript_json(
    transcript: Transcript,
    flow: Flow | None,
    names: Mapping[int, str] | None = None,
    call_backs: list[CallBackView] | None = None,
) -> dict[str, Any]:
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
            _concern_json(c)
            for c in concern_views(transcript.concerns, flow, names or {}, transcript)
        ],
        "call_backs": [
            {
                "ref": b.ref,
                "asked_at": _when(b.asked_at),
                "how": b.how,
                "number": b.number,
                "status": b.status,
                "note": b.note,
                "closed_by": b.closed_by,
            }
            for b in call_backs or []
        ],
        "messages": [
            {"direction": line.direction, "at": _when(line.at), "text": line.text}
            for line in transcript.lines
        ],
    }


def concern_line(c: ConcernView) -> str:
    """A concern in a plain-text transcript; the words that raised it between » and «."""
    tier = "🔴 RED" if c.tier == "red" else "🟠 AMBER"
    where = f" at “{c.where}”" if c.where else ""
    lines = [f"{tier} concern {c.id}: {c.category} ({c.severity}), {c.reason}{where}"]
    if c.highlight is not None:
        words = plain(f"{c.highlight.before}»{c.highlight.words}«{c.highlight.after}")
        lines.append(quoted(words))
    if c.next_step:
        lines.append(f"   What to do next: {c.next_step}")
    lines.append(f"   Alerted: {', '.join(c.alerted) or 'nobody (amber is not pushed)'}")
    if c.acknowledged_at:
        lines.append(
            f"   Acknowledged by {c.acknowledged_by} at {c.acknowledged_at:%d %b %Y %H:%M}"
        )
    else:
        lines.append("   NOT YET ACKNOWLEDGED")
    if c.decision and c.decided_at:
        lines.append(
            f"   {c.decision} by {c.decided_by} at {c.decided_at:%d %b %Y %H:%M}: "
            f"{plain(c.decision_reason or '')}"
        )
    return "\n".join(lines)


def call_back_line(b: CallBackView) -> str:
    """A request to talk to a person, with the number they gave and what became of it."""
    number = f" on {b.number}" if b.number else ""
    done = f" ({b.closed_by}: {plain(b.note)})" if b.note else ""
    return f"🙋 Asked {b.asked_at:%d %b %Y %H:%M} for {b.how}{number}: {b.status}{done}"


def transcript_text(
    transcript: Transcript,
    flow: Flow | None,
    names: Mapping[int, str] | None = None,
    call_backs: list[CallBackView] | None = None,
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
    lines.extend(concern_line(c) for c in view.concerns_elsewhere)
    lines.extend(call_back_line(b) for b in call_backs or [])
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
            lines.extend(concern_line(c) for c in question.concerns)
    sent = [line for line in transcript.lines if line.direction == "in"]
    if sent:
        lines.append("")
        lines.append("== Everything the person sent, in order ==")
        for line in sent:
            lines.append(f"{line.at:%d %b %H:%M}")
            lines.append(quoted(line.text))
    return "\n".join(lines)
