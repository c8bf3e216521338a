"""Engine speed: steps per second through whole interviews, and loading a flow.

Run: .venv/bin/python -m benchmarks.engine
"""

from __future__ import annotations

import random
import time
from datetime import UTC, datetime

from benchmarks.common import median_of, report, timed
from flows import Flow, InterviewState, load_flows, step
from flows.inputs import Choice, Input, Start, Text
from flows.loader import DEFINITIONS
from flows.state import Phase

AT = datetime(2026, 1, 1, tzinfo=UTC)


def one_interview(flow: Flow, chooser: random.Random) -> int:
    """Walk a whole interview with random answers; return the number of steps taken."""
    state = step(flow, InterviewState(flow_id=flow.id), Start(at=AT, language="en")).state
    state = step(flow, state, Choice(at=AT, value="yes", prompt=state.prompt)).state
    steps = 2
    while state.phase is not Phase.COMPLETED:
        inp: Input
        if state.phase is Phase.SUMMARY:
            inp = Choice(at=AT, value="confirm", prompt=state.prompt)
        else:
            question = flow.question(state.current or "")
            if question.kind == "text":
                inp = (
                    Choice(at=AT, value="_next", prompt=state.prompt)
                    if state.draft_text
                    else Text(at=AT, text="It was fine, mostly.")
                )
            elif question.kind == "multi":
                inp = Choice(at=AT, value="_done", prompt=state.prompt)
            else:
                inp = Choice(
                    at=AT, value=chooser.choice(question.answer_values()), prompt=state.prompt
                )
        state = step(flow, state, inp).state
        steps += 1
    return steps


def main() -> None:
    flows = load_flows()
    rows = []
    for flow in flows.values():
        chooser = random.Random(1)

        def per_step(flow: Flow = flow, chooser: random.Random = chooser) -> float:
            start = time.perf_counter()
            steps = sum(one_interview(flow, chooser) for _ in range(20))
            return (time.perf_counter() - start) / steps

        seconds = median_of(7, per_step)
        rows.append(
            (f"{flow.id}: one step", f"{seconds * 1e6:.0f} µs  ({1 / seconds:,.0f} steps/s)")
        )
    load = median_of(15, lambda: timed(lambda: load_flows(DEFINITIONS)))
    rows.append(("load and check both flows", f"{load * 1e3:.1f} ms"))
    report("Engine (median of 7 runs of 20 interviews each)", rows)


if __name__ == "__main__":
    main()
