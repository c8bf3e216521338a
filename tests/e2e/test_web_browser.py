"""The web chat in headless Chromium (Debian's, driven by Playwright), on a phone-sized
screen: a whole children's-home interview by tapping, the token leaving the address, a
second browser refused, leaving quickly, and axe-core finding no serious accessibility
problem on any kind of page. UPDATE_SCREENSHOTS=1 saves phone screenshots in docs/."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.conftest import WEB_REVIEWER, RunningBot
from tests.fake_telegram import FakeBotApi

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "tests" / "web" / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "docs" / "screenshots"
PHONE = {"width": 390, "height": 844}


def base(bot: RunningBot) -> str:
    assert bot.settings.web_url is not None
    return bot.settings.web_url


async def newest_values(page: Any) -> list[str]:
    return [
        await b.get_attribute("value") or ""
        for b in await page.query_selector_all("#newest button")
    ]


async def tap_value(page: Any, value: str) -> None:
    async with page.expect_navigation():
        await page.click(f'#newest button[value="{value}"]')


async def type_answer(page: Any, text: str) -> None:
    await page.fill("#text", text)
    async with page.expect_navigation():
        await page.click("form.typed button")


async def open_and_start(page: Any, url: str) -> None:
    """Open an invitation link and tap Start, as the person would."""
    await page.goto(url)
    async with page.expect_navigation():
        await page.click('form[action^="/i/"] button')


async def save(page: Any, name: str) -> None:
    if os.environ.get("UPDATE_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=str(SCREENSHOTS / f"web-{name}.png"))


async def test_a_whole_childrens_home_interview_by_tapping_on_a_phone(
    web_bot: RunningBot, api: FakeBotApi, browser: Any
) -> None:
    interview_id, token = await web_bot.invite("children-home")
    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = await context.new_page()
    await page.goto(f"{base(web_bot)}/i/{token}")
    await save(page, "start")
    async with page.expect_navigation():
        await page.click('form[action^="/i/"] button')
    assert page.url.endswith("/chat") and token not in page.url
    history = await page.evaluate("window.history.length")
    assert history <= 3
    await save(page, "consent")
    await tap_value(page, "yes")
    used = {"back": False, "skip": False, "help": False, "pause": False, "text": False}
    for _ in range(200):
        text = await page.inner_text("#newest")
        values = await newest_values(page)
        if "confirm" in values:
            await save(page, "review")
            await tap_value(page, "confirm")
            break
        if not used["help"]:
            used["help"] = True
            await tap_value(page, "_help")
            assert "Childline" in await page.inner_text("main")
            await save(page, "help")
            continue
        if not used["pause"]:
            used["pause"] = True
            await tap_value(page, "_pause")
            await tap_value(page, "_resume")
            continue
        if not used["skip"] and "_skip" in values:
            used["skip"] = True
            await tap_value(page, "_skip")
            continue
        if not used["back"] and "_back" in values:
            used["back"] = True
            await tap_value(page, "_back")
            continue
        answers = [v for v in values if not v.startswith("_")]
        if "_done" in values:
            ticked = "✅" in text or any(
                "✅" in (await b.inner_text())
                for b in await page.query_selector_all("#newest button")
            )
            await tap_value(page, "_done" if ticked else answers[0])
        elif "_next" in values:
            await tap_value(page, "_next")
        elif "fewer people" in text and "no" in answers:
            await tap_value(page, "no")
        elif answers:
            await tap_value(page, answers[0])
        else:
            if not used["text"]:
                await save(page, "question")
            used["text"] = True
            await type_answer(page, "Mostly fine, thank you")
    else:
        raise AssertionError("the interview never reached the review")
    assert "Thank you" in await page.inner_text("main")
    await save(page, "ending")
    assert all(used.values()), used
    summary = await web_bot.app.storage.interviews.get(interview_id)
    assert summary.status == "completed"
    await api.wait_for_text(WEB_REVIEWER, "Interview finished")
    await context.close()


async def test_a_second_browser_is_refused_and_a_disclosure_reaches_staff(
    web_bot: RunningBot, api: FakeBotApi, browser: Any
) -> None:
    interview_id, token = await web_bot.invite()
    first = await (await browser.new_context(viewport=PHONE)).new_page()
    await open_and_start(first, f"{base(web_bot)}/i/{token}")
    await tap_value(first, "yes")
    await tap_value(first, "no")
    await type_answer(first, "my carer hits me when I am late")
    alert = await api.wait_for_text(WEB_REVIEWER, "safeguarding concern")
    assert interview_id in alert.text
    shown = await first.inner_text("main")
    assert "We will tell a member of staff" in shown and "Childline" in shown, (
        "the person is told kindly what happens next, with helplines"
    )
    other = await (await browser.new_context(viewport=PHONE)).new_page()
    await other.goto(f"{base(web_bot)}/i/{token}")
    assert "this link does not work" in await other.inner_text("main")
    await save(other, "link-used")


async def test_leaving_quickly_leaves_nothing_to_go_back_to(
    web_bot: RunningBot, browser: Any
) -> None:
    _, token = await web_bot.invite()
    page = await (await browser.new_context(viewport=PHONE)).new_page()
    await open_and_start(page, f"{base(web_bot)}/i/{token}")
    await tap_value(page, "yes")
    async with page.expect_navigation(url=f"{base(web_bot)}/static/chat.css"):
        await page.click(".leave-button")
    await page.go_back()
    content = await page.content()
    assert "Did you feel safe?" not in content


async def test_pages_are_readable_and_axe_finds_no_serious_problem(
    web_bot: RunningBot, browser: Any
) -> None:
    if not AXE.exists():
        pytest.skip(
            "axe-core is not installed (make test installs it from the npm registry with "
            "'npm ci --prefix tests/web' where npm is available); the accessibility check did "
            "not run"
        )
    _, token = await web_bot.invite("foster-carer", language="cy")
    context = await browser.new_context(viewport={"width": 320, "height": 640}, bypass_csp=True)
    page = await context.new_page()
    await page.goto(f"{base(web_bot)}/")
    pages = {"open-link": await audit(page)}
    await page.goto(f"{base(web_bot)}/i/{token}")
    assert await page.get_attribute("html", "lang") == "cy"
    pages["start"] = await audit(page)
    async with page.expect_navigation():
        await page.click('form[action^="/i/"] button')
    pages["consent"] = await audit(page)
    await tap_value(page, "yes")
    pages["question"] = await audit(page)
    await tap_value(page, "_help")
    pages["help"] = await audit(page)
    await page.goto(f"{base(web_bot)}/i/not-a-real-token")
    pages["refused"] = await audit(page)
    problems = {name: found for name, found in pages.items() if found}
    assert not problems, problems


async def audit(page: Any) -> list[str]:
    """axe-core's serious and critical violations, and our own checks of size and reflow."""
    await page.add_script_tag(path=str(AXE))
    result = await page.evaluate("async () => await axe.run(document)")
    found = [
        f"{v['id']}: {v['help']}"
        for v in result["violations"]
        if v.get("impact") in {"serious", "critical"}
    ]
    sizes = await page.evaluate(
        """() => [...document.querySelectorAll('button, textarea')].map(e => {
            const r = e.getBoundingClientRect();
            return [e.textContent.trim().slice(0, 20), r.width, r.height,
                    parseFloat(getComputedStyle(e).fontSize)];
        })"""
    )
    for label, width, height, font in sizes:
        if width < 44 or height < 44:
            found.append(f"tap target {label!r} is {width:.0f}x{height:.0f}")
        if font < 16:
            found.append(f"text of {label!r} is {font}px")
    wide, screen = await page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    if wide > screen:
        found.append(f"the page scrolls sideways at {screen}px ({wide}px)")
    await page.keyboard.press("Tab")
    outline = await page.evaluate("() => getComputedStyle(document.activeElement).outlineWidth")
    if outline in {"0px", ""}:
        found.append("no visible focus")
    return found
