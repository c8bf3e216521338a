"""The monitoring report as a printable HTML document, charts embedded."""

from __future__ import annotations

from bot.documents.report.charts import chartable, ranked_bars, stacked_shares
from bot.documents.report.figures import (
    HIDDEN,
    OVERALL,
    OVERALL_LABELS,
    SUPPRESS_BELOW,
    UPTAKE_LABELS,
    Report,
    uptake_rows,
)
from bot.documents.templating import render
from flows.text import pick


def _cell(count: int) -> str:
    """A single count with nothing beside it to work it out from."""
    return HIDDEN if 0 < count < SUPPRESS_BELOW else str(count)


def _minutes(value: float | None) -> str:
    if value is None:
        return "—"
    if value < 120:
        return f"{value:.0f} min"
    return f"{value / 60:.1f} h"


def report_html(report: Report, with_charts: bool = True) -> str:
    """The printable report, charts embedded, so it can be emailed or printed as it is."""
    overall = OVERALL_LABELS.get(report.flow.audience, OVERALL)
    if with_charts and not too_few_took_part(report):
        drawable = [t for t in report.yes_no if chartable(t)]
        if drawable:
            report.charts["yes_no"] = stacked_shares(drawable, overall)
        for table in report.ranked:
            if chartable(table):
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
        uptake_rows=uptake_rows(report.flow),
        uptake_groups=[
            g
            for g in [OVERALL, *report.groups]
            if g == OVERALL or not all(cell.hidden for cell in report.uptake[g].values())
        ],
        label=lambda group: overall if group == OVERALL else group,
        carers=report.flow.audience == "foster_carer",
        hidden=HIDDEN,
        uptake_labels=UPTAKE_LABELS,
        cell=_cell,
        minutes=_minutes,
        ranked_heading=ranked_heading,
        too_few=too_few_took_part(report),
    )


def too_few_took_part(report: Report) -> bool:
    """Fewer than 5 said yes to an interview: the report then says so once and shows no
    question at all, rather than a line per question that each says the same."""
    return report.uptake[OVERALL]["taken_up"].count < SUPPRESS_BELOW
