"""Time to build the annual monitoring report from 10,000 interviews.

Run: .venv/bin/python -m benchmarks.report [--interviews 10000]
The interviews are synthetic (tests/synthetic.py), written through storage's own unit of
work; the timing covers reading and decrypting them, counting, drawing charts and HTML.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import report
from bot.documents.report.gather import gather_report
from bot.documents.report.html import report_html
from flows import load_flows
from storage import Cipher, Storage, new_key
from tests.synthetic import OPERATOR, make_interviews

HOMES = [f"Home {n}" for n in range(1, 13)]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interviews", type=int, default=10_000)
    options = parser.parse_args()
    flow = load_flows()["children-home"]
    with tempfile.TemporaryDirectory() as folder:
        storage = await Storage.open(Path(folder) / "report.sqlite3", Cipher(new_key()))
        start = time.perf_counter()
        await make_interviews(
            storage, flow, options.interviews, HOMES, datetime(2025, 1, 1, tzinfo=UTC)
        )
        made = time.perf_counter() - start
        now = datetime(2026, 12, 1, tzinfo=UTC)
        timings = []
        for _ in range(3):
            start = time.perf_counter()
            built = await gather_report(storage, flow, OPERATOR, now)
            counted = time.perf_counter() - start
            html = report_html(built)
            timings.append((time.perf_counter() - start, counted))
        size = (Path(folder) / "report.sqlite3").stat().st_size
        await storage.close()
    total, counted = sorted(timings)[1]
    report(
        f"Monitoring report from {options.interviews:,} interviews (median of 3)",
        [
            ("whole report", f"{total:.1f} s"),
            ("  reading, decrypting and counting", f"{counted:.1f} s"),
            ("  charts and HTML", f"{total - counted:.1f} s"),
            ("report size", f"{len(html) / 1e3:.0f} kB"),
            ("(writing the synthetic interviews)", f"{made:.0f} s; database {size / 1e6:.0f} MB"),
        ],
    )


if __name__ == "__main__":
    asyncio.run(main())
