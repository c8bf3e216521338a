"""Single sign-on against a fake OpenID provider on 127.0.0.1: a member of staff signs in
(PKCE checked by the provider); someone the provider knows but the staff list does not is
refused with a plain page and audited; a wrong issuer, a wrong audience, an expired token,
an unpublished key, a replayed answer and a replayed code are all refused."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.conftest import FakeClock
from tests.console.conftest import ADMIN, Browser, Console
from tests.fake_oidc import CLIENT_ID, CLIENT_SECRET, FakeProvider

START_AGAIN = "This sign-in did not work"


@pytest.fixture
async def provider(
    clock: FakeClock, monkeypatch: pytest.MonkeyPatch
) -> AsyncIterator[FakeProvider]:
    fake = await FakeProvider(clock).start()
    monkeypatch.setenv("EXIT_OIDC_ISSUER", fake.issuer)
    monkeypatch.setenv("EXIT_OIDC_CLIENT_ID", CLIENT_ID)
    monkeypatch.setenv("EXIT_OIDC_CLIENT_SECRET", CLIENT_SECRET)
    monkeypatch.setenv("EXIT_OIDC_LABEL", "your council account")
    yield fake
    await fake.stop()


@pytest.fixture
async def sso(provider: FakeProvider, console: Console) -> Console:
    return console


async def refusals(console: Console) -> list[str]:
    return [
        e.detail
        for e in await console.app.storage.audit.entries()
        if e.action == "console_sign_in_refused"
    ]


async def test_a_member_of_staff_signs_in_with_their_organisation_account(
    provider: FakeProvider, sso: Console, new_browser: Callable[[], Browser]
) -> None:
    browser = new_browser()
    page = await browser.get("/staff/sign-in")
    assert "Sign in with your council account" in page
    await browser.get("/staff/sign-in/sso")
    assert browser.status == 200 and 'content="0;url=/staff/today"' in browser.page
    assert provider.pkce_checked == 1
    await browser.get("/staff/today")
    assert browser.status == 200 and "Olu Oak" in browser.page
    entries = await sso.app.storage.audit.entries()
    assert any(e.action == "console_signed_in" and e.detail == "by single sign-on" for e in entries)


async def test_an_admin_still_sets_up_a_second_factor(
    provider: FakeProvider, sso: Console, new_browser: Callable[[], Browser]
) -> None:
    provider.email = ADMIN[1]
    browser = new_browser()
    await browser.get("/staff/sign-in/sso")
    assert 'content="0;url=/staff/enrol"' in browser.page
    await browser.get("/staff/today")
    assert browser.status == 404


async def test_someone_not_on_the_staff_list_is_refused_plainly_and_audited(
    provider: FakeProvider, sso: Console, new_browser: Callable[[], Browser]
) -> None:
    provider.email = "someone.else@example.net"
    browser = new_browser()
    await browser.get("/staff/sign-in/sso")
    assert browser.status == 403 and "You are not on the staff list" in browser.page
    assert "someone.else" not in browser.page
    [detail] = await refusals(sso)
    assert "example.net" in detail and "someone.else" not in detail
    await browser.get("/staff/today")
    assert browser.status == 404


@pytest.mark.parametrize("mode", ["wrong_issuer", "wrong_audience", "expired", "foreign_key"])
async def test_a_token_that_does_not_check_out_is_refused(
    provider: FakeProvider, sso: Console, new_browser: Callable[[], Browser], mode: str
) -> None:
    provider.mode = mode  # type: ignore[assignment]
    browser = new_browser()
    await browser.get("/staff/sign-in/sso")
    assert browser.status == 403 and START_AGAIN in browser.page
    [detail] = await refusals(sso)
    assert detail.startswith("single sign-on answer refused")
    await browser.get("/staff/today")
    assert browser.status == 404


async def off_and_back(console: Console, browser: Browser) -> str:
    """Begin single sign-on and come back from the provider: the return address."""
    async with browser.session.get(
        console.base + "/staff/sign-in/sso", allow_redirects=False
    ) as off:
        to_provider = off.headers["Location"]
    async with browser.session.get(to_provider, allow_redirects=False) as answered:
        return answered.headers["Location"].removeprefix(console.base)


async def test_a_replayed_answer_or_code_and_another_browsers_answer_are_refused(
    provider: FakeProvider, sso: Console, new_browser: Callable[[], Browser]
) -> None:
    browser, thief = new_browser(), new_browser()
    back = await off_and_back(sso, browser)
    await thief.get(back)
    assert thief.status == 400 and START_AGAIN in thief.page, "not the browser that began"
    await browser.get(back)
    assert browser.status == 200, "the thief's try did not spend the rightful one"
    await browser.get(back)
    assert browser.status == 400, "the same answer again"

    again = new_browser()
    used_code = parse_qs(urlsplit(back).query)["code"][0]
    fresh = await off_and_back(sso, again)
    replayed = fresh.replace(parse_qs(urlsplit(fresh).query)["code"][0], used_code)
    await again.get(replayed)
    assert again.status == 403, "the provider refuses a code used before"
    assert any("code_refused_400" in d for d in await refusals(sso))

    late = new_browser()
    back = await off_and_back(sso, late)
    sso.clock.advance(minutes=11)
    await late.get(back)
    assert late.status == 400, "an answer after 10 minutes"
