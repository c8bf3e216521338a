"""A thank-you written at the desk arrives in the young person's Telegram chat: the whole
application runs (the Telegram bot against the fake Bot API, the web chat and the console
beside it), the person answers on Telegram, a reviewer signs in with a first sign-in link
and sends the thank-you from the transcript."""

from __future__ import annotations

import re

from bot.console.app import first_sign_in_link
from tests.console.conftest import Browser
from tests.e2e.conftest import WEB_REVIEWER, RunningBot, api, web_bot  # noqa: F401
from tests.e2e.test_interview import CHAT, open_and_consent
from tests.fake_telegram import FakeBotApi


async def test_a_thank_you_from_the_desk_arrives_in_their_telegram_chat(
    web_bot: RunningBot,  # noqa: F811
    api: FakeBotApi,  # noqa: F811
) -> None:
    interview_id = await open_and_consent(web_bot, api)
    base = web_bot.settings.web_url
    assert base is not None
    browser = Browser(base)
    try:
        link = await first_sign_in_link(web_bot.app, WEB_REVIEWER)
        await browser.get(link.removeprefix(base))
        assert browser.url.endswith("/staff/today"), "a reviewer is signed in by the link"
        page = await browser.get(f"/staff/interviews/{interview_id}/write/thanks")
        template = web_bot.app.flows["every-kind"].thank_you
        assert template is None or "Thank" in page
        assert re.search(r"<textarea[^>]*>[^<]*Thank", page), "the form starts with a thank-you"
        await browser.post(
            f"/staff/interviews/{interview_id}/write/thanks",
            {"text": "Thank you for your answers, from Ola at the desk.", "step": "preview"},
        )
        assert "How it will look in their chat" in browser.page
        assert not any("from Ola at the desk" in t for t in api.texts(CHAT)), (
            "a preview sends nothing"
        )
        await browser.post(
            f"/staff/interviews/{interview_id}/write/thanks",
            {"text": "Thank you for your answers, from Ola at the desk.", "step": "send"},
        )
        assert "Sent to their chat" in browser.page
        await api.wait_for_text(CHAT, "Thank you for your answers, from Ola at the desk.")
        entries = await web_bot.app.storage.audit.entries(interview_id)
        assert any(e.actor == f"staff:{WEB_REVIEWER}" and "thank" in e.action for e in entries)
    finally:
        await browser.close()
