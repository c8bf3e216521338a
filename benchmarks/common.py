"""Small helpers shared by the benchmarks: repeat, take medians, print a table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import datetime, timedelta

from flows import Flow
from storage import Actor, Storage


def median_of(runs: int, work: Callable[[], float]) -> float:
    """Median of `runs` measurements; each call returns the figure it measured."""
    return statistics.median(work() for _ in range(runs))


def timed(work: Callable[[], object]) -> float:
    start = time.perf_counter()
    work()
    return time.perf_counter() - start


def report(title: str, rows: list[tuple[str, str]]) -> None:
    print(f"\n## {title}")
    width = max(len(name) for name, _ in rows)
    for name, value in rows:
        print(f"  {name.ljust(width)}  {value}")


async def invite_many(
    storage: Storage, flow: Flow, count: int, at: datetime
) -> list[tuple[str, str]]:
    """Invitations for `count` synthetic people: (interview id, token) each."""
    made = []
    for n in range(count):
        invitation = await storage.interviews.invite(
            flow_id=flow.id,
            flow_version=flow.version,
            display_name=f"P{n}",
            service="Home",
            language="en",
            expires_at=at + timedelta(days=28),
            actor=Actor.for_operator("benchmark"),
            at=at,
        )
        made.append((invitation.interview_id, invitation.token))
    return made
