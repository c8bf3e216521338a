"""Issue 25, item 14: right-to-left overrides and other bidirectional controls never reach
a transcript, a CSV or a JSON export as themselves: they are shown as codes."""

from __future__ import annotations

import pytest

from bot.core.transcripts import TRANSCRIPT_FORMATS, read_transcript
from bot.documents.exports import plain_direction, to_csv, to_json
from tests.e2e.conftest import OPERATOR, RunningBot
from tests.e2e.test_interview import CHAT, open_and_consent
from tests.fake_telegram import FakeBotApi
from tests.flows.helpers import every_kind

CONTROLS = [chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))] + [
    "\u200e",
    "\u200f",
    "\u061c",
]
TYPED = "my file is \u202eexe.txt and \u2066hidden\u2069"


def test_every_bidirectional_control_is_shown_as_a_code() -> None:
    for control in CONTROLS:
        shown = plain_direction(f"a{control}b")
        assert control not in shown and f"[U+{ord(control):04X}]" in shown


def test_item_14_the_csv_and_json_exports_carry_no_bidirectional_control() -> None:
    flow = every_kind()
    first = flow.questions()[0].id
    row = {"interview_id": "iv-00000000aa", first: TYPED}
    for made in (to_csv(flow, [row]), to_json([row])):
        text = made.decode("utf-8-sig")
        assert not any(control in text for control in CONTROLS)
        assert "[U+202E]exe.txt" in text


@pytest.mark.parametrize("form", TRANSCRIPT_FORMATS)
async def test_item_14_transcripts_carry_no_bidirectional_control(
    form: str, bot: RunningBot, api: FakeBotApi
) -> None:
    interview_id = await open_and_consent(bot, api)
    api.tap(CHAT, "Yes")
    await api.wait_for_text(CHAT, "Who decided?")
    api.tap(CHAT, "I did")
    await api.wait_for_text(CHAT, "What did you do?")
    api.tap(CHAT, "Done")
    await api.wait_for_text(CHAT, "How was it?")
    api.tap(CHAT, "Good")
    await api.wait_for_text(CHAT, "Anything else?")
    api.message(CHAT, TYPED)
    await api.wait_for_text(CHAT, "Add more")
    api.tap(CHAT, "Next")
    await api.wait_for_text(CHAT, "Nothing is sent until you say so")
    api.tap(CHAT, "Yes, send it")
    await api.wait_for_text(CHAT, "Thank you.")
    text = await read_transcript(bot.app, interview_id, OPERATOR, form)  # type: ignore[arg-type]
    assert "exe" in text and "hidden" in text
    assert not any(control in text for control in CONTROLS)
