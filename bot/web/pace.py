"""How long a question takes, from the interviews of the same flow that were finished, so
the web chat's "minutes left" comes from what people took rather than a guess."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta

from bot.core.context import AppContext

ENOUGH = 5
"""Fewer finished interviews than this say too little (and could hint at one person's
time): the flow's own estimate is used instead."""

FRESH_FOR = timedelta(minutes=10)


class Pace:
    """The median seconds a question took in the flow's finished interviews, worked out at
    most every ten minutes per flow."""

    def __init__(self, app: AppContext) -> None:
        self.app = app
        self._known: dict[str, tuple[datetime, float | None]] = {}

    async def refresh(self, flow_id: str) -> None:
        """Work the pace out again if the one known is older than ten minutes."""
        now = self.app.clock()
        known = self._known.get(flow_id)
        if known is not None and now - known[0] < FRESH_FOR:
            return
        flow = self.app.flows.get(flow_id)
        durations = await self.app.storage.interviews.completed_durations(flow_id)
        pace: float | None = None
        if flow is not None and len(durations) >= ENOUGH:
            asked = sum(1 for q in flow.questions() if q.when is None) or 1
            pace = statistics.median(durations) / asked
        self._known[flow_id] = (now, pace)

    def seconds_a_question(self, flow_id: str) -> float | None:
        """The pace last worked out for this flow; None where too few have finished."""
        known = self._known.get(flow_id)
        return known[1] if known else None
