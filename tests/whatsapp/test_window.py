"""WhatsApp's day: a message after it goes only as an approved template, staff are told,
and what was waiting reaches the person as soon as they write again."""

from __future__ import annotations

from tests.fake_telegram import FakeBotApi
from tests.fake_whatsapp import FakeCloudApi
from tests.whatsapp.conftest import PERSON, REVIEWER, WhatsAppBot
from tests.whatsapp.test_interview import start


async def test_a_reminder_after_two_quiet_days_goes_as_a_template(
    wa_bot: WhatsAppBot, cloud: FakeCloudApi, api: FakeBotApi
) -> None:
    interview_id = await start(wa_bot, cloud)
    await cloud.tap(PERSON, "Yes")
    await cloud.wait_for_text(PERSON, "Did you feel safe?")
    before = len(cloud.sent[PERSON])
    wa_bot.clock.advance(hours=49)
    template = await cloud.wait_for_text(PERSON, "exit_interview_carry_on")
    assert template.kind == "template"
    assert [m.kind for m in cloud.sent[PERSON][before:]] == ["template"], "no free-form message"
    assert cloud.refused == [], "the app knew the window was shut; WhatsApp never had to say"
    told = await api.wait_for_text(REVIEWER, "could not be sent")
    assert interview_id in told.text and "not written for over a day" in told.text
    wa_bot.clock.advance(minutes=30)
    await wa_bot.whatsapp.sender.flush_all()
    assert len(cloud.sent[PERSON]) == before + 1, "one template per quiet spell, not one a tick"
    assert await cloud.write(PERSON, "hello") == 200
    await cloud.wait_for_text(PERSON, "Your interview is waiting for you")
    await cloud.wait_for_text(PERSON, "Did you feel safe?")


async def test_when_whatsapp_says_the_window_is_shut_the_template_goes_instead(
    wa_bot: WhatsAppBot, cloud: FakeCloudApi
) -> None:
    await start(wa_bot, cloud)
    cloud.fail_next(131047, title="Re-engagement message")
    await cloud.tap(PERSON, "Yes")
    template = await cloud.wait_for_text(PERSON, "exit_interview_carry_on")
    assert template.kind == "template"
    assert await cloud.write(PERSON, "sorry, here now") == 200
    await cloud.wait_for_text(PERSON, "Did you feel safe?")


async def test_a_rate_limited_send_waits_and_goes_later_in_order(
    wa_bot: WhatsAppBot, cloud: FakeCloudApi
) -> None:
    await start(wa_bot, cloud)
    cloud.fail_next(130429, title="Rate limit hit")
    await cloud.tap(PERSON, "Yes")
    safe = await cloud.wait_for_text(PERSON, "Did you feel safe?")
    assert cloud.refused[0][1] == 130429, "refused once, then sent by the delivery loop"
    assert cloud.since_last_written(PERSON)[-1] is safe, "nothing sent out of order"
