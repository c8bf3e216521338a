"""The audit log at the desk (admins only): who did what and when, filtered by person,
interview and action, and exported as CSV with every cell safe from formula injection
(the exports' own rule). Reading and exporting it are audited in turn."""

from __future__ import annotations

import csv
import io
from dataclasses import replace
from math import ceil
from urllib.parse import urlencode

from aiohttp import web

from bot.console.door import Door
from bot.console.pages import page, refusal
from bot.core.context import AppContext
from bot.core.tasks import staff_name
from bot.documents.exports import spreadsheet_safe
from storage.audit import AuditEntry

PER_PAGE = 100
COLUMNS = ("when", "who", "actor", "action", "interview", "detail")


class AuditPages:
    """The audit log page and its CSV export."""

    def __init__(self, app: AppContext, door: Door) -> None:
        self.app = app
        self.door = door

    async def _filtered(self, request: web.Request) -> tuple[dict[str, str], list[AuditEntry]]:
        chosen = {
            k: request.query.get(k, "").strip()[:200] for k in ("person", "interview", "action")
        }
        entries = await self.app.storage.audit.entries(chosen["interview"] or None)
        if chosen["person"]:
            entries = [e for e in entries if e.actor == chosen["person"]]
        if chosen["action"]:
            entries = [e for e in entries if e.action == chosen["action"]]
        entries.reverse()
        return chosen, entries

    async def show(self, request: web.Request) -> web.StreamResponse:
        """The newest entries first, a page at a time."""
        visitor = await self.door.admin(request)
        if visitor is None:
            return refusal()
        chosen, entries = await self._filtered(request)
        names = await self.app.storage.staff.names()
        actions = sorted({e.action for e in await self.app.storage.audit.entries()})
        await self.app.storage.audit.record(
            visitor.actor,
            "audit_read",
            self.app.clock(),
            chosen["interview"] or None,
            _described(chosen),
        )
        pages = max(1, ceil(len(entries) / PER_PAGE))
        number = request.query.get("page", "1")
        page_no = min(pages, max(1, int(number))) if number.isdigit() else 1
        kept = {k: v for k, v in chosen.items() if v}
        return page(
            "audit.html.j2",
            replace(visitor.chrome, here="audit"),
            title="Audit log",
            rows=[
                (e, staff_name(e.actor, names))
                for e in entries[(page_no - 1) * PER_PAGE : page_no * PER_PAGE]
            ],
            total=len(entries),
            pages=pages,
            page_no=page_no,
            query=urlencode(kept),
            chosen=chosen,
            people=sorted(((f"staff:{i}", n) for i, n in names.items()), key=lambda p: p[1]),
            actions=actions,
        )

    async def export(self, request: web.Request) -> web.StreamResponse:
        """The filtered log as CSV for a spreadsheet or an auditor."""
        visitor = await self.door.admin(request)
        if visitor is None:
            return refusal()
        chosen, entries = await self._filtered(request)
        names = await self.app.storage.staff.names()
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(COLUMNS)
        for e in entries:
            writer.writerow(
                [
                    spreadsheet_safe(v)
                    for v in (
                        e.at.isoformat(),
                        staff_name(e.actor, names),
                        e.actor,
                        e.action,
                        e.interview_id or "",
                        e.detail,
                    )
                ]
            )
        now = self.app.clock()
        await self.app.storage.audit.record(
            visitor.actor, "audit_exported", now, chosen["interview"] or None, _described(chosen)
        )
        return web.Response(
            body=("\ufeff" + buffer.getvalue()).encode("utf-8"),
            content_type="text/csv",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="audit-{now:%Y-%m-%d}.csv"'},
        )


def _described(chosen: dict[str, str]) -> str:
    """The filters, for the audit entry that records this read."""
    return "; ".join(f"{k}={v}" for k, v in chosen.items() if v) or "everything"
