"""Red and amber at the desk: Today shows red on top and amber to read today, with the
next step, call-backs and my tasks overdue first; the Concerns page raises amber to red
(the red alert path starts) or closes it with a reason, both audited, both refused alike
to a stranger and to another home's staff, and both refused without their token.

No shipped rule raises amber yet, so these tests make the red concern a test raises amber
in the database (as the engine would have stored it)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta

from flows.safeguarding import Category
from storage.tasks import NewTask
from tests.console.conftest import ELM, OAK, OPERATOR, Browser, Console


async def amber_concern(console: Console, service: str = "Oak House") -> tuple[str, int]:
    interview_id, concern_id = await console.interview_with_concern(service)
    async with console.app.storage.db.transaction() as connection:
        await connection.execute(
            "UPDATE concerns SET tier = 'amber', last_alerted_at = NULL WHERE id = ?",
            (concern_id,),
        )
    return interview_id, concern_id


async def test_today_shows_red_then_amber_then_call_backs_and_overdue_tasks_first(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    red_interview, _ = await console.interview_with_concern()
    amber_interview, amber_id = await amber_concern(console)
    now = console.clock()
    for kind, due in (("call_back", now + timedelta(hours=2)), ("read", now - timedelta(days=2))):
        await console.app.storage.tasks.create(
            NewTask(kind, due, red_interview, "Oak House", OAK[0]), now, OPERATOR
        )
    browser = new_browser()
    page = await browser.sign_in(console, OAK)
    title = re.search(r"<title>([^<]*)</title>", page)
    assert title and title.group(1).startswith("(1 red, 1 amber,"), (browser.url, browser.status)
    assert "overdue" in title.group(1)
    red = page.index("Concerns not yet acknowledged (1)")
    amber = page.index("Amber: read today and decide (1)")
    call = page.index("Call-backs asked for (1)")
    tasks = page.index("Your open tasks")
    assert red < page.index(red_interview, red) < amber < page.index(amber_interview, amber)
    assert amber < call < page.index(red_interview, call) < tasks
    assert f"Raise or close concern {amber_id}" in page
    assert page.count(Category("feeling_unsafe").next_step) == 2
    assert "Overdue: was due" in page[tasks:]
    elm = new_browser()
    elm_page = await elm.sign_in(console, ELM)
    assert red_interview not in elm_page and amber_interview not in elm_page
    assert "Call-backs asked for (0)" in elm_page


async def test_raising_amber_to_red_alerts_and_is_audited(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, concern_id = await amber_concern(console)
    browser = new_browser()
    await browser.sign_in(console, OAK)
    page = await browser.get("/staff/concerns")
    assert f"Raise concern {concern_id} to red" in page
    await browser.post(f"/staff/concerns/{concern_id}/raise", {"reason": "  "})
    assert browser.status == 400 and "Please say why" in browser.page
    await browser.get("/staff/concerns")
    await browser.post(f"/staff/concerns/{concern_id}/raise", {"reason": "An adult is involved"})
    assert browser.url.endswith("/staff/concerns?said=raised")
    assert "everyone who may read it has been alerted" in browser.page
    assert "Red: not yet acknowledged (1)" in browser.page
    concern = await console.app.storage.concerns.get(concern_id)
    assert concern is not None and concern.tier == "red" and concern.decided_by == OAK[0]
    assert concern.last_alerted_at is not None, "the red alert path started at once"
    entries = await console.app.storage.audit.entries(interview_id)
    assert any(e.action == "concern_raised" and e.actor == f"staff:{OAK[0]}" for e in entries)
    await browser.post(f"/staff/concerns/{concern_id}/close", {"reason": "changed my mind"})
    assert browser.status == 409 and "no longer an open amber concern" in browser.page


async def test_closing_amber_keeps_the_reason_and_who(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, concern_id = await amber_concern(console)
    browser = new_browser()
    await browser.sign_in(console, OAK)
    await browser.get("/staff/concerns")
    await browser.post(f"/staff/concerns/{concern_id}/close", {"reason": "A holiday; no risk"})
    assert browser.url.endswith("/staff/concerns?said=closed")
    assert "Amber: read today and decide (0)" in browser.page
    assert "closed by Olu Oak" in browser.page and "A holiday; no risk" in browser.page
    concern = await console.app.storage.concerns.get(concern_id)
    assert concern is not None and concern.decision == "closed" and concern.tier == "amber"
    entries = await console.app.storage.audit.entries(interview_id)
    assert any(e.action == "concern_closed" and e.actor == f"staff:{OAK[0]}" for e in entries)
    today = await browser.get("/staff/today")
    assert "Amber: read today and decide (0)" in today


async def test_amber_decisions_are_refused_alike_and_need_their_token(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    _, concern_id = await amber_concern(console)
    stranger, elm, oak = new_browser(), new_browser(), new_browser()
    await elm.sign_in(console, ELM)
    await oak.sign_in(console, OAK)
    for action in ("raise", "close"):
        for number in (str(concern_id), "999999", "x"):
            path = f"/staff/concerns/{number}/{action}"
            refused = await stranger.raw("POST", path, {"csrf": "x", "reason": "r"})
            elm_refused = await elm.raw("POST", path, {"csrf": elm.csrf(), "reason": "r"})
            assert refused == elm_refused and refused[0] == 404, path
        status, _ = await oak.raw(
            "POST", f"/staff/concerns/{concern_id}/{action}", {"csrf": "forged", "reason": "r"}
        )
        assert status == 403
    concern = await console.app.storage.concerns.get(concern_id)
    assert concern is not None and concern.tier == "amber" and concern.decision is None
