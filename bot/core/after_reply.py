"""What follows every committed reply, whatever the channel: staff are alerted to any
concern at once, and anyone with a new task is told of it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.core.answer import Reply
from bot.core.clock import Clock
from bot.core.concerns import ConcernAlerter
from bot.core.logs import log_event
from bot.core.tasks import TaskDesk

TASK_EVENTS = frozenset(
    {"completed", "stopped", "talk_requested", "circulation_limited", "voice_taken"}
)
"""Events after which someone has a new task, to be told of at once."""


Stopper = Callable[[], Awaitable[None]]
Beside = Callable[["AfterReply"], Awaitable[Stopper]]
"""Another channel started beside the bot, sharing its AfterReply; returns how to stop it."""


class AfterReply:
    """Alerts and task announcements for a reply a channel has just received."""

    def __init__(self, alerter: ConcernAlerter, tasks: TaskDesk | None, clock: Clock) -> None:
        self.alerter = alerter
        self.tasks = tasks
        self.clock = clock

    async def handle(self, reply: Reply) -> None:
        """Alert staff to the reply's concerns, then announce any new task."""
        if reply.duplicate:
            log_event("duplicate_update", interview=reply.interview_id)
            return
        await self.alert(reply)
        await self.announce(reply)

    async def alert(self, reply: Reply) -> None:
        """Log what happened and alert staff to the reply's concerns, at once."""
        for event in reply.events:
            if event.type != "waiting":
                log_event(
                    event.type,
                    interview=reply.interview_id,
                    question=getattr(event, "question", "-"),
                )
        await self.alerter.alert(reply.concern_ids)

    async def announce(self, reply: Reply) -> None:
        """Tell anyone with a new task of it (after the person has their reply)."""
        if self.tasks is not None and any(e.type in TASK_EVENTS for e in reply.events):
            await self.tasks.announce_new(self.clock())
