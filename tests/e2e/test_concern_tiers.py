"""Red and amber concerns end to end, through the fake Bot API: red alerts at once with the
category's next step, amber is a read-today task and one digest a day, staff decide on
amber in the chat, and every ended interview leaves a person something to read.

No shipped rule raises amber yet, so a stub detector on the flow (tests only) finds a
concern where the text says "red sign of CATEGORY" or "amber sign of CATEGORY", and
"carer hits me" as red physical harm."""

from __future__ import annotations

import re
from datetime import timedelta

from markupsafe import escape

from flows.safeguarding import Category, Finding, Tier
from storage.records import Actor
from tests.e2e.conftest import OPERATOR, RunningBot
from tests.e2e.test_interview import CHAT, open_and_consent
from tests.e2e.test_safety_and_staff import ADMIN, ELM_STAFF, OAK_STAFF, register_staff
from tests.fake_telegram import FakeBotApi

SIGN = re.compile(r"\b(red|amber) sign of ([a-z_]+)")
HITS = "carer hits me"
AMBER_NOTE = "If anything is worrying you"
"""The one gentle line an amber concern shows the person (flows/wording.py)."""


class StubDetector:
    """Finds exactly what a test asks it to, with the span of the words."""

    def findings(self, text: str) -> list[Finding]:
        match = SIGN.search(text)
        if match:
            tier, category = Tier(match.group(1)), Category(match.group(2))
            return [Finding(category, "stub", "en", tier=tier, span=match.span())]
        at = text.find(HITS)
        if at >= 0:
            return [Finding(Category.PHYSICAL_HARM, "stub", "en", span=(at, at + len(HITS)))]
        return []


def use_stub(bot: RunningBot, flow_id: str = "every-kind") -> None:
    flows = bot.app.flows
    flows[flow_id] = flows[flow_id].model_copy(update={"safeguarding": StubDetector()})


def alerts(api: FakeBotApi, chat: int) -> list[str]:
    return [t for t in api.texts(chat) if "safeguarding concern" in t]


async def test_a_red_concern_in_every_category_alerts_with_what_to_do_next(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    use_stub(bot)
    await open_and_consent(bot, api)
    for count, category in enumerate(Category, start=1):
        api.message(CHAT, f"i think red sign of {category.value} here")
        await api.wait_for(lambda n=count: len(alerts(api, OAK_STAFF)) >= n)
        alert = alerts(api, OAK_STAFF)[count - 1]
        assert f"safeguarding concern: {category.label}\n" in alert, category
        assert f"➡ What to do next: {category.next_step}" in alert, category
        assert "sign of" not in alert and "i think" not in alert, "never the person's words"
        if category.severity == "urgent":
            assert "URGENT" in alert
    assert not alerts(api, ELM_STAFF)


async def test_an_amber_concern_is_read_today_and_in_one_digest_a_day(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    use_stub(bot)
    interview_id = await open_and_consent(bot, api)
    api.message(CHAT, "amber sign of bullying at school")
    gentle = await api.wait_for_text(CHAT, AMBER_NOTE)
    assert "We will tell a member of staff" not in gentle.text, "amber never alarms the person"
    await api.wait_until_idle()
    (concern,) = await bot.app.storage.concerns.for_interview(interview_id)
    assert concern.tier == "amber" and concern.span == (0, len("amber sign of bullying"))
    assert not alerts(api, OAK_STAFF) and not alerts(api, ADMIN), "amber is never pushed"
    (task,) = [
        t for t in await bot.app.storage.tasks.for_interview(interview_id) if t.kind == "read_today"
    ]
    assert task.detail["concern"] == str(concern.id)
    assert [m.user_id for m in await bot.app.storage.tasks.owners(task)] == [OAK_STAFF]
    assert task.due_at - bot.clock() < timedelta(hours=12), "read today"

    api.message(OAK_STAFF, "/concerns")
    listing = await api.wait_for_text(OAK_STAFF, "Amber, read today")
    assert f"Concern {concern.id}" in listing.text and "bullying" in listing.text
    assert Category.BULLYING.next_step in listing.text
    assert "school" not in listing.text
    await api.wait_for_text(OAK_STAFF, "Red: none open")
    api.message(OAK_STAFF, "/tasks")
    assert "Read today" in (await api.wait_for_text(OAK_STAFF, "Your open tasks")).text

    bot.clock.advance(days=1)
    digest = await api.wait_for_text(OAK_STAFF, "🟠 Read today:")
    assert f"Concern {concern.id} · Oak House · bullying" in digest.text
    assert "school" not in digest.text and "sign of" not in digest.text
    assert "1 day" in digest.text or "hours ago" in digest.text
    await api.wait_for_text(ADMIN, "🟠 Read today:")
    assert not any("Read today" in t for t in api.texts(ELM_STAFF))

    await api.wait_until_idle()
    before = bot.parts
    await bot.restart()
    bot.watch(api)
    await api.wait_for(lambda: bot.parts is not None and bot.parts is not before)
    assert bot.parts is not None
    await bot.parts.scheduler.amber_digest()
    await api.wait_until_idle()
    assert sum("🟠 Read today:" in t for t in api.texts(OAK_STAFF)) == 1, "once a day"


async def test_staff_raise_an_amber_concern_to_red_or_close_it_with_a_reason(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    use_stub(bot)
    interview_id = await open_and_consent(bot, api)
    api.message(CHAT, "amber sign of threats")
    await api.wait_for_text(CHAT, AMBER_NOTE)
    api.message(CHAT, "amber sign of neglect")
    await api.wait_for(lambda: sum(AMBER_NOTE in text for text in api.texts(CHAT)) >= 2)
    await api.wait_until_idle()
    threats, neglect = await bot.app.storage.concerns.for_interview(interview_id)

    api.message(ELM_STAFF, f"/raise {threats.id} not mine")
    await api.wait_for_text(ELM_STAFF, f"no concern {threats.id} that you can see")
    api.message(OAK_STAFF, f"/raise {threats.id}")
    await api.wait_for_text(OAK_STAFF, "Send /raise CONCERN why")

    api.message(OAK_STAFF, f"/raise {threats.id} an adult is threatening them")
    await api.wait_for_text(OAK_STAFF, f"Concern {threats.id} is now red")
    alert = await api.wait_for_text(ADMIN, "Raised from amber to red")
    assert "threats" in alert.text and Category.THREATS.next_step in alert.text
    api.message(OAK_STAFF, f"/closeconcern {neglect.id} read it: a holiday, no risk")
    await api.wait_for_text(OAK_STAFF, f"Concern {neglect.id} closed")
    api.message(OAK_STAFF, f"/closeconcern {threats.id} changed my mind")
    await api.wait_for_text(OAK_STAFF, "not an open amber concern")

    raised = await bot.app.storage.concerns.get(threats.id)
    closed = await bot.app.storage.concerns.get(neglect.id)
    assert raised is not None and closed is not None
    assert raised.tier == "red" and raised.decision == "raised"
    assert raised.decided_by == OAK_STAFF and raised.acknowledged_at is None
    assert closed.decision == "closed" and closed.acknowledged_by == OAK_STAFF
    assert closed.decision_reason == "read it: a holiday, no risk"
    actions = [e.action for e in await bot.app.storage.audit.entries(interview_id)]
    assert "concern_raised" in actions and "concern_closed" in actions
    tasks = [t for t in await bot.app.storage.tasks.for_interview(interview_id)]
    assert all(not t.open for t in tasks if t.kind == "read_today")
    transcript = await _read(bot, interview_id, "text")
    assert "Closed with no further action by Oak Reviewer" in transcript
    assert "read it: a holiday, no risk" in transcript


async def _read(bot: RunningBot, interview_id: str, form: str) -> str:
    from bot.core.transcripts import read_transcript

    return await read_transcript(bot.app, interview_id, OPERATOR, form)  # type: ignore[arg-type]


async def test_the_transcript_shows_the_words_tier_and_acknowledgement_at_the_answer(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    use_stub(bot)
    interview_id = await open_and_consent(bot, api)
    api.tap(CHAT, "No")
    await api.wait_for_text(CHAT, "What made you feel unsafe?")
    api.message(CHAT, "my carer hits me when i am late")
    await api.wait_for_text(CHAT, "Add more")
    api.tap(CHAT, "Next")
    await api.wait_for_text(CHAT, "Who decided?")
    alert = await api.wait_for_text(OAK_STAFF, "physical harm")
    assert HITS not in alert.text
    helplines = await api.wait_for_text(CHAT, "Childline")
    assert "0800 1111 (+44 800 1111)" in helplines.text, "a number Telegram makes tappable"
    api.press(OAK_STAFF, alert.button_data("I am dealing with this"), alert)
    await api.wait_for(lambda: "Acknowledged by Oak Reviewer" in alert.text)

    html = await _read(bot, interview_id, "html")
    start = html.index("What made you feel unsafe?")
    answer = html[start : html.index("</section>", start)]
    assert '<div class="q' not in answer, "the concern is shown at its own answer"
    assert html.index("<section>") < start, "not at the top, but where it arose"
    assert "my <mark>carer hits me</mark> when i am late" in answer
    assert "Red concern" in answer and "physical harm" in answer and "(serious)" in answer
    assert "Acknowledged by Oak Reviewer" in answer and "Alerted: " in answer
    assert escape(Category.PHYSICAL_HARM.next_step) in answer

    markdown = await _read(bot, interview_id, "markdown")
    assert "**carer hits me**" in markdown and "Acknowledged by Oak Reviewer" in markdown
    document = await _read(bot, interview_id, "json")
    assert '"words": "carer hits me"' in document and '"tier": "red"' in document
    actions = [e.action for e in await bot.app.storage.audit.entries(interview_id)]
    assert actions.count("transcript_read") >= 3, "every read is audited"


async def test_a_finished_interview_with_free_text_leaves_a_read_task_due_in_two_days(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    interview_id = await open_and_consent(bot, api)
    api.tap(CHAT, "Yes")
    for prompt, tap in (
        ("Who decided?", "I did"),
        ("What did you do?", "Done"),
        ("How was it?", "Good"),
    ):
        await api.wait_for_text(CHAT, prompt)
        api.tap(CHAT, tap)
    await api.wait_for_text(CHAT, "Anything else?")
    api.message(CHAT, "The food was good")
    await api.wait_for_text(CHAT, "Add more")
    api.tap(CHAT, "Next")
    await api.wait_for_text(CHAT, "Nothing is sent until you say so")
    api.tap(CHAT, "Yes, send it")
    await api.wait_for_text(CHAT, "Thank you.")
    notice = await api.wait_for_text(ADMIN, "Free text to read")
    assert "The food was good" not in notice.text
    tasks = {t.kind: t for t in await bot.app.storage.tasks.for_interview(interview_id)}
    free_text = tasks["read_free_text"]
    assert free_text.due_at == bot.clock() + timedelta(days=2), "Monday to Wednesday"
    api.message(ADMIN, f"/done {free_text.ref} read")
    await api.wait_for_text(ADMIN, f"Task {free_text.ref} closed")
    year = await bot.app.storage.reporting.follow_up_counts([interview_id], bot.clock().date())
    assert year["free_text"] == 1 and year["free_text_on_time"] == 1


async def test_a_stopped_interview_leaves_a_task_that_says_so_and_what_was_answered(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    interview_id = await open_and_consent(bot, api)
    api.tap(CHAT, "Yes")
    await api.wait_for_text(CHAT, "Who decided?")
    api.message(CHAT, "/stop")
    await api.wait_for_text(CHAT, "Shall we keep what you said")
    api.tap(CHAT, "Keep what I said")
    notice = await api.wait_for_text(OAK_STAFF, "Interview stopped before the end")
    assert interview_id in notice.text
    assert "They answered 1 of" in notice.text and "“Did you feel safe?”" in notice.text
    assert not any("Interview finished" in t for t in api.texts(OAK_STAFF))
    kinds = {t.kind for t in await bot.app.storage.tasks.for_interview(interview_id)}
    assert kinds == {"read"}, "no free text, so nothing more to read"


async def test_a_member_of_staff_may_only_decide_on_concerns_they_may_read(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    use_stub(bot)
    interview_id = await open_and_consent(bot, api)
    api.message(CHAT, "amber sign of missing")
    await api.wait_for_text(CHAT, AMBER_NOTE)
    await api.wait_until_idle()
    (concern,) = await bot.app.storage.concerns.for_interview(interview_id)
    elm = await bot.app.storage.staff.get(ELM_STAFF)
    assert elm is not None
    refused = await bot.app.storage.concerns.decide_amber(
        concern.id, "closed", "not mine", Actor.for_staff(elm), bot.clock()
    )
    assert not refused
    still = await bot.app.storage.concerns.get(concern.id)
    assert still is not None and still.decision is None and still.acknowledged_at is None


async def test_the_shipped_rules_raise_amber_that_staff_read_today_and_never_push(
    bot: RunningBot, api: FakeBotApi
) -> None:
    """No stub: the shipped rules' wide net, end to end through the fake Bot API."""
    await register_staff(bot)
    interview_id = await open_and_consent(bot, api)
    api.message(CHAT, "i dont want to go back to my mums")
    gentle = await api.wait_for_text(CHAT, AMBER_NOTE)
    assert "We will tell a member of staff" not in gentle.text
    await api.wait_until_idle()
    (concern,) = await bot.app.storage.concerns.for_interview(interview_id)
    assert concern.tier == "amber"
    assert not alerts(api, OAK_STAFF) and not alerts(api, ADMIN), "amber is never pushed"
    tasks = await bot.app.storage.tasks.for_interview(interview_id)
    assert [t.detail["concern"] for t in tasks if t.kind == "read_today"] == [str(concern.id)]
