"""Issue 25, item 5 and "Logs": every log line keeps to an allow-list of fields, and nothing
beside a concern says whose it is or what they were asked or said."""

from __future__ import annotations

import logging

import pytest

from bot.core.logs import allowed, log_event, person
from tests.e2e.conftest import OPERATOR, RunningBot
from tests.e2e.test_interview import CHAT
from tests.e2e.test_logs import Everything, logs

__all__ = ["logs"]
from tests.fake_telegram import FakeBotApi

NAME = "Wrenna Halloway"
DISCLOSURE = "he hurt me nightjar-5521"


def test_a_field_outside_the_allow_list_or_of_the_wrong_shape_is_left_out() -> None:
    line = allowed(
        "answer_recorded",
        {"interview": "iv-0123abcd", "question": "felt_safe", "staff": "Ann Smith", "name": NAME},
    )
    assert line == "interview=iv-0123abcd staff=?"
    assert "interview" not in allowed("concern_raised", {"interview": "iv-0123abcd", "concern": 4})


def test_log_lines_carry_only_allowed_fields(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    log_event("concern_raised", interview="iv-0123abcd", question="felt_safe", chat=person(CHAT))
    assert caplog.messages == ["event=concern_raised "]


async def test_item_5_no_question_answer_chat_or_name_beside_a_concern(
    logs: Everything, bot: RunningBot, api: FakeBotApi
) -> None:
    await bot.app.storage.staff.add(501, "Staff", "admin", [], OPERATOR, bot.clock())
    interview_id, token = await bot.invite(name=NAME)
    api.message(CHAT, f"/start {token}")
    await api.wait_for_text(CHAT, "Do you want to start?")
    api.tap(CHAT, "Yes")
    await api.wait_for_text(CHAT, "Did you feel safe?")
    api.tap(CHAT, "No")
    await api.wait_for_text(CHAT, "What made you feel unsafe?")
    api.message(CHAT, DISCLOSURE)
    await api.wait_for_text(501, "Possible safeguarding concern")
    api.message(CHAT, "/stop")
    await api.wait_until_idle()
    everything = "\n".join(logs.lines)
    concern_lines = [line for line in everything.splitlines() if "concern" in line]
    assert any("event=concern_raised" in line for line in concern_lines)
    assert any("event=concern_alerted" in line for line in concern_lines)
    for line in concern_lines:
        for leak in ("question=", "felt_safe", "q_yes_no", interview_id, person(CHAT), "chat="):
            assert leak not in line, f"{leak} beside a concern: {line}"
    for leak in (str(CHAT), NAME, "Wrenna", "nightjar", "q_yes_no", "question="):
        assert leak not in everything, f"{leak} in the logs"
