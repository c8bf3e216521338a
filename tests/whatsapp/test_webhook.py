"""The webhook's promises: only Meta (holding the app secret) is heard, a message delivered
twice is applied once (even across a restart), and what became of each message is kept."""

from __future__ import annotations

from typing import Any

import aiohttp
import pytest

from storage.errors import StorageUnavailable
from tests.fake_telegram import FakeBotApi
from tests.fake_whatsapp import APP_SECRET, VERIFY_TOKEN, FakeCloudApi
from tests.whatsapp.conftest import PERSON, REVIEWER, WhatsAppBot
from tests.whatsapp.test_interview import start


async def count(bot: WhatsAppBot, table: str) -> int:
    row = await bot.app.storage.db.fetch_one(f"SELECT COUNT(*) FROM {table}")
    assert row is not None
    return int(row[0])


async def test_the_verification_handshake_answers_only_the_verify_token(
    wa_bot: WhatsAppBot,
) -> None:
    async with aiohttp.ClientSession() as session:
        right = {"hub.mode": "subscribe", "hub.verify_token": VERIFY_TOKEN, "hub.challenge": "4242"}
        async with session.get(wa_bot.webhook_url, params=right) as response:
            assert response.status == 200 and await response.text() == "4242"
        wrong = {**right, "hub.verify_token": "guessed"}
        async with session.get(wa_bot.webhook_url, params=wrong) as response:
            assert response.status == 403 and "4242" not in await response.text()


async def test_a_bad_or_missing_signature_is_refused_and_nothing_is_stored(
    wa_bot: WhatsAppBot, cloud: FakeCloudApi
) -> None:
    interview_id, token = await wa_bot.invite()
    payload = cloud.inbound(PERSON, {"type": "text", "text": {"body": f"START-{token}"}})
    assert await cloud.post(payload, secret="not-the-app-secret") == 403
    assert await cloud.post(payload, secret=None) == 403
    assert await cloud.post(payload, signature="sha256=" + "0" * 64) == 403
    assert wa_bot.whatsapp.webhook.refused_signatures == 3
    assert await count(wa_bot, "phone_chats") == 0
    assert await count(wa_bot, "processed_updates") == 0
    assert (await wa_bot.app.storage.interviews.get(interview_id)).status == "invited"
    assert cloud.sent[PERSON] == [], "nothing was answered"
    assert await cloud.post(payload, secret=APP_SECRET) == 200, "the same post, signed, works"
    await cloud.wait_for_text(PERSON, "Do you want to start?")


async def test_a_message_delivered_twice_is_applied_once_even_across_a_restart(
    wa_bot: WhatsAppBot, cloud: FakeCloudApi
) -> None:
    interview_id = await start(wa_bot, cloud)
    await cloud.tap(PERSON, "Yes")
    await cloud.wait_for_text(PERSON, "Did you feel safe?")
    await cloud.tap(PERSON, "No")
    await cloud.wait_for_text(PERSON, "What made you feel unsafe?")
    words = cloud.inbound(PERSON, {"type": "text", "text": {"body": "It was loud at night"}})
    assert await cloud.post(words) == 200
    await cloud.wait_for_text(PERSON, "Add more")
    assert await cloud.post(words) == 200, "a repeat is acknowledged, so Meta stops sending it"
    await wa_bot.restart()
    cloud.webhook_url = wa_bot.webhook_url
    assert await cloud.post(words) == 200
    await cloud.tap(PERSON, "Next")
    await cloud.wait_for_text(PERSON, "Who decided?")
    record = await wa_bot.app.storage.transcripts.load(interview_id)
    assert record.answers["q_follow_up"] == "It was loud at night"


async def test_statuses_out_of_order_keep_the_furthest_and_a_failure_tells_staff(
    wa_bot: WhatsAppBot, cloud: FakeCloudApi, api: FakeBotApi
) -> None:
    interview_id = await start(wa_bot, cloud)
    receipts = wa_bot.whatsapp.sender.receipts
    first = cloud.sent[PERSON][0].id
    assert await cloud.status(first, "read", PERSON) == 200
    assert await cloud.status(first, "delivered", PERSON) == 200
    assert await cloud.status(first, "sent", PERSON) == 200
    assert await cloud.status(first, "read", PERSON) == 200
    receipt = await receipts.get(first)
    assert receipt is not None and receipt.status == "read", "a late 'delivered' undoes nothing"
    assert receipt.interview_id == interview_id
    last = cloud.sent[PERSON][-1].id
    assert await cloud.status(last, "failed", PERSON, error_code=131026) == 200
    failed = await receipts.get(last)
    assert failed is not None and failed.status == "failed" and "131026" in (failed.failure or "")
    told = await api.wait_for_text(REVIEWER, "was not delivered")
    assert interview_id in told.text
    assert await cloud.status("wamid.never-ours", "read", PERSON) == 200, "unknown ids are ignored"


async def test_a_stranger_or_a_wrong_code_gets_help_and_nothing_is_kept(
    wa_bot: WhatsAppBot, cloud: FakeCloudApi
) -> None:
    assert await cloud.write(PERSON, "hello?") == 200
    stranger = await cloud.wait_for_text(PERSON, "Childline")
    assert "+44 800 1111" in stranger.text
    assert await cloud.write(PERSON, "START-not-a-real-code") == 200
    await cloud.wait_for(lambda: len(cloud.since_last_written(PERSON)) == 1)
    assert await count(wa_bot, "phone_chats") == 0, "no number kept for nobody's interview"


async def test_while_the_database_is_down_a_post_is_refused_503_and_applied_when_sent_again(
    wa_bot: WhatsAppBot, cloud: FakeCloudApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    interview_id = await start(wa_bot, cloud)
    service = wa_bot.app.service
    real = service.answer_in_chat

    async def down(*args: Any, **kwargs: Any) -> Any:
        raise StorageUnavailable("database is locked")

    monkeypatch.setattr(service, "answer_in_chat", down)
    consent = cloud.last_with_choices(PERSON)
    yes = consent.choice("Yes")
    tap = cloud.inbound(
        PERSON,
        {
            "type": "interactive",
            "interactive": {"type": "list_reply", "list_reply": {"id": yes[0], "title": yes[1]}},
        },
    )
    assert await cloud.post(tap) == 503, "not acknowledged, so Meta will send it again"
    monkeypatch.setattr(service, "answer_in_chat", real)
    assert await cloud.post(tap) == 200
    await cloud.wait_for_text(PERSON, "Did you feel safe?")
    assert (await wa_bot.app.storage.interviews.get(interview_id)).status == "consented"
