"""After an invitation: the one-page letter in the person's language (what it is for, how
long, who sees it, never a promise of secrecy, the links and the QR code, the flow's own
helplines), a new link that stops the old one, and withdrawing one nobody has opened.
Reviewers and other homes' staff get the same refusal as a stranger."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.console.conftest import ELM, IVY, OAK, Browser, Console
from tests.console.test_invitations import FORM


def _letter_form(page: str) -> dict[str, str]:
    token = re.search(r'name="token" value="([^"]+)"', page)
    until = re.search(r'name="until" value="([^"]+)"', page)
    assert token and until, "the invitation page offers the letter"
    return {"token": token.group(1), "until": until.group(1)}


async def invite(browser: Browser, **changes: str) -> tuple[str, str, dict[str, str]]:
    await browser.get("/staff/invitations")
    page = await browser.post("/staff/invitations", {**FORM, **changes})
    found = re.search(r"Interview (iv-[\w-]+) for", page)
    assert found, page
    web = re.search(r"(/i/[\w-]+)", page)
    assert web
    return found.group(1), web.group(1), _letter_form(page)


async def test_the_letter_says_in_plain_words_what_it_is_and_how_to_start(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    browser = new_browser()
    await browser.sign_in(console, IVY)
    interview_id, web, letter = await invite(browser)
    page = await browser.post(f"/staff/invitations/{interview_id}/letter", letter)
    assert browser.status == 200 and "Your exit interview" in page and "Hello T.P.," in page
    assert "10 to 15 minutes" in page and "stop at any time" in page
    assert "we have to tell a member of staff" in page, "never a promise of secrecy"
    assert "secret" not in page.lower() and "confidential" not in page.lower()
    assert web in page and "<svg" in page and "Childline" in page
    assert "Oak House" in page
    entries = await console.app.storage.audit.entries(interview_id)
    assert any(e.action == "invitation_letter_printed" for e in entries)
    css = await browser.get("/staff/static/console.css")
    assert "size: A4" in css and "@media print" in css


async def test_a_welsh_carer_gets_the_letter_in_welsh(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    browser = new_browser()
    await browser.sign_in(console, IVY)
    interview_id, _, letter = await invite(browser, flow="foster-carer", language="cy", name="C.F.")
    page = await browser.post(f"/staff/invitations/{interview_id}/letter", letter)
    assert 'lang="cy"' in page and "Eich cyfweliad gadael" in page and "Annwyl C.F.," in page
    assert "tua 15 munud" in page and "Fosterline" in page


async def test_a_new_link_stops_the_old_one_and_withdrawing_closes_it(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    browser, person = new_browser(), new_browser()
    await browser.sign_in(console, IVY)
    interview_id, old_web, old_letter = await invite(browser)
    listing = await browser.get("/staff/invitations")
    assert f"Make a new link for {interview_id}" in listing
    page = await browser.post(f"/staff/invitations/{interview_id}/reissue", {})
    assert "New link made" in page and "old links no longer work" in page
    new_web = re.search(r"(/i/[\w-]+)", page)
    assert new_web and new_web.group(1) != old_web
    new_letter = _letter_form(page)
    await browser.post(f"/staff/invitations/{interview_id}/letter", old_letter)
    assert browser.status == 410 and "Make a new link" in browser.page
    await browser.get("/staff/invitations")
    await browser.post(f"/staff/invitations/{interview_id}/withdraw", {})
    assert "is withdrawn" in browser.page
    summary = await console.app.storage.interviews.get(interview_id)
    assert summary.status == "expired"
    started = await person.get(new_web.group(1))
    assert 'name="start"' not in started, "a withdrawn invitation's link no longer starts"
    await browser.get("/staff/invitations")
    await browser.post(f"/staff/invitations/{interview_id}/letter", new_letter)
    assert browser.status == 410
    entries = await console.app.storage.audit.entries(interview_id)
    assert {"invitation_reissued", "invitation_withdrawn"} <= {e.action for e in entries}


async def test_letters_reissue_and_withdraw_are_refused_alike(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    ivy, stranger, oak, elm = new_browser(), new_browser(), new_browser(), new_browser()
    await ivy.sign_in(console, IVY)
    interview_id, _, letter = await invite(ivy)
    await oak.sign_in(console, OAK)
    await elm.sign_in(console, ELM)
    for action in ("letter", "reissue", "withdraw"):
        for target in (interview_id, "iv-nothing"):
            path = f"/staff/invitations/{target}/{action}"
            refused = await stranger.raw("POST", path, {"csrf": "x", **letter})
            assert refused == await oak.raw("POST", path, {"csrf": oak.csrf(), **letter}), path
            assert refused == await elm.raw("POST", path, {"csrf": elm.csrf(), **letter}), path
            assert refused[0] == 404, path
        status, _ = await ivy.raw(
            "POST", f"/staff/invitations/{interview_id}/{action}", {"csrf": "forged", **letter}
        )
        assert status == 403, action
    assert (await console.app.storage.interviews.get(interview_id)).status == "invited"
