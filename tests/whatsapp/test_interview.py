"""A young person takes a whole interview on WhatsApp: the start code, buttons, a list,
a choose-several list they come back to, free text and a disclosure that reaches staff in
Telegram while the helplines reach the person, tappable."""

from __future__ import annotations

from tests.fake_telegram import FakeBotApi
from tests.fake_whatsapp import FakeCloudApi
from tests.whatsapp.conftest import PERSON, REVIEWER, WhatsAppBot


async def start(wa_bot: WhatsAppBot, cloud: FakeCloudApi) -> str:
    """Open an invitation by its start code, as the wa.me link would; the interview id."""
    interview_id, token = await wa_bot.invite()
    assert await cloud.write(PERSON, f"START-{token}") == 200
    await cloud.wait_for_text(PERSON, "Do you want to start?")
    return interview_id


async def test_a_whole_interview_on_whatsapp(
    wa_bot: WhatsAppBot, cloud: FakeCloudApi, api: FakeBotApi
) -> None:
    interview_id = await start(wa_bot, cloud)
    assert any("will read your answers" in t for t in cloud.texts(PERSON))
    consent = cloud.last_with_choices(PERSON)
    await cloud.tap(PERSON, "Yes")
    safe = await cloud.wait_for_text(PERSON, "Did you feel safe?")
    assert safe.kind == "button" and len(safe.choices) == 3, "three answers, no controls"
    assert "back, skip, help" in safe.body["interactive"]["footer"]["text"]
    await cloud.tap(PERSON, "No")
    alert = await api.wait_for_text(REVIEWER, "safeguarding concern")
    assert interview_id in alert.text, "a disclosure on WhatsApp reaches staff in Telegram"
    helplines = await cloud.wait_for_text(PERSON, "Childline")
    assert "+44 800 1111" in helplines.text, "helplines written so WhatsApp makes them a tap"
    await cloud.wait_for_text(PERSON, "What made you feel unsafe?")
    await cloud.write(PERSON, "Someone at the home hurt me")
    await cloud.wait_for_text(PERSON, "Add more")
    await cloud.tap(PERSON, "Next")
    await cloud.wait_for_text(PERSON, "Who decided?")
    await cloud.tap(PERSON, "I did")
    several = await cloud.wait_for_text(PERSON, "What did you do?")
    assert several.kind == "list"
    await cloud.tap(PERSON, "Music")
    await cloud.wait_for(lambda: "✅ Music" in str(cloud.last_with_choices(PERSON).choices))
    await cloud.tap(PERSON, "Games")
    await cloud.wait_for(lambda: "✅ Games" in str(cloud.last_with_choices(PERSON).choices))
    await cloud.tap(PERSON, "Done")
    await cloud.wait_for_text(PERSON, "How was it?")
    await cloud.tap(PERSON, "Good")
    await cloud.wait_for_text(PERSON, "Anything else?")
    await cloud.write(PERSON, "The staff were kind")
    await cloud.wait_for_text(PERSON, "Add more")
    await cloud.tap(PERSON, "Next")
    await cloud.wait_for_text(PERSON, "Nothing is sent until you say so")
    await cloud.tap(PERSON, "Yes, send it")
    await cloud.wait_for_text(PERSON, "Thank you.")
    record = await wa_bot.app.storage.transcripts.load(interview_id)
    assert record.interview.status == "completed"
    assert record.answers == {
        "q_yes_no": "no",
        "q_follow_up": "Someone at the home hurt me",
        "q_choice": "me",
        "q_multi": ["music", "games"],
        "q_scale": "3",
        "q_text": "The staff were kind",
    }
    assert consent.kind == "list", "five consent answers do not fit three buttons"
    assert cloud.refused == [], "nothing the app sent broke WhatsApp's limits"


async def test_controls_typed_or_tapped_under_more(
    wa_bot: WhatsAppBot, cloud: FakeCloudApi
) -> None:
    interview_id = await start(wa_bot, cloud)
    await cloud.tap(PERSON, "Yes")
    await cloud.wait_for_text(PERSON, "Did you feel safe?")
    await cloud.write(PERSON, "skip")
    decided = await cloud.wait_for_text(PERSON, "Who decided?")
    assert [title for _, title in decided.choices] == ["I did", "They did", "More"]
    await cloud.tap(PERSON, "More")
    more = await cloud.wait_for_text(PERSON, "You can also type")
    assert [title for _, title in more.choices] == [
        "⬅ Back",
        "⏭ Skip",
        "⏸ Pause",
        "⏹ Stop",
        "🆘 Help",
    ]
    await cloud.tap(PERSON, "Back")
    await cloud.wait_for_text(PERSON, "Did you feel safe?")
    await cloud.write(PERSON, "pause")
    await cloud.wait_for_text(PERSON, "we have paused")
    record = await wa_bot.app.storage.transcripts.load(interview_id)
    assert record.skipped == ["q_yes_no"]
