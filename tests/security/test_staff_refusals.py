"""Issue 25, items 7 and 8: /noaction, /thank, /message, /readers and /recommend refuse a
member of staff who may not act on an interview with one and the same answer, whether the
interview exists, is another home's, or asked for fewer people to see it."""

from __future__ import annotations

from tests.e2e.conftest import RunningBot
from tests.e2e.test_human_loop import (
    ELM_REVIEWER,
    OAK_SECOND_REVIEWER,
    PERSON,
    fewer_people_interview,
)
from tests.fake_telegram import FakeBotApi

NOBODY = "iv-00000000ff"
COMMANDS = (
    "/noaction {id}",
    "/thank {id}; Thank you",
    "/message {id}; Hello",
    "/readers {id} none",
    "/recommend {id}; Max Manager; 2026-03-20; Check the rota",
)


async def _replies(api: FakeBotApi, chat: int, interview_id: str) -> list[str]:
    replies = []
    for command in COMMANDS:
        before = len(api.texts(chat))
        api.message(chat, command.format(id=interview_id))
        await api.wait_for(lambda seen=before: len(api.texts(chat)) > seen)
        replies.append(api.texts(chat)[-1].replace(interview_id, "ID"))
    return replies


async def test_items_7_and_8_a_refusal_says_the_same_whether_or_not_the_interview_exists(
    bot: RunningBot, api: FakeBotApi
) -> None:
    interview_id = await fewer_people_interview(bot, api)
    await api.wait_for_text(PERSON, "Only a few people will see your answers")
    same_home = await _replies(api, OAK_SECOND_REVIEWER, interview_id)
    other_home = await _replies(api, ELM_REVIEWER, interview_id)
    missing = await _replies(api, ELM_REVIEWER, NOBODY)
    assert same_home == other_home == missing, (same_home, other_home, missing)
    everything = "\n".join(api.texts(OAK_SECOND_REVIEWER) + api.texts(ELM_REVIEWER))
    for leak in ("fewer", "Test Person", "not assigned", "Oak House"):
        assert leak not in everything
