"""The storage contract: every test that takes `storage` runs on SQLite and on PostgreSQL.

Each PostgreSQL test gets its own database with a random name, dropped afterwards, so
tests stay independent under pytest-xdist. A test that cannot run on one store is marked
`sqlite_only` and its docstring says why.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storage import Actor, Cipher, Storage
from tests import postgres

STORES = ("sqlite", "postgres")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: the test checks SQLite itself; its docstring says why"
    )


@pytest.fixture(params=STORES)
def store_kind(request: pytest.FixtureRequest) -> str:
    """Which store this run of the test is on."""
    kind = str(request.param)
    if kind == "postgres" and request.node.get_closest_marker("sqlite_only"):
        pytest.skip("checks SQLite itself (see the test's docstring)")
    return kind


@pytest.fixture
async def database_address(store_kind: str, tmp_path: Path) -> AsyncIterator[str]:
    """Where EXIT_DATABASE would point: a file, or a fresh PostgreSQL database."""
    if store_kind == "sqlite":
        yield str(tmp_path / "db" / "test.sqlite3")
        return
    async with postgres.fresh_database() as url:
        yield url


@pytest.fixture
async def storage(database_address: str, key: str) -> AsyncIterator[Storage]:
    opened = await Storage.open(database_address, Cipher(key))
    for home in ("Oak House", "Elm House"):
        await opened.services.add(home, Actor.for_operator("test"), datetime.now(UTC))
    yield opened
    await opened.close()
