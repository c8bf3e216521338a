"""Every `exit-interviews` command the README shows runs, in the README's order, against a
practice database built here: so the README cannot drift from the code.

Placeholders (USER_ID, iv-0123456789, t-1a2b3c4d, r-1a2b3c4d) are replaced by real ids made
by the commands before them. Commands that start a network service (`run`, `web`) are not
started: their `--help` must exist and must list every option the README gives them."""

from __future__ import annotations

import itertools
import json
import re
import shlex
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import Result
from typer.testing import CliRunner

from bot.launch import app
from storage import new_key

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
SH_BLOCK = re.compile(r"^[ \t]*```sh[ \t]*\n(.*?)^[ \t]*```", re.S | re.M)
PROGRAMS = {"exit-interviews", ".venv/bin/exit-interviews"}
SERVICES = {"run", "web"}
"""Commands that listen on the network or reach Telegram: only their --help is run."""
OPTIONAL = re.compile(r"\[([^\]]*)\]")
UNKNOWN = ("No such option", "No such command", "Got unexpected extra argument")


def readme_commands() -> Iterator[tuple[int, list[str]]]:
    """Each `exit-interviews ...` line of each ```sh block (line number, arguments after
    the program), with comments dropped and optional [parts] all given."""
    text = README.read_text(encoding="utf-8")
    for block in SH_BLOCK.finditer(text):
        first = text.count("\n", 0, block.start(1)) + 1
        for offset, line in enumerate(block.group(1).splitlines()):
            words = shlex.split(OPTIONAL.sub(r"\1", line), comments=True)
            if words and words[0] in PROGRAMS:
                yield first + offset, words[1:]


def test_the_readme_has_commands_to_check() -> None:
    found = [words[0] for _, words in readme_commands()]
    assert {"keygen", "services", "staff", "invite", "run", "tasks", "report"} <= set(found)


@dataclass
class Practice:
    """A practice database in a temporary folder, and the real ids made so far."""

    folder: Path
    env: dict[str, str]
    ids: dict[str, str] = field(default_factory=dict)

    def run(self, *args: str) -> Result:
        """The command as `exit-interviews` runs it, in this process (a new interpreter for
        each of the README's commands would take minutes on a busy machine)."""
        return CliRunner().invoke(app, list(args), env=self.env, catch_exceptions=False)

    def json(self, *args: str) -> object:
        done = self.run(*args)
        assert done.exit_code == 0, done.stderr
        return json.loads(done.stdout)

    def interview(self) -> str:
        listed = self.json("interviews", "list", "--json")
        assert isinstance(listed, list) and listed, "the README invites nobody before this line"
        return str(listed[-1]["id"])

    def recommendation(self) -> str:
        if "recommendation" not in self.ids:
            made = self.run(
                "followup", "add", self.interview(), "--text", "Check the rota",
                "--to", "Someone Else", "--due", "2030-01-01",
            )  # fmt: skip
            assert made.exit_code == 0, made.stderr
            self.ids["recommendation"] = made.stdout.split("Recommendation ", 1)[1].split()[0]
        return self.ids["recommendation"]

    def task(self) -> str:
        self.recommendation()
        tasks = self.json("tasks", "list", "--json")
        assert isinstance(tasks, list) and tasks
        return str(tasks[0]["ref"])

    def real(self, word: str) -> str:
        """`word` with any placeholder replaced by a real id from this database."""
        makers = {
            "USER_ID": lambda: self.ids["admin"],
            "iv-0123456789": self.interview,
            "t-1a2b3c4d": self.task,
            "r-1a2b3c4d": self.recommendation,
        }
        for placeholder, make in makers.items():
            if placeholder in word:
                word = word.replace(placeholder, make())
        return word


def test_every_command_in_the_readme_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    env = {
        "EXIT_ENV_FILE": "",
        "EXIT_DATABASE": str(tmp_path / "practice.sqlite3"),
        "EXIT_PRACTICE_DATABASE": str(tmp_path / "practice-chat.sqlite3"),
        "EXIT_DATA_KEY": new_key(),
    }
    practice = Practice(tmp_path, env, {"admin": "123456789"})
    for line, words in readme_commands():
        where = f"README.md line {line}: exit-interviews {shlex.join(words)}"
        if words[0] in SERVICES:
            helped = practice.run(words[0], "--help")
            assert helped.exit_code == 0, f"{where}\n{helped.output}"
            for option in (w.split("=", 1)[0] for w in words if w.startswith("--")):
                assert option in helped.stdout, f"{where}: {option} is not an option of it"
            continue
        done = practice.run(*(practice.real(word) for word in words))
        assert not any(u in done.output for u in UNKNOWN), f"{where}\n{done.output}"
        assert done.exit_code == 0, f"{where}\n{done.output}"
        for option, value in itertools.pairwise(words):
            if option == "--out":
                written = tmp_path / practice.real(value)
                assert written.exists() and written.stat().st_size > 0, f"{where}: no {value}"
