"""The running bot on a fresh PostgreSQL database: import `bot` into a test module (after
importing another module's tests) and those tests run again on PostgreSQL."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from tests import postgres
from tests.conftest import FakeClock
from tests.e2e.conftest import RunningBot, make_settings
from tests.fake_telegram import FakeBotApi


@pytest.fixture
async def bot(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock
) -> AsyncIterator[RunningBot]:
    """The same bot as tests/e2e/conftest.py's, only EXIT_DATABASE is postgresql://."""
    async with postgres.fresh_database() as url:
        settings = make_settings(tmp_path, api, key, database=url)
        running = (await RunningBot(settings, clock).start()).watch(api)
        try:
            assert running.app.storage.on_postgres
            yield running
        finally:
            await running.stop()
