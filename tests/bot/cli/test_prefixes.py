"""Ids typed as their shortest unique prefix, and lists that show that prefix."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.core.prefixes import shortest_prefixes
from storage import Actor, Storage
from storage.crypto import Cipher
from tests.bot.commandline import cli


def test_the_shortest_prefix_is_unique_and_never_just_the_mark() -> None:
    ids = ["iv-3f9a0c21b7", "iv-3f1b000000", "iv-a000000000", "iv-3e00000000"]
    short = shortest_prefixes(ids)
    assert short == {
        "iv-3f9a0c21b7": "iv-3f9",
        "iv-3f1b000000": "iv-3f1",
        "iv-a000000000": "iv-a",
        "iv-3e00000000": "iv-3e",
    }
    assert shortest_prefixes(["t-1a2b3c4d"]) == {"t-1a2b3c4d": "t-1"}


async def _many_interviews(env: dict[str, str], count: int) -> list[str]:
    storage = await Storage.open(Path(env["EXIT_DATABASE"]), Cipher(env["EXIT_DATA_KEY"]))
    at = datetime(2026, 5, 1, tzinfo=UTC)
    made = []
    try:
        for number in range(count):
            invitation = await storage.interviews.invite(
                flow_id="children-home",
                flow_version="1",
                display_name=f"Person {number}",
                service=None,
                language=None,
                expires_at=at + timedelta(days=30),
                actor=Actor.for_operator("test"),
                at=at,
            )
            made.append(invitation.interview_id)
    finally:
        await storage.close()
    return made


async def test_the_command_line_takes_prefixes_and_lists_show_them(env: dict[str, str]) -> None:
    made = await _many_interviews(env, 20)
    listed = json.loads(cli(env, "interviews", "list", "--json").stdout)
    short = {row["id"]: row["short"] for row in listed}
    assert short == shortest_prefixes(made)
    table = cli(env, "interviews", "list").stdout
    assert all(prefix in table for prefix in short.values())

    one = made[0]
    by_prefix = cli(env, "transcript", short[one], "--format", "json")
    assert by_prefix.returncode == 0, by_prefix.stderr
    assert json.loads(by_prefix.stdout)["interview"]["id"] == one
    without_mark = cli(env, "transcript", short[one].removeprefix("iv-"), "--format", "json")
    assert json.loads(without_mark.stdout)["interview"]["id"] == one

    # 20 ids over 16 hex digits: at least two share their first digit.
    first, _ = Counter(i[3] for i in made).most_common(1)[0]
    ambiguous = cli(env, "transcript", f"iv-{first}")
    assert ambiguous.returncode == 1
    assert "more than one interview" in ambiguous.stderr and "Type more of it" in ambiguous.stderr
    unknown = cli(env, "transcript", "iv-zz")
    assert unknown.returncode == 1 and "exit-interviews interviews list" in unknown.stderr


def test_tasks_recommendations_and_resume_take_prefixes(env: dict[str, str]) -> None:
    cli(env, "services", "add", "Oak House")
    made = cli(
        env,
        "invite",
        "create",
        "--flow",
        "children-home",
        "--name",
        "A",
        "--service",
        "Oak House",
        "--json",
    )
    interview_id = json.loads(made.stdout)["interview_id"]
    added = cli(
        env,
        "followup",
        "add",
        interview_id[:4],
        "--text",
        "x",
        "--to",
        "CSM",
        "--due",
        "2030-01-01",
    )
    assert added.returncode == 0, added.stderr
    recommendation = added.stdout.split("Recommendation ", 1)[1].split()[0]
    (task,) = json.loads(cli(env, "tasks", "list", "--json").stdout)
    assert (
        task["short"] == "t-" + task["ref"][2] and task["short"] in cli(env, "tasks", "list").stdout
    )
    closed = cli(env, "tasks", "close", task["short"], "--note", "Posted it")
    assert closed.returncode == 0 and f"Task {task['ref']} closed." in closed.stdout

    responded = cli(env, "followup", "respond", recommendation[:3], "--text", "Done in June")
    assert responded.returncode == 0, responded.stderr
    assert "Done in June" in cli(env, "followup", "list").stdout
    paused = cli(env, "chat", "--flow", "children-home", "--real", stdin="1\n")
    chat_id = paused.stdout.rsplit("--resume ", 1)[1].split()[0]
    mine = shortest_prefixes([interview_id, chat_id])[chat_id]
    resumed = cli(env, "chat", "--resume", mine, "--real", stdin="2\n")
    assert resumed.returncode == 0, resumed.stderr
    assert "Were you happy living here?" in resumed.stdout
