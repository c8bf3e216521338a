"""Shared fixtures: a fresh encrypted database in a temporary folder, and a movable clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from storage import Actor, Cipher, Storage, new_key


def pytest_report_header(config: pytest.Config) -> str:
    """Say which PostgreSQL server the storage contract tests use, before any test runs."""
    from tests import postgres

    return postgres.choice()


def pytest_sessionstart(session: pytest.Session) -> None:
    """The same line under -q (make test), which hides the header."""
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if reporter is not None and reporter.verbosity < 0:
        from tests import postgres

        reporter.write_line(postgres.choice())


class FakeClock:
    """A clock tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime(2026, 3, 2, 10, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now


@pytest.fixture(autouse=True)
def _no_env_file(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Tests never read the developer's .env, data/ or EXIT_ variables."""
    import os

    for name in list(os.environ):
        if name.startswith("EXIT_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("EXIT_ENV_FILE", "")
    monkeypatch.chdir(tmp_path)


@pytest.fixture
def key() -> str:
    return new_key()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def storage(tmp_path: Path, key: str) -> AsyncIterator[Storage]:
    opened = await Storage.open(tmp_path / "db" / "test.sqlite3", Cipher(key))
    for home in ("Oak House", "Elm House"):
        await opened.services.add(home, Actor.for_operator("test"), datetime.now(UTC))
    yield opened
    await opened.close()


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """Settings for running `exit-interviews` in a subprocess: its own database and key."""
    return {
        "EXIT_DATABASE": str(tmp_path / "cli.sqlite3"),
        "EXIT_PRACTICE_DATABASE": str(tmp_path / "practice.sqlite3"),
        "EXIT_DATA_KEY": new_key(),
    }
