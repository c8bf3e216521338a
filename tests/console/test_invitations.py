"""Inviting someone from the console: a form, the same use case as `invite create`, the
links shown once with a QR code; a reviewer, or an interviewer for another home, cannot."""

from __future__ import annotations

import re
from collections.abc import Callable

from tests.console.conftest import IVY, OAK, OPERATOR, Browser, Console

FORM = {
    "name": "T.P.",
    "flow": "children-home",
    "service": "Oak House",
    "language": "",
    "support": "none",
}


async def test_an_interviewer_invites_with_a_form_and_the_web_link_works(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    browser = new_browser()
    await browser.sign_in(console, IVY)
    assert 'href="/staff/invitations"' in browser.page
    form = await browser.get("/staff/invitations")
    assert "<option>Oak House</option>" in form and "Elm House" not in form
    await browser.post("/staff/invitations", {**FORM, "name": ""})
    assert browser.status == 400 and "Write their name or initials." in browser.page
    page = await browser.post("/staff/invitations", FORM)
    assert browser.status == 200 and "Invitation made" in page and "<svg" in page
    assert re.search(r"https://t\.me/[^?]+\?start=[\w-]+", page)
    web = re.search(re.escape(console.base) + r"(/i/[\w-]+)", page)
    assert web, "the web link is shown"
    [made] = [
        s for s in await console.app.storage.interviews.find(OPERATOR) if s.display_name == "T.P."
    ]
    assert made.service == "Oak House" and made.created_by == f"staff:{IVY[0]}"
    person = new_browser()
    start = await person.get(web.group(1))
    tapped = re.search(r'name="start" value="([^"]+)"', start)
    assert tapped, "the link shows a Start button (nothing is used by merely fetching it)"
    await person.post(web.group(1), {"start": tapped.group(1)}, csrf=False)
    assert person.url.endswith("/chat") and person.status == 200


async def test_a_reviewer_and_another_homes_interviewer_cannot_invite(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    reviewer, interviewer = new_browser(), new_browser()
    await reviewer.sign_in(console, OAK)
    assert 'href="/staff/invitations"' not in reviewer.page
    token = reviewer.csrf()
    assert (await reviewer.raw("GET", "/staff/invitations"))[0] == 404
    status, _ = await reviewer.raw("POST", "/staff/invitations", {**FORM, "csrf": token})
    assert status == 404
    await interviewer.sign_in(console, IVY)
    token = interviewer.csrf()
    status, _ = await interviewer.raw(
        "POST", "/staff/invitations", {**FORM, "service": "Elm House", "csrf": token}
    )
    assert status == 404
    status, _ = await interviewer.raw("POST", "/staff/invitations", {**FORM, "csrf": "forged"})
    assert status == 403
    assert not [
        s for s in await console.app.storage.interviews.find(OPERATOR) if s.display_name == "T.P."
    ]
