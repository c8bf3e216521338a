"""The long-running bot's garbage collector, set once it has started.

Everything made while starting (flows, compiled safeguarding rules, libraries) lives as long
as the process, yet the cyclic collector would scan it again and again; under load that was
about a twentieth of the bot's CPU (benchmarks/storage.py, gc callbacks timed). Each input
makes and drops thousands of short-lived objects, so the youngest generation is collected
after 10,000 new ones instead of CPython's 700: fewer, slightly larger collections."""

from __future__ import annotations

import gc

YOUNGEST_GENERATION_THRESHOLD = 10_000


def settle_heap() -> None:
    """Call once a server has finished starting: moves what start-up made out of the
    collector's way and lets young objects pile up a little longer between collections.
    Reference counting still frees almost everything at once; only cycles wait."""
    gc.collect()
    gc.freeze()
    _, middle, oldest = gc.get_threshold()
    gc.set_threshold(YOUNGEST_GENERATION_THRESHOLD, middle, oldest)
