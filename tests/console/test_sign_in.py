"""Signing in to the staff console: by a code e-mailed to the work address, used once,
within 10 minutes and 5 tries; the authenticator app as a second factor (admins must);
sessions that end when idle, when too old, at sign-out, and when staff are removed."""

from __future__ import annotations

import re
from collections.abc import Callable

import aiohttp
import pyotp
from yarl import URL

from tests.console.conftest import ADMIN, ELM, OAK, OPERATOR, Browser, Console

WAIT = "signing in is paused for 15 minutes"


async def test_a_code_sent_to_the_work_address_signs_a_reviewer_in(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    browser = new_browser()
    page = await browser.sign_in(console, OAK)
    assert browser.url.endswith("/staff/today") and browser.status == 200
    assert "Olu Oak" in page and "Sign out" in page
    [mail] = console.mail.to(OAK[1])
    assert mail["From"] == "console@example.org" and "sign-in code" in mail["Subject"]
    entries = await console.app.storage.audit.entries()
    assert any(e.action == "console_signed_in" and e.actor == f"staff:{OAK[0]}" for e in entries)


async def test_an_address_that_is_not_staff_gets_the_same_page_and_no_mail(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    stranger, staff = new_browser(), new_browser()
    for browser, address in ((stranger, "nobody@example.org"), (staff, OAK[1])):
        await browser.get("/staff/sign-in")
        await browser.post("/staff/sign-in", {"email": address})
    assert stranger.url.endswith("/staff/sign-in/code") and staff.url == stranger.url
    assert stranger.page.replace(stranger.csrf(), "") == staff.page.replace(staff.csrf(), "")
    assert console.mail.to("nobody@example.org") == []
    await stranger.post("/staff/sign-in/code", {"code": "123456"})
    assert stranger.status == 401 and "not right" in stranger.page


async def test_the_sixth_try_is_refused_even_with_the_right_code_then_a_wait(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    browser = new_browser()
    await browser.get("/staff/sign-in")
    await browser.post("/staff/sign-in", {"email": OAK[1]})
    code = await console.mail.code_for(OAK[1])
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    for left in (4, 3, 2, 1):
        await browser.post("/staff/sign-in/code", {"code": wrong})
        assert browser.status == 401 and f"{left} tr" in browser.page
    await browser.post("/staff/sign-in/code", {"code": wrong})
    assert browser.status == 429 and WAIT in browser.page
    await browser.get("/staff/sign-in/code")
    await browser.post("/staff/sign-in/code", {"code": code})
    assert browser.status == 429 and WAIT in browser.page
    await browser.get("/staff/today")
    assert browser.status == 404
    await browser.get("/staff/sign-in")
    await browser.post("/staff/sign-in", {"email": OAK[1]})
    assert browser.status == 429 and len(console.mail.to(OAK[1])) == 1, "no new code meanwhile"
    console.clock.advance(minutes=16)
    page = await browser.sign_in(console, OAK)
    assert browser.url.endswith("/staff/today") and "Olu Oak" in page


async def test_a_code_works_once_and_not_after_ten_minutes(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    first = new_browser()
    await first.get("/staff/sign-in")
    await first.post("/staff/sign-in", {"email": OAK[1]})
    attempt = first.session.cookie_jar.filter_cookies(URL(console.base + "/staff/"))[
        "ei_staff"
    ].value
    code = await console.mail.code_for(OAK[1])
    await first.post("/staff/sign-in/code", {"code": code})
    assert first.url.endswith("/staff/today")
    thief = new_browser()
    thief.session.cookie_jar.update_cookies({"ei_staff": attempt}, URL(console.base + "/staff/"))
    await thief.get("/staff/sign-in/code")
    assert thief.url.endswith("/staff/sign-in"), "the attempt ended when the code was used"
    status, _ = await thief.raw("POST", "/staff/sign-in/code", {"code": code})
    assert status == 303
    await thief.get("/staff/today")
    assert thief.status == 404

    late = new_browser()
    await late.get("/staff/sign-in")
    await late.post("/staff/sign-in", {"email": ELM[1]})
    code = await console.mail.code_for(ELM[1])
    console.clock.advance(minutes=10, seconds=1)
    await late.post("/staff/sign-in/code", {"code": code})
    assert late.status == 401 and "out of date" in late.page


async def test_an_admin_must_set_up_the_authenticator_then_uses_it_each_time(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    browser = new_browser()
    await browser.sign_in(console, ADMIN)
    assert browser.url.endswith("/staff/enrol") and "<svg" in browser.page
    await browser.get("/staff/today")
    assert browser.status == 404, "no desk before the second factor"
    await browser.get("/staff/enrol")
    key = _key(browser.page)
    totp = pyotp.TOTP(key)
    await browser.post(
        "/staff/enrol", {"code": "000000" if totp.at(console.clock()) != "000000" else "111111"}
    )
    assert browser.status == 401 and "not right" in browser.page
    await browser.post("/staff/enrol", {"code": totp.at(console.clock())})
    assert "shown only this once" in browser.page
    codes = _recovery_codes(browser.page)
    assert len(codes) == 10
    await browser.get("/staff/today")
    assert browser.status == 200 and "Ada Admin" in browser.page
    await browser.post("/staff/sign-out", {})
    await browser.get("/staff/today")
    assert browser.status == 404

    await browser.sign_in(console, ADMIN)
    assert browser.url.endswith("/staff/sign-in/second")
    await browser.post("/staff/sign-in/second", {"code": totp.at(console.clock())})
    assert browser.status == 401, "the code used to enrol cannot be used again"
    console.clock.advance(seconds=30)
    await browser.post("/staff/sign-in/second", {"code": totp.at(console.clock())})
    assert browser.url.endswith("/staff/today") and browser.status == 200
    await browser.post("/staff/sign-out", {})

    await browser.sign_in(console, ADMIN)
    await browser.post("/staff/sign-in/second", {"code": codes[0]})
    assert browser.url.endswith("/staff/today")
    await browser.post("/staff/sign-out", {})
    await browser.sign_in(console, ADMIN)
    await browser.post("/staff/sign-in/second", {"code": codes[0]})
    assert browser.status == 401, "a recovery code works once"


async def test_sessions_end_when_idle_when_too_old_and_when_staff_are_removed(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    idle = new_browser()
    await idle.sign_in(console, OAK)
    console.clock.advance(minutes=29)
    await idle.get("/staff/today")
    assert idle.status == 200
    console.clock.advance(minutes=31)
    await idle.get("/staff/today")
    assert idle.status == 404 and "sign in again" in idle.page

    busy = new_browser()
    await busy.sign_in(console, OAK)
    for _ in range(29):
        console.clock.advance(minutes=20)
        await busy.get("/staff/interviews")
        assert busy.status == 200
    console.clock.advance(minutes=21)
    await busy.get("/staff/interviews")
    assert busy.status == 404, "ten hours at most, however busy"

    removed, changed = new_browser(), new_browser()
    await removed.sign_in(console, OAK)
    await changed.sign_in(console, ELM)
    operator = console.app.storage.staff
    await operator.remove(OAK[0], OPERATOR, console.clock())
    await removed.get("/staff/today")
    assert removed.status == 404
    await operator.add(ELM[0], "Eli Elm", "interviewer", ["Elm House"], OPERATOR, console.clock())
    await changed.get("/staff/today")
    assert changed.status == 404, "a changed role ends the session"
    sent = len(console.mail.to(OAK[1]))
    await changed.get("/staff/sign-in")
    await changed.post("/staff/sign-in", {"email": OAK[1]})
    assert len(console.mail.to(OAK[1])) == sent, "removed staff are sent nothing"


async def test_cookies_are_httponly_strict_and_secure_on_https(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    browser = new_browser()
    await browser.get("/staff/sign-in")
    async with browser.session.post(
        console.base + "/staff/sign-in",
        data={"csrf": browser.csrf(), "email": OAK[1]},
        allow_redirects=False,
    ) as response:
        cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie and "Path=/staff" in cookie
    assert "Secure" not in cookie, "plain http is allowed only for http://127.0.0.1"
    console.app.settings.web_url = "https://staff.example.org"
    async with (
        aiohttp.ClientSession() as fresh,
        fresh.get(console.base + "/staff/sign-in") as shown,
    ):
        assert "Secure" in shown.headers["Set-Cookie"]


def _key(page: str) -> str:
    found = re.search(r"<code>([A-Z2-7 ]+)</code>", page)
    assert found
    return found.group(1).replace(" ", "")


def _recovery_codes(page: str) -> list[str]:
    return re.findall(r"<li><code>([0-9a-f]{5}-[0-9a-f]{5})</code></li>", page)


async def test_at_most_five_codes_in_fifteen_minutes_so_nobody_floods_an_inbox(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    browser = new_browser()
    for _ in range(5):
        await browser.get("/staff/sign-in")
        await browser.post("/staff/sign-in", {"email": OAK[1]})
        assert browser.status == 200
    await browser.get("/staff/sign-in")
    await browser.post("/staff/sign-in", {"email": OAK[1]})
    assert browser.status == 429 and len(console.mail.to(OAK[1])) == 5


async def test_signing_in_never_keeps_a_session_id_the_browser_brought(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    browser = new_browser()
    planted = "planted-by-someone-else"
    browser.session.cookie_jar.update_cookies({"ei_staff": planted}, URL(console.base + "/staff/"))
    await browser.get("/staff/sign-in")
    await browser.post("/staff/sign-in", {"email": OAK[1]})
    jar = browser.session.cookie_jar
    waiting = jar.filter_cookies(URL(console.base + "/staff/"))["ei_staff"].value
    assert waiting != planted
    code = await console.mail.code_for(OAK[1])
    await browser.post("/staff/sign-in/code", {"code": code})
    signed_in = jar.filter_cookies(URL(console.base + "/staff/"))["ei_staff"].value
    assert signed_in not in {planted, waiting}
    old = new_browser()
    old.session.cookie_jar.update_cookies({"ei_staff": waiting}, URL(console.base + "/staff/"))
    await old.get("/staff/today")
    assert old.status == 404, "the session before the code is not signed in"
