"""The annual monitoring report: counts only, never free text, small numbers suppressed.

For senior managers (children's homes) and fostering services (foster carers): how many
were offered an interview and took it up, what they said as shares per home and overall,
concerns and how fast they were acknowledged, and whether recommendations were answered.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from flows import Flow
from flows.model import Question
from flows.prompts import answer_label
from flows.text import pick
from storage.reporting import ConcernTiming, InterviewAnswers

SUPPRESS_BELOW = 5
OVERALL = "All homes and services"
UPTAKE_ROWS = (
    "offered",
    "taken_up",
    "completed",
    "stopped",
    "declined",
    "expired",
    "in_progress",
    "in_welsh",
    "in_english",
)
LANGUAGE_ROWS = ("in_welsh", "in_english")
"""Shown only for flows offered in Welsh."""
UPTAKE_LABELS = {
    "offered": "Offered an interview",
    "taken_up": "Said yes (took it up)",
    "completed": "Completed",
    "stopped": "Stopped part-way",
    "declined": "Said no",
    "expired": "Never answered (expired)",
    "in_progress": "Still in progress",
    "in_welsh": "Answered in Welsh",
    "in_english": "Answered in English",
}
IN_PROGRESS = {"invited", "consented", "in_progress", "paused"}


@dataclass(frozen=True)
class Cell:
    """A count as it may be published: counts from 1 to 4 are shown only as "<5"."""

    count: int
    total: int

    @property
    def suppressed(self) -> bool:
        return 0 < self.count < SUPPRESS_BELOW

    @property
    def shown(self) -> str:
        return f"<{SUPPRESS_BELOW}" if self.suppressed else str(self.count)

    @property
    def share(self) -> str:
        if self.suppressed or self.total == 0 or 0 < self.total < SUPPRESS_BELOW:
            return "—"
        return f"{100 * self.count / self.total:.0f}%"


@dataclass
class QuestionTable:
    """One question's answers counted, for each home or service and overall."""

    question_id: str
    text: str
    seed: str | None
    columns: list[str]
    rows: dict[str, list[Cell]] = field(default_factory=dict)
    # The question as Welsh speakers were asked it, for flows offered in Welsh.
    welsh: str | None = None


@dataclass
class ConcernFigures:
    raised: int
    acknowledged: int
    median_minutes: float | None
    slowest_minutes: float | None


@dataclass
class Report:
    flow: Flow
    start: date | None
    end: date | None
    service: str | None
    generated_at: datetime
    groups: list[str]
    uptake: dict[str, dict[str, Cell]]
    yes_no: list[QuestionTable]
    ranked: list[QuestionTable]
    distributions: list[QuestionTable]
    concerns: dict[str, ConcernFigures]
    follow_up: dict[str, int]
    charts: dict[str, str] = field(default_factory=dict)


def _group(item: InterviewAnswers) -> str:
    return item.interview.service or "(no home or service)"


def uptake_counts(items: Iterable[InterviewAnswers]) -> dict[str, int]:
    """How many were offered, said yes, completed, stopped, said no, expired, are in progress."""
    counts: Counter[str] = Counter()
    for item in items:
        counts["offered"] += 1
        if item.consented_at is not None:
            counts["taken_up"] += 1
            counts["in_welsh" if item.interview.language == "cy" else "in_english"] += 1
        status = item.interview.status
        counts["in_progress" if status in IN_PROGRESS else status] += 1
    return {row: counts.get(row, 0) for row in UPTAKE_ROWS}


def answer_counts(question: Question, items: Iterable[InterviewAnswers]) -> Counter[str]:
    """How often each answer was given, and how often the question was skipped."""
    counts: Counter[str] = Counter()
    for item in items:
        value = item.answers.get(question.id)
        if value is None:
            if question.id in item.skipped:
                counts["skipped"] += 1
            continue
        for single in value if isinstance(value, list) else [value]:
            counts[single] += 1
    return counts


def _table(
    question: Question,
    by_group: dict[str, list[InterviewAnswers]],
    values: list[str],
    reached: Callable[[list[InterviewAnswers]], int],
) -> QuestionTable:
    columns = [answer_label(question, v, "en") if v != "skipped" else "Skipped" for v in values]
    table = QuestionTable(question.id, pick(question.text, "en"), question.seed, columns)
    if question.text.get("cy"):
        table.welsh = question.text["cy"]
    for group, items in by_group.items():
        counts = answer_counts(question, items)
        total = reached(items)
        table.rows[group] = [Cell(counts.get(v, 0), total) for v in values]
    return table


def _reached(question: Question) -> Callable[[list[InterviewAnswers]], int]:
    def count(items: list[InterviewAnswers]) -> int:
        return sum(1 for i in items if question.id in i.answers or question.id in i.skipped)

    return count


def concern_figures(timings: list[ConcernTiming]) -> ConcernFigures:
    waits = [
        (c.acknowledged_at - c.raised_at).total_seconds() / 60
        for c in timings
        if c.acknowledged_at is not None
    ]
    return ConcernFigures(
        len(timings),
        len(waits),
        statistics.median(waits) if waits else None,
        max(waits) if waits else None,
    )


def build_report(
    flow: Flow,
    items: list[InterviewAnswers],
    timings: list[ConcernTiming],
    follow_up: dict[str, int],
    *,
    start: date | None,
    end: date | None,
    service: str | None,
    now: datetime,
    progress: Callable[[], None] | None = None,
) -> Report:
    """Every figure of the report, computed from the interviews given (already access-checked)."""
    by_group: dict[str, list[InterviewAnswers]] = defaultdict(list)
    for item in items:
        by_group[_group(item)].append(item)
    groups = sorted(by_group)
    by_group_all = {OVERALL: items, **{g: by_group[g] for g in groups}}
    uptake = {
        g: {row: Cell(n, 0) for row, n in uptake_counts(members).items()}
        for g, members in by_group_all.items()
    }
    yes_no, ranked, distributions = [], [], []
    for question in flow.questions():
        if progress is not None:
            progress()
        if question.kind == "text":
            continue
        values = question.answer_values()
        if question.kind == "yes_no":
            yes_no.append(_table(question, by_group_all, [*values, "skipped"], _reached(question)))
        elif question.kind == "multi":
            overall = answer_counts(question, items)
            order = sorted(values, key=lambda v: -overall.get(v, 0))
            ranked.append(_table(question, by_group_all, order, _reached(question)))
        else:
            distributions.append(
                _table(question, by_group_all, [*values, "skipped"], _reached(question))
            )
    concerns = {OVERALL: concern_figures(timings)}
    for group in groups:
        concerns[group] = concern_figures(
            [t for t in timings if (t.service or "(no home or service)") == group]
        )
    return Report(
        flow,
        start,
        end,
        service,
        now,
        groups,
        uptake,
        yes_no,
        ranked,
        distributions,
        concerns,
        follow_up,
    )
