"""Strangers, staff, forged buttons, concerns, reminders and Telegram's own limits."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.e2e.conftest import OPERATOR, RunningBot, outbox_drained
from tests.e2e.test_interview import CHAT, open_and_consent
from tests.fake_telegram import FakeBotApi

STRANGER = 9100
OAK_STAFF = 501
ELM_STAFF = 502
ADMIN = 503


async def register_staff(bot: RunningBot) -> None:
    staff = bot.app.storage.staff
    await staff.add(OAK_STAFF, "Oak Reviewer", "reviewer", ["Oak House"], OPERATOR, bot.clock())
    await staff.add(ELM_STAFF, "Elm Reviewer", "reviewer", ["Elm House"], OPERATOR, bot.clock())
    await staff.add(ADMIN, "Admin", "admin", [], OPERATOR, bot.clock())


async def test_a_stranger_gets_a_kind_reply_with_helplines_and_creates_nothing(
    bot: RunningBot, api: FakeBotApi
) -> None:
    api.message(STRANGER, "/start")
    reply = await api.wait_for_text(STRANGER, "invited")
    assert "Childline" in reply.text and "999" in reply.text
    api.message(STRANGER, "hello?")
    api.message(STRANGER, "/start not-a-real-token")
    await api.wait_for_text(STRANGER, "this link does not work")
    await api.wait_until_idle()
    assert await bot.app.storage.interviews.find(OPERATOR) == []


async def test_repeated_wrong_tokens_are_slowed_down(bot: RunningBot, api: FakeBotApi) -> None:
    for attempt in range(6):
        api.message(STRANGER, f"/start guess{attempt}")
    await api.wait_for_text(STRANGER, "too many tries")
    _, token = await bot.invite()
    api.message(STRANGER, f"/start {token}")
    await api.wait_until_idle()
    assert "too many tries" in api.texts(STRANGER)[-1]


async def test_a_used_invitation_cannot_be_taken_by_another_chat(
    bot: RunningBot, api: FakeBotApi
) -> None:
    _, token = await bot.invite()
    api.message(CHAT, f"/start {token}")
    await api.wait_for_text(CHAT, "Do you want to start?")
    api.message(STRANGER, f"/start {token}")
    await api.wait_for_text(STRANGER, "this link does not work")


async def test_non_staff_get_the_strangers_reply_to_staff_commands(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await open_and_consent(bot, api)
    for command in (
        "/interviews",
        "/transcript iv-0000000000",
        "/concerns",
        "/invite every-kind; Oak House; X",
    ):
        api.message(STRANGER, command)
    await api.wait_until_idle()
    texts = api.texts(STRANGER)
    assert len(texts) == 4 and all("invited" in t for t in texts)
    assert not any("iv-" in t for t in texts)


async def test_a_forged_button_is_refused_and_changes_nothing(
    bot: RunningBot, api: FakeBotApi
) -> None:
    mine = await open_and_consent(bot, api)
    other_chat = 9002
    other = await open_and_consent(bot, api, chat=other_chat)
    forged = api.last_with_buttons(CHAT).button_data("No").replace(mine, other)
    api.press(other_chat, forged.replace(other, mine))
    api.press(CHAT, forged)
    api.press(CHAT, "a|garbage")
    await api.wait_until_idle()
    assert sum("does not work" in a.get("text", "") for a in api.callback_answers) == 3
    for interview in (mine, other):
        assert (await bot.app.storage.transcripts.load(interview)).answers == {}


async def test_a_concern_reaches_the_right_staff_and_not_the_wrong_ones(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    interview_id = await open_and_consent(bot, api)
    api.tap(CHAT, "No")
    told = await api.wait_for_text(CHAT, "We will tell a member of staff")
    assert "secret" not in told.text.lower()
    alert = await api.wait_for_text(OAK_STAFF, "Possible safeguarding concern")
    await api.wait_for_text(ADMIN, "Possible safeguarding concern")
    assert interview_id in alert.text and "Did you feel safe?" in alert.text
    assert ELM_STAFF not in api.sent
    api.message(CHAT, "a teacher hurt me")
    await api.wait_for(lambda: sum("safeguarding" in t for t in api.texts(OAK_STAFF)) == 2)
    assert not any("teacher" in t for t in api.texts(OAK_STAFF) + api.texts(ADMIN))


async def test_an_unacknowledged_concern_is_sent_again_until_acknowledged(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    await open_and_consent(bot, api)
    api.tap(CHAT, "No")
    first = await api.wait_for_text(OAK_STAFF, "Possible safeguarding concern")
    bot.clock.advance(minutes=61)
    await api.wait_for_text(OAK_STAFF, "Reminder: still not acknowledged")
    api.press(OAK_STAFF, first.button_data("I am dealing with this"), first)
    await api.wait_for(lambda: "Acknowledged by Oak Reviewer" in first.text)
    count = len(api.texts(OAK_STAFF))
    bot.clock.advance(minutes=61)
    await api.wait_until_idle()
    assert len(api.texts(OAK_STAFF)) == count
    concerns = await bot.app.storage.concerns.for_interview(
        (await bot.app.storage.interviews.find(OPERATOR))[0].id
    )
    assert concerns[0].acknowledged_by == OAK_STAFF
    assert OAK_STAFF in concerns[0].alerted and ADMIN in concerns[0].alerted


async def test_staff_read_transcripts_of_their_services_only_and_reads_are_audited(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    interview_id = await open_and_consent(bot, api)
    api.tap(CHAT, "Yes")
    await api.wait_for_text(CHAT, "Who decided?")
    api.message(OAK_STAFF, f"/transcript {interview_id}")
    shown = await api.wait_for_text(OAK_STAFF, "Q: Did you feel safe?")
    assert "(original: Did you feel safe?)" in shown.text and "A:\n  │ Yes" in shown.text
    api.message(ELM_STAFF, f"/transcript {interview_id}")
    await api.wait_for_text(ELM_STAFF, "that you can")
    api.message(OAK_STAFF, "/interviews")
    await api.wait_for_text(OAK_STAFF, "Recent interviews")
    actions = [(a.actor, a.action) for a in await bot.app.storage.audit.entries(interview_id)]
    assert ("staff:501", "transcript_read") in actions
    assert ("staff:502", "access_refused") in actions


async def test_an_admin_invites_in_the_chat(bot: RunningBot, api: FakeBotApi) -> None:
    await register_staff(bot)
    api.message(ADMIN, "/invite every-kind; Oak House; R.T.")
    created = await api.wait_for_text(ADMIN, "https://t.me/exit_interviews_test_bot?start=")
    token = created.text.rsplit("start=", 1)[1].strip()
    api.message(CHAT, f"/start {token}")
    await api.wait_for_text(CHAT, "Do you want to start?")
    api.message(OAK_STAFF, "/invite every-kind; Oak House; X")
    await api.wait_for_text(OAK_STAFF, "invited")


async def test_photos_voice_edits_and_groups_get_plain_replies(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await open_and_consent(bot, api)
    api.raw_message(
        CHAT, {"photo": [{"file_id": "f", "file_unique_id": "u", "width": 1, "height": 1}]}
    )
    await api.wait_for_text(CHAT, "can't open photos")
    api.voice(CHAT, b"OggS-not-really-audio", duration=2)
    await api.wait_for_text(CHAT, "I can only take a voice answer when I ask you to type")
    api.raw_message(CHAT, {"text": "changed", "edit_date": 1}, key="edited_message")
    await api.wait_for_text(CHAT, "I keep what you first sent")
    api.raw_message(-100123, {"text": "/start hello"}, chat_type="group")
    api.raw_message(-100999, {"text": "news"}, key="channel_post", chat_type="channel")
    await api.wait_for_text(-100123, "private chat")
    await api.wait_until_idle()
    assert -100999 not in api.sent


async def test_reminders_respect_quiet_hours_and_come_once(
    bot: RunningBot, api: FakeBotApi
) -> None:
    bot.clock.now = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)
    await open_and_consent(bot, api)
    bot.clock.now = datetime(2026, 3, 4, 22, 0, tzinfo=UTC)
    await api.wait_until_idle()
    await bot.scheduler_rounds()
    assert not any("Hello again" in t for t in api.texts(CHAT)), "no reminder in quiet hours"
    bot.clock.now = datetime(2026, 3, 5, 8, 30, tzinfo=UTC)
    await api.wait_for_text(CHAT, "Hello again")
    await bot.scheduler_rounds()
    await bot.restart()
    await bot.scheduler_rounds()
    await api.wait_until_idle()
    assert sum("Hello again" in t for t in api.texts(CHAT)) == 1
    bot.clock.now = datetime(2026, 3, 9, 12, 5, tzinfo=UTC)
    await api.wait_for_text(CHAT, "last reminder")


async def test_flood_control_429_is_retried_and_nothing_is_lost(
    bot: RunningBot, api: FakeBotApi
) -> None:
    api.faults.rate = 0.5
    api.faults.kinds = ("429",)
    api.faults.methods = frozenset({"sendMessage"})
    interview_id = await open_and_consent(bot, api)
    api.faults.rate = 0.0
    messages = api.texts(CHAT)
    assert len(messages) == len(set(messages)), "every message arrives once"
    intro = [t for t in messages if not t.startswith("Part 1")]
    assert intro[0].startswith("The person who checks your care plan will read")
    assert (await bot.app.storage.interviews.get(interview_id)).status == "consented"
    await api.wait_until_idle()
    assert await outbox_drained(bot.app), "every reply delivered and forgotten"
    assert "429" in api.faults_served, "the fake server really did refuse some calls"


async def test_item_9_another_homes_concern_or_recommendation_tells_nothing(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await register_staff(bot)
    interview_id = await open_and_consent(bot, api)
    api.tap(CHAT, "No")
    alert = await api.wait_for_text(OAK_STAFF, "Possible safeguarding concern")
    api.press(OAK_STAFF, alert.button_data("I am dealing with this"), alert)
    await api.wait_for(lambda: "Acknowledged by Oak Reviewer" in alert.text)
    data = alert.button_data("I am dealing with this") if alert.buttons else "ack|1"
    api.press(ELM_STAFF, data, alert)
    api.press(ELM_STAFF, "ack|999", alert)
    api.message(OAK_STAFF, f"/recommend {interview_id}; CSM; 2026-03-05; Check the rota")
    recorded = await api.wait_for_text(OAK_STAFF, "Recommendation r-")
    ref = recorded.text.split()[1]
    api.message(ELM_STAFF, f"/respond {ref} nothing")
    api.message(ELM_STAFF, "/respond r-00000000 nothing")
    await api.wait_until_idle()
    answers = [a.get("text") for a in api.callback_answers if a.get("text")]
    assert answers[-2:] == ["Sorry, that button does not work for you."] * 2
    replies = [t for t in api.texts(ELM_STAFF) if "recommendation" in t.lower()]
    assert replies[-2].replace(ref, "N") == replies[-1].replace("r-00000000", "N")
    assert interview_id not in "\n".join(api.texts(ELM_STAFF))
