"""Issue 25, items 12 and 13 and stale copies: files the command line writes are new and
private, it never follows a link, never shows a traceback, limits every input, and says
which backups and exports an erasure left out of date."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

from tests.bot.commandline import cli, invite_by_cli


def _invited(env: dict[str, str]) -> str:
    assert cli(env, "services", "add", "Oak House").returncode == 0
    made = invite_by_cli(env, "E.F.", "Oak House", "--json")
    assert made.returncode == 0, made.stderr
    return str(json.loads(made.stdout)["interview_id"])


def test_item_12_out_replaces_an_open_file_with_a_private_one(
    env: dict[str, str], tmp_path: Path
) -> None:
    interview_id = _invited(env)
    target = tmp_path / "transcript.md"
    target.write_text("old")
    target.chmod(0o644)
    written = cli(env, "transcript", interview_id, "--format", "markdown", "--out", str(target))
    assert written.returncode == 0, written.stderr
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert "old" not in target.read_text()


def test_item_12_out_never_follows_a_symbolic_link(env: dict[str, str], tmp_path: Path) -> None:
    interview_id = _invited(env)
    elsewhere = tmp_path / "elsewhere.txt"
    elsewhere.write_text("untouched")
    link = tmp_path / "link.md"
    os.symlink(elsewhere, link)
    refused = cli(env, "transcript", interview_id, "--out", str(link))
    assert refused.returncode == 1
    assert "symbolic link" in refused.stderr and "Traceback" not in refused.stderr
    assert elsewhere.read_text() == "untouched"


def test_item_13_huge_numbers_and_backup_faults_give_a_message_not_a_traceback(
    env: dict[str, str], tmp_path: Path
) -> None:
    huge = cli(env, "staff", "remove", "9" * 40)
    assert huge.returncode != 0 and "Traceback" not in huge.stderr + huge.stdout
    assert "too large" in huge.stderr
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    fault = cli(env, "backup", str(blocked / "copy.sqlite3"))
    assert fault.returncode == 1 and "Traceback" not in fault.stderr
    assert "try again" in fault.stderr


def test_item_13_every_argument_has_a_length_limit(env: dict[str, str]) -> None:
    refused = cli(env, "services", "add", "x" * 100_000)
    assert refused.returncode == 1 and "limit is 2,000" in refused.stderr
    assert "x" * 100 not in cli(env, "services", "list").stdout


def test_backups_and_exports_made_before_an_erasure_say_they_are_out_of_date(
    env: dict[str, str], tmp_path: Path
) -> None:
    interview_id = _invited(env)
    backup = tmp_path / "before.sqlite3"
    export = tmp_path / "before.md"
    assert cli(env, "backup", str(backup)).returncode == 0
    assert cli(env, "transcript", interview_id, "--out", str(export)).returncode == 0
    assert "out of date" not in cli(env, "services", "list").stderr
    erased = cli(env, "erase", interview_id, "--yes")
    assert erased.returncode == 0
    assert str(backup) in erased.stderr and str(export) in erased.stderr
    later = cli(env, "services", "list")
    assert "out of date" in later.stderr and str(backup) in later.stderr
    backup.unlink()
    export.unlink()
    assert "out of date" not in cli(env, "services", "list").stderr
