"""The monitoring report from the console: choose the flow, the period and (optionally) a
home or service, and download the same printable report `/report` sends, built for the
reader's own homes or services and audited the same way."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from aiohttp import web

from bot.console.door import Door, Visitor, forged
from bot.console.pages import notice, page, refusal
from bot.core.context import AppContext
from bot.core.reports import monitoring_report, report_file_name


class Reports:
    """The report form and the download."""

    def __init__(self, app: AppContext, door: Door) -> None:
        self.app = app
        self.door = door

    async def form(self, request: web.Request) -> web.StreamResponse:
        visitor = await self.door.visitor(request)
        if visitor is None:
            return refusal()
        today = self.app.clock().date()
        return await self._form(
            visitor, None, {"start": str(today - timedelta(days=365)), "end": str(today)}
        )

    async def _form(
        self, visitor: Visitor, problem: str | None, chosen: dict[str, str]
    ) -> web.Response:
        assert visitor.member is not None
        services = (
            await self.app.storage.services.names()
            if visitor.member.role == "admin"
            else list(visitor.member.services)
        )
        return page(
            "report.html.j2",
            replace(visitor.chrome, here="report"),
            400 if problem else 200,
            title="Report",
            problem=problem,
            chosen=chosen,
            flows=sorted(self.app.flows),
            services=services,
        )

    async def download(self, request: web.Request) -> web.StreamResponse:
        """Build the report and hand it over as a file to open, print or keep."""
        visitor = await self.door.visitor(request)
        if visitor is None:
            return refusal()
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        chosen = {
            k: str(form.get(k, "")).strip()[:100] for k in ("flow", "service", "start", "end")
        }
        try:
            start, end = date.fromisoformat(chosen["start"]), date.fromisoformat(chosen["end"])
        except ValueError:
            return await self._form(visitor, "Give the first and last day as dates.", chosen)
        if chosen["flow"] not in self.app.flows:
            return await self._form(visitor, "Choose which interview to report on.", chosen)
        if end < start:
            return await self._form(visitor, "The last day comes before the first.", chosen)
        html = await monitoring_report(
            self.app,
            chosen["flow"],
            visitor.actor,
            start=start,
            end=end,
            service=chosen["service"] or None,
        )
        name = report_file_name(chosen["flow"], start, end)
        return web.Response(
            body=html.encode("utf-8"),
            content_type="text/html",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )
