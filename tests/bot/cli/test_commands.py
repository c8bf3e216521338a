"""The command line, run as an operator or a script would run it."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from bot.core.welsh import welsh_catalogue
from bot.launch import app
from flows import load_flows
from flows.help import load_help_directory
from storage import new_key
from tests.bot.commandline import ROOT, cli, invite_by_cli

runner = CliRunner()


def test_flows_check_passes_on_the_shipped_flows_and_fails_with_lines(
    env: dict[str, str], tmp_path: Path
) -> None:
    ok = cli(env, "flows", "check")
    assert ok.returncode == 0, ok.stdout
    assert "children-home" in ok.stdout and "placeholder" in ok.stdout
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (ROOT / "tests/flows/fixtures/every-kind.yaml")
        .read_text()
        .replace("question: q_yes_no", "question: nowhere")
    )
    failed = cli(env, "flows", "check", str(bad))
    assert failed.returncode == 1
    assert f"{bad}:" in failed.stdout and "unknown question 'nowhere'" in failed.stdout


def test_flows_list_and_show(env: dict[str, str]) -> None:
    assert "foster-carer" in cli(env, "flows", "list").stdout
    shown = cli(env, "flows", "show", "children-home").stdout
    assert "seed: Were you happy living here?" in shown


def test_invite_create_json_then_staff_and_erase(env: dict[str, str]) -> None:
    assert cli(env, "services", "add", "Oak House").returncode == 0
    created = invite_by_cli(env, "A.B.", "Oak House", "--json")
    assert created.returncode == 0, created.stderr
    data = json.loads(created.stdout)
    assert data["link"].endswith(f"?start={data['token']}") and len(data["token"]) >= 32
    added = cli(
        env,
        "staff",
        "add",
        "501",
        "--name",
        "Reviewer R",
        "--role",
        "reviewer",
        "--service",
        "Oak House",
    )
    assert added.returncode == 0
    assert "Reviewer R" in cli(env, "staff", "list").stdout
    assert cli(env, "staff", "remove", "501").returncode == 0
    assert "Reviewer R" not in cli(env, "staff", "list").stdout
    kept = cli(env, "erase", data["interview_id"], stdin="n\n")
    assert kept.returncode == 1 and "Nothing was erased" in kept.stderr
    assert cli(env, "erase", data["interview_id"], "--yes").returncode == 0
    listed = json.loads(cli(env, "interviews", "list", "--json").stdout)
    assert listed == [{**listed[0], "id": data["interview_id"], "status": "erased"}]


def test_errors_say_what_to_do(env: dict[str, str]) -> None:
    no_key = cli({"EXIT_DATABASE": env["EXIT_DATABASE"]}, "interviews", "list")
    assert no_key.returncode == 1 and "exit-interviews keygen" in no_key.stderr
    cli(env, "interviews", "list")
    wrong = cli({**env, "EXIT_DATA_KEY": new_key()}, "interviews", "list")
    assert wrong.returncode == 1 and "does not match" in wrong.stderr
    assert env["EXIT_DATA_KEY"] not in wrong.stderr + wrong.stdout
    missing = cli(env, "transcript", "iv-nothere")
    assert missing.returncode == 1 and "interviews list" in missing.stderr
    token = cli({**env, "EXIT_TELEGRAM_TOKEN": ""}, "run")
    assert token.returncode == 1 and "BotFather" in token.stderr


def test_keygen_writes_a_dev_env_once(tmp_path: Path) -> None:
    target = tmp_path / ".env"
    first = runner.invoke(app, ["keygen", "--write-env", str(target)])
    assert first.exit_code == 0
    text = target.read_text()
    runner.invoke(app, ["keygen", "--write-env", str(target)])
    assert target.read_text() == text and text.startswith("EXIT_DATA_KEY=")


def test_backup_and_purge(env: dict[str, str], tmp_path: Path) -> None:
    cli(env, "services", "add", "Oak House")
    invite_by_cli(env, "C.D.")
    assert cli(env, "backup", str(tmp_path / "copy.sqlite3")).returncode == 0
    copy_env = {**env, "EXIT_DATABASE": str(tmp_path / "copy.sqlite3")}
    assert len(json.loads(cli(copy_env, "interviews", "list", "--json").stdout)) == 1
    purged = cli(env, "purge")
    assert "Erased 0 interview(s)" in purged.stdout


def test_report_export_and_html_transcript_from_the_command_line(
    env: dict[str, str], tmp_path: Path
) -> None:
    first = cli(env, "chat", "--flow", "children-home", "--real", stdin="1\n1\n2\n")
    interview_id = first.stdout.rsplit("--resume ", 1)[1].split()[0]
    page = tmp_path / "t.html"
    assert (
        cli(env, "transcript", interview_id, "--format", "html", "--out", str(page)).returncode == 0
    )
    assert "Original question: Were you happy living here?" in page.read_text()
    exported = cli(env, "export", "--flow", "children-home", "--format", "csv")
    assert exported.returncode == 0 and "happy_living_here" in exported.stdout
    report = tmp_path / "r.html"
    made = cli(
        env, "report", "--flow", "children-home", "--from", "2020-01-01", "--out", str(report)
    )
    assert made.returncode == 0, made.stderr
    assert "Who took part" in report.read_text()
    added = cli(
        env,
        "followup",
        "add",
        interview_id,
        "--text",
        "Check rota",
        "--to",
        "CSM",
        "--due",
        "2020-01-02",
    )
    assert added.returncode == 0
    assert "Check rota" in cli(env, "followup", "list", "--overdue").stdout
    refused = cli(env, "export", "--flow", "children-home", "--as", "999")
    assert refused.returncode == 1 and "staff list" in refused.stderr


def test_staff_add_on_a_registered_id_refuses_or_says_what_changed(env: dict[str, str]) -> None:
    for home in ("Oak House", "Elm House"):
        cli(env, "services", "add", home)
    first = ["staff", "add", "7", "--name", "Rhian", "--role", "reviewer", "--service", "Oak House"]
    assert cli(env, *first).returncode == 0
    again = cli(env, "staff", "add", "7", "--name", "Someone", "--role", "admin")
    assert again.returncode == 1 and "already registered (Rhian" in again.stderr
    changed = cli(
        env,
        "staff",
        "add",
        "7",
        "--name",
        "Rhian",
        "--role",
        "interviewer",
        "--service",
        "Elm House",
        "--update",
    )
    assert changed.returncode == 0
    assert "Role: reviewer → interviewer" in changed.stdout
    assert "No longer covers: Oak House" in changed.stdout
    assert "Now also covers: Elm House" in changed.stdout


def test_a_recommendation_due_in_the_past_is_warned_about(env: dict[str, str]) -> None:
    cli(env, "services", "add", "Oak House")
    made = invite_by_cli(env, "A", "Oak House", "--json")
    interview_id = json.loads(made.stdout)["interview_id"]
    added = cli(
        env, "followup", "add", interview_id, "--text", "x", "--to", "CSM", "--due", "2020-01-01"
    )
    assert added.returncode == 0 and "is in the past" in added.stderr


def test_the_list_of_welsh_strings_is_up_to_date() -> None:
    """docs/welsh-strings.md is what a Welsh reviewer reads; it must hold every string."""
    directory = load_help_directory()
    made = welsh_catalogue(load_flows(directory=directory), directory)
    written = (ROOT / "docs" / "welsh-strings.md").read_text(encoding="utf-8")
    assert written == made, "run: exit-interviews flows welsh --out docs/welsh-strings.md"
    for phrase in ("Hepgor", "Dweud mwy wrtha i", "Mae'n ddrwg gen i", "Rydych chi'n gadael"):
        assert phrase in written


def test_tasks_from_the_command_line(env: dict[str, str]) -> None:
    cli(env, "services", "add", "Oak House")
    made = invite_by_cli(env, "A", "Oak House", "--json")
    interview_id = json.loads(made.stdout)["interview_id"]
    added = cli(
        env, "followup", "add", interview_id, "--text", "x", "--to", "CSM", "--due", "2030-01-01"
    )
    assert "not registered with the bot" in added.stdout
    listed = json.loads(cli(env, "tasks", "list", "--json").stdout)
    (by_hand,) = [t for t in listed if t["kind"] == "send_by_hand"]
    assert by_hand["interview"] == interview_id and "CSM" in by_hand["what"]
    mine = cli(env, "tasks", "list", "--mine")
    assert mine.returncode == 1 and "--as" in mine.stderr
    closed = cli(env, "tasks", "close", by_hand["ref"], "--note", "Posted it")
    assert closed.returncode == 0, closed.stderr
    again = cli(env, "tasks", "close", by_hand["ref"], "--note", "twice")
    assert again.returncode == 1 and "already closed" in again.stderr
    template = cli(env, "followup", "thank", interview_id)
    assert "What happens next" in template.stdout or "what will happen next" in template.stdout
    unsent = cli(env, "followup", "thank", interview_id, "--text", "Thank you")
    assert "cannot be reached" in unsent.stdout
    remaining = json.loads(cli(env, "tasks", "list", "--json").stdout)
    assert [t["kind"] for t in remaining] == ["thanks_undelivered"]
    readers = cli(env, "interviews", "readers", interview_id, "--none")
    assert readers.returncode == 0, readers.stderr


def test_invite_with_support_chooses_the_version_and_records_it(env: dict[str, str]) -> None:
    cli(env, "services", "add", "Oak House")
    easy = json.loads(
        invite_by_cli(env, "A", "Oak House", "--support", "easy-read", "--json").stdout
    )
    listed = json.loads(cli(env, "interviews", "list", "--json").stdout)
    (row,) = [r for r in listed if r["id"] == easy["interview_id"]]
    assert row["flow"] == "children-home-easy-read"
    helped = invite_by_cli(env, "B", "Oak House", "--support", "worker", "--json")
    interview_id = json.loads(helped.stdout)["interview_id"]
    shown = cli(env, "transcript", interview_id)
    assert "Support: supported: an adult helped" in shown.stdout
    wrong = invite_by_cli(env, "C", "Oak House", "--support", "sometimes")
    assert wrong.returncode == 1 and "none, easy-read, worker" in wrong.stderr
