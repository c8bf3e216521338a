"""Starting WhatsApp beside the bot: the webhook on its own port of the same process,
sharing the bot's alerts, and a loop that delivers what is waiting for phone chats
(reminders the scheduler wrote, replies held back by an outage or a closed window)."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from datetime import datetime, timedelta

from aiohttp import web

from bot.core.after_reply import AfterReply, Beside, Stopper
from bot.core.config import ConfigurationError, Settings
from bot.core.context import AppContext
from bot.core.delivery import Delivery
from bot.core.logs import log_event
from bot.core.scheduler import run_guarded
from bot.whatsapp.cloud import CloudApi
from bot.whatsapp.delivery import WhatsAppSender
from bot.whatsapp.webhook import WhatsAppWebhook, make_whatsapp_app

WEBHOOK_PATH = "/whatsapp/webhook"
FORGET_EVERY = timedelta(hours=1)


def whatsapp_configured(settings: Settings) -> bool:
    """Whether every setting WhatsApp needs is present (then it is served, else not)."""
    return all(
        (
            settings.whatsapp_token,
            settings.whatsapp_phone_number_id,
            settings.whatsapp_app_secret,
            settings.whatsapp_verify_token,
            settings.whatsapp_business_number,
        )
    )


class WhatsAppChannel:
    """The webhook server and the delivery loop, started and stopped together."""

    def __init__(self, app: AppContext, after: AfterReply, staff: Delivery | None) -> None:
        settings = app.settings
        if not whatsapp_configured(settings):
            raise ConfigurationError(
                "WhatsApp needs EXIT_WHATSAPP_TOKEN, EXIT_WHATSAPP_PHONE_NUMBER_ID, "
                "EXIT_WHATSAPP_APP_SECRET, EXIT_WHATSAPP_VERIFY_TOKEN and "
                'EXIT_WHATSAPP_BUSINESS_NUMBER; see the README\'s "WhatsApp".'
            )
        assert settings.whatsapp_token and settings.whatsapp_phone_number_id
        assert settings.whatsapp_app_secret and settings.whatsapp_verify_token
        self.app = app
        self.api = CloudApi(
            settings.whatsapp_api_url,
            settings.whatsapp_phone_number_id,
            settings.whatsapp_token.get_secret_value(),
        )
        self.sender = WhatsAppSender(self.api, app.storage, app.clock, staff, app.flows)
        self.webhook = WhatsAppWebhook(
            app,
            after,
            self.sender,
            settings.whatsapp_app_secret.get_secret_value(),
            settings.whatsapp_verify_token.get_secret_value(),
            settings.whatsapp_phone_number_id,
        )
        self.port = 0
        self._runner: web.AppRunner | None = None
        self._loop: asyncio.Task[None] | None = None
        self._stop = asyncio.Event()
        self._forgotten_at: datetime | None = None

    async def start(self, host: str, port: int) -> None:
        """Serve the webhook on host:port (0: any free port, then `self.port`). No access
        log: the addresses posting are Meta's, and nothing in a path is ours to keep."""
        self._runner = web.AppRunner(make_whatsapp_app(self.webhook, WEBHOOK_PATH), access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self._loop = asyncio.create_task(self._deliver_waiting())
        log_event("whatsapp_started", host=host, port=self.port)

    async def _deliver_waiting(self) -> None:
        interval = self.app.settings.scheduler_interval_seconds
        while not self._stop.is_set():
            await run_guarded("whatsapp_outbox", self.sender.flush_all)
            await run_guarded("whatsapp_forget_unlinked", self._forget_unlinked)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), interval)

    async def _forget_unlinked(self) -> None:
        """Once an hour: forget numbers no interview uses any more."""
        now = self.app.clock()
        if self._forgotten_at is not None and now - self._forgotten_at < FORGET_EVERY:
            return
        self._forgotten_at = now
        forgotten = await self.sender.chats.forget_unlinked(now - FORGET_EVERY)
        if forgotten:
            log_event("whatsapp_numbers_forgotten", count=forgotten)

    async def stop(self) -> None:
        """Stop taking posts, finish the replies being sent, and close the connections."""
        self._stop.set()
        if self._runner is not None:
            await self._runner.cleanup()
        if self._loop is not None:
            await self._loop
        await self.webhook.drain()
        await self.api.close()
        log_event("whatsapp_stopped")


def beside_the_bot(
    app: AppContext, started: Callable[[WhatsAppChannel], None] | None = None
) -> Beside:
    """Starting WhatsApp beside the Telegram bot, sharing its alerts; staff are told of
    undelivered WhatsApp messages through the bot's own delivery."""

    async def start(after: AfterReply) -> Stopper:
        """Start WhatsApp with the bot's alerts; how to stop it."""
        channel = WhatsAppChannel(app, after, after.alerter.sender)
        await channel.start(app.settings.whatsapp_host, app.settings.whatsapp_port)
        if started is not None:
            started(channel)
        return channel.stop

    return start
