"""The monitoring report at a council's real numbers: a year is 5 to 60 interviews. Nothing
hidden can be worked out, no chart is empty, and the counts add up.

The attacker here is written apart from the report's own check: it reads only what is
published, knows how the numbers relate (homes add up to the whole, answers to those who
answered, statuses to those offered), and tries two ways to solve each hidden cell:
linear algebra (numpy's rank) and narrowing each cell's possible range until it settles."""

from __future__ import annotations

import re
from collections.abc import Hashable
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest

from bot.documents.report.disclosure import Sum, protect
from bot.documents.report.figures import OVERALL, STATUS_ROWS, Report
from bot.documents.report.gather import gather_report
from bot.documents.report.html import report_html
from flows import load_flows
from storage import Storage
from tests.synthetic import OPERATOR, make_interviews

START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
FOUR_HOMES = ["Oak House", "Elm House", "Ash House", "Yew House"]
Relation = tuple[Hashable, list[Hashable]]


def attack(
    published: dict[Hashable, int | None], relations: list[Relation], largest: int
) -> set[Hashable]:
    """Every hidden cell (None) the attacker can pin to one value."""
    hidden = sorted((k for k, v in published.items() if v is None), key=repr)
    if not hidden:
        return set()
    index = {k: i for i, k in enumerate(hidden)}
    matrix = []
    for total, parts in relations:
        row = [0.0] * len(hidden)
        for key, sign in [(total, 1), *((p, -1) for p in parts)]:
            if key in index:
                row[index[key]] += sign
        matrix.append(row)
    solved: set[Hashable] = set()
    base = np.linalg.matrix_rank(np.array(matrix)) if matrix else 0
    for key, i in index.items():
        unit = [0.0] * len(hidden)
        unit[i] = 1.0
        if np.linalg.matrix_rank(np.array([*matrix, unit])) == base:
            solved.add(key)
    low = {k: 0 for k in hidden}
    high = {k: largest for k in hidden}

    def bounds(key: Hashable) -> tuple[int, int]:
        value = published[key]
        return (value, value) if value is not None else (low[key], high[key])

    changed = True
    while changed:
        changed = False
        for total, parts in relations:
            terms = [(total, 1), *((p, -1) for p in parts)]
            for key, sign in terms:
                if key not in index:
                    continue
                rest_low = sum(
                    s * (bounds(k)[0] if s > 0 else bounds(k)[1]) for k, s in terms if k != key
                )
                rest_high = sum(
                    s * (bounds(k)[1] if s > 0 else bounds(k)[0]) for k, s in terms if k != key
                )
                new_low, new_high = sorted((-rest_high * sign, -rest_low * sign))
                if new_low > low[key] or new_high < high[key]:
                    low[key], high[key] = max(low[key], new_low), min(high[key], new_high)
                    changed = True
    solved |= {k for k in hidden if low[k] == high[k]}
    return solved


def shown(text: str) -> int | None:
    return None if text == "*" else int(text)


def question_tables(report: Report) -> list[tuple[dict[Hashable, int | None], list[Relation]]]:
    found = []
    for table in [*report.yes_no, *report.distributions, *report.ranked]:
        published: dict[Hashable, int | None] = {}
        relations: list[Relation] = []
        homes = [g for g in table.rows if g != OVERALL]
        for group, cells in table.rows.items():
            published[(group, "answered")] = shown(table.totals[group].shown)
            for column, cell in enumerate(cells):
                published[(group, column)] = shown(cell.shown)
            if table not in report.ranked:
                relations.append(((group, "answered"), [(group, c) for c in range(len(cells))]))
        for column in [*range(len(table.columns)), "answered"]:
            relations.append(((OVERALL, column), [(g, column) for g in homes]))
        found.append((published, relations))
    return found


def uptake_table(report: Report) -> tuple[dict[Hashable, int | None], list[Relation]]:
    published: dict[Hashable, int | None] = {}
    relations: list[Relation] = []
    rows = ["offered", "taken_up", *STATUS_ROWS]
    homes = [g for g in report.uptake if g != OVERALL]
    for group, cells in report.uptake.items():
        for row in rows:
            published[(group, row)] = shown(cells[row].shown)
        relations.append(((group, "offered"), [(group, r) for r in STATUS_ROWS]))
    for row in rows:
        relations.append(((OVERALL, row), [(g, row) for g in homes]))
    return published, relations


async def council(storage: Storage, size: int) -> Report:
    flow = load_flows()["children-home"]
    await make_interviews(storage, flow, size, FOUR_HOMES, START, seed=size)
    return await gather_report(storage, flow, OPERATOR, START + timedelta(days=400))


@pytest.mark.parametrize("size", [3, 12, 60])
async def test_no_hidden_number_can_be_worked_out(storage: Storage, size: int) -> None:
    report = await council(storage, size)
    tables = [*question_tables(report), uptake_table(report)]
    hidden_cells = 0
    for published, relations in tables:
        hidden_cells += sum(v is None for v in published.values())
        solved = attack(published, relations, largest=size)
        assert not solved, f"worked out from what is published: {sorted(solved, key=repr)[:5]}"
    assert hidden_cells > 0, "a council this size has small numbers to hide"


@pytest.mark.parametrize("size", [3, 12, 60])
async def test_published_counts_add_up(storage: Storage, size: int) -> None:
    report = await council(storage, size)
    offered = report.uptake[OVERALL]["offered"]
    if not offered.hidden:
        assert offered.count == size
        statuses = [report.uptake[OVERALL][r] for r in STATUS_ROWS]
        assert sum(c.count for c in statuses) == size
    for table in [*report.yes_no, *report.distributions]:
        if table.too_few:
            continue
        overall = table.rows[OVERALL]
        assert sum(c.count for c in overall) == table.totals[OVERALL].count
        for column, cell in enumerate(overall):
            homes = [table.rows[g][column] for g in table.rows if g != OVERALL]
            assert cell.count == sum(h.count for h in homes)


@pytest.mark.parametrize("size", [3, 12, 60])
async def test_no_empty_chart_and_too_few_is_said_in_words(storage: Storage, size: int) -> None:
    report = await council(storage, size)
    html = report_html(report)
    charts = html.count("data:image/png;base64,")
    drawable = [t for t in report.ranked if not t.too_few]
    if size == 3:
        assert charts == 0
        assert "Fewer than 5 young people were offered an interview" in html
        assert "<5" not in html and "&lt;5" not in html
        assert "<h3>" not in html, "with fewer than 5, no question is listed at all"
        return
    for table in report.ranked:
        key = f"ranked_{table.question_id}"
        shown_counts = [c.count for c in table.rows[OVERALL] if not c.hidden and c.count > 0]
        assert (key in report.charts) == (bool(shown_counts) and not table.too_few)
    if size == 60:
        assert charts >= 1 and drawable
    assert "too few answers to draw a chart" in html or charts == 1 + len(
        [t for t in report.ranked if f"ranked_{t.question_id}" in report.charts]
    )


async def test_the_carers_report_speaks_of_services_and_carers(storage: Storage) -> None:
    flow = load_flows()["foster-carer"]
    await make_interviews(storage, flow, 12, ["Service A", "Service B"], START, seed=4)
    report = await gather_report(storage, flow, OPERATOR, START + timedelta(days=400))
    html = report_html(report, with_charts=False)
    assert "All fostering services" in html and "Carers thanked" in html
    assert not re.search(r"\bhomes\b|young people", html, re.IGNORECASE)


def test_a_lone_small_count_is_not_given_away_by_its_neighbours() -> None:
    """The case from the issue: 6 answered, Yes 5, No 1, Not sure 0, Skipped 0."""
    values = {"answered": 6, "yes": 5, "no": 1, "not_sure": 0, "skipped": 0}
    hidden = protect(values, [Sum("answered", ("yes", "no", "not_sure", "skipped"))])
    assert "no" in hidden and len(hidden) >= 2
    published = {k: (None if k in hidden else v) for k, v in values.items()}
    relations: list[Relation] = [("answered", ["yes", "no", "not_sure", "skipped"])]
    assert not attack(published, relations, largest=6)
