"""Issue 11's findings, one test each, named after the item. Each failed on the old code."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import sqlite3
import sys
import tomllib
from pathlib import Path

import pytest

from bot.core.numbers import whole_number
from bot.documents.exports import to_csv
from bot.telegram.keyboards import parse_ack, parse_answer
from flows.inputs import Command, Control
from storage import Cipher, NotFound, Storage, new_key
from storage.followup import Addressee
from tests.bot.commandline import ROOT, cli, invite_by_cli
from tests.conftest import FakeClock
from tests.e2e.conftest import RunningBot
from tests.e2e.test_interview import CHAT, open_and_consent
from tests.fake_telegram import FakeBotApi
from tests.flows.helpers import every_kind, real_flow
from tests.storage.helpers import OPERATOR, feed, invite, start_and_consent, tap, type_text

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
    cli(env, "services", "add", "[/i] Home")
    created = invite_by_cli(env, "[/bold]", "[/i] Home", "--json")
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


async def test_item_2_erasure_leaves_nothing_of_the_interview_behind(
    tmp_path: Path, key: str, clock: FakeClock
) -> None:
    path = tmp_path / "erase.sqlite3"
    flow = every_kind()
    opened = await Storage.open(path, Cipher(key))
    try:
        interview_id, _ = await invite(opened, flow, clock())
        await start_and_consent(opened, flow, interview_id, clock())
        await tap(opened, flow, interview_id, "no", clock())
        await type_text(opened, flow, interview_id, "he hits me", clock())
        sealed = [
            bytes(row[0])
            for row in await opened.db.fetch_all(
                "SELECT value FROM answers WHERE value IS NOT NULL"
            )
        ]
        assert sealed and await opened.concerns.for_interview(interview_id)
        await opened.retention.erase(interview_id, OPERATOR, clock(), "on request")
        for table in ("answers", "transcript", "events", "concerns", "outbox", "invitations"):
            rows = await opened.db.fetch_all(
                f"SELECT COUNT(*) FROM {table} WHERE interview_id = ?", (interview_id,)
            )
            assert rows[0][0] == 0, f"{table} still holds rows of the erased interview"
        row = await opened.db.fetch_one(
            "SELECT chat_id, service FROM interviews WHERE id = ?", (interview_id,)
        )
        assert row is not None and tuple(row) == (None, None)
        on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir() if p.is_file())
        assert not any(value in on_disk for value in sealed), "an erased value is recoverable"
    finally:
        await opened.close()


async def test_item_3_the_database_without_the_key_reveals_no_answer(
    tmp_path: Path, key: str, clock: FakeClock
) -> None:
    path = tmp_path / "reveal.sqlite3"
    flow = real_flow("children-home")
    opened = await Storage.open(path, Cipher(key))
    try:
        interview_id, _ = await invite(opened, flow, clock())
        await start_and_consent(opened, flow, interview_id, clock())
        while (await opened.interviews.state(interview_id)).current != "bullied":
            await feed(opened, flow, interview_id, Command(at=clock(), control=Control.SKIP))
        await tap(opened, flow, interview_id, "yes", clock())
    finally:
        await opened.close()
    with sqlite3.connect(path) as raw:
        readable = " ".join(
            str(value)
            for table in ("answers", "events", "concerns")
            for row in raw.execute(f"SELECT * FROM {table}")
            for value in row
            if isinstance(value, str)
        )
    assert "bullied" not in readable and "bullying" not in readable
    assert "yes" not in readable.split()


async def test_item_11_key_rotation_is_refused_while_the_bot_runs(
    bot: RunningBot, key: str
) -> None:
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        "rotate-key",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        env={
            "PATH": "/usr/bin:/bin",
            "EXIT_ENV_FILE": "",
            "EXIT_DATABASE": str(bot.settings.database),
            "EXIT_DATA_KEY": new_key(),
            "EXIT_PREVIOUS_DATA_KEYS": json.dumps([key]),
            "PYTHONPATH": str(ROOT),
        },
    )
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 1 and "The bot is running" in err.decode()
    assert await bot.app.storage.interviews.find(OPERATOR) == []


def test_item_14_homes_and_services_are_a_list_that_names_must_match(
    env: dict[str, str],
) -> None:
    assert cli(env, "services", "add", "Oak House").returncode == 0
    typo = cli(
        env, "invite", "create", "--flow", "children-home", "--name", "A", "--service", "Oak Hose"
    )
    assert typo.returncode == 1 and "No home or service called 'Oak Hose'" in typo.stderr
    assert "Oak House" in typo.stderr
    missing = cli(env, "invite", "create", "--flow", "children-home", "--name", "A")
    assert missing.returncode == 1 and "--service" in missing.stderr
    staff = cli(env, "staff", "add", "5", "--name", "R", "--role", "reviewer", "--service", "Oak")
    assert staff.returncode == 1 and "No home or service called 'Oak'" in staff.stderr
    uncovered = cli(
        env, "invite", "create", "--flow", "children-home", "--name", "A", "--service", "Oak House"
    )
    assert uncovered.returncode == 0 and "only admins will hear of a concern" in uncovered.stderr
    assert "no reviewer" in cli(env, "services", "list").stdout
    welsh = invite_by_cli(env, "A", "Oak House", "--language", "cy")
    assert welsh.returncode == 1 and "has no Cymraeg version" in welsh.stderr


def test_item_6_every_file_made_is_readable_by_its_owner_only(
    env: dict[str, str], tmp_path: Path
) -> None:
    folder = tmp_path / "private" / "data"
    env = {**env, "EXIT_DATABASE": str(folder / "db.sqlite3")}
    cli(env, "services", "add", "Oak House")
    assert cli(env, "backup", str(tmp_path / "copy.sqlite3")).returncode == 0
    exported = tmp_path / "answers.csv"
    made = cli(env, "export", "--flow", "children-home", "--include-text", "--out", str(exported))
    assert made.returncode == 0, made.stderr
    for path in [*folder.iterdir(), tmp_path / "copy.sqlite3", exported]:
        assert path.stat().st_mode & 0o077 == 0, f"{path.name} is readable by others"
    assert folder.stat().st_mode & 0o077 == 0
    env_file = tmp_path / "dev.env"
    assert cli(env, "keygen", "--write-env", str(env_file)).returncode == 0
    assert env_file.stat().st_mode & 0o777 == 0o600


async def test_item_7_an_interview_keeps_running_on_the_flow_version_it_started_on(
    bot: RunningBot, api: FakeBotApi
) -> None:
    interview_id = await open_and_consent(bot, api)
    flow_file = bot.settings.flows_dir / "every-kind.yaml"
    text = flow_file.read_text()
    start = text.index("      - id: q_choice")
    end = text.index("  - id: second")
    flow_file.write_text(text[:start] + text[end:])
    await bot.restart()
    assert "q_choice" not in [q.id for q in bot.app.flows["every-kind"].questions()]
    api.tap(CHAT, "Yes")
    await api.wait_for_text(CHAT, "Who decided?")
    api.tap(CHAT, "I did")
    await api.wait_for_text(CHAT, "What did you do?")
    state = await bot.app.storage.interviews.state(interview_id)
    assert state.answers["q_choice"] == "me"


async def test_item_9_recommendation_references_cannot_be_counted_through(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    refs = [
        (
            await storage.followup.recommend(
                interview_id, f"do {n}", Addressee("CSM"), clock(), OPERATOR, clock()
            )
        ).ref
        for n in range(3)
    ]
    assert len(set(refs)) == 3
    assert all(re.fullmatch(r"r-[0-9a-f]{8}", ref) for ref in refs)
    with pytest.raises(NotFound):
        await storage.followup.respond("1", "guessing", OPERATOR, clock())


def test_item_16_every_dependency_is_installed_pinned_with_hashes() -> None:
    lock = (ROOT / "requirements.lock").read_text()
    pinned = {
        line.split("==")[0].strip().lower()
        for line in lock.splitlines()
        if "==" in line and not line.startswith(("#", " "))
    }
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    wanted = [*project["dependencies"], *project["optional-dependencies"]["dev"]]
    for requirement in wanted:
        name = re.split(r"[\[<>=!~ ]", requirement, maxsplit=1)[0].lower().replace("_", "-")
        assert name in pinned, f"{name} is not pinned in requirements.lock"
    entries = lock.split("\n\n")
    assert all("--hash=sha256:" in entry for entry in entries if "==" in entry)
    assert "--require-hashes -r requirements.lock" in (ROOT / "Makefile").read_text()
