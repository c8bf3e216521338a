"""Small helpers shared by the benchmarks: repeat, take medians, print a table."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


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
