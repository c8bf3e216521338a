"""Exports and the monitoring report: what leaves the system in bulk, always audited and
limited to the reader's homes or services."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Literal

from bot.core.context import AppContext
from bot.core.delivery import Delivery
from bot.core.logs import log_error
from bot.documents.exports import export_rows, to_csv, to_json
from bot.documents.report.gather import gather_report
from storage import Actor

ExportFormat = Literal["csv", "json"]
_DRAWING = asyncio.Lock()
"""matplotlib draws one figure at a time."""


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

    # Drawing charts takes a while; in a thread, so a running bot keeps answering.
    async with _DRAWING:
        return await asyncio.to_thread(report_html, built)


def report_file_name(flow_id: str, start: date | None, end: date | None) -> str:
    """A file name that says what the report covers."""
    return f"report-{flow_id}-{start or 'start'}-to-{end or 'now'}.html"


class YearlyReports:
    """Once a year, on the configured day, each flow's report for the past year is sent to
    the named admins. Remembered per year, flow and admin, so none is sent twice and one
    that could not be sent is tried again on the next tick."""

    def __init__(self, app: AppContext, sender: Delivery) -> None:
        self.app = app
        self.sender = sender

    async def send_due(self, now: datetime) -> int:
        """Send what is due today; how many reports were sent."""
        settings = self.app.settings
        if settings.yearly_report_on is None or not settings.yearly_report_to:
            return 0
        if now.astimezone(settings.zone).strftime("%m-%d") != settings.yearly_report_on:
            return 0
        end = now.date() - timedelta(days=1)
        start = end.replace(year=end.year - 1) + timedelta(days=1)
        sent = 0
        for user_id in settings.yearly_report_to:
            member = await self.app.storage.staff.get(user_id)
            if member is None or member.role != "admin":
                log_error("yearly_report_skipped", staff=user_id, why="not a current admin")
                continue
            for flow_id in self.app.flows:
                marker = f"yearly_report:{now.year}:{flow_id}:{user_id}"
                if await self.app.storage.markers.done(marker):
                    continue
                html = await monitoring_report(
                    self.app, flow_id, Actor.for_staff(member), start=start, end=end
                )
                caption = f"Yearly monitoring report, {start:%d %B %Y} to {end:%d %B %Y}"
                name = report_file_name(flow_id, start, end)
                if await self.sender.send_document(user_id, name, html.encode(), caption):
                    await self.app.storage.markers.mark(marker, now)
                    sent += 1
        return sent
