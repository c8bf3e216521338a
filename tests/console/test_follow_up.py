"""The transcript's actions at the desk: a recommendation from a chooser and a date picker
(its addressee owes a response), a thank-you that starts in the person's language with a
preview, and erasure on request for admins only, after typing the id. Each is refused
alike to a stranger and to another home's staff, and refused without its token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from markupsafe import escape

from storage.console_accounts import ConsoleAccounts
from tests.console.conftest import ADMIN, ELM, IVY, OAK, OPERATOR, Browser, Console


async def test_a_recommendation_goes_to_the_chosen_person_by_the_chosen_date(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, _ = await console.interview_with_concern()
    browser = new_browser()
    await browser.sign_in(console, OAK)
    transcript = await browser.get(f"/staff/interviews/{interview_id}")
    assert f'href="/staff/interviews/{interview_id}/recommend"' in transcript
    assert "Erase on request" not in transcript, "only admins erase"
    form = await browser.get(f"/staff/interviews/{interview_id}/recommend")
    assert f'<option value="{IVY[0]}">Ivy Interviewer</option>' in form
    assert '<option value="interviewer at Oak House">' in form
    assert "Eli Elm" not in form, "only people who hold this home, and the admins"
    assert 'type="date"' in form
    past = (console.clock().date() - timedelta(days=1)).isoformat()
    await browser.post(
        f"/staff/interviews/{interview_id}/recommend",
        {"to": str(IVY[0]), "due": past, "text": "Check the bedroom lock"},
    )
    assert browser.status == 400 and "Choose a date from today on." in browser.page
    assert "Check the bedroom lock" in browser.page, "what was typed is kept"
    await browser.post(
        f"/staff/interviews/{interview_id}/recommend",
        {"to": str(ELM[0]), "due": "2099-01-01", "text": "Check the bedroom lock"},
    )
    assert browser.status == 400 and "Choose who it is for from the list." in browser.page
    due = (console.clock().date() + timedelta(days=14)).isoformat()
    await browser.post(
        f"/staff/interviews/{interview_id}/recommend",
        {"to": str(IVY[0]), "due": due, "text": "Check the bedroom lock"},
    )
    assert "/staff/interviews/" in browser.url and "Recommendation recorded" in browser.page
    [task] = [
        t
        for t in await console.app.storage.tasks.for_interview(interview_id)
        if t.kind == "respond"
    ]
    assert task.owner_user_id == IVY[0] and task.due_at.date().isoformat() == due
    entries = await console.app.storage.audit.entries(interview_id)
    assert any(e.actor == f"staff:{OAK[0]}" and "recommend" in e.action for e in entries)


async def test_a_thank_you_starts_in_their_language_and_can_be_previewed(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    invitation = await console.app.storage.interviews.invite(
        flow_id="foster-carer",
        flow_version=console.app.flows["foster-carer"].version,
        display_name="Test Carer B",
        service="Oak House",
        language="cy",
        expires_at=console.clock() + timedelta(days=28),
        actor=OPERATOR,
        at=console.clock(),
    )
    browser = new_browser()
    await browser.sign_in(console, OAK)
    form = await browser.get(f"/staff/interviews/{invitation.interview_id}/write/thanks")
    assert str(escape("Diolch am gymryd rhan yn y cyfweliad gadael")) in form
    await browser.post(
        f"/staff/interviews/{invitation.interview_id}/write/thanks",
        {"text": "Diolch <b>yn fawr</b>", "step": "preview"},
    )
    assert "How it will look in their chat" in browser.page and "Not sent yet" in browser.page
    assert "<b>yn fawr</b>" not in browser.page and "&lt;b&gt;yn fawr" in browser.page
    await browser.post(
        f"/staff/interviews/{invitation.interview_id}/write/thanks",
        {"text": "Diolch yn fawr", "step": "send"},
    )
    assert "cannot be reached" in browser.page, "they never opened the link"
    tasks = await console.app.storage.tasks.for_interview(invitation.interview_id)
    assert any(t.kind == "thanks_undelivered" for t in tasks)


async def test_only_an_admin_erases_and_only_after_typing_the_id(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, concern_id = await console.interview_with_concern()
    await ConsoleAccounts(console.app.storage.db).add_note(
        concern_id, OAK[0], "Rang the home", console.clock()
    )
    oak = new_browser()
    await oak.sign_in(console, OAK)
    await oak.get("/staff/today")
    assert (await oak.raw("GET", f"/staff/interviews/{interview_id}/erase"))[0] == 404
    status, _ = await oak.raw(
        "POST",
        f"/staff/interviews/{interview_id}/erase",
        {"csrf": oak.csrf(), "confirm": interview_id},
    )
    assert status == 404
    admin = new_browser()
    await admin.sign_in_admin(console)
    page = await admin.get(f"/staff/interviews/{interview_id}")
    assert f'href="/staff/interviews/{interview_id}/erase"' in page
    await admin.get(f"/staff/interviews/{interview_id}/erase")
    await admin.post(f"/staff/interviews/{interview_id}/erase", {"confirm": "yes"})
    assert admin.status == 400 and "Nothing was erased" in admin.page
    assert (await console.app.storage.interviews.get(interview_id)).status != "erased"
    await admin.post(f"/staff/interviews/{interview_id}/erase", {"confirm": interview_id})
    assert admin.status == 200 and "is erased" in admin.page
    assert (await console.app.storage.interviews.get(interview_id)).status == "erased"
    notes = await console.app.storage.db.fetch_all("SELECT 1 FROM console_concern_notes")
    assert notes == [], "the console's notes on its concerns go with it"
    entries = await console.app.storage.audit.entries(interview_id)
    assert any(e.action == "erased" and e.actor == f"staff:{ADMIN[0]}" for e in entries)
    await oak.get(f"/staff/interviews/{interview_id}")
    assert "Did you feel safe" not in oak.page


async def test_every_follow_up_route_is_refused_alike_and_needs_its_token(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, _ = await console.interview_with_concern()
    stranger, elm, oak = new_browser(), new_browser(), new_browser()
    await elm.sign_in(console, ELM)
    await oak.sign_in(console, OAK)
    routes = ["recommend", "write/thanks", "write/message", "erase"]
    form = {
        "to": str(IVY[0]),
        "due": "2099-01-01",
        "text": "t",
        "step": "send",
        "confirm": interview_id,
    }
    for route in routes:
        for target in (interview_id, "no-such-interview"):
            path = f"/staff/interviews/{target}/{route}"
            assert await stranger.raw("GET", path) == await elm.raw("GET", path), path
            assert (await elm.raw("GET", path))[0] == 404, path
            refused = await stranger.raw("POST", path, {"csrf": "x", **form})
            assert refused == await elm.raw("POST", path, {"csrf": elm.csrf(), **form}), path
            assert refused[0] == 404, path
        if route != "erase":
            status, _ = await oak.raw(
                "POST", f"/staff/interviews/{interview_id}/{route}", {"csrf": "forged", **form}
            )
            assert status == 403, route
    assert await console.app.storage.followup.for_interview(interview_id) == []
