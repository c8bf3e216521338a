"""`exit-interviews health` and /healthz, as monitoring and a load balancer would use them,
on both stores."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import cast

import aiohttp
import pytest
from aiohttp import web
from aiohttp.test_utils import TestServer

from bot.core.context import AppContext
from bot.web.server import health_check
from storage import Cipher, Storage
from storage.leader import LEASE_SECONDS, SchedulerLeader
from tests import postgres
from tests.bot.commandline import cli
from tests.conftest import FakeClock


async def _lead(address: str, key: str, renewed: datetime) -> None:
    opened = await Storage.open(address, Cipher(key))
    try:
        await SchedulerLeader(opened.db).claim("worker-a", renewed)
    finally:
        await opened.close()


async def test_health_on_sqlite_says_each_check_and_exits_1_until_all_pass(
    env: dict[str, str], key: str
) -> None:
    env = {**env, "EXIT_DATA_KEY": key}
    address = env["EXIT_DATABASE"]
    missing = cli(env, "health")
    assert missing.returncode == 1
    assert "NOT OK  database: cannot be reached (no database file)" in missing.stdout
    await (await Storage.open(address, Cipher(key))).close()
    unled = cli(env, "health")
    assert unled.returncode == 1
    assert "ok      database: reachable" in unled.stdout
    assert "ok      migrations: at the latest version" in unled.stdout
    assert "NOT OK  scheduler leader: none yet" in unled.stdout
    await _lead(address, key, datetime.now(UTC) - timedelta(seconds=3))
    led = cli(env, "health")
    assert led.returncode == 0, led.stdout
    renewed = re.search(
        r"ok      scheduler leader: worker-a, lease renewed (\d+) s ago", led.stdout
    )
    assert renewed is not None, led.stdout
    assert 3 <= int(renewed.group(1)) < LEASE_SECONDS, "the age counts from the renewal"
    await _lead(address, key, datetime.now(UTC) - timedelta(seconds=LEASE_SECONDS + 10))
    lapsed = cli(env, "health")
    assert lapsed.returncode == 1
    assert "lease has run out" in lapsed.stdout


async def test_health_on_postgresql_reports_migrations_behind_and_a_leader(
    env: dict[str, str], key: str
) -> None:
    async with postgres.fresh_database(migrated=False) as url:
        behind = cli({**env, "EXIT_DATABASE": url, "EXIT_DATA_KEY": key}, "health")
        assert behind.returncode == 1
        assert "ok      database: reachable" in behind.stdout
        assert "NOT OK  migrations: at version 0" in behind.stdout
        await _lead(url, key, datetime.now(UTC))
        led = cli({**env, "EXIT_DATABASE": url, "EXIT_DATA_KEY": key}, "health")
        assert led.returncode == 0, led.stdout
        assert "ok      migrations: at the latest version" in led.stdout
        assert "ok      scheduler leader: worker-a" in led.stdout
        assert "postgres@127.0.0.1" in led.stdout or "Database: postgresql://" in led.stdout


@pytest.fixture(params=["sqlite", "postgres"])
async def address(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield str(tmp_path / "web.sqlite3")
        return
    async with postgres.fresh_database() as url:
        yield url


async def test_healthz_says_only_ok_or_not_ok(address: str, key: str, clock: FakeClock) -> None:
    storage = await Storage.open(address, Cipher(key))
    app = cast(AppContext, SimpleNamespace(storage=storage, clock=clock))
    web_app = web.Application()
    web_app.router.add_get("/healthz", health_check(app))
    server = TestServer(web_app, host="127.0.0.1", port=0)
    await server.start_server()
    url = f"http://127.0.0.1:{server.port}/healthz"
    try:
        async with aiohttp.ClientSession() as session:
            async with session.get(url) as unled:
                assert (unled.status, await unled.text()) == (503, "not ok")
            await SchedulerLeader(storage.db).claim("worker-a", clock())
            async with session.get(url) as led:
                assert (led.status, await led.text()) == (200, "ok")
            clock.advance(seconds=LEASE_SECONDS + 1)
            async with session.get(url) as lapsed:
                assert (lapsed.status, await lapsed.text()) == (503, "not ok")
    finally:
        await server.close()
        await storage.close()
