"""The web chat over real HTTP, beside the Telegram bot: the token becomes a cookie and
leaves the address, a used link is refused in another browser, forms need their CSRF
token, pages are never cached, and a disclosure reaches staff in Telegram."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable

import aiohttp
import pytest
from markupsafe import escape

from tests.e2e.conftest import OPERATOR, RunningBot
from tests.e2e.conftest import WEB_REVIEWER as REVIEWER
from tests.fake_telegram import FakeBotApi


class Browser:
    """A browser without script: follows redirects, keeps cookies, submits forms."""

    def __init__(self, base: str) -> None:
        self.base = base
        jar = aiohttp.CookieJar(unsafe=True)
        self.session = aiohttp.ClientSession(cookie_jar=jar)
        self.page = ""
        self.url = ""
        self.status = 0

    async def get(self, path: str) -> str:
        async with self.session.get(self.base + path) as response:
            self.page, self.url, self.status = (
                await response.text(),
                str(response.url),
                response.status,
            )
            self.headers = response.headers
        return self.page

    async def start(self, token: str) -> str:
        """Open an invitation link and tap Start on the page it shows (if it shows one)."""
        await self.get(f"/i/{token}")
        found = re.search(r'name="start" value="([^"]+)"', self.page)
        if found is not None:
            await self.post(f"/i/{token}", {"start": found.group(1)})
        return self.page

    def csrf(self) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.page)
        assert found, "every form carries a CSRF token"
        return found.group(1)

    async def tap(self, label: str) -> str:
        button = re.search(
            r'<input type="hidden" name="prompt" value="(\d*)">(?:(?!</form>).)*?'
            r'<button type="submit" name="value" value="([^"]+)"[^>]*>[^<]*'
            + re.escape(str(escape(label))),
            self.page,
            re.S,
        )
        assert button, f"no button {label!r} on the page"
        return await self.post(
            "/answer", {"csrf": self.csrf(), "prompt": button.group(1), "value": button.group(2)}
        )

    async def type(self, text: str) -> str:
        return await self.post("/answer", {"csrf": self.csrf(), "text": text})

    async def post(self, path: str, data: dict[str, str]) -> str:
        async with self.session.post(self.base + path, data=data) as response:
            self.page, self.url, self.status = (
                await response.text(),
                str(response.url),
                response.status,
            )
            self.headers = response.headers
        return self.page

    async def upload(self, data: bytes, content_type: str) -> tuple[int, str]:
        """Submit a recording (or any file) with the form for recorded answers."""
        form = aiohttp.FormData()
        form.add_field("csrf", self.csrf())
        form.add_field("audio", data, filename="recording", content_type=content_type)
        async with self.session.post(self.base + "/voice", data=form) as response:
            return response.status, await response.text()

    async def close(self) -> None:
        await self.session.close()


def base(bot: RunningBot) -> str:
    assert bot.settings.web_url is not None
    return bot.settings.web_url


Opener = Callable[[], Browser]


@pytest.fixture
async def opened(web_bot: RunningBot) -> AsyncIterator[Opener]:
    """New browsers on the web chat, each closed when the test ends."""
    made: list[Browser] = []

    def open_one() -> Browser:
        made.append(Browser(base(web_bot)))
        return made[-1]

    yield open_one
    for browser in made:
        await browser.close()


async def test_a_web_interview_with_the_token_leaving_the_address(
    web_bot: RunningBot, api: FakeBotApi, opened: Opener
) -> None:
    interview_id, token = await web_bot.invite()
    browser = opened()
    await browser.start(token)
    assert browser.url.endswith("/chat") and token not in browser.url
    assert "Do you want to start?" in browser.page
    assert browser.headers["Cache-Control"] == "no-store"
    assert "default-src 'none'" in browser.headers["Content-Security-Policy"]
    assert 'lang="en"' in browser.page and "Leave this page quickly" in browser.page
    await browser.tap("Yes, let's start")
    assert "Did you feel safe?" in browser.page
    await browser.tap("No")
    assert "What made you feel unsafe?" in browser.page
    alert = await api.wait_for_text(REVIEWER, "safeguarding concern")
    assert interview_id in alert.text, "a disclosure on the web reaches staff in Telegram"
    await browser.type("Someone at the home hurt me")
    await browser.tap("Next")
    assert "Who decided?" in browser.page
    record = await web_bot.app.storage.transcripts.load(interview_id)
    assert record.answers["q_follow_up"] == "Someone at the home hurt me"
    await browser.get("/chat")
    assert "Who decided?" in browser.page, "a reload shows the same question"


async def test_cookies_are_safe_and_a_used_link_is_refused_in_another_browser(
    web_bot: RunningBot, opened: Opener
) -> None:
    _, token = await web_bot.invite()
    first, second = opened(), opened()
    await first.get(f"/i/{token}")
    start = re.search(r'name="start" value="([^"]+)"', first.page)
    assert start is not None, "the link shows a Start button"
    async with first.session.post(
        base(web_bot) + f"/i/{token}", data={"start": start.group(1)}, allow_redirects=False
    ) as response:
        assert response.status == 303 and response.headers["Location"] == "/chat"
        cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    await first.get("/chat")
    assert "Do you want to start?" in first.page
    await second.start(token)
    assert second.status == 410 and "this link does not work" in second.page
    await first.get(f"/i/{token}")
    assert "Do you want to start?" in first.page, "the same browser may open it again"
    forged = await first.post("/answer", {"csrf": "wrong", "value": "yes"})
    assert first.status == 403 and "does not work" in forged
    await second.get("/chat")
    assert "Do you want to start?" not in second.page


async def test_leaving_quickly_pauses_and_hides_the_chat_until_carry_on(
    web_bot: RunningBot, opened: Opener
) -> None:
    interview_id, token = await web_bot.invite()
    browser = opened()
    await browser.start(token)
    await browser.tap("Yes, let's start")
    await browser.post("/leave", {"csrf": browser.csrf()})
    assert browser.url.endswith("/left"), "the leaving page, with nothing of the chat"
    assert 'http-equiv="refresh" content="0; url=' in browser.page
    assert "/static/chat.css" in browser.page, "sent on to the neutral site"
    await browser.get("/chat")
    assert "Did you feel safe?" not in browser.page and "Carry on" in browser.page
    assert (await web_bot.app.storage.interviews.get(interview_id)).status == "paused"
    await browser.post("/show", {"csrf": browser.csrf()})
    assert "Carry on" in browser.page or "Resume" in browser.page or "carry on" in browser.page


async def test_a_reissued_link_moves_the_interview_to_a_new_browser(
    web_bot: RunningBot, opened: Opener
) -> None:
    interview_id, token = await web_bot.invite()
    old, new = opened(), opened()
    await old.start(token)
    await old.tap("Yes, let's start")
    await old.tap("Yes")
    fresh = await web_bot.app.storage.interviews.reissue(
        interview_id, web_bot.clock().replace(year=2027), OPERATOR, web_bot.clock()
    )
    await old.get("/chat")
    assert "Who decided?" not in old.page, "the old browser is let go"
    await new.start(fresh.token)
    assert "Who decided?" in new.page, "the answers so far are kept"
    await old.get(f"/i/{token}")
    assert old.status == 410


async def test_an_audio_upload_at_a_typed_question_is_a_voice_answer(
    web_bot: RunningBot, opened: Opener
) -> None:
    interview_id, token = await web_bot.invite()
    browser = opened()
    await browser.start(token)
    await browser.tap("Yes, let's start")
    await browser.tap("No")
    status, page = await browser.upload(b"RIFF fake wav", "audio/wav")
    assert "A person will listen to it" in page
    (kept,) = await web_bot.app.storage.voices.for_interview(interview_id)
    assert kept.mime == "audio/wav" and kept.size == len(b"RIFF fake wav")
    status, _ = await browser.upload(b"%PDF", "application/pdf")
    assert status == 415


async def test_the_session_ends_a_while_after_the_interview_does(
    web_bot: RunningBot, opened: Opener
) -> None:
    _, token = await web_bot.invite()
    browser = opened()
    await browser.start(token)
    await browser.tap("No, thank you")
    assert "That is OK" in browser.page
    web_bot.clock.advance(minutes=11)
    await browser.get("/chat")
    assert "This interview has ended" in browser.page and "That is OK" not in browser.page
    await browser.start(token)
    assert browser.status == 410, "the link does not reopen an interview that is over"
