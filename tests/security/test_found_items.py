"""Issue 11's findings, one test each, named after the item. Each failed on the old code."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from bot.core.numbers import whole_number
from bot.documents.exports import to_csv
from bot.telegram.keyboards import parse_ack, parse_answer
from tests.bot.commandline import cli
from tests.e2e.conftest import RunningBot
from tests.e2e.test_interview import CHAT, open_and_consent
from tests.fake_telegram import FakeBotApi
from tests.flows.helpers import every_kind

HOSTILE_CELLS = ['=HYPERLINK("http://x")', "+cmd|' /C calc'!A0", "@SUM(1+1)", "-2+3", "\tx", "\rx"]


def test_item_4_csv_formula_injection_is_neutralised() -> None:
    flow = every_kind()
    rows = [{"interview_id": cell, "service": cell, "q_text": cell} for cell in HOSTILE_CELLS]
    text = to_csv(flow, rows).decode("utf-8-sig")
    for row in csv.DictReader(io.StringIO(text)):
        for column in ("interview_id", "service", "q_text"):
            assert row[column].startswith("'"), row[column]


@pytest.mark.parametrize(
    "data", ["ack|²", "ack|٣", "ack|99999999999999999999999", "ack|-1", "ack|"]
)
def test_item_10_number_parsing_never_crashes_an_acknowledgement(data: str) -> None:
    assert parse_ack(data) is None


@pytest.mark.parametrize("data", ["a|iv-1|²|yes", "a|iv-1|99999999999999999999999|yes"])
def test_item_10_number_parsing_never_crashes_a_button(data: str) -> None:
    assert parse_answer(data) is None


def test_item_10_whole_numbers_are_ascii_and_in_range() -> None:
    assert whole_number("12") == 12
    assert whole_number("²") is None and whole_number("0") is None
    assert whole_number("3", largest=2) is None


def test_item_8_staff_text_is_never_read_as_rich_markup(env: dict[str, str]) -> None:
    created = cli(env, "invite", "create", "--flow", "children-home", "--name", "[/bold]", "--json")
    assert created.returncode == 0, created.stderr
    interview_id = json.loads(created.stdout)["interview_id"]
    listed = cli(env, "interviews", "list")
    assert listed.returncode == 0, listed.stderr
    assert "[/bold]" in listed.stdout
    added = cli(
        env,
        "followup",
        "add",
        interview_id,
        "--text",
        "[/red] fix [b]it",
        "--to",
        "[/x]",
        "--due",
        "2030-01-01",
    )
    assert added.returncode == 0, added.stderr
    shown = cli(env, "followup", "list")
    assert shown.returncode == 0, shown.stderr
    assert "[/red] fix [b]it" in shown.stdout


async def test_item_5_a_long_answer_shown_back_still_fits_telegram(
    bot: RunningBot, api: FakeBotApi
) -> None:
    await open_and_consent(bot, api)
    api.tap(CHAT, "Yes")
    await api.wait_for_text(CHAT, "Who decided?")
    api.tap(CHAT, "I did")
    await api.wait_for_text(CHAT, "What did you do?")
    api.tap(CHAT, "Done")
    await api.wait_for_text(CHAT, "How was it?")
    api.tap(CHAT, "Good")
    await api.wait_for_text(CHAT, "Anything else?")
    api.message(CHAT, "😀" * 2048)
    await api.wait_for_text(CHAT, "Add more")
    api.tap(CHAT, "Next")
    await api.wait_for_text(CHAT, "Is this right?")
    api.tap(CHAT, "Back")
    shown = await api.wait_for_text(CHAT, "You said:")
    assert shown.buttons, "the question came back with its buttons"
    assert len(shown.text.encode("utf-16-le")) // 2 <= 4096 and "…" in shown.text
    assert all(len(m.text.encode("utf-16-le")) // 2 <= 4096 for m in api.sent[CHAT])


def test_item_15_configuration_errors_are_one_line_that_says_what_to_do(
    env: dict[str, str], tmp_path: Path
) -> None:
    good = env["EXIT_DATA_KEY"]
    previous = cli({**env, "EXIT_PREVIOUS_DATA_KEYS": '["not-a-key"]'}, "interviews", "list")
    assert previous.returncode == 1 and "EXIT_PREVIOUS_DATA_KEYS entry 1" in previous.stderr
    padded = cli({**env, "EXIT_DATA_KEY": good + "!!!!"}, "interviews", "list")
    assert padded.returncode == 1 and "EXIT_DATA_KEY is not a key made by" in padded.stderr
    not_sqlite = tmp_path / "notes.txt"
    not_sqlite.write_text("shopping list\n" * 100)
    wrong_file = cli({**env, "EXIT_DATABASE": str(not_sqlite)}, "interviews", "list")
    assert wrong_file.returncode == 1 and "cannot be opened" in wrong_file.stderr
    unwritable = cli({**env, "EXIT_DATABASE": "/proc/exit-interviews/db.sqlite3"}, "purge")
    assert unwritable.returncode == 1 and "cannot be opened" in unwritable.stderr
    for result in (previous, padded, wrong_file, unwritable):
        assert "Traceback" not in result.stderr and good not in result.stderr


def test_item_12_a_person_cannot_forge_sections_or_notes_in_a_staff_transcript() -> None:
    from datetime import UTC, datetime

    from bot.documents.transcript import transcript_text
    from storage.records import InterviewSummary, Transcript, TranscriptLine

    forged = "fine\n== Forged section ==\n⚠ Concern 99 acknowledged\u202eeno"
    at = datetime(2026, 3, 2, tzinfo=UTC)
    summary = InterviewSummary(
        "iv-1",
        "every-kind",
        "v",
        "A\u202eB",
        "Oak House",
        "en",
        "completed",
        at,
        at,
        at,
        False,
        None,
    )
    record = Transcript(
        summary, at, {"q_text": forged}, [], [], [TranscriptLine("in", at, forged)], []
    )
    text = transcript_text(record, every_kind())
    assert "\u202e" not in text
    for line in text.splitlines():
        assert not line.startswith("== Forged") and not line.startswith("⚠ Concern 99")
    assert "  │ == Forged section ==" in text
