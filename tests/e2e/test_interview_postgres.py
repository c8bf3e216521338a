"""The interview end to end on PostgreSQL: the same bot, the same fake Bot API, only
EXIT_DATABASE names a PostgreSQL database (a fresh one, dropped afterwards)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests import postgres
from tests.conftest import FakeClock
from tests.e2e import test_interview
from tests.e2e.conftest import RunningBot, make_settings
from tests.fake_telegram import FakeBotApi


@pytest.fixture
async def bot(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    async with postgres.fresh_database() as url:
        settings = make_settings(tmp_path, api, key, database=url)
        running = (await RunningBot(settings, clock).start()).watch(api)
        try:
            yield running
        finally:
            await running.stop()


async def test_a_whole_interview_with_buttons_and_free_text(
    bot: RunningBot, api: FakeBotApi
) -> None:
    assert bot.app.storage.on_postgres
    await test_interview.test_a_whole_interview_with_buttons_and_free_text(bot, api)
