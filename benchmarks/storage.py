"""Storage speed with durable commits, and the database size per 1,000 interviews.

Run: .venv/bin/python -m benchmarks.storage
Each input is a full unit of work: load state, engine step, one transaction that saves the
state, answers, transcript, events and outbox, fsync'd (WAL, synchronous=FULL). The final
copy of the write-ahead log into the database counts in the time. The invitations are made
before the clock starts: they are set-up, not inputs; opening one (the person's /start) is
the first input.
"""

from __future__ import annotations

import asyncio
import itertools
import random
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import invite_many, report
from bot.core.answer import InterviewService
from bot.core.heap import settle_heap
from flows import Flow, load_flows
from flows.inputs import Choice, Input, Text
from flows.state import InterviewState, Phase
from storage import Cipher, Storage, new_key

AT = datetime(2026, 1, 1, tzinfo=UTC)


def next_input(flow: Flow, state: InterviewState, chooser: random.Random) -> Input:
    """A plausible next input: consent, a random answer, a sentence of free text, confirm."""
    if state.phase is Phase.CONSENT:
        return Choice(at=AT, value="yes", prompt=state.prompt)
    if state.phase is Phase.SUMMARY:
        return Choice(at=AT, value="confirm", prompt=state.prompt)
    question = flow.question(state.current or "")
    if question.kind == "text":
        if state.draft_text:
            return Choice(at=AT, value="_next", prompt=state.prompt)
        return Text(at=AT, text="A typical answer of a sentence or two about how things were here.")
    if question.kind == "multi":
        return Choice(at=AT, value="_done", prompt=state.prompt)
    return Choice(at=AT, value=chooser.choice(question.answer_values()), prompt=state.prompt)


async def interview(
    service: InterviewService,
    storage: Storage,
    flow: Flow,
    n: int,
    invitation: tuple[str, str],
    update_ids: itertools.count[int],
    latencies: list[float],
) -> int:
    chooser = random.Random(n)
    interview_id, token = invitation
    reply = await service.open_invitation(token, 10_000 + n)
    storage.outbox.mark_delivered([m.id for m in reply.messages])
    inputs = 1
    while reply.state is not None and reply.state.phase is not Phase.COMPLETED:
        start = time.perf_counter()
        reply = await service.handle(
            interview_id,
            next_input(flow, reply.state, chooser),
            update_id=next(update_ids),
            incoming="answer",
        )
        latencies.append(time.perf_counter() - start)
        storage.outbox.mark_delivered([m.id for m in reply.messages])
        inputs += 1
    return inputs


async def run(people: int, flow: Flow, folder: Path) -> tuple[float, list[float], int, float]:
    storage = await Storage.open(folder / f"bench-{people}.sqlite3", Cipher(new_key()))
    service = InterviewService(storage, {flow.id: flow}, lambda: AT)
    update_ids = itertools.count(1)
    latencies: list[float] = []
    invitations = await invite_many(storage, flow, people, AT)
    settle_heap()  # as the bot does once it has started
    start, cpu_start = time.perf_counter(), time.process_time()
    counts = await asyncio.gather(
        *(
            interview(service, storage, flow, n, invitation, update_ids, latencies)
            for n, invitation in enumerate(invitations)
        )
    )
    await storage.db.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    await storage.close()
    size = (folder / f"bench-{people}.sqlite3").stat().st_size
    return sum(counts) / elapsed, latencies, size, cpu / sum(counts)


async def main() -> None:
    flow = load_flows()["children-home"]
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        for people in (1, 500):
            rate, latencies, size, cpu = await run(people, flow, Path(folder))
            latencies.sort()
            rows.append(
                (
                    f"{people} interview(s) at once",
                    f"{rate:,.0f} inputs/s; per input median "
                    f"{statistics.median(latencies) * 1e3:.1f} ms, "
                    f"p99 {latencies[int(len(latencies) * 0.99)] * 1e3:.1f} ms; "
                    f"CPU {cpu * 1e6:.0f} us per input (both threads)",
                )
            )
            if people == 500:
                rows.append(
                    ("database size per 1,000 completed interviews", f"{size * 2 / 1e6:.1f} MB")
                )
    report("Storage (children-home flow, durable commits, encrypted)", rows)


if __name__ == "__main__":
    asyncio.run(main())
