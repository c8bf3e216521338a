"""Issue 25's web server items, one test (or a few) each, named after the item. Each
failed on the code before the fix (see the note on each)."""

from __future__ import annotations

import asyncio
import re
import traceback
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime, timedelta

import pytest
from yarl import URL

from bot.web.guard import GuardLimits, LinkGuard
from bot.web.limits import WebLimits
from tests.e2e.conftest import OPERATOR, RunningBot, api, web_bot
from tests.e2e.test_web_chat import Browser, Opener, base, opened
from tests.security.web_helpers import SECURITY_HEADERS, http, raw_request, web_server

__all__ = ["api", "opened", "web_bot"]

FIRST_CHILD_WORDS = "Marmalade-canary the night staff shout at me"


def start_value(page: str) -> str:
    found = re.search(r'name="start" value="([^"]+)"', page)
    assert found is not None, "the link shows a Start button"
    return found.group(1)


# Item 1: one browser, two children ----------------------------------------------------------
# Before: opening the second link reused the first session's chat id, so the second child's
# taps went into the newest interview of that chat, the first child's.


async def test_item_1_a_second_childs_link_in_the_same_browser_starts_a_session_of_its_own(
    web_bot: RunningBot, opened: Opener
) -> None:
    second_id, second_token = await web_bot.invite(name="Second Young Person")
    first_id, first_token = await web_bot.invite(name="First Young Person")
    tablet = opened()
    await tablet.start(first_token)
    await tablet.tap("Yes, let's start")
    await tablet.tap("No")
    await tablet.type(FIRST_CHILD_WORDS)
    first_cookie = tablet.session.cookie_jar.filter_cookies(URL(base(web_bot)))["ei_session"].value
    before = await web_bot.app.storage.transcripts.load(first_id)

    await tablet.get(f"/i/{second_token}")
    assert "Marmalade-canary" not in tablet.page and "What made you feel unsafe" not in tablet.page
    await tablet.post(f"/i/{second_token}", {"start": start_value(tablet.page)})
    assert "Do you want to start?" in tablet.page
    assert "Marmalade-canary" not in tablet.page
    await tablet.tap("Yes, let's start")
    await tablet.tap("Yes")

    after = await web_bot.app.storage.transcripts.load(first_id)
    assert after.answers == before.answers, "nothing was written into the first child's interview"
    second = await web_bot.app.storage.transcripts.load(second_id)
    assert second.answers.get("q_felt_safe") == "yes" or "yes" in second.answers.values()
    first_chat = (await web_bot.app.storage.interviews.get(first_id)).chat_id
    second_chat = (await web_bot.app.storage.interviews.get(second_id)).chat_id
    assert first_chat != second_chat, "each interview has a chat of its own"

    replay = opened()
    replay.session.cookie_jar.update_cookies({"ei_session": first_cookie})
    await replay.get("/chat")
    assert "Marmalade-canary" not in replay.page and "Open your link again" in replay.page, (
        "the first child's cookie, kept by someone, shows nothing of their interview"
    )


async def test_item_1_an_ended_interview_is_not_shown_to_the_next_person(
    web_bot: RunningBot, opened: Opener
) -> None:
    first_id, first_token = await web_bot.invite(name="First Young Person")
    second_id, second_token = await web_bot.invite(name="Second Young Person")
    tablet = opened()
    await tablet.start(first_token)
    await tablet.tap("No, thank you")
    assert "That is OK" in tablet.page
    await tablet.start(second_token)
    assert "Do you want to start?" in tablet.page and "That is OK" not in tablet.page
    await tablet.get("/chat")
    assert "That is OK" not in tablet.page
    first_chat = (await web_bot.app.storage.interviews.get(first_id)).chat_id
    second_chat = (await web_bot.app.storage.interviews.get(second_id)).chat_id
    assert first_chat != second_chat, (
        "what staff send the first child later (a thank-you, a call-back) must never reach "
        "the second child's page"
    )


# Item 3: after erasure the old cookie shows nothing ------------------------------------------
# Before: the session stayed open and /chat showed the last page, with what was written.


async def test_item_3_after_erasure_the_old_cookie_shows_nothing_of_what_was_written(
    web_bot: RunningBot, opened: Opener
) -> None:
    interview_id, token = await web_bot.invite()
    browser = opened()
    await browser.start(token)
    await browser.tap("Yes, let's start")
    await browser.tap("No")
    await browser.type(FIRST_CHILD_WORDS)
    await browser.get("/chat")
    assert "Marmalade-canary" in browser.page or "Next" in browser.page
    await web_bot.app.storage.retention.erase(interview_id, OPERATOR, web_bot.clock(), "request")
    await browser.get("/chat")
    assert "has ended" in browser.page
    assert "Marmalade-canary" not in browser.page and "Next" not in browser.page
    await browser.post("/answer", {"csrf": "x", "text": "more words"})
    assert "has ended" in browser.page and browser.status == 200
    await browser.get("/")
    assert "has ended" not in browser.page or "open the link" in browser.page


# Item 4: small bodies, checked before anything is read ---------------------------------------
# Before: every route took 20 MB, read in full; a claim of 10 MB was waited for.


@asynccontextmanager
async def quick_server(bot: RunningBot, **limits: float) -> AsyncIterator[tuple[str, int]]:
    values: dict[str, float] = {"header_seconds": 2.0, "body_seconds": 2.0, **limits}
    async with web_server(bot.app, WebLimits(**values)) as address:  # type: ignore[arg-type]
        yield address


async def test_item_4_a_body_over_64_kb_is_refused_on_its_length_before_it_is_read(
    web_bot: RunningBot,
) -> None:
    async with quick_server(web_bot) as (host, port):
        claim = http(
            "POST",
            "/answer",
            {"Content-Type": "application/x-www-form-urlencoded", "Content-Length": "10000000"},
        )
        response = await raw_request(host, port, claim, seconds=5, half_close=False)
        assert response.status == 413 and "too much" in response.text
        assert response.header("Content-Security-Policy")


async def test_item_4_a_body_too_big_is_refused_before_the_browser_sends_it(
    web_bot: RunningBot,
) -> None:
    async with quick_server(web_bot) as (host, port):
        ask = http(
            "POST",
            "/voice",
            {
                "Content-Type": "multipart/form-data; boundary=b0",
                "Content-Length": "50000000",
                "Expect": "100-continue",
            },
        )
        response = await raw_request(host, port, ask, seconds=5, half_close=False)
        assert response.status == 413 and response.header("Content-Security-Policy")


async def test_item_4_a_body_without_a_length_is_cut_off_at_64_kb(
    web_bot: RunningBot, opened: Opener
) -> None:
    _, token = await web_bot.invite()
    browser = opened()
    await browser.start(token)

    async def chunks() -> AsyncIterator[bytes]:
        yield b"csrf=" + browser.csrf().encode() + b"&text="
        for _ in range(20):
            yield b"a" * 8192

    async with browser.session.post(
        base(web_bot) + "/answer",
        data=chunks(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    ) as response:
        assert response.status == 413


async def test_item_4_the_voice_upload_alone_takes_more(
    web_bot: RunningBot, opened: Opener
) -> None:
    interview_id, token = await web_bot.invite()
    browser = opened()
    await browser.start(token)
    await browser.tap("Yes, let's start")
    await browser.tap("No")
    status, page = await browser.upload(b"RIFF" + b"\0" * 300_000, "audio/wav")
    assert status == 200 and "A person will listen to it" in page
    (kept,) = await web_bot.app.storage.voices.for_interview(interview_id)
    assert kept.size == 300_004


# Item 10: an unknown token costs no write; no house locked out --------------------------------
# Before: every try opened a write transaction; five wrong links from one address (a home's
# shared Wi-Fi) refused every other device on it for 15 minutes.


async def test_item_10_an_unknown_token_costs_no_write(
    web_bot: RunningBot, opened: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    database = web_bot.app.storage.db
    writes: list[bool] = []
    real = database.transaction

    def counted(durable: bool = True):  # type: ignore[no-untyped-def]
        """Count the writes the web server asks for (not the bot's own timed jobs)."""
        if any("bot/web/" in frame.filename for frame in traceback.extract_stack()):
            writes.append(durable)
        return real(durable)

    monkeypatch.setattr(database, "transaction", counted)
    browser = opened()
    for attempt in range(8):
        await browser.get(f"/i/not-a-link-{attempt}")
        assert browser.status in (410, 429)
        await browser.post(f"/i/not-a-link-{attempt}", {"start": "x"})
        assert browser.status in (410, 429)
    assert writes == [], "a made-up link must cost no write at all"
    _, token = await web_bot.invite()
    await opened().start(token)
    assert writes, "the count sees the web server's writes (a real link's Start writes)"


async def test_item_10_one_misbehaving_device_does_not_lock_out_the_house(
    web_bot: RunningBot, opened: Opener
) -> None:
    _, token = await web_bot.invite()
    broken = opened()
    for attempt in range(30):
        await broken.get(f"/i/old-or-mistyped-{attempt}")
    assert broken.status == 429, "the device that keeps trying is slowed down"
    child = opened()
    await child.start(token)
    assert "Do you want to start?" in child.page, "every other device on the Wi-Fi still works"


def test_item_10_the_address_ceiling_stops_a_guesser_without_cookies() -> None:
    guard = LinkGuard(GuardLimits(per_address=50))
    now = datetime(2026, 1, 1)
    for attempt in range(49):
        guard.failed(f"guess-{attempt}", None, "198.51.100.7", now)
    assert not guard.blocked("next-guess", None, "198.51.100.7", now)
    guard.failed("guess-49", None, "198.51.100.7", now)
    assert guard.blocked("next-guess", None, "198.51.100.7", now)
    assert not guard.blocked("next-guess", None, "198.51.100.8", now)
    assert not guard.blocked("next-guess", None, "198.51.100.7", now + timedelta(minutes=16))


def test_item_10_a_flood_of_made_up_links_cannot_fill_the_memory() -> None:
    guard = LinkGuard(GuardLimits(remembered=100))
    now = datetime(2026, 1, 1)
    for attempt in range(1000):
        guard.failed(f"guess-{attempt}", f"browser-{attempt}", f"10.0.{attempt // 256}.1", now)
    assert len(guard._failures) <= 100


# Item 11: time limits, malformed bodies, headers on every response ---------------------------
# Before: no header time limit (aiohttp's keep-alive was an hour), a broken multipart body
# was a 500 with aiohttp's text, and 303 and 404 had none of the pages' headers.


async def test_item_11_a_client_sending_its_headers_a_byte_at_a_time_is_cut_off(
    web_bot: RunningBot,
) -> None:
    async with quick_server(web_bot, header_seconds=0.5) as (host, port):
        reader, writer = await asyncio.open_connection(host, port)
        started = asyncio.get_running_loop().time()
        closed = False
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
            for byte in b"X-Slow: " + b"a" * 100:
                writer.write(bytes([byte]))
                await writer.drain()
                try:
                    got = await asyncio.wait_for(reader.read(1024), 0.05)
                except TimeoutError:
                    continue
                if got == b"":
                    closed = True
                    break
        except ConnectionError:
            closed = True
        finally:
            writer.close()
        assert closed, "a connection trickling its headers is closed"
        assert asyncio.get_running_loop().time() - started < 4


async def test_item_11_a_body_that_never_arrives_is_given_up_on(
    web_bot: RunningBot, opened: Opener
) -> None:
    _, token = await web_bot.invite()
    browser = opened()
    await browser.start(token)
    cookie = browser.session.cookie_jar.filter_cookies(URL(base(web_bot)))["ei_session"].value
    async with quick_server(web_bot, body_seconds=0.3) as (host, port):
        slow = http(
            "POST",
            "/answer",
            {
                "Cookie": f"ei_session={cookie}",
                "Content-Type": "application/x-www-form-urlencoded",
                "Content-Length": "500",
            },
            b"csrf=",
        )
        response = await raw_request(host, port, slow, seconds=3, half_close=False)
    assert response.status == 408 and response.header("Content-Security-Policy")


@pytest.mark.parametrize(
    "content_type, body",
    [
        ("multipart/form-data; boundary=zzz", b"--zzz\r\nContent-Disposition: form-data\r\n\r\nx"),
        ("multipart/form-data", b"--zzz\r\n\r\n"),
        ("multipart/form-data; boundary=zzz", b"\xff\xfe not multipart at all"),
        ("application/x-www-form-urlencoded; charset=no-such-charset", b"text=a"),
    ],
)
async def test_item_11_a_malformed_body_gives_a_plain_400_page(
    web_bot: RunningBot, opened: Opener, content_type: str, body: bytes
) -> None:
    _, token = await web_bot.invite()
    browser = opened()
    await browser.start(token)
    await browser.tap("Yes, let's start")
    await browser.tap("No")
    for path in ("/voice", "/answer"):
        async with browser.session.post(
            base(web_bot) + path, data=body, headers={"Content-Type": content_type}
        ) as response:
            page = await response.text()
            assert response.status == 400, (path, response.status)
            assert "Traceback" not in page and "did not reach us properly" in page
            assert response.headers["Content-Security-Policy"]


async def test_item_11_redirects_refusals_and_errors_carry_the_security_headers(
    web_bot: RunningBot, opened: Opener
) -> None:
    browser = opened()
    checks = [
        ("GET", "/no-such-page", 404),
        ("POST", "/", 405),
        ("GET", "/i/not-a-link", 410),
        ("POST", "/answer", 303),
        ("POST", "/leave", 303),
        ("GET", "/static/no-such-file.css", 404),
    ]
    for method, path, status in checks:
        async with browser.session.request(
            method, base(web_bot) + path, allow_redirects=False
        ) as response:
            assert response.status == status, (method, path, response.status)
            for header in SECURITY_HEADERS:
                assert header in response.headers, (method, path, header)
            assert "Traceback" not in await response.text()
    host, port = "127.0.0.1", web_bot.web_port
    assert port is not None
    broken = await raw_request(host, port, b"NOT HTTP AT ALL\r\n\r\n", half_close=False)
    assert broken.status == 400 and broken.header("Content-Security-Policy")
    assert "did not reach us properly" in broken.text


# Item 16: link previews ---------------------------------------------------------------------
# Before: one GET of /i/TOKEN used the invitation up.


async def test_item_16_a_link_preview_does_not_use_the_invitation_up(
    web_bot: RunningBot, opened: Opener
) -> None:
    interview_id, token = await web_bot.invite()
    for _ in range(3):
        preview = opened()
        await preview.get(f"/i/{token}")
        assert preview.status == 200 and "Start" in preview.page
        assert "Do you want to start?" not in preview.page
    assert (await web_bot.app.storage.interviews.get(interview_id)).status == "invited"
    person = opened()
    await person.start(token)
    assert "Do you want to start?" in person.page


async def test_item_16_only_the_start_form_with_its_token_uses_the_link(
    web_bot: RunningBot, opened: Opener
) -> None:
    interview_id, token = await web_bot.invite()
    other_site = opened()
    await other_site.post(f"/i/{token}", {"start": "guessed"})
    assert other_site.status == 403 and "Do you want to start?" not in other_site.page
    assert (await web_bot.app.storage.interviews.get(interview_id)).status == "invited"
    await other_site.post(f"/i/{token}", {"start": start_value(other_site.page)})
    assert "Do you want to start?" in other_site.page, "the page shown again works"


async def test_item_16_the_start_page_speaks_the_invitations_language(
    web_bot: RunningBot, opened: Opener
) -> None:
    _, welsh = await web_bot.invite("foster-carer", language="cy")
    _, unknown = await web_bot.invite()
    browser = opened()
    await browser.get(f"/i/{welsh}")
    assert 'lang="cy"' in browser.page and "Dechrau" in browser.page
    assert "You have been invited" not in browser.page
    await browser.get(f"/i/{unknown}")
    welsh_at = browser.page.index("Rydych chi wedi cael")
    assert welsh_at < browser.page.index("You have been invited"), "Welsh first where not known"


# Errors in the person's language, never a traceback ------------------------------------------


async def test_errors_are_in_the_persons_language_and_never_a_traceback(
    web_bot: RunningBot, opened: Opener, monkeypatch: pytest.MonkeyPatch
) -> None:
    stranger = opened()
    await stranger.get("/nothing-here")
    assert stranger.status == 404
    assert stranger.page.index("does dim tudalen") < stranger.page.index("there is no page")
    _, token = await web_bot.invite("foster-carer", language="cy")
    welsh = opened()
    await welsh.start(token)

    async def broken(chat_id: int) -> list[object]:
        raise RuntimeError("a fault nobody expected")

    monkeypatch.setattr(web_bot.app.storage.outbox, "unsent_for_chat", broken)
    await welsh.get("/chat")
    assert welsh.status == 500 and "Traceback" not in welsh.page
    assert "Rhowch gynnig arall arni mewn munud" in welsh.page and "Sorry" not in welsh.page
    assert "a fault nobody expected" not in welsh.page


def test_limits_are_small_except_for_the_voice_upload() -> None:
    limits = WebLimits()
    assert limits.body_bytes == 64 * 1024
    assert limits.voice_bytes > 20 * 1024 * 1024
    assert Browser is not None
