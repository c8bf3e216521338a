"""Running the real bot against the fake Bot API server, in the test's own event loop."""

from __future__ import annotations

import asyncio
import shutil
import socket
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pydantic import SecretStr

from bot.core.config import Settings
from bot.core.context import AppContext, open_context
from bot.telegram.application import BotParts, serve
from bot.web.run import beside_the_bot
from flows.loader import DEFINITIONS, flow_files
from storage import Actor
from tests.browser import chromium_or_skip, running_chromium
from tests.conftest import FakeClock
from tests.fake_telegram import TOKEN, FakeBotApi
from tests.flows.helpers import FIXTURES

OPERATOR = Actor.for_operator("e2e")
HOMES = ("Oak House", "Elm House")


def free_port() -> int:
    """A port nothing listens on, on 127.0.0.1."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="session")
def chromium_address() -> Iterator[str]:
    """One headless Chromium for this test worker, started when a test first needs it."""
    with running_chromium(chromium_or_skip()) as address:
        yield address


@pytest.fixture
async def browser(chromium_address: str) -> AsyncIterator[Any]:
    """The worker's Chromium, driven by Playwright; every context a test opens is closed
    after it, so no cookie or page outlives its test."""
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        connected = await playwright.chromium.connect_over_cdp(chromium_address)
        before = set(connected.contexts)
        try:
            yield connected
        finally:
            for context in connected.contexts:
                if context not in before:
                    await context.close()
            await connected.close()


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    fake = await FakeBotApi().start()
    yield fake
    await fake.stop()


def make_settings(tmp_path: Path, api: FakeBotApi, key: str, **overrides: object) -> Settings:
    flows_dir = tmp_path / "flows"
    if not flows_dir.exists():
        flows_dir.mkdir()
        for path in [*flow_files(DEFINITIONS), FIXTURES / "every-kind.yaml"]:
            shutil.copy(path, flows_dir / path.name)
    values: dict[str, object] = {
        "database": tmp_path / "bot.sqlite3",
        "data_key": SecretStr(key),
        "telegram_token": SecretStr(TOKEN),
        "telegram_base_url": api.base_url,
        "telegram_base_file_url": api.base_file_url,
        "bot_username": "exit_interviews_test_bot",
        "flows_dir": flows_dir,
        "scheduler_interval_seconds": 0.1,
        "quiet_start": "21:00",
        "quiet_end": "08:00",
        **overrides,
    }
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


class RunningBot:
    """The whole application, started and stopped like the real process would be."""

    def __init__(self, settings: Settings, clock: FakeClock, web_port: int | None = None) -> None:
        self.settings = settings
        self.clock = clock
        self.web_port = web_port
        self.context: AppContext | None = None
        self._stack = AsyncExitStack()
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self.parts: BotParts | None = None
        self.reminder_rounds = 0

    @property
    def app(self) -> AppContext:
        assert self.context is not None
        return self.context

    async def start(self) -> RunningBot:
        self._stop = asyncio.Event()
        self.context = await self._stack.enter_async_context(
            open_context(self.settings, self.clock)
        )
        for home in HOMES:
            await self.context.storage.services.add(home, OPERATOR, self.clock())
        beside = beside_the_bot(self.context, "127.0.0.1", self.web_port) if self.web_port else None
        self._task = asyncio.create_task(
            serve(self.context, self._stop, poll_timeout=1, beside=beside, built=self._built)
        )
        return self

    def _built(self, parts: BotParts) -> None:
        self.parts = parts
        reminders = parts.scheduler.reminders

        async def counted() -> None:
            await reminders()
            self.reminder_rounds += 1

        parts.scheduler.reminders = counted  # type: ignore[method-assign]

    async def scheduler_rounds(self, rounds: int = 3, timeout: float = 30.0) -> None:
        """Until the scheduler has looked for due reminders `rounds` more times: how long
        to wait before saying that something due was not sent (never a fixed wait)."""
        target = self.reminder_rounds + rounds
        deadline = asyncio.get_running_loop().time() + timeout
        while self.reminder_rounds < target:
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("the scheduler did not run")
            await asyncio.sleep(0.01)

    def watch(self, api: FakeBotApi) -> RunningBot:
        """Let the fake server ask this bot whether it has done everything it was given."""
        api.settled = self.settled
        return self

    async def settled(self) -> bool:
        """Every update taken has been handled and every reply to Telegram has gone."""
        if self.parts is None or self.context is None:
            return False
        application = self.parts.application
        updater = application.updater
        if not application.running or updater is None or not updater.running:
            return False
        processor = application.update_processor
        if not application.update_queue.empty() or processor.current_concurrent_updates:
            return False
        if getattr(processor, "busy", False):
            return False
        return not await self.context.storage.outbox.chats_waiting()

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.wait_for(self._task, timeout=15)
        await self._stack.aclose()
        self._stack = AsyncExitStack()

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def invite(
        self,
        flow_id: str = "every-kind",
        service: str | None = "Oak House",
        name: str = "Test Person",
        language: str | None = None,
        actor: Actor = OPERATOR,
    ) -> tuple[str, str]:
        return await invite_into(self.app, self.clock, flow_id, service, name, language, actor)


async def invite_into(
    app: AppContext,
    clock: FakeClock,
    flow_id: str = "every-kind",
    service: str | None = "Oak House",
    name: str = "Test Person",
    language: str | None = None,
    actor: Actor = OPERATOR,
) -> tuple[str, str]:
    """An invitation made as an operator (or the member of staff given) would: (interview
    id, token)."""
    invitation = await app.storage.interviews.invite(
        flow_id=flow_id,
        flow_version=app.flows[flow_id].version,
        display_name=name,
        service=service,
        language=language,
        expires_at=clock() + timedelta(days=28),
        actor=actor,
        at=clock(),
    )
    return invitation.interview_id, invitation.token


async def outbox_drained(app: AppContext, seconds: float = 5.0) -> bool:
    """Whether every committed reply has been delivered and forgotten within a few seconds
    (a reply can reach the server a moment before the bot deletes it from the outbox)."""
    for _ in range(int(seconds / 0.1)):
        if await app.storage.outbox.unsent() == []:
            return True
        await asyncio.sleep(0.1)
    return False


@pytest.fixture
async def bot(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    running = (await RunningBot(make_settings(tmp_path, api, key), clock).start()).watch(api)
    yield running
    await running.stop()


WEB_REVIEWER = 701


@pytest.fixture
async def web_bot(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    """The bot with the web chat beside it, on a free port of 127.0.0.1; leaving quickly
    goes to a page of its own (tests send nothing anywhere else)."""
    port = free_port()
    settings = make_settings(
        tmp_path,
        api,
        key,
        web_url=f"http://127.0.0.1:{port}",
        web_leave_url=f"http://127.0.0.1:{port}/static/chat.css",
        web_inputs_per_minute=10_000,
    )
    running = (await RunningBot(settings, clock, web_port=port).start()).watch(api)
    await running.app.storage.staff.add(
        WEB_REVIEWER, "Ola Reviewer", "reviewer", ["Oak House"], OPERATOR, clock()
    )
    yield running
    await running.stop()
