"""A person takes an interview on Telegram, end to end, through the real HTTP client."""

from __future__ import annotations

from storage import Actor
from tests.e2e.conftest import OPERATOR, RunningBot
from tests.fake_telegram import FakeBotApi

CHAT = 9001


async def open_and_consent(
    bot: RunningBot,
    api: FakeBotApi,
    chat: int = CHAT,
    flow_id: str = "every-kind",
    actor: Actor = OPERATOR,
) -> str:
    """Invite someone (as `actor`), open the link in `chat` and say yes."""
    interview_id, token = await bot.invite(flow_id, actor=actor)
    await consent_with(api, chat, token, "Did you feel safe?")
    return interview_id


async def consent_with(api: FakeBotApi, chat: int, token: str, first_question: str) -> None:
    """Open an invitation in a chat, say yes, and wait for the first question."""
    api.message(chat, f"/start {token}")
    await api.wait_for_text(chat, "Do you want to start?")
    api.tap(chat, "Yes")
    await api.wait_for_text(chat, first_question)


async def test_a_whole_interview_with_buttons_and_free_text(
    bot: RunningBot, api: FakeBotApi
) -> None:
    interview_id = await open_and_consent(bot, api)
    assert any("will read your answers" in t for t in api.texts(CHAT))
    api.tap(CHAT, "Yes")
    await api.wait_for_text(CHAT, "Who decided?")
    api.tap(CHAT, "I did")
    await api.wait_for_text(CHAT, "What did you do?")
    api.tap(CHAT, "Music")
    await api.wait_for(lambda: "✅ Music" in str(api.last_with_buttons(CHAT).buttons))
    api.tap(CHAT, "Done")
    await api.wait_for_text(CHAT, "How was it?")
    api.tap(CHAT, "Good")
    await api.wait_for_text(CHAT, "Anything else?")
    api.message(CHAT, "The staff were kind")
    await api.wait_for_text(CHAT, "Add more")
    api.message(CHAT, "and the food was good")
    await api.wait_until_idle()
    api.tap(CHAT, "Next")
    summary = await api.wait_for_text(CHAT, "Here is what you told us")
    await api.wait_for_text(CHAT, "Nothing is sent until you say so")
    assert "The staff were kind\nand the food was good" in summary.text
    api.tap(CHAT, "Yes, send it")
    await api.wait_for_text(CHAT, "Thank you.")
    record = await bot.app.storage.transcripts.load(interview_id)
    assert record.interview.status == "completed"
    assert record.answers == {
        "q_yes_no": "yes",
        "q_choice": "me",
        "q_multi": ["music"],
        "q_scale": "3",
        "q_text": "The staff were kind\nand the food was good",
    }
    pressed = next(m for m in api.sent[CHAT] if m.text.startswith("Who decided?"))
    assert pressed.text.endswith("✓ I did") and pressed.buttons == []
    assert {c["command"] for c in api.commands} >= {"skip", "back", "pause", "stop", "help"}


async def test_skip_back_pause_and_resume(bot: RunningBot, api: FakeBotApi) -> None:
    interview_id = await open_and_consent(bot, api)
    api.message(CHAT, "/skip")
    await api.wait_for_text(CHAT, "Who decided?")
    api.tap(CHAT, "Back")
    await api.wait_until_idle()
    assert "Did you feel safe?" in api.texts(CHAT)[-1]
    api.tap(CHAT, "Pause")
    await api.wait_for_text(CHAT, "we have paused")
    api.message(CHAT, "I'm back")
    await api.wait_for_text(CHAT, "Welcome back")
    await api.wait_until_idle()
    assert "Did you feel safe?" in api.texts(CHAT)[-1]
    record = await bot.app.storage.transcripts.load(interview_id)
    assert record.skipped == ["q_yes_no"]


async def test_stop_and_keep(bot: RunningBot, api: FakeBotApi) -> None:
    interview_id = await open_and_consent(bot, api)
    api.tap(CHAT, "Yes")
    await api.wait_for_text(CHAT, "Who decided?")
    api.message(CHAT, "/stop")
    await api.wait_for_text(CHAT, "Shall we keep what you said")
    api.tap(CHAT, "Keep what I said")
    await api.wait_for_text(CHAT, "We will keep what you said")
    record = await bot.app.storage.transcripts.load(interview_id)
    assert record.interview.status == "stopped" and record.answers == {"q_yes_no": "yes"}


async def test_stop_and_delete(bot: RunningBot, api: FakeBotApi) -> None:
    interview_id = await open_and_consent(bot, api)
    api.tap(CHAT, "No")
    await api.wait_for_text(CHAT, "What made you feel unsafe?")
    api.message(CHAT, "something private")
    await api.wait_for_text(CHAT, "Add more")
    api.tap(CHAT, "Stop")
    await api.wait_for_text(CHAT, "Shall we keep what you said")
    api.tap(CHAT, "Delete what I said")
    await api.wait_for_text(CHAT, "We will delete what you said")
    record = await bot.app.storage.transcripts.load(interview_id)
    assert record.answers == {} and record.lines == []


async def test_a_restart_mid_interview_loses_nothing(bot: RunningBot, api: FakeBotApi) -> None:
    interview_id = await open_and_consent(bot, api)
    api.tap(CHAT, "Yes")
    await api.wait_for_text(CHAT, "Who decided?")
    await api.wait_until_idle()
    await bot.restart()
    api.tap(CHAT, "They did")
    await api.wait_for_text(CHAT, "What did you do?")
    record = await bot.app.storage.transcripts.load(interview_id)
    assert record.answers == {"q_yes_no": "yes", "q_choice": "them"}


async def test_a_repeated_update_is_answered_once(bot: RunningBot, api: FakeBotApi) -> None:
    await open_and_consent(bot, api)
    data = api.last_with_buttons(CHAT).button_data("Yes")
    update = {
        "update_id": 777,
        "callback_query": {
            "id": "cq-777",
            "from": {"id": CHAT, "is_bot": False, "first_name": "P"},
            "chat_instance": "x",
            "data": data,
            "message": api._message_json(api.last_with_buttons(CHAT), CHAT),
        },
    }
    api.push(update)
    await api.wait_for_text(CHAT, "Who decided?")
    await api.wait_until_idle()
    before = len(api.sent[CHAT])
    api.push(dict(update))
    await api.wait_until_idle()
    assert len(api.sent[CHAT]) == before


async def test_welsh_active_offer_on_telegram(bot: RunningBot, api: FakeBotApi) -> None:
    interview_id, token = await bot.invite("foster-carer", service="Gwasanaeth Maethu A")
    api.message(CHAT, f"/start {token}")
    offer = await api.wait_for_text(CHAT, "Cymraeg")
    assert "English" in offer.text
    api.tap(CHAT, "Cymraeg")
    await api.wait_for_text(CHAT, "Hoffech chi gymryd rhan?")
    summary = await bot.app.storage.interviews.get(interview_id)
    assert summary.language == "cy"
