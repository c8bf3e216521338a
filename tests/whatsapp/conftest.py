"""The whole bot with WhatsApp beside it: Telegram (for staff) against the fake Bot API,
WhatsApp against the fake Cloud API, both on 127.0.0.1, in the test's own event loop."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from pydantic import SecretStr

from bot.core.context import open_context
from bot.telegram.application import serve
from bot.whatsapp.run import WhatsAppChannel, beside_the_bot
from tests.conftest import FakeClock
from tests.e2e.conftest import HOMES, OPERATOR, RunningBot, make_settings
from tests.e2e.conftest import api as api  # the fake Bot API, for staff in Telegram
from tests.fake_telegram import FakeBotApi
from tests.fake_whatsapp import (
    APP_SECRET,
    BUSINESS_NUMBER,
    PHONE_NUMBER_ID,
    TOKEN,
    VERIFY_TOKEN,
    FakeCloudApi,
)

REVIEWER = 702
"""A reviewer at Oak House, who gets safeguarding alerts in Telegram."""
PERSON = "447700900123"
"""An invented UK mobile number (Ofcom's range for drama)."""


class WhatsAppBot(RunningBot):
    """The bot with WhatsApp started beside it, on a free port."""

    channel: WhatsAppChannel | None = None

    async def start(self) -> WhatsAppBot:
        self._stop = asyncio.Event()
        self.channel = None
        self.context = await self._stack.enter_async_context(
            open_context(self.settings, self.clock)
        )
        for home in HOMES:
            if home not in await self.context.storage.services.names():
                await self.context.storage.services.add(home, OPERATOR, self.clock())
        beside = beside_the_bot(self.context, started=self._started)
        self._task = asyncio.create_task(
            serve(self.context, self._stop, poll_timeout=1, beside=beside, built=self._built)
        )
        for _ in range(500):
            if self.channel is not None or self._task.done():
                break
            await asyncio.sleep(0.01)
        assert self.channel is not None, "WhatsApp did not start"
        return self

    def _started(self, channel: WhatsAppChannel) -> None:
        self.channel = channel

    @property
    def whatsapp(self) -> WhatsAppChannel:
        assert self.channel is not None
        return self.channel

    @property
    def webhook_url(self) -> str:
        return f"http://127.0.0.1:{self.whatsapp.port}/whatsapp/webhook"


@pytest.fixture
async def cloud(clock: FakeClock) -> AsyncIterator[FakeCloudApi]:
    fake = await FakeCloudApi(clock).start()
    yield fake
    await fake.stop()


@pytest.fixture
async def wa_bot(
    tmp_path: Path, api: FakeBotApi, cloud: FakeCloudApi, key: str, clock: FakeClock
) -> AsyncIterator[WhatsAppBot]:
    settings = make_settings(
        tmp_path,
        api,
        key,
        whatsapp_token=SecretStr(TOKEN),
        whatsapp_phone_number_id=PHONE_NUMBER_ID,
        whatsapp_app_secret=SecretStr(APP_SECRET),
        whatsapp_verify_token=SecretStr(VERIFY_TOKEN),
        whatsapp_business_number=BUSINESS_NUMBER,
        whatsapp_api_url=cloud.base_url,
        whatsapp_port=0,
    )
    running = await WhatsAppBot(settings, clock).start()
    running.watch(api)
    cloud.webhook_url = running.webhook_url
    await running.app.storage.staff.add(
        REVIEWER, "Ola Reviewer", "reviewer", ["Oak House"], OPERATOR, clock()
    )
    yield running
    await running.stop()
