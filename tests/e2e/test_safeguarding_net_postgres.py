"""Every safeguarding-net test of test_safeguarding_net.py again, on PostgreSQL."""

from collections.abc import AsyncIterator

import pytest

from tests.e2e.conftest import RunningBot
from tests.e2e.on_postgres import bot  # noqa: F401 - the fixture these tests take
from tests.e2e.test_safeguarding_net import *  # noqa: F403 - collected again here


@pytest.fixture
async def lockable_bot() -> AsyncIterator[RunningBot]:
    """Not on PostgreSQL: these tests lock the SQLite file from another program, which
    has no PostgreSQL counterpart (a server that is down is a different test)."""
    pytest.skip("locks the SQLite file from another program; no PostgreSQL counterpart")
    yield  # type: ignore[misc]
