"""The monitoring report from the console: a form, then the same report `/report` sends,
as a file, for the reader's homes only, audited; refused without its token or a session."""

from __future__ import annotations

from collections.abc import Callable

from tests.console.conftest import OAK, Browser, Console


async def test_a_reviewer_downloads_the_report_for_their_homes(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    await console.interview_with_concern("Oak House")
    browser, stranger = new_browser(), new_browser()
    await browser.sign_in(console, OAK)
    form = await browser.get("/staff/report")
    assert browser.status == 200 and 'type="date"' in form and "Elm House" not in form
    token = browser.csrf()
    async with browser.session.post(
        console.base + "/staff/report",
        data={
            "csrf": token,
            "flow": "every-kind",
            "service": "",
            "start": "2025-03-02",
            "end": "2026-03-02",
        },
    ) as response:
        assert response.status == 200
        assert response.headers["Content-Disposition"].startswith("attachment;")
        assert response.headers["Cache-Control"] == "no-store"
        body = await response.text()
    assert "<html" in body
    entries = await console.app.storage.audit.entries()
    assert any(e.actor == f"staff:{OAK[0]}" and "report" in e.action for e in entries)
    await browser.post(
        "/staff/report", {"flow": "every-kind", "start": "2026-03-02", "end": "2025-03-02"}
    )
    assert browser.status == 400 and "comes before" in browser.page
    status, _ = await browser.raw(
        "POST",
        "/staff/report",
        {"csrf": "forged", "flow": "every-kind", "start": "2025-03-02", "end": "2026-03-02"},
    )
    assert status == 403
    assert (await stranger.raw("GET", "/staff/report"))[0] == 404
    status, _ = await stranger.raw("POST", "/staff/report", {"csrf": token, "flow": "every-kind"})
    assert status == 404
