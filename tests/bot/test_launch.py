"""The `exit-interviews` command itself: its version, and that starting it for help or for a
command that never touches a channel does not load the channels' libraries."""

from __future__ import annotations

import re
import tomllib

from tests.bot.commandline import ROOT, cli

HEAVY = ("telegram", "aiohttp", "matplotlib", "jinja2", "playwright", "pywa")
"""Libraries only the commands that need them may load (each costs tens of milliseconds)."""


def imported_at_start(env: dict[str, str], *args: str) -> set[str]:
    """The top-level packages a run of the command imported, from Python's own import log."""
    result = cli({**env, "PYTHONPROFILEIMPORTTIME": "1"}, *args)
    return {
        line.split("|")[-1].strip().split(".")[0]
        for line in result.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }


def test_version_prints_the_package_version(env: dict[str, str]) -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    result = cli(env, "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"exit-interviews {project['version']}"


def test_help_lists_the_commands_and_the_version_option(env: dict[str, str]) -> None:
    result = cli(env, "--help")
    assert result.returncode == 0, result.stderr
    for word in ("--version", "chat", "run", "flows", "invite"):
        assert re.search(rf"(?m)[│ ]{re.escape(word)}\b", result.stdout), word


def test_help_and_flow_checks_leave_the_channels_unloaded(env: dict[str, str]) -> None:
    for args in (["--help"], ["flows", "check"], ["keygen"]):
        loaded = imported_at_start(env, *args)
        assert "typer" in loaded, "the import log was read"
        assert not loaded & set(HEAVY), (args, loaded & set(HEAVY))
