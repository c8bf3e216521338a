"""A Welsh speaker meets Welsh in the bot's own words too: its menu and its fixed replies."""

from __future__ import annotations

from tests.e2e.conftest import RunningBot
from tests.fake_telegram import FakeBotApi

WELSH_APP = 9700
ENGLISH_APP = 9701
CARER = 9702


async def test_the_command_menu_exists_in_welsh_and_english(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await api.wait_until_idle()
    welsh = {c["command"]: c["description"] for c in api.commands_by_language["cy"]}
    english = {c["command"]: c["description"] for c in api.commands_by_language[""]}
    assert set(welsh) == set(english) >= {"help", "unsafe", "skip", "back", "pause", "stop"}
    assert welsh["skip"] != english["skip"] and "Hepgor" in welsh["skip"]


async def test_strangers_and_broken_links_are_answered_in_their_apps_language(
    bot: RunningBot, api: FakeBotApi
) -> None:
    api.app_languages[WELSH_APP] = "cy"
    api.app_languages[ENGLISH_APP] = "en-GB"
    api.message(WELSH_APP, "/start not-a-real-token")
    api.message(ENGLISH_APP, "/start not-a-real-token")
    welsh = await api.wait_for_text(WELSH_APP, "ddolen")
    english = await api.wait_for_text(ENGLISH_APP, "link")
    assert "Gofynnwch" in welsh.text and "Sorry" not in welsh.text
    assert "Please ask" in english.text


async def test_a_welsh_interview_hears_fixed_replies_in_welsh(
    bot: RunningBot, api: FakeBotApi
) -> None:
    _, token = await bot.invite("foster-carer", service="Gwasanaeth Maethu A")
    api.message(CARER, f"/start {token}")
    await api.wait_for_text(CARER, "Cymraeg")
    api.tap(CARER, "Cymraeg")
    await api.wait_for_text(CARER, "Hoffech chi gymryd rhan?")
    api.raw_message(
        CARER,
        {
            "sticker": {
                "file_id": "s1",
                "file_unique_id": "u1",
                "width": 1,
                "height": 1,
                "is_animated": False,
                "is_video": False,
                "type": "regular",
            }
        },
    )
    reply = await api.wait_for_text(CARER, "sticeri")
    assert "Teipiwch" in reply.text
