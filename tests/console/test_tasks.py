"""Tasks and recommendations at the desk: mine and my team's, overdue first; closing one
of mine with a note (not a colleague's); a recommendation made at the desk answered at the
desk by the person it was sent to, and the response shown to whoever made it. Every form
refused alike to a stranger and to another home's staff, and without its token."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from bot.core.followup import resolve_addressee
from storage.followup import Addressee
from storage.tasks import NewTask
from tests.console.conftest import ELM, IVY, OAK, OPERATOR, Browser, Console


async def test_mine_and_my_teams_overdue_first_and_only_mine_to_close(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, _ = await console.interview_with_concern()
    now = console.clock()
    refs = {}
    for name, owner, due in (
        ("later", OAK[0], now + timedelta(days=5)),
        ("late", OAK[0], now - timedelta(days=1)),
        ("ivy", IVY[0], now + timedelta(days=1)),
    ):
        refs[name] = await console.app.storage.tasks.create(
            NewTask("call_back", due, interview_id, "Oak House", owner), now, OPERATOR
        )
    browser = new_browser()
    await browser.sign_in(console, OAK)
    page = await browser.get("/staff/tasks")
    assert "OVERDUE · Task" in page
    yours, team = page.index("Yours ("), page.index("Your team's (")
    assert yours < page.index(str(refs["late"])) < page.index(str(refs["later"])) < team
    assert page.index(str(refs["ivy"])) > team and "For: Ivy Interviewer" in page
    assert f"/staff/tasks/{refs['ivy']}/close" not in page, "not mine to close"
    await browser.post(f"/staff/tasks/{refs['ivy']}/close", {"note": "done"})
    assert browser.status == 403 and "belongs to someone else" in browser.page
    await browser.get("/staff/tasks")
    await browser.post(f"/staff/tasks/{refs['late']}/close", {"note": " "})
    assert browser.status == 400 and "Say what was done" in browser.page
    await browser.get("/staff/tasks")
    await browser.post(f"/staff/tasks/{refs['late']}/close", {"note": "Rang them back"})
    assert "Task closed" in browser.page and str(refs["late"]) not in browser.page
    closed = await console.app.storage.tasks.get(str(refs["late"]))
    assert closed.close_note == "Rang them back" and closed.closed_by == f"staff:{OAK[0]}"
    elm = new_browser()
    await elm.sign_in(console, ELM)
    elm_page = await elm.get("/staff/tasks")
    assert str(refs["ivy"]) not in elm_page and interview_id not in elm_page


async def test_a_recommendation_is_answered_by_the_person_it_was_sent_to(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, _ = await console.interview_with_concern()
    oak, ivy = new_browser(), new_browser()
    await oak.sign_in(console, OAK)
    await oak.get(f"/staff/interviews/{interview_id}/recommend")
    due = (console.clock().date() + timedelta(days=7)).isoformat()
    await oak.post(
        f"/staff/interviews/{interview_id}/recommend",
        {"to": str(IVY[0]), "due": due, "text": "Review the night staffing rota"},
    )
    [made] = await console.app.storage.followup.for_interview(interview_id)
    await ivy.sign_in(console, IVY)
    page = await ivy.get("/staff/tasks")
    assert f"Recommendation {made.ref}" in page and "Review the night staffing rota" in page
    assert "From Olu Oak" in page
    await ivy.post(f"/staff/recommendations/{made.ref}/respond", {"text": ""})
    assert ivy.status == 400 and "Nothing recorded" in ivy.page
    await ivy.get("/staff/tasks")
    await ivy.post(
        f"/staff/recommendations/{made.ref}/respond", {"text": "Rota changed from Monday"}
    )
    assert "Response recorded" in ivy.page and "None waiting for your response." in ivy.page
    [answered] = await console.app.storage.followup.for_interview(interview_id)
    assert answered.responses[0].text == "Rota changed from Monday"
    assert answered.responses[0].responded_by == f"staff:{IVY[0]}"
    mine = await oak.get("/staff/tasks")
    assert "Ivy Interviewer responded on" in mine and "Rota changed from Monday" in mine
    entries = await console.app.storage.audit.entries(interview_id)
    assert any(e.action == "response_added" and e.actor == f"staff:{IVY[0]}" for e in entries)


async def test_task_forms_are_refused_alike_and_need_their_token(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, _ = await console.interview_with_concern()
    now = console.clock()
    ref = await console.app.storage.tasks.create(
        NewTask("call_back", now, interview_id, "Oak House", OAK[0]), now, OPERATOR
    )
    await console.app.storage.followup.recommend(
        interview_id,
        "Check the lock",
        (await _addressee(console)),
        now + timedelta(days=3),
        OPERATOR,
        now,
    )
    [made] = await console.app.storage.followup.for_interview(interview_id)
    stranger, elm, oak = new_browser(), new_browser(), new_browser()
    await elm.sign_in(console, ELM)
    await oak.sign_in(console, OAK)
    assert (await stranger.raw("GET", "/staff/tasks"))[0] == 404
    for path in (
        f"/staff/tasks/{ref}/close",
        "/staff/tasks/t-00000000/close",
        f"/staff/recommendations/{made.ref}/respond",
        "/staff/recommendations/r-nothing/respond",
    ):
        form = {"note": "n", "text": "t"}
        refused = await stranger.raw("POST", path, {"csrf": "x", **form})
        assert refused == await elm.raw("POST", path, {"csrf": elm.csrf(), **form}), path
        assert refused[0] == 404, path
        status, _ = await oak.raw("POST", path, {"csrf": "forged", **form})
        assert status == 403, path
    task = await console.app.storage.tasks.get(str(ref))
    assert task.closed_at is None
    [still] = await console.app.storage.followup.for_interview(interview_id)
    assert still.responses == ()


async def _addressee(console: Console) -> Addressee:
    return await resolve_addressee(console.app, str(OAK[0]))
