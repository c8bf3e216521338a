"""Gathering a monitoring report: read what the reader may see, then count it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from bot.documents.report.figures import Report, build_report
from flows import Flow
from storage import Actor, Storage


async def gather_report(
    storage: Storage,
    flow: Flow,
    actor: Actor,
    now: datetime,
    *,
    start: date | None = None,
    end: date | None = None,
    service: str | None = None,
    progress: Callable[[], None] | None = None,
) -> Report:
    """The report's figures for one flow and period, within the reader's homes or services.

    The read is audited as a report; a home or service outside the reader's is refused."""
    found = await storage.reporting.answers(
        actor, now, "report", flow_id=flow.id, start=start, end=end, service=service
    )
    ids = [item.interview.id for item in found]
    return build_report(
        flow,
        found,
        await storage.reporting.concern_timings(ids),
        await storage.reporting.follow_up_counts(ids, now.date()),
        start=start,
        end=end,
        service=service,
        now=now,
        progress=progress,
    )
