"""Exports for case systems and spreadsheets: one row per interview, a column per question."""

from __future__ import annotations

import csv
import io
import json
import re
from typing import Any

from flows import Flow
from storage.reporting import InterviewAnswers

FIXED_COLUMNS = [
    "interview_id",
    "flow",
    "flow_version",
    "service",
    "language",
    "status",
    "created_at",
    "consented_at",
    "finished_at",
    "limited_circulation",
]
SKIPPED = "(skipped)"


def export_rows(
    flow: Flow, found: list[InterviewAnswers], include_text: bool
) -> list[dict[str, Any]]:
    """Rows keyed by column; free text only when asked for, never by default."""
    rows = []
    for item in found:
        interview = item.interview
        row: dict[str, Any] = {
            "interview_id": interview.id,
            "flow": interview.flow_id,
            "flow_version": interview.flow_version,
            "service": interview.service or "",
            "language": interview.language or "en",
            "status": interview.status,
            "created_at": interview.created_at.isoformat(),
            "consented_at": item.consented_at.isoformat() if item.consented_at else "",
            "finished_at": interview.finished_at.isoformat() if interview.finished_at else "",
            "limited_circulation": interview.limited_circulation,
        }
        for question in flow.questions():
            value = item.answers.get(question.id)
            if question.kind == "text" and not include_text:
                row[question.id] = (
                    "(answered)"
                    if value is not None
                    else (SKIPPED if question.id in item.skipped else "")
                )
            elif value is not None:
                row[question.id] = value
            else:
                row[question.id] = SKIPPED if question.id in item.skipped else ""
        rows.append(row)
    return rows


BIDI_CONTROLS = re.compile("[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
"""Characters that reorder the text around them when shown (right-to-left overrides and
embeddings, isolates, direction marks). In a transcript or a spreadsheet they can make an
answer read as something else ("txt.exe" shown as "exe.txt"), so they leave as visible
codes."""


def plain_direction(text: str) -> str:
    """Text whose bidirectional control characters are shown as codes like [U+202E], so
    what a reader sees in a file is what was typed, in the order it was typed."""
    return BIDI_CONTROLS.sub(lambda found: f"[U+{ord(found.group()):04X}]", text)


FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "|", "%")


def spreadsheet_safe(value: object) -> object:
    """A cell a spreadsheet will show as text, never run as a formula (OWASP's advice:
    a leading = + - @ tab or carriage return is escaped with a quote), nor reordered."""
    if not isinstance(value, str):
        return value
    value = plain_direction(value)
    if value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(flow: Flow, rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheets open Welsh characters correctly; every
    cell safe from formula injection, whoever wrote it."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=FIXED_COLUMNS + [q.id for q in flow.questions()])
    writer.writeheader()
    for row in rows:
        writer.writerow(
            {
                key: spreadsheet_safe(";".join(value) if isinstance(value, list) else value)
                for key, value in row.items()
            }
        )
    return buffer.getvalue().encode("utf-8-sig")


def to_json(rows: list[dict[str, Any]]) -> bytes:
    """The rows as JSON, with bidirectional controls shown as codes as in the CSV."""
    return plain_direction(json.dumps(rows, ensure_ascii=False, indent=1)).encode("utf-8")
