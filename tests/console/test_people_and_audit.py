"""Staff admin and the audit log at the desk, for admins only: add someone (an admin gets
a first sign-in link), change a role (their session ends), remove someone (their session
ends at once and nothing queued for them is sent); read the audit log filtered by person,
interview and action, and export it as CSV with formula-looking cells made harmless. Any
other member of staff gets the same refusal as a stranger."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

from flows.outputs import Message
from storage.codec import encode_message
from tests.console.conftest import ADMIN, ELM, IVY, OAK, Browser, Console


async def test_an_admin_adds_changes_and_removes_staff_and_sessions_end(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    admin, ivy = new_browser(), new_browser()
    await admin.sign_in_admin(console)
    await ivy.sign_in(console, IVY)
    page = await admin.get("/staff/people")
    assert "Ivy Interviewer" in page and "ivy.interviewer@example.org" in page
    await admin.post("/staff/people", {"user_id": "5005", "name": "Nia New", "role": "reviewer"})
    assert admin.status == 400 and "Choose at least one home" in admin.page
    await admin.post(
        "/staff/people",
        {
            "user_id": "5005",
            "name": "Nia New",
            "role": "admin",
            "email": "nia.new@example.org",
        },
    )
    assert "Nia New is added" in admin.page and "/staff/welcome/" in admin.page
    assert (await console.app.storage.staff.get(5005)) is not None
    await admin.post(
        "/staff/people",
        {
            "user_id": str(IVY[0]),
            "name": "Ivy Interviewer",
            "role": "reviewer",
            "services": "Oak House",
            "email": IVY[1],
        },
    )
    assert "sessions have ended" in admin.page
    await ivy.get("/staff/today")
    assert ivy.status == 404, "a changed role ends the session at once"
    await ivy.sign_in(console, IVY)
    assert ivy.status == 200 and ivy.url.endswith("/staff/today")
    await console.app.storage.outbox.add(
        IVY[0], encode_message(Message("queued for Ivy", "info")), console.clock()
    )
    await admin.get("/staff/people")
    await admin.post(f"/staff/people/{IVY[0]}/remove", {})
    assert "Ivy Interviewer is removed" in admin.page
    await ivy.get("/staff/today")
    assert ivy.status == 404, "a removed member of staff is signed out at once"
    assert await console.app.storage.staff.get(IVY[0]) is None
    assert IVY[0] not in await console.app.storage.outbox.chats_waiting()
    entries = await console.app.storage.audit.entries()
    assert any(e.action == "staff_removed" and e.actor == f"staff:{ADMIN[0]}" for e in entries)
    await admin.post(f"/staff/people/{ADMIN[0]}/remove", {})
    assert admin.status == 400 and "cannot remove yourself" in admin.page


async def test_the_audit_log_filters_and_exports_safely(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    interview_id, _ = await console.interview_with_concern()
    oak, admin = new_browser(), new_browser()
    await oak.sign_in(console, OAK)
    await oak.get(f"/staff/interviews/{interview_id}")
    await console.app.storage.audit.record("operator:=HYPERLINK(1)", "export", console.clock())
    await admin.sign_in_admin(console)
    page = await admin.get(f"/staff/audit?person=staff:{OAK[0]}&interview={interview_id}")
    assert "Olu Oak" in page and "transcript" in page.lower()
    assert "<td>console_signed_in</td>" not in page, "filtered to the interview"
    everything = await admin.get("/staff/audit?action=export")
    assert "HYPERLINK" in everything and "<td>console_signed_in</td>" not in everything
    async with admin.session.get(f"{console.base}/staff/audit.csv?action=export") as response:
        assert response.status == 200 and response.content_type == "text/csv"
        assert "attachment" in response.headers["Content-Disposition"]
        body = (await response.read()).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(body)))
    assert rows[0] == ["when", "who", "actor", "action", "interview", "detail"]
    assert rows[1][1] == "'=HYPERLINK(1) (command line)", "a formula-looking cell is quoted"
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    entries = await console.app.storage.audit.entries()
    assert any(e.action == "audit_read" and e.actor == f"staff:{ADMIN[0]}" for e in entries)
    assert any(e.action == "audit_exported" and e.actor == f"staff:{ADMIN[0]}" for e in entries)


async def test_staff_admin_and_audit_are_refused_alike_to_everyone_else(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    stranger, oak, elm = new_browser(), new_browser(), new_browser()
    await oak.sign_in(console, OAK)
    await elm.sign_in(console, ELM)
    assert 'href="/staff/people"' not in oak.page and 'href="/staff/audit"' not in oak.page
    for path in ("/staff/people", "/staff/audit", "/staff/audit.csv?action=x"):
        answer = await stranger.raw("GET", path)
        assert answer == await oak.raw("GET", path) and answer[0] == 404, path
    form = {"user_id": str(ELM[0]), "name": "X", "role": "admin"}
    for path in ("/staff/people", f"/staff/people/{ELM[0]}/remove"):
        refused = await stranger.raw("POST", path, {"csrf": "x", **form})
        assert refused == await oak.raw("POST", path, {"csrf": oak.csrf(), **form}), path
        assert refused[0] == 404
    member = await console.app.storage.staff.get(ELM[0])
    assert member is not None and member.role == "reviewer"
    admin = new_browser()
    await admin.sign_in_admin(console)
    for path in ("/staff/people", f"/staff/people/{ELM[0]}/remove"):
        status, _ = await admin.raw("POST", path, {"csrf": "forged", **form})
        assert status == 403, path
    assert (await elm.raw("GET", "/staff/today"))[0] == 200, "nothing changed"
