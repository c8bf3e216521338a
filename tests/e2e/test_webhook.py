"""Run behind a webhook, as production deployments do: Telegram posts updates to the bot.
Also issue 11's items 1 (forged updates) and 17 (the path the webhook serves on)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx

from bot.core.context import AppContext, open_context
from bot.telegram.application import Webhook, serve
from storage import Actor
from tests.conftest import FakeClock
from tests.e2e.conftest import free_port, invite_into, make_settings
from tests.fake_telegram import FakeBotApi

SECRET = "webhook-secret-for-tests"
ADMIN = 503
ATTACKER = 6666
HEADER = "X-Telegram-Bot-Api-Secret-Token"


def message(chat: int, sender: int, text: str, update_id: int = 1) -> dict[str, Any]:
    entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    return {
        "update_id": update_id,
        "message": {
            "message_id": update_id,
            "date": 1_700_000_000,
            "chat": {"id": chat, "type": "private", "first_name": "W"},
            "from": {"id": sender, "is_bot": False, "first_name": "W"},
            "text": text,
            "entities": entities if text.startswith("/") else [],
        },
    }


@asynccontextmanager
async def webhook_bot(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock, webhook: Webhook
) -> AsyncIterator[AppContext]:
    stop = asyncio.Event()
    async with open_context(make_settings(tmp_path, api, key), clock) as app:
        running = asyncio.create_task(serve(app, stop, webhook))
        await api.wait_for(lambda: bool(api.webhook))
        try:
            yield app
        finally:
            stop.set()
            await asyncio.wait_for(running, timeout=15)


async def post(port: int, path: str, update: dict[str, Any], secret: str | None) -> int:
    headers = {HEADER: secret} if secret is not None else {}
    async with httpx.AsyncClient() as client:
        for _ in range(100):
            try:
                answer = await client.post(
                    f"http://127.0.0.1:{port}/{path}", json=update, headers=headers
                )
                return answer.status_code
            except httpx.ConnectError:
                await asyncio.sleep(0.1)
    raise AssertionError("the webhook server never listened")


async def test_updates_posted_to_the_webhook_are_answered(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock
) -> None:
    port = free_port()
    hook = Webhook(f"https://bot.example.org/{port}", "127.0.0.1", port, SECRET)
    async with webhook_bot(tmp_path, api, key, clock, hook) as app:
        _, token = await invite_into(app, clock, name="W")
        update = message(8080, 8080, f"/start {token}")
        assert await post(port, str(port), update, "no") == 403, "a wrong secret is refused"
        assert await post(port, str(port), update, SECRET) == 200
        await api.wait_for_text(8080, "Do you want to start?")
    assert api.webhook["secret_token"] == SECRET


async def test_item_1_a_webhook_without_a_secret_refuses_forged_updates(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock
) -> None:
    port = free_port()
    hook = Webhook("https://bot.example.org/telegram", "127.0.0.1", port)
    async with webhook_bot(tmp_path, api, key, clock, hook) as app:
        await app.storage.staff.add(ADMIN, "Admin", "admin", [], Actor.for_operator("t"), clock())
        await invite_into(app, clock, name="Someone")
        secret = api.webhook.get("secret_token")
        assert secret and len(secret) >= 32, "a secret was made up and given to Telegram"
        forged = message(ATTACKER, ADMIN, "/interviews")
        assert await post(port, "telegram", forged, None) == 403
        assert await post(port, "telegram", forged, secret) == 200
        await api.wait_for(lambda: bool(api.texts(ATTACKER)))
    texts = api.texts(ATTACKER)
    assert texts and not any("Recent interviews" in text for text in texts)
    assert ADMIN not in api.sent


async def test_item_17_the_webhook_serves_on_its_urls_own_path(
    tmp_path: Path, api: FakeBotApi, key: str, clock: FakeClock
) -> None:
    port = free_port()
    hook = Webhook("https://bot.example.org/telegram", "127.0.0.1", port, SECRET)
    async with webhook_bot(tmp_path, api, key, clock, hook):
        assert await post(port, "telegram", message(7070, 7070, "hello"), SECRET) == 200
        assert await post(port, "", message(7070, 7070, "hello", 2), SECRET) == 404
    assert api.webhook["url"] == "https://bot.example.org/telegram"
