"""Building and running the python-telegram-bot application around the service."""

from __future__ import annotations

import asyncio
import contextlib
import os
import re
import secrets
import signal
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from telegram import BotCommand, Update
from telegram.error import InvalidToken, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    BaseHandler,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.core.after_reply import AfterReply, Beside
from bot.core.amber import AmberDesk
from bot.core.concerns import alerter_for
from bot.core.config import ConfigurationError
from bot.core.context import AppContext, warn_of_placeholder_helplines
from bot.core.failsafe import SafetyNet
from bot.core.followup import FollowUpDesk
from bot.core.heap import settle_heap
from bot.core.logs import log_event
from bot.core.notices import COMMANDS, TokenGuard, notice
from bot.core.scheduler import Job, Scheduler, run_guarded
from bot.core.tasks import NO_ACTION_PREFIX, OPEN_PREFIX, TaskDesk
from bot.telegram.delivery import OutboxSender
from bot.telegram.keyboards import app_language
from bot.telegram.ordering import ChatOrderedProcessor, PriorityRateLimiter
from bot.telegram.participants import Participants
from bot.telegram.request import AiohttpRequest
from bot.telegram.staff import StaffAmber, StaffChat, StaffGate
from bot.telegram.staff_followup import StaffFollowUp, StaffReports
from storage.running import RunningLock

TELEGRAM_CONNECTIONS = 16
"""Calls to the Bot API in flight at once, each on its own kept-alive connection; the rest
wait their turn in `AiohttpRequest`'s queue, urgent ones first (BENCHMARKS.md)."""
TOKEN_SHAPE = re.compile(r"^\d{3,}:[A-Za-z0-9_-]{30,}$")
TOKEN_HELP = (
    "EXIT_TELEGRAM_TOKEN is {problem}. Create a bot with @BotFather in Telegram "  # noqa: S105
    "(send /newbot), then put the token it gives you in EXIT_TELEGRAM_TOKEN."
)
CONTROLS = ["skip", "back", "pause", "stop", "help", "unsafe", "talk"]


@dataclass
class Webhook:
    """Where Telegram posts updates. Without a secret token one is made up at start and
    given to Telegram, so a post without it (a forgery) is always refused; the server
    listens on the URL's own path, as a reverse proxy passes it on."""

    url: str
    listen: str = "127.0.0.1"
    port: int = 8443
    secret_token: str | None = None

    def __post_init__(self) -> None:
        if not self.secret_token:
            self.secret_token = secrets.token_urlsafe(32)

    @property
    def secret(self) -> str:
        """The secret Telegram must send with every post."""
        assert self.secret_token is not None
        return self.secret_token

    @property
    def path(self) -> str:
        """The path part of the public URL, which the server listens on."""
        return urlsplit(self.url).path.strip("/")


def checked_token(app: AppContext) -> str:
    token = app.settings.telegram_token
    if token is None or not token.get_secret_value():
        raise ConfigurationError(TOKEN_HELP.format(problem="not set"))
    value = token.get_secret_value().strip()
    if not TOKEN_SHAPE.match(value):
        raise ConfigurationError(
            TOKEN_HELP.format(problem="not a bot token (it should look like 123456789:AA... )")
        )
    return value


@dataclass
class BotParts:
    application: Application  # type: ignore[type-arg]
    sender: OutboxSender
    scheduler: Scheduler
    after: AfterReply


def build_application(app: AppContext) -> BotParts:
    """The application with every handler, the rate limiter, and the scheduler's job."""
    # Opt in now to python-telegram-bot 23's timedelta retry_after, which the rate limiter
    # already uses; without it every flood-control retry logs a deprecation warning.
    os.environ.setdefault("PTB_TIMEDELTA", "1")
    limiter = PriorityRateLimiter(overall_max_rate=app.settings.telegram_max_rate)
    processor = ChatOrderedProcessor()
    request = AiohttpRequest(
        TELEGRAM_CONNECTIONS,
        read_timeout=app.settings.telegram_read_timeout,
        pool_timeout=10.0,
        urgent=limiter.is_urgent,
    )
    application = (
        ApplicationBuilder()
        .token(checked_token(app))
        .base_url(app.settings.telegram_base_url)
        .base_file_url(app.settings.telegram_base_file_url)
        .rate_limiter(limiter)
        .concurrent_updates(processor)
        .request(request)
        .get_updates_request(AiohttpRequest(1, pool_timeout=10.0))
        .build()
    )
    processor.bot = application.bot
    sender = OutboxSender(application.bot, app.storage, app.clock)
    sender.priority_chats = limiter.priority_chats
    alerter = alerter_for(app.storage, app.flows, sender, app.clock, app.settings)
    sender.on_failed_alert = alerter.escalate
    net = SafetyNet(app.service, app.storage, app.journal, sender, alerter, app.clock)
    tasks = TaskDesk(app.storage, app.flows, sender, app.settings)
    after = AfterReply(alerter, tasks, app.clock)
    people = Participants(app, sender, after, TokenGuard(), net)
    gate = StaffGate(app)
    followup = StaffFollowUp(app, gate, FollowUpDesk(app, sender, tasks), tasks)
    staff = StaffChat(app, gate)
    amber = StaffAmber(app, gate, AmberDesk(app.storage, alerter, sender))
    scheduler = Scheduler(app, sender, alerter, net, tasks)
    only_staff = followup.staff_only
    private = filters.ChatType.PRIVATE
    handlers: list[BaseHandler[Update, ContextTypes.DEFAULT_TYPE, None]] = [
        MessageHandler(filters.UpdateType.EDITED, people.on_edited),
        MessageHandler(filters.UpdateType.CHANNEL_POSTS, people.on_group),
        MessageHandler(filters.ChatType.GROUPS, people.on_group),
        CallbackQueryHandler(staff.on_acknowledge, pattern=r"^ack\|"),
        CallbackQueryHandler(followup.on_press, pattern=rf"^({OPEN_PREFIX}|{NO_ACTION_PREFIX})\|"),
        CallbackQueryHandler(people.on_button),
        CommandHandler("start", people.on_start),
        CommandHandler("whoami", staff.on_whoami),
        CommandHandler("invite", staff.on_invite),
        CommandHandler("interviews", staff.on_interviews),
        CommandHandler("reissue", staff.on_reissue),
        CommandHandler("transcript", staff.on_transcript),
        CommandHandler("concerns", staff.on_concerns),
        CommandHandler("raise", amber.on_raise),
        CommandHandler("closeconcern", amber.on_close),
        CommandHandler("recommend", only_staff(followup.on_recommend)),
        CommandHandler("respond", only_staff(followup.on_respond)),
        CommandHandler(["tasks", "overdue"], only_staff(followup.on_tasks)),
        CommandHandler("done", only_staff(followup.on_done)),
        CommandHandler("thank", only_staff(followup.on_thank)),
        CommandHandler("message", only_staff(followup.on_message)),
        CommandHandler("readers", only_staff(followup.on_readers)),
        CommandHandler("noaction", only_staff(followup.on_no_action)),
        CommandHandler("report", only_staff(StaffReports(app, gate).on_report)),
        CommandHandler(CONTROLS, people.on_control),
        MessageHandler(private & filters.TEXT, people.on_text),
        MessageHandler(
            private & (filters.VOICE | filters.AUDIO | filters.VIDEO_NOTE), people.on_voice
        ),
        MessageHandler(private, people.on_media),
    ]
    application.add_handlers(handlers)
    application.add_error_handler(_on_error)
    return BotParts(application, sender, scheduler, after)


async def _on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    error = context.error
    log_event("handler_error", error=type(error).__name__)
    if isinstance(update, Update) and update.effective_chat is not None:
        with contextlib.suppress(TelegramError):
            await context.bot.send_message(
                update.effective_chat.id, notice("something_went_wrong", app_language(update))
            )


def _schedule(application: Application, scheduler: Scheduler, interval: float) -> None:  # type: ignore[type-arg]
    """Run each scheduler job from python-telegram-bot's job queue (APScheduler underneath),
    each as its own job so a slow or failing one never holds up concern re-alerts.

    The job queue is only the clock: what is due lives in the database, so a tick missed
    while the bot was down is simply done at the next one."""
    assert application.job_queue is not None, "install python-telegram-bot[job-queue]"
    intervals = {"parked": scheduler.app.settings.replay_interval_seconds}
    for offset, (name, job) in enumerate(scheduler.jobs().items()):

        async def run(context: ContextTypes.DEFAULT_TYPE, name: str = name, job: Job = job) -> None:
            await run_guarded(name, job)

        application.job_queue.run_repeating(
            run,
            interval=min(interval, intervals.get(name, interval)),
            first=offset * 0.01,
            name=name,
            job_kwargs={"max_instances": 1, "coalesce": True, "misfire_grace_time": None},
        )


async def serve(
    app: AppContext,
    stop: asyncio.Event,
    webhook: Webhook | None = None,
    poll_timeout: int = 10,
    beside: Beside | None = None,
    built: Callable[[BotParts], None] | None = None,
) -> None:
    """Run until `stop` is set: receive updates, send replies, run the scheduler, and run
    another channel beside them if given (the web chat). `built` is shown the parts once
    made (tests ask them when all is done). Holds the database's running lock throughout,
    so a key rotation cannot happen under it."""
    with RunningLock(app.settings.database):
        await _serve(app, stop, webhook, poll_timeout, beside, built)


async def _serve(
    app: AppContext,
    stop: asyncio.Event,
    webhook: Webhook | None,
    poll_timeout: int,
    beside: Beside | None,
    built: Callable[[BotParts], None] | None = None,
) -> None:
    parts = build_application(app)
    if built is not None:
        built(parts)
    stop_beside = await beside(parts.after) if beside else None
    application = parts.application
    try:
        await application.initialize()
    except InvalidToken as error:
        raise ConfigurationError(TOKEN_HELP.format(problem="refused by Telegram")) from error
    try:
        for language, commands in COMMANDS.items():
            await application.bot.set_my_commands(
                [BotCommand(name, description) for name, description in commands],
                language_code=None if language == "en" else language,
            )
        _schedule(application, parts.scheduler, app.settings.scheduler_interval_seconds)
        await application.start()
        settle_heap()
        assert application.updater is not None
        if webhook is None:
            await application.updater.start_polling(
                timeout=poll_timeout, allowed_updates=Update.ALL_TYPES, poll_interval=0
            )
        else:
            await application.updater.start_webhook(
                listen=webhook.listen,
                port=webhook.port,
                url_path=webhook.path,
                webhook_url=webhook.url,
                secret_token=webhook.secret,
                allowed_updates=Update.ALL_TYPES,
            )
        log_event(
            "bot_started",
            mode="webhook" if webhook else "polling",
            username=application.bot.username,
        )
        warn_of_placeholder_helplines(app)
        await parts.sender.flush_all()
        await stop.wait()
        await application.updater.stop()
        await application.stop()
    finally:
        if stop_beside is not None:
            await stop_beside()
        await application.shutdown()
        log_event("bot_stopped")


async def run_until_signalled(
    app: AppContext, webhook: Webhook | None = None, beside: Beside | None = None
) -> None:
    """`serve`, stopping cleanly on SIGTERM or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await serve(app, stop, webhook, beside=beside)
