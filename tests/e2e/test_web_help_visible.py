"""After a disclosure on the web chat, on a 390x844 phone screen, the reply with the
helplines is what the person sees, without scrolling, and its numbers can be tapped."""

from __future__ import annotations

from typing import Any

from tests.e2e.conftest import WEB_REVIEWER, RunningBot
from tests.e2e.test_web_browser import (
    PHONE,
    base,
    newest_values,
    open_and_start,
    tap_value,
    type_answer,
)
from tests.fake_telegram import FakeBotApi

IN_VIEW = """(selector) => {
  const box = document.querySelector(selector).getBoundingClientRect();
  return box.top >= 0 && box.bottom <= window.innerHeight && box.height > 0;
}"""


async def test_after_a_disclosure_the_helplines_are_in_view_and_can_be_called(
    web_bot: RunningBot, api: FakeBotApi, browser: Any
) -> None:
    _, token = await web_bot.invite("children-home")
    context = await browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = await context.new_page()
    await open_and_start(page, f"{base(web_bot)}/i/{token}")
    await tap_value(page, "yes")
    while not await page.is_visible("#text"):
        answers = [v for v in await newest_values(page) if not v.startswith("_")]
        fewer = "fewer people" in await page.inner_text("#newest")
        await tap_value(page, "no" if fewer else answers[0])
    await type_answer(page, "my carer hits me when i am late home")
    await api.wait_for_text(WEB_REVIEWER, "safeguarding concern")
    help_start = await page.inner_text("#help-start")
    assert "We will tell a member of staff" in help_start
    assert await page.evaluate(IN_VIEW, "#help-start"), "the start of the help is on screen"
    links = await page.query_selector_all("a.dial")
    hrefs = [await link.get_attribute("href") for link in links]
    assert "tel:999" in hrefs and "tel:08001111" in hrefs, hrefs
    assert await page.evaluate(IN_VIEW, 'a[href="tel:08001111"]'), "Childline can be tapped"
    assert await page.evaluate(IN_VIEW, 'a[href="tel:999"]'), "999 can be tapped"
    assert await page.evaluate("document.activeElement.id") == "help-start"
    await context.close()
