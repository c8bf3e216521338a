"""Exports and the monitoring report: what leaves the system in bulk, always audited and
limited to the reader's homes or services."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Literal

from bot.core.context import AppContext
from bot.documents.exports import export_rows, to_csv, to_json
from bot.documents.report.gather import gather_report
from storage import Actor

ExportFormat = Literal["csv", "json"]


async def export_answers(
    app: AppContext,
    flow_id: str,
    actor: Actor,
    *,
    form: ExportFormat = "csv",
    start: date | None = None,
    end: date | None = None,
    service: str | None = None,
    include_text: bool = False,
) -> bytes:
    """One row per interview for a case system or a spreadsheet; free text only on request."""
    flow = app.service.flow(flow_id)
    found = await app.storage.reporting.answers(
        actor,
        app.clock(),
        "export_with_text" if include_text else "export",
        flow_id=flow.id,
        start=start,
        end=end,
        service=service,
    )
    rows = export_rows(flow, found, include_text)
    return to_csv(flow, rows) if form == "csv" else to_json(rows)


async def monitoring_report(
    app: AppContext,
    flow_id: str,
    actor: Actor,
    *,
    start: date | None = None,
    end: date | None = None,
    service: str | None = None,
    counted: Callable[[], None] | None = None,
) -> str:
    """The annual monitoring report as one printable HTML page, charts embedded."""
    flow = app.service.flow(flow_id)
    built = await gather_report(
        app.storage,
        flow,
        actor,
        app.clock(),
        start=start,
        end=end,
        service=service,
        progress=counted,
    )
    # Imported here: matplotlib is large, and only reports need it, not the running bot.
    from bot.documents.report.html import report_html

    return report_html(built)
