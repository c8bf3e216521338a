"""Nothing a person wrote, and no secret, ever reaches the logs, even at DEBUG."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest

from bot.core.logs import configure_logging
from tests.e2e.conftest import OPERATOR, RunningBot
from tests.e2e.test_interview import CHAT, open_and_consent
from tests.fake_telegram import TOKEN, FakeBotApi

SECRET_WORDS = "marmalade-otter-4471 hurt me"


class Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def logs() -> Iterator[Everything]:
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logging("DEBUG")
    capture = Everything()
    capture.setFormatter(logging.Formatter("%(name)s %(message)s %(exc_info)s"))
    root.addHandler(capture)
    yield capture
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])


async def test_answers_and_secrets_never_reach_the_logs(
    logs: Everything, bot: RunningBot, api: FakeBotApi
) -> None:
    await bot.app.storage.staff.add(501, "Staff", "admin", [], OPERATOR, bot.clock())
    interview_id = await open_and_consent(bot, api)
    api.tap(CHAT, "No")
    await api.wait_for_text(CHAT, "What made you feel unsafe?")
    api.message(CHAT, SECRET_WORDS)
    await api.wait_for_text(501, "Possible safeguarding concern")
    api.message(501, f"/transcript {interview_id}")
    await api.wait_for_text(501, "marmalade-otter-4471")
    await api.wait_until_idle()
    everything = "\n".join(logs.lines)
    assert "event=concern_alerted" in everything, "the capture really did see our log lines"
    assert "marmalade" not in everything
    assert TOKEN not in everything and TOKEN.split(":")[1] not in everything
    assert bot.settings.data_key is not None
    assert bot.settings.data_key.get_secret_value() not in everything


async def test_item_13_logs_never_tie_a_telegram_id_to_an_interview(
    logs: Everything, bot: RunningBot, api: FakeBotApi
) -> None:
    interview_id = await open_and_consent(bot, api)
    api.message(CHAT, "/start not-a-token")
    await api.wait_until_idle()
    everything = "\n".join(logs.lines)
    opened = next(line for line in everything.splitlines() if "event=invitation_opened" in line)
    assert interview_id in opened and "chat=p-" in opened
    assert str(CHAT) not in everything
