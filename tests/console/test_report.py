"""The monitoring report from the console: a form, then the same report `/report` sends,
as a file, for the reader's homes only, audited; refused without its token or a session."""

from __future__ import annotations

import re
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


async def test_the_report_is_shown_in_the_page_with_its_charts_for_this_session_only(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    for _ in range(6):
        await console.interview_with_concern("Oak House")
    browser, other = new_browser(), new_browser()
    await browser.sign_in(console, OAK)
    await other.sign_in(console, OAK)
    await browser.get("/staff/report")
    today = console.clock().date()
    page = await browser.post(
        "/staff/report/show",
        {
            "flow": "every-kind",
            "service": "",
            "start": str(today.replace(year=today.year - 1)),
            "end": str(today),
        },
    )
    assert browser.status == 200 and "Who took part" in page and 'class="report"' in page
    assert "data:image" not in page, "the page allows no inline images"
    charts = re.findall(r'src="(/staff/report/charts/[\w-]+\.png)"', page)
    assert charts, "the charts the HTML report has"
    async with browser.session.get(console.base + charts[0]) as response:
        assert response.status == 200 and response.content_type == "image/png"
        assert (await response.read()).startswith(b"\x89PNG")
    assert (await other.raw("GET", charts[0]))[0] == 404, "another session cannot fetch it"
    entries = await console.app.storage.audit.entries()
    assert sum(e.actor == f"staff:{OAK[0]}" and "report" in e.action for e in entries) == 1
