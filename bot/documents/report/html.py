"""The monitoring report as a printable HTML document, charts embedded."""

from __future__ import annotations

from bot.documents.report.charts import ranked_bars, stacked_shares
from bot.documents.report.figures import (
    LANGUAGE_ROWS,
    OVERALL,
    SUPPRESS_BELOW,
    UPTAKE_LABELS,
    UPTAKE_ROWS,
    Report,
)
from bot.documents.templating import render
from flows.text import pick


def _cell(count: int) -> str:
    return f"<{SUPPRESS_BELOW}" if 0 < count < SUPPRESS_BELOW else str(count)


def _minutes(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 120:
        return f"{value:.0f} min"
    return f"{value / 60:.1f} h"


def report_html(report: Report, with_charts: bool = True) -> str:
    """The printable report, charts embedded, so it can be emailed or printed as it is."""
    if with_charts:
        if report.yes_no:
            report.charts["yes_no"] = stacked_shares(report.yes_no, "All homes and services")
        for table in report.ranked:
            report.charts[f"ranked_{table.question_id}"] = ranked_bars(table)
    period = (
        " to ".join(d.strftime("%d %B %Y") for d in (report.start, report.end) if d) or "all time"
    )
    ranked_heading = (
        "Reasons and what would have helped, ranked"
        if report.flow.audience == "foster_carer"
        else "Choose-several questions, ranked"
    )
    return render(
        "report.html.j2",
        report=report,
        title=pick(report.flow.title, "en"),
        period=period,
        groups_all=[OVERALL, *report.groups],
        uptake_rows=[
            row for row in UPTAKE_ROWS if row not in LANGUAGE_ROWS or "cy" in report.flow.languages
        ],
        uptake_labels=UPTAKE_LABELS,
        cell=_cell,
        minutes=_minutes,
        ranked_heading=ranked_heading,
    )
