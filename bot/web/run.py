"""Running the web chat on its own (no Telegram token): the same service, alerts and
clock-driven jobs as the bot, with staff messages kept in the outbox until a channel that
reaches staff runs. Beside the Telegram bot, bot/telegram/application.py starts it instead,
with the bot's own delivery."""

from __future__ import annotations

import asyncio
import contextlib

from bot.core.after_reply import AfterReply, Beside, Stopper
from bot.core.concerns import alerter_for
from bot.core.context import AppContext, warn_of_placeholder_helplines
from bot.core.delivery import NoDelivery
from bot.core.heap import settle_heap
from bot.core.scheduler import Scheduler
from bot.core.tasks import TaskDesk
from bot.web.server import start_web


def beside_the_bot(app: AppContext, host: str, port: int) -> Beside:
    """Starting the web chat beside the Telegram bot, sharing its alerts and delivery."""

    async def start(after: AfterReply) -> Stopper:
        runner = await start_web(app, after, host, port)
        return runner.cleanup

    return start


async def serve_web(app: AppContext, stop: asyncio.Event, host: str, port: int) -> None:
    """Serve the web chat until `stop` is set, running the scheduler's jobs meanwhile."""
    sender = NoDelivery()
    alerter = alerter_for(app.storage, app.flows, sender, app.clock, app.settings)
    tasks = TaskDesk(app.storage, app.flows, sender, app.settings)
    runner = await start_web(app, AfterReply(alerter, tasks, app.clock), host, port)
    scheduler = Scheduler(app, sender, alerter, None, tasks)
    warn_of_placeholder_helplines(app)
    settle_heap()
    try:
        while not stop.is_set():
            await scheduler.tick()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), app.settings.scheduler_interval_seconds)
    finally:
        await runner.cleanup()
