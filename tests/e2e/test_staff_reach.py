"""Registering staff checks, through the real Telegram client, that alerts can reach them."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from tests.fake_telegram import TOKEN, FakeBotApi

ROOT = Path(__file__).resolve().parents[2]


async def exit_interviews(api: FakeBotApi, tmp_path: Path, key: str, *args: str) -> str:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={
            "PATH": "/usr/bin:/bin",
            "EXIT_ENV_FILE": "",
            "EXIT_DATABASE": str(tmp_path / "staff.sqlite3"),
            "EXIT_DATA_KEY": key,
            "EXIT_TELEGRAM_TOKEN": TOKEN,
            "EXIT_TELEGRAM_BASE_URL": api.base_url,
            "PYTHONPATH": str(ROOT),
        },
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    return out.decode()


async def test_staff_add_says_whether_alerts_can_reach_them(
    api: FakeBotApi, tmp_path: Path, key: str
) -> None:
    reached = await exit_interviews(
        api, tmp_path, key, "staff", "add", "501", "--name", "R", "--role", "reviewer"
    )
    assert "Alerts can reach 501" in reached
    assert "Safeguarding alerts will come to this chat" in api.texts(501)[0]
    api.blocked.add(502)
    refused = await exit_interviews(
        api, tmp_path, key, "staff", "add", "502", "--name", "S", "--role", "admin"
    )
    assert "Concern alerts cannot reach 502 yet" in refused and "press Start" in refused
    api.blocked.discard(502)
    checked = await exit_interviews(api, tmp_path, key, "staff", "check", "502")
    assert "Alerts can reach 502" in checked
