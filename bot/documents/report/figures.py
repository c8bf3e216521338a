"""The annual monitoring report: counts only, never free text, small numbers suppressed.

For senior managers (children's homes) and fostering services (foster carers): how many
were offered an interview and took it up, what they said as shares per home and overall,
concerns and how fast they were acknowledged, and whether recommendations were answered.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from bot.documents.report.disclosure import Sum, grid_sums, protect
from flows import Flow
from flows.model import Question
from flows.prompts import answer_label
from flows.text import pick
from storage.reporting import ConcernTiming, InterviewAnswers

SUPPRESS_BELOW = 5
OVERALL = "All homes and services"
UPTAKE_ROWS = (
    "offered",
    "not_opened",
    "in_progress",
    "taken_up",
    "completed",
    "stopped",
    "declined",
    "expired",
    "in_welsh",
    "in_english",
)
STATUS_ROWS = ("not_opened", "in_progress", "completed", "stopped", "declined", "expired")
"""Every interview offered is in exactly one of these."""
LANGUAGE_ROWS = ("in_welsh", "in_english")
"""Shown only for flows offered in Welsh."""
UPTAKE_LABELS = {
    "offered": "Offered an interview",
    "taken_up": "Said yes (took it up)",
    "completed": "Completed",
    "stopped": "Stopped part-way",
    "declined": "Said no",
    "expired": "Never answered (expired)",
    "not_opened": "Invitation not opened yet",
    "in_progress": "Opened, not finished yet",
    "in_welsh": "Answered in Welsh",
    "in_english": "Answered in English",
}
IN_PROGRESS = {"consented", "in_progress", "paused"}
HIDDEN = "*"
TOTAL = "total"
OVERALL_LABELS = {"young_person": "All homes", "foster_carer": "All fostering services"}


@dataclass
class Cell:
    """A count as it may be published. A hidden count (any from 1 to 4, and others beside
    them so they cannot be worked out) is shown as "*", as is any share of it."""

    count: int
    total: int
    hidden: bool = False
    total_hidden: bool = False

    @property
    def suppressed(self) -> bool:
        return self.hidden

    @property
    def shown(self) -> str:
        return HIDDEN if self.hidden else str(self.count)

    @property
    def share(self) -> str:
        if self.hidden or self.total_hidden or self.total < SUPPRESS_BELOW:
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
    # How many reached the question, by group.
    totals: dict[str, Cell] = field(default_factory=dict)

    @property
    def too_few(self) -> bool:
        """Nothing can be shown: fewer than 5 reached it in all."""
        overall = self.totals.get(OVERALL)
        return overall is None or overall.hidden

    def row_hidden(self, group: str) -> bool:
        """A home's answers are all hidden (fewer than 5 of them reached the question)."""
        return self.totals[group].hidden and all(c.hidden or c.count == 0 for c in self.rows[group])


@dataclass
class ConcernFigures:
    raised: int
    acknowledged: int
    median_minutes: float | None
    slowest_minutes: float | None
    raised_hidden: bool = False
    acknowledged_hidden: bool = False

    @property
    def timings_shown(self) -> bool:
        """Times are shown only where 5 or more concerns were acknowledged."""
        return not self.acknowledged_hidden and self.acknowledged >= SUPPRESS_BELOW


def protect_concerns(concerns: dict[str, ConcernFigures]) -> None:
    """Hide small counts of concerns, and others beside them, as for the answers."""
    values: dict[Hashable, int] = {}
    forced: set[Hashable] = set()
    for group, figures in concerns.items():
        values[(group, "raised")] = figures.raised
        values[(group, "acknowledged")] = figures.acknowledged
        if group != OVERALL and figures.raised < SUPPRESS_BELOW:
            forced.update({(group, "raised"), (group, "acknowledged")})
    groups = [g for g in concerns if g != OVERALL]
    sums = [Sum((OVERALL, c), tuple((g, c) for g in groups)) for c in ("raised", "acknowledged")]
    hidden = protect(values, sums, forced)
    for group, figures in concerns.items():
        figures.raised_hidden = (group, "raised") in hidden
        figures.acknowledged_hidden = (group, "acknowledged") in hidden


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


def uptake_rows(flow: Flow) -> tuple[str, ...]:
    """The uptake rows published for a flow: by language only where it is offered in Welsh."""
    return tuple(r for r in UPTAKE_ROWS if r not in LANGUAGE_ROWS or "cy" in flow.languages)


def _group(item: InterviewAnswers) -> str:
    return item.interview.service or "(no home or service)"


def uptake_counts(items: Iterable[InterviewAnswers]) -> dict[str, int]:
    """How many were offered; how many have not opened their invitation, opened it and not
    finished, completed, stopped, said no, or let it expire; and how many said yes."""
    counts: Counter[str] = Counter()
    for item in items:
        counts["offered"] += 1
        if item.consented_at is not None:
            counts["taken_up"] += 1
            counts["in_welsh" if item.interview.language == "cy" else "in_english"] += 1
        status = item.interview.status
        if status == "invited":
            opened = item.interview.chat_id is not None
            counts["in_progress" if opened else "not_opened"] += 1
        else:
            counts["in_progress" if status in IN_PROGRESS else status] += 1
    return {row: counts.get(row, 0) for row in UPTAKE_ROWS}


def protect_uptake(uptake: dict[str, dict[str, Cell]], rows: tuple[str, ...]) -> None:
    """The same protection for the uptake table: each interview offered is in one status,
    those who said yes answered in one language, and the homes add up to the whole."""
    values: dict[Hashable, int] = {}
    forced: set[Hashable] = set()
    for group, cells in uptake.items():
        for row in rows:
            values[(group, row)] = cells[row].count
        if cells["offered"].count < SUPPRESS_BELOW:
            forced.update((group, row) for row in rows)
    groups = [g for g in uptake if g != OVERALL]
    sums = [Sum((OVERALL, row), tuple((g, row) for g in groups)) for row in rows]
    for group in uptake:
        sums.append(Sum((group, "offered"), tuple((group, row) for row in STATUS_ROWS)))
        if "in_welsh" in rows:
            sums.append(Sum((group, "taken_up"), ((group, "in_welsh"), (group, "in_english"))))
    hidden = protect(values, sums, forced)
    for group, cells in uptake.items():
        for row in rows:
            cells[row].hidden = (group, row) in hidden


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
        table.totals[group] = Cell(total, total)
        table.rows[group] = [Cell(counts.get(v, 0), total) for v in values]
    _protect_table(table, adds_up=question.kind != "multi")
    return table


def _protect_table(table: QuestionTable, adds_up: bool) -> None:
    """Hide what must be hidden: groups where fewer than 5 reached the question, every
    count from 1 to 4, and enough else that nothing hidden can be worked out."""
    columns = list(range(len(table.columns)))
    values: dict[Hashable, int] = {}
    forced: set[Hashable] = set()
    for group, cells in table.rows.items():
        values[(group, TOTAL)] = table.totals[group].count
        for column, cell in zip(columns, cells, strict=True):
            values[(group, column)] = cell.count
        if table.totals[group].count < SUPPRESS_BELOW:
            forced.update((group, key) for key in (TOTAL, *columns))
    sums = grid_sums(table.rows, columns, OVERALL, TOTAL if adds_up else None)
    if not adds_up:
        sums.append(Sum((OVERALL, TOTAL), tuple((g, TOTAL) for g in table.rows if g != OVERALL)))
    hidden = protect(values, sums, forced)
    for group, cells in table.rows.items():
        total_hidden = (group, TOTAL) in hidden
        table.totals[group].hidden = total_hidden
        for column, cell in zip(columns, cells, strict=True):
            cell.hidden = (group, column) in hidden
            cell.total_hidden = total_hidden


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
    protect_uptake(uptake, uptake_rows(flow))
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
    protect_concerns(concerns)
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
