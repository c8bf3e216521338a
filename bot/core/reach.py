"""Whether a member of staff can be reached where concern alerts go, checked when they are
registered: an alert to someone who never started the bot (or blocked it) reaches nobody.

Channels that can check register a function here (the composition root does it), so the
command line asks without knowing Telegram.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from bot.core.config import Settings


@dataclass(frozen=True)
class Reach:
    """The answer: reachable (True or False), or not checked (None), and why."""

    reachable: bool | None
    why: str


ReachCheck = Callable[[Settings, int], Awaitable[Reach]]
REACH_CHECKS: list[ReachCheck] = []


async def check_reach(settings: Settings, user_id: int) -> Reach:
    """Ask the first channel that can check; 'not checked' if none can."""
    for check in REACH_CHECKS:
        return await check(settings, user_id)
    return Reach(None, "no channel that could check is set up")
