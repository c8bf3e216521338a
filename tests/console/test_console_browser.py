"""The console in headless Chromium (Debian's, driven by Playwright) on a 390x844 phone,
with the keyboard alone: sign in by e-mailed code, acknowledge a red concern (the
re-alerts stop), read the transcript and record 'read, no action needed'. axe-core finds
no serious or critical problem on any page passed, and nothing scrolls sideways."""

from __future__ import annotations

import os
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pyotp
import pytest

from tests.browser import FLAGS
from tests.console.conftest import ADMIN, IVY, OAK, Console

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "web" / "node_modules" / "axe-core" / "axe.min.js"
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = ROOT / "docs" / "screenshots"


async def save(page: Any, name: str) -> None:
    """UPDATE_SCREENSHOTS=1 keeps a phone screenshot of the page for the README."""
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


@pytest.fixture
async def browser() -> AsyncIterator[Any]:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        pytest.skip(
            "chromium is not installed here (Debian package 'chromium'); the console's "
            "browser walk did not run"
        )
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        flags = [flag for flag in FLAGS if flag != "--headless"]
        launched = await playwright.chromium.launch(executable_path=chromium, args=flags)
        yield launched
        await launched.close()


async def problems(page: Any) -> list[str]:
    """axe-core's serious and critical findings (when it is installed) and sideways scroll."""
    found = []
    if AXE.exists():
        await page.add_script_tag(path=str(AXE))
        result = await page.evaluate("async () => await axe.run(document)")
        found = [
            f"{v['id']}: {v['help']}"
            for v in result["violations"]
            if v.get("impact") in {"serious", "critical"}
        ]
    wide = await page.evaluate("() => document.documentElement.scrollWidth")
    if wide > PHONE["width"]:
        found.append(f"the page scrolls sideways at 390px ({wide}px)")
    return found


async def press_enter_on(page: Any, selector: str) -> None:
    """Move the keyboard's focus to an element by tabbing, then press Enter on it."""
    target = await page.query_selector(selector)
    assert target is not None, selector
    for _ in range(60):
        if await target.evaluate("e => e === document.activeElement"):
            async with page.expect_navigation():
                await page.keyboard.press("Enter")
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key")


async def test_sign_in_acknowledge_and_read_with_the_keyboard_on_a_phone(
    console: Console, browser: Any
) -> None:
    interview_id, concern_id = await console.interview_with_concern()
    context = await browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True
    )
    page = await context.new_page()
    seen: dict[str, list[str]] = {}
    await page.goto(f"{console.base}/staff/")
    assert page.url.endswith("/staff/sign-in")
    seen["sign-in"] = await problems(page)
    await page.focus("#email")
    await page.keyboard.type(OAK[1])
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    seen["code"] = await problems(page)
    code = await console.mail.code_for(OAK[1])
    await page.focus("#code")
    await page.keyboard.type(code)
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    assert page.url.endswith("/staff/today")
    assert "(1 red, 0 amber," in await page.title()
    seen["today"] = await problems(page)
    await save(page, "console-today")

    await press_enter_on(page, 'nav a[href="/staff/concerns"]')
    seen["concerns"] = await problems(page)
    await save(page, "console-concerns")
    await page.focus(f"#note-{concern_id}")
    await page.keyboard.type("Spoke to the home manager")
    await press_enter_on(page, f'form[action="/staff/concerns/{concern_id}/acknowledge"] button')
    assert "re-alerts have stopped" in await page.inner_text("main")
    concern = await console.app.storage.concerns.get(concern_id)
    assert concern is not None and concern.acknowledged_by == OAK[0]
    sent = len(concern.deliveries)

    await press_enter_on(page, f'main a[href="/staff/interviews/{interview_id}"]')
    assert "Did you feel safe?" in await page.inner_text("main")
    seen["transcript"] = await problems(page)
    await press_enter_on(page, f'form[action="/staff/interviews/{interview_id}/no-action"] button')
    assert "Recorded: read, no action needed." in await page.inner_text("main")
    await press_enter_on(page, 'nav a[href="/staff/interviews"]')
    seen["interviews"] = await problems(page)
    await press_enter_on(page, 'nav a[href="/staff/report"]')
    seen["report"] = await problems(page)

    await press_enter_on(page, "form.out button")
    assert "You are signed out" in await page.inner_text("main")
    await page.go_back()
    assert "Did you feel safe?" not in await page.content()
    await page.goto(f"{console.base}/staff/interviews/{interview_id}")
    assert "Did you feel safe?" not in await page.content()
    await context.close()
    console.clock.advance(hours=3)
    await console.after.alerter.realert_due(console.clock())
    later = await console.app.storage.concerns.get(concern_id)
    assert later is not None and len(later.deliveries) == sent, "no re-alert after this"
    assert not {name: found for name, found in seen.items() if found}, seen


async def test_pages_reflow_at_twice_the_zoom_of_a_phone(console: Console, browser: Any) -> None:
    """200% zoom on a 390px phone leaves 195 CSS pixels: nothing may scroll sideways."""
    interview_id, _ = await console.interview_with_concern()
    context = await browser.new_context(
        viewport={"width": 195, "height": 422}, device_scale_factor=2
    )
    page = await context.new_page()
    await page.goto(f"{console.base}/staff/sign-in")
    await page.fill("#email", OAK[1])
    async with page.expect_navigation():
        await page.click("form.stack button")
    await page.fill("#code", await console.mail.code_for(OAK[1]))
    async with page.expect_navigation():
        await page.click("form.stack button")
    wide = {}
    for path in (
        "/staff/today",
        "/staff/concerns",
        "/staff/interviews",
        f"/staff/interviews/{interview_id}",
        f"/staff/interviews/{interview_id}/recommend",
        f"/staff/interviews/{interview_id}/write/thanks",
        "/staff/tasks",
        "/staff/report",
    ):
        await page.goto(console.base + path)
        wide[path] = await page.evaluate("() => document.documentElement.scrollWidth")
    await context.close()
    assert all(width <= 195 for width in wide.values()), wide


async def sign_in_by_keyboard(console: Console, page: Any, email: str) -> None:
    """The e-mailed code, typed: address, Enter, code, Enter."""
    await page.goto(f"{console.base}/staff/sign-in")
    already = len(console.mail.to(email))
    await page.focus("#email")
    await page.keyboard.type(email)
    async with page.expect_navigation():
        await page.keyboard.press("Enter")
    await page.focus("#code")
    await page.keyboard.type(await console.mail.code_for(email, already))
    async with page.expect_navigation():
        await page.keyboard.press("Enter")


async def test_recommend_respond_thank_and_remove_with_the_keyboard_on_a_phone(
    console: Console, browser: Any
) -> None:
    """A reviewer recommends and thanks; the interviewer responds; an admin removes the
    interviewer, whose open page then shows nothing."""
    interview_id, _ = await console.interview_with_concern()
    seen: dict[str, list[str]] = {}
    phone = {"viewport": PHONE, "is_mobile": True, "has_touch": True, "bypass_csp": True}
    oak_context = await browser.new_context(**phone)
    oak = await oak_context.new_page()
    await sign_in_by_keyboard(console, oak, OAK[1])
    await oak.goto(f"{console.base}/staff/interviews/{interview_id}")
    await press_enter_on(oak, f'a[href="/staff/interviews/{interview_id}/recommend"]')
    seen["recommend"] = await problems(oak)
    await oak.focus("#to")
    await oak.keyboard.type("Ivy")
    await oak.focus("#text")
    await oak.keyboard.type("Review the night staffing rota")
    await press_enter_on(oak, "main form.stack button")
    assert "Recommendation recorded" in await oak.inner_text("main")
    await press_enter_on(oak, f'a[href="/staff/interviews/{interview_id}/write/thanks"]')
    assert "Thank you" in await oak.input_value("#text")
    await press_enter_on(oak, 'button[value="preview"]')
    assert "How it will look in their chat" in await oak.inner_text("main")
    seen["thank-preview"] = await problems(oak)
    await press_enter_on(oak, 'button[value="send"]')
    assert "Sent to their chat" in await oak.inner_text("main")
    await oak_context.close()

    ivy_context = await browser.new_context(**phone)
    ivy = await ivy_context.new_page()
    await sign_in_by_keyboard(console, ivy, IVY[1])
    await press_enter_on(ivy, 'nav a[href="/staff/tasks"]')
    seen["tasks"] = await problems(ivy)
    assert "Review the night staffing rota" in await ivy.inner_text("main")
    [made] = await console.app.storage.followup.for_interview(interview_id)
    await ivy.focus(f"#respond-{made.ref}")
    await ivy.keyboard.type("Rota changed from Monday")
    await press_enter_on(ivy, f'form[action="/staff/recommendations/{made.ref}/respond"] button')
    assert "Response recorded" in await ivy.inner_text("main")
    [answered] = await console.app.storage.followup.for_interview(interview_id)
    assert answered.responses[0].text == "Rota changed from Monday"
    await press_enter_on(ivy, 'nav a[href="/staff/report"]')
    await press_enter_on(ivy, 'button[formaction="/staff/report/show"]')
    assert "Who took part" in await ivy.inner_text("main")
    seen["report-shown"] = await problems(ivy)
    await press_enter_on(ivy, 'nav a[href="/staff/invitations"]')
    await ivy.focus("#name")
    await ivy.keyboard.type("T.P.")
    await press_enter_on(ivy, 'form[action="/staff/invitations"] button')
    assert "Invitation made" in await ivy.inner_text("main")
    seen["invited"] = await problems(ivy)
    await press_enter_on(ivy, 'form[action$="/letter"] button')
    assert "Your exit interview" in await ivy.inner_text("main")
    seen["letter"] = await problems(ivy)
    await ivy.emulate_media(media="print")
    assert not await ivy.is_visible("header.top"), "the letter prints without the desk"
    await ivy.emulate_media(media="screen")

    admin_context = await browser.new_context(**phone)
    admin = await admin_context.new_page()
    await sign_in_by_keyboard(console, admin, ADMIN[1])
    assert admin.url.endswith("/staff/enrol")
    key = (await admin.inner_text("main code")).replace(" ", "")
    await admin.focus("#code")
    await admin.keyboard.type(pyotp.TOTP(key).at(console.clock()))
    async with admin.expect_navigation():
        await admin.keyboard.press("Enter")
    await admin.goto(f"{console.base}/staff/today")
    await press_enter_on(admin, 'nav a[href="/staff/people"]')
    seen["people"] = await problems(admin)
    await admin.focus(f"#staff-{IVY[0]} details:last-of-type summary")
    await admin.keyboard.press("Enter")
    await press_enter_on(admin, f'form[action="/staff/people/{IVY[0]}/remove"] button')
    assert "Ivy Interviewer is removed" in await admin.inner_text("main")
    await press_enter_on(admin, 'nav a[href="/staff/audit"]')
    seen["audit"] = await problems(admin)
    await admin_context.close()

    await ivy.reload()
    assert "Rota changed" not in await ivy.content()
    assert "Not available" in await ivy.inner_text("main"), "their session ended at once"
    await ivy_context.close()
    assert not {name: found for name, found in seen.items() if found}, seen
