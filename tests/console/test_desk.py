"""The desk: Today with the red concern on top and what to do next, acknowledging a
concern (the staff chat's own call, so the re-alerts stop), the interview list with no
answers, the transcript read audited, and every route refused alike to a stranger and to
staff of another home; every form refused without its token."""

from __future__ import annotations

import re
from collections.abc import Callable

from flows.safeguarding import Category
from tests.console.conftest import ADMIN, ELM, OAK, Browser, Console

CSP_START = "default-src 'none'"


async def test_today_puts_the_red_concern_first_with_the_next_step_and_counts_in_the_title(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, concern_id = await console.interview_with_concern()
    browser = new_browser()
    page = await browser.sign_in(console, OAK)
    title = re.search(r"<title>([^<]*)</title>", page)
    assert title and title.group(1).startswith("(1 red, 0 amber,")
    red = page.index("Concerns not yet acknowledged")
    assert page.index(interview_id, red) < page.index("Your open tasks")
    assert Category("feeling_unsafe").next_step in page
    for name, value in (
        ("Content-Security-Policy", CSP_START),
        ("Cache-Control", "no-store"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "no-referrer"),
    ):
        assert browser.headers[name].startswith(value), name
    assert f"#concern-{concern_id}" in page


async def test_acknowledging_here_stops_the_re_alerts_and_keeps_the_note(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, concern_id = await console.interview_with_concern()
    concern = await console.app.storage.concerns.get(concern_id)
    assert concern is not None and concern.acknowledged_at is None
    alerter = console.after.alerter
    console.clock.advance(hours=2)
    await alerter.realert_due(console.clock())
    before = len((await console.app.storage.concerns.get(concern_id)).deliveries)  # type: ignore[union-attr]
    assert before > 0, "re-alerts are going out while nobody has acknowledged it"
    browser = new_browser()
    await browser.sign_in(console, OAK)
    await browser.get("/staff/concerns")
    await browser.post(
        f"/staff/concerns/{concern_id}/acknowledge", {"note": "Rang the home; manager visiting"}
    )
    assert browser.url.endswith("/staff/concerns?said=done")
    assert "re-alerts have stopped" in browser.page
    assert "Rang the home; manager visiting" in browser.page and "Olu Oak" in browser.page
    acknowledged = await console.app.storage.concerns.get(concern_id)
    assert acknowledged is not None and acknowledged.acknowledged_by == OAK[0]
    console.clock.advance(hours=3)
    await alerter.realert_due(console.clock())
    after = await console.app.storage.concerns.get(concern_id)
    assert after is not None and len(after.deliveries) == before
    entries = await console.app.storage.audit.entries(interview_id)
    assert any(e.action == "concern_acknowledged" and e.actor == f"staff:{OAK[0]}" for e in entries)
    raw = await console.app.storage.db.fetch_all("SELECT note FROM console_concern_notes")
    assert b"manager visiting" not in bytes(raw[0][0]), "the note is sealed at rest"


async def test_the_interview_list_shows_no_answers_and_the_transcript_read_is_audited(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, _ = await console.interview_with_concern()
    browser = new_browser()
    await browser.sign_in(console, OAK)
    listed = await browser.get("/staff/interviews?concerns=1&service=Oak+House")
    assert interview_id in listed and "Test Person A" in listed
    assert "Did you feel safe" not in listed
    await browser.get("/staff/interviews?status=nonsense")
    assert "No status &#39;nonsense&#39;" in browser.page and browser.status == 200
    page = await browser.get(f"/staff/interviews/{interview_id}")
    assert browser.status == 200 and "Did you feel safe?" in page and "<style>" not in page
    entries = await console.app.storage.audit.entries(interview_id)
    assert any(e.actor == f"staff:{OAK[0]}" and "read" in e.action for e in entries)
    await browser.post(f"/staff/interviews/{interview_id}/no-action", {"note": ""})
    assert "Recorded: read, no action needed." in browser.page
    assert (await console.app.storage.interviews.get(interview_id)).decision == "no_action"
    entries = await console.app.storage.audit.entries(interview_id)
    assert any(e.action == "decision_recorded" and e.actor == f"staff:{OAK[0]}" for e in entries)


async def test_every_route_is_refused_alike_to_a_stranger_and_to_another_homes_staff(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, concern_id = await console.interview_with_concern("Oak House")
    stranger, elm, oak = new_browser(), new_browser(), new_browser()
    await elm.sign_in(console, ELM)
    await oak.sign_in(console, OAK)
    reads = [
        f"/staff/interviews/{interview_id}",
        "/staff/interviews/no-such-interview",
        "/staff/invitations",
        f"/staff/interviews/{interview_id}/download.json",
        f"/staff/interviews/{interview_id}/download.html",
        f"/staff/interviews/{interview_id}/recommend",
        f"/staff/interviews/{interview_id}/write/thanks",
        f"/staff/interviews/{interview_id}/write/message",
        f"/staff/interviews/{interview_id}/erase",
        "/staff/people",
        "/staff/audit",
        "/staff/audit.csv",
        "/staff/report/charts/no-such-chart.png",
    ]
    writes = [
        f"/staff/concerns/{concern_id}/acknowledge",
        "/staff/concerns/999999/acknowledge",
        f"/staff/interviews/{interview_id}/no-action",
        "/staff/invitations",
        f"/staff/concerns/{concern_id}/raise",
        f"/staff/concerns/{concern_id}/close",
        f"/staff/interviews/{interview_id}/recommend",
        f"/staff/interviews/{interview_id}/write/thanks",
        f"/staff/interviews/{interview_id}/write/message",
        f"/staff/interviews/{interview_id}/erase",
        "/staff/tasks/t-00000000/close",
        "/staff/recommendations/r-00000000/respond",
        "/staff/people",
        f"/staff/people/{OAK[0]}/remove",
        f"/staff/invitations/{interview_id}/letter",
        f"/staff/invitations/{interview_id}/reissue",
        f"/staff/invitations/{interview_id}/withdraw",
    ]
    for path in reads:
        answers = []
        for browser in (stranger, elm):
            answers.append(await browser.raw("GET", path))
        assert answers[0] == answers[1] and answers[0][0] == 404, path
    await elm.get("/staff/today")
    elm_token = elm.csrf()
    for path in writes:
        form = {
            "note": "n",
            "name": "X",
            "flow": "children-home",
            "service": "Oak House",
            "reason": "r",
            "to": str(OAK[0]),
            "due": "2099-01-01",
            "text": "t",
            "step": "send",
            "confirm": interview_id,
            "user_id": str(OAK[0]),
            "role": "admin",
        }
        refused_stranger = await stranger.raw("POST", path, {"csrf": "x", **form})
        refused_elm = await elm.raw("POST", path, {"csrf": elm_token, **form})
        assert refused_stranger == refused_elm and refused_elm[0] == 404, path
    for path in ("/staff/today", "/staff/concerns", "/staff/interviews"):
        assert (await stranger.raw("GET", path))[0] == 404
        status, page = await elm.raw("GET", path)
        assert status == 200 and interview_id not in page, path
        status, page = await oak.raw("GET", path)
        assert status == 200 and interview_id in page, path
    concern = await console.app.storage.concerns.get(concern_id)
    assert concern is not None and concern.acknowledged_at is None
    assert (await oak.raw("GET", f"/staff/interviews/{interview_id}"))[0] == 200
    async with oak.session.get(
        f"{console.base}/staff/interviews/{interview_id}/download.json"
    ) as response:
        assert response.status == 200
        assert response.headers["Content-Disposition"] == (
            f'attachment; filename="{interview_id}.json"'
        )
        assert (await response.json())["interview"]["id"] == interview_id


async def test_every_form_is_refused_without_its_token(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, concern_id = await console.interview_with_concern()
    before = len(console.mail.messages)
    outsider = new_browser()
    await outsider.get("/staff/sign-in")
    status, _ = await outsider.raw("POST", "/staff/sign-in", {"email": OAK[1], "csrf": "forged"})
    assert status == 403 and len(console.mail.messages) == before
    waiting = new_browser()
    await waiting.get("/staff/sign-in")
    await waiting.post("/staff/sign-in", {"email": OAK[1]})
    code = await console.mail.code_for(OAK[1])
    status, _ = await waiting.raw("POST", "/staff/sign-in/code", {"code": code, "csrf": "forged"})
    assert status == 403
    await waiting.post("/staff/sign-in/code", {"code": code})
    assert waiting.url.endswith("/staff/today"), "the refused form did not spend the code"
    for path in (
        f"/staff/concerns/{concern_id}/acknowledge",
        f"/staff/interviews/{interview_id}/no-action",
        "/staff/enrol",
        "/staff/sign-out",
    ):
        status, _ = await waiting.raw("POST", path, {"csrf": "forged", "note": "n", "code": "1"})
        assert status == 403, path
    await waiting.get("/staff/today")
    assert waiting.status == 200, "still signed in: the forged sign-out did nothing"
    concern = await console.app.storage.concerns.get(concern_id)
    assert concern is not None and concern.acknowledged_at is None


async def test_second_factor_form_is_refused_without_its_token(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    browser = new_browser()
    await browser.sign_in(console, ADMIN)
    status, _ = await browser.raw("POST", "/staff/enrol", {"csrf": "forged", "code": "123456"})
    assert status == 403
