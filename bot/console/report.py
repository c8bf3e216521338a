"""The monitoring report from the console: choose the flow, the period and (optionally) a
home or service, and download the same printable report `/report` sends, built for the
reader's own homes or services and audited the same way."""

from __future__ import annotations

import base64
import re
import secrets
from dataclasses import replace
from datetime import date, datetime, timedelta

from aiohttp import web
from markupsafe import Markup

from bot.console.door import Door, Visitor, forged
from bot.console.pages import body_of, notice, page, refusal
from bot.core.context import AppContext
from bot.core.reports import monitoring_report, report_file_name

DATA_IMAGE = re.compile(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"')
CHART_LASTS = timedelta(minutes=10)
MOST_CHARTS = 200
"""Charts kept in memory at once, across everyone: a report has a handful."""


class Reports:
    """The report form and the download."""

    def __init__(self, app: AppContext, door: Door) -> None:
        self.app = app
        self.door = door
        self.charts: dict[str, tuple[str, bytes, datetime]] = {}

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
        services = await self.door.services_for(visitor.member)
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

    async def _built(self, request: web.Request) -> tuple[Visitor, str, str] | web.StreamResponse:
        """The report asked for by the form (audited by the use case), or the page to show
        instead: a refusal, or the form again with what to correct."""
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
        return visitor, html, report_file_name(chosen["flow"], start, end)

    async def download(self, request: web.Request) -> web.StreamResponse:
        """Build the report and hand it over as a file to open, print or keep."""
        built = await self._built(request)
        if isinstance(built, web.StreamResponse):
            return built
        _, html, name = built
        return web.Response(
            body=html.encode("utf-8"),
            content_type="text/html",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{name}"'},
        )

    async def show(self, request: web.Request) -> web.StreamResponse:
        """The same report in the page. Its charts are served from here for this session
        only (the pages allow no inline images), for a few minutes."""
        built = await self._built(request)
        if isinstance(built, web.StreamResponse):
            return built
        visitor, html, _ = built
        body = DATA_IMAGE.sub(lambda m: self._keep_chart(visitor, m.group(1)), body_of(html))
        return page(
            "report_shown.html.j2",
            replace(visitor.chrome, here="report"),
            title="Monitoring report",
            body=Markup(body),  # noqa: S704 - the documents renderer escaped it
        )

    def _keep_chart(self, visitor: Visitor, encoded: str) -> str:
        now = self.app.clock()
        for key in [k for k, c in self.charts.items() if now - c[2] > CHART_LASTS]:
            del self.charts[key]
        while len(self.charts) >= MOST_CHARTS:
            del self.charts[next(iter(self.charts))]
        key = secrets.token_urlsafe(16)
        self.charts[key] = (visitor.session.id, base64.b64decode(encoded), now)
        return f'src="/staff/report/charts/{key}.png"'

    async def chart(self, request: web.Request) -> web.StreamResponse:
        """One chart of a report shown to this very session."""
        visitor = await self.door.visitor(request)
        kept = self.charts.get(request.match_info["key"])
        if visitor is None or kept is None or kept[0] != visitor.session.id:
            return refusal()
        return web.Response(body=kept[1], content_type="image/png")
