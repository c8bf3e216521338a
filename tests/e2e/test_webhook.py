"""Run behind a webhook, as production deployments do: Telegram posts updates to the bot."""

from __future__ import annotations

import asyncio
import json
import socket
from pathlib import Path

import httpx

from bot.core.context import open_context
from bot.telegram.application import Webhook, serve
from tests.conftest import FakeClock
from tests.e2e.conftest import invite_into, make_settings
from tests.fake_telegram import FakeBotApi

SECRET = "webhook-secret-for-tests"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_updates_posted_to_the_webhook_are_answered(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock
) -> None:
    port = free_port()
    settings = make_settings(tmp_path, api, key)
    stop = asyncio.Event()
    async with open_context(settings, clock) as app:
        _, token = await invite_into(app, clock, name="W")
        running = asyncio.create_task(
            serve(
                app,
                stop,
                Webhook(
                    url=f"https://bot.example.org/{port}",
                    listen="127.0.0.1",
                    port=port,
                    secret_token=SECRET,
                ),
            )
        )
        update = {
            "update_id": 1,
            "message": {
                "message_id": 1,
                "date": 1_700_000_000,
                "chat": {"id": 8080, "type": "private", "first_name": "W"},
                "from": {"id": 8080, "is_bot": False, "first_name": "W"},
                "text": f"/start {token}",
                "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
            },
        }
        async with httpx.AsyncClient() as client:
            for _ in range(100):
                try:
                    wrong = await client.post(
                        f"http://127.0.0.1:{port}/",
                        json=update,
                        headers={"X-Telegram-Bot-Api-Secret-Token": "no"},
                    )
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.1)
            assert wrong.status_code == 403, "a post without the secret is refused"
            accepted = await client.post(
                f"http://127.0.0.1:{port}/",
                content=json.dumps(update),
                headers={
                    "X-Telegram-Bot-Api-Secret-Token": SECRET,
                    "Content-Type": "application/json",
                },
            )
            assert accepted.status_code == 200
        await api.wait_for_text(8080, "Do you want to start?")
        stop.set()
        await asyncio.wait_for(running, timeout=15)
    assert any(method == "setWebhook" for method, _ in api.calls)
