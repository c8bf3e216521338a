"""Fixtures for running the command line and the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import new_key


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    return {
        "EXIT_DATABASE": str(tmp_path / "cli.sqlite3"),
        "EXIT_PRACTICE_DATABASE": str(tmp_path / "practice.sqlite3"),
        "EXIT_DATA_KEY": new_key(),
    }
