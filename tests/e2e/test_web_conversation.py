"""The web chat reads like a conversation, on a 390x844 phone screen: the answers are big
buttons and the controls a small row apart, a typing box only where typing is the answer,
the focus at the start of each new message, progress on every question (branched-over
questions not counted), a compact review that offers the "not sure" and skipped questions
again and keeps the answer if they are left, and a finished page that promises nothing
the web chat cannot do."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import RunningBot
from tests.e2e.test_web_browser import (
    AXE,
    PHONE,
    audit,
    base,
    open_and_start,
    tap_value,
    type_answer,
)

BOX = """(selector) => {
  const r = document.querySelector(selector).getBoundingClientRect();
  return [r.top, r.height, parseFloat(getComputedStyle(document.querySelector(selector)).fontSize)];
}"""


async def values(page: Any, selector: str) -> list[str]:
    return [await b.get_attribute("value") or "" for b in await page.query_selector_all(selector)]


async def progress_words(page: Any) -> str:
    return str(await page.inner_text("#progress-words"))


async def test_a_question_shows_answers_apart_from_controls_focus_and_progress(
    web_bot: RunningBot, browser: Any
) -> None:
    _, token = await web_bot.invite()
    context = await browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True
    )
    page = await context.new_page()
    await open_and_start(page, f"{base(web_bot)}/i/{token}")
    await tap_value(page, "yes")
    assert await values(page, "#newest .answer") == ["yes", "no", "not_sure"]
    controls = await values(page, "#newest .controls button")
    assert {"_back", "_skip", "_help", "_pause"} <= set(controls), controls
    assert await values(page, "#newest .row .control") == [], "no control among the answers"
    _, answer_height, answer_font = await page.evaluate(BOX, "#newest .answer")
    _, control_height, control_font = await page.evaluate(BOX, "#newest .control")
    assert control_height < answer_height and control_font < answer_font
    assert not await page.is_visible("#text"), "no typing box at a yes/no question"
    assert await page.evaluate("document.activeElement.id") == "new-start"
    top, _, _ = await page.evaluate(BOX, "#new-start")
    assert 0 <= top < PHONE["height"] / 3, "the new message starts near the top of the screen"
    assert "Question 1 of 5" in await progress_words(page)
    assert "minutes left" in await progress_words(page)
    await tap_value(page, "yes")
    assert "Question 2 of 5" in await progress_words(page), "the follow-up to 'no' is not counted"
    await tap_value(page, "_skip")
    assert "Question 3 of 5" in await progress_words(page), "a skipped question counts as passed"
    assert await page.get_attribute("progress", "value") == "2"
    await context.close()


async def test_the_review_is_compact_offers_unsure_answers_again_and_the_end_is_honest(
    web_bot: RunningBot, browser: Any
) -> None:
    interview_id, token = await web_bot.invite()
    context = await browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True
    )
    page = await context.new_page()
    await open_and_start(page, f"{base(web_bot)}/i/{token}")
    await tap_value(page, "yes")
    await tap_value(page, "not_sure")
    await tap_value(page, "_skip")
    await tap_value(page, "sport")
    await tap_value(page, "_done")
    await tap_value(page, "3")
    assert await page.is_visible("#text"), "a typed question has a typing box"
    await type_answer(page, "Mostly fine")
    await tap_value(page, "_next")
    review = await page.inner_text(".review")
    assert "You weren't sure about 2 questions. Look at them again?" in review
    lines = await page.query_selector_all(".review > form > .answers > li")
    assert len(lines) == 5
    assert "Mostly fine" in review and "Not sure" in review
    height = await page.evaluate("document.querySelector('.review').scrollHeight")
    assert height < 2 * PHONE["height"], f"the review is {height}px high"
    if AXE.exists():
        assert not await audit(page), "the review passes axe and fits a phone"
    await page.click(".unsure summary")
    async with page.expect_navigation():
        await page.click('.unsure button[value="q_choice"]')
    await tap_value(page, "me")
    review = await page.inner_text(".review")
    assert "You weren't sure about 1 question. Look at it again?" in review
    assert "I did" in review
    await tap_value(page, "confirm")
    shown = await page.inner_text("main")
    assert "cannot send you messages" in shown and "phone" in shown
    assert "write to you" not in shown
    state = await web_bot.app.storage.interviews.state(interview_id)
    assert state.answers["q_yes_no"] == "not_sure", "left alone, the answer is kept"
    assert state.answers["q_choice"] == "me"
    took = await web_bot.app.storage.interviews.completed_durations("every-kind")
    assert len(took) == 1 and took[0] >= 0, "the finished interview counts towards the pace"
    await context.close()


async def test_easy_read_has_easy_words_and_pictures_on_every_page(
    web_bot: RunningBot, browser: Any
) -> None:
    _, token = await web_bot.invite("children-home-easy-read")
    context = await browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True
    )
    page = await context.new_page()
    await open_and_start(page, f"{base(web_bot)}/i/{token}")
    await tap_value(page, "yes")
    for _ in range(3):
        pictures = await page.query_selector_all("main img.pic")
        assert pictures, "a picture on every page"
        alts = [await p.get_attribute("alt") for p in pictures]
        assert any(alts), "pictures that carry meaning have alt text"
        controls = await page.inner_text("#newest .controls")
        assert "Go back" in controls and "Get help" in controls and "Skip this" in controls
        source = await pictures[0].get_attribute("src")
        assert source is not None and source.startswith("/static/openmoji/")
        answers = [v for v in await values(page, "#newest .answer") if not v.startswith("_")]
        await tap_value(page, answers[0])
    assert "Leave now" in await page.inner_text("header")
    loaded = await page.evaluate(
        "[...document.querySelectorAll('img.pic')].every(i => i.complete && i.naturalWidth > 0)"
    )
    assert loaded, "the pictures come from the web chat's own files"
    if AXE.exists():
        assert not await audit(page)
    async with page.expect_navigation():
        await page.click("footer a")
    about = await page.inner_text("main")
    assert "OpenMoji" in about and "CC BY-SA 4.0" in about, "the pictures' licence is credited"
    await context.close()


async def test_at_a_choice_question_writing_stays_one_tap_away_and_is_heard(
    web_bot: RunningBot, browser: Any
) -> None:
    """No box at a question answered by buttons, but never a wall: a folded 'write it
    here' opens one, and what is written there is checked for risk like any answer."""
    _, token = await web_bot.invite()
    context = await browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, bypass_csp=True
    )
    page = await context.new_page()
    await open_and_start(page, f"{base(web_bot)}/i/{token}")
    await tap_value(page, "yes")
    assert not await page.is_visible("#text")
    await page.click("details.anything summary")
    assert await page.is_visible("#text")
    await page.fill("#text", "the man at the home hits me when nobody is looking")
    async with page.expect_navigation():
        await page.click("details.anything button")
    assert "We will tell a member of staff" in await page.inner_text("main")
    await context.close()
