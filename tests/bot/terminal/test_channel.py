"""The terminal channel, driven through `exit-interviews chat` as a person or a pipe would."""

from __future__ import annotations

import io
import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import cast

from rich.console import Console

from bot.core.context import AppContext
from bot.terminal.channel import TerminalChannel
from flows.outputs import Button, Message
from storage import new_key
from tests.bot.commandline import ROOT, cli


def test_a_whole_interview_piped_into_the_terminal(env: dict[str, str]) -> None:
    answers = ["1", "2", "1", "no", "3", "1", "2", "1", "1", "They packed my things with me", "1"]
    answers += ["/skip"] * 60 + ["1"]
    result = cli(env, "chat", "--flow", "children-home", "--real", stdin="\n".join(answers) + "\n")
    assert result.returncode == 0, result.stderr
    assert "Were you happy living here?" in result.stdout
    assert "Here is what you told us" in result.stdout
    assert "Good luck with your move!" in result.stdout
    listed = json.loads(cli(env, "interviews", "list", "--json").stdout)
    record = json.loads(cli(env, "transcript", listed[0]["id"], "--format", "json").stdout)
    answered = {q["id"]: q["answer"] for q in record["questions"] if q["answer"]}
    assert answered == {
        "fewer_people": "no",
        "happy_living_here": "yes",
        "live_somewhere_else": "no",
        "asked_what_you_wanted": "not_sure",
        "happy_leaving": "yes",
        "who_decided": "together",
        "stay_longer": "yes",
        "helped_get_ready": "yes",
        "what_helped": "They packed my things with me",
    }


def test_the_terminal_completes_and_controls_work(env: dict[str, str]) -> None:
    script = ["1", "/skip", "/back", "3", "/help", "/pause", "carry on"]
    script += ["/skip"] * 70 + ["1"]
    result = cli(env, "chat", "--flow", "children-home", "--real", stdin="\n".join(script) + "\n")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "Childline" in out and "we have paused" in out and "Welcome back" in out
    assert "Good luck with your move!" in out
    listed = json.loads(cli(env, "interviews", "list", "--json").stdout)
    assert listed[0]["status"] == "completed"


def test_end_of_input_pauses_and_resume_carries_on(env: dict[str, str]) -> None:
    first = cli(env, "chat", "--flow", "children-home", "--real", stdin="1\n2\n1\n")
    assert first.returncode == 0
    assert "End of input: the interview is paused and saved" in first.stdout
    interview_id = first.stdout.rsplit("--resume ", 1)[1].split()[0]
    second = cli(env, "chat", "--resume", interview_id, "--real", stdin="2\n")
    assert "Would you have liked to live somewhere else?" in second.stdout
    record = json.loads(cli(env, "transcript", interview_id, "--format", "json").stdout)
    answered = {q["id"]: q["answer"] for q in record["questions"] if q["answer"]}
    assert answered == {
        "fewer_people": "no",
        "happy_living_here": "yes",
        "live_somewhere_else": "no",
    }


def test_practice_interviews_stay_out_of_real_lists_and_the_hint_works(
    env: dict[str, str], tmp_path: Path
) -> None:
    first = cli(env, "chat", "--flow", "children-home", stdin="1\n2\n1\n")
    assert "paused and saved" in first.stdout
    assert json.loads(cli(env, "interviews", "list", "--json").stdout) == []
    hint = first.stdout.rsplit("To carry on, run:", 1)[1].split()
    assert hint[1:3] == ["-m", "bot"] and hint[3:5] == ["chat", "--resume"]
    second = cli(env, *hint[3:], stdin="2\n")
    assert "Would you have liked to live somewhere else?" in second.stdout
    practice = {**env, "EXIT_DATABASE": env["EXIT_PRACTICE_DATABASE"]}
    listed = json.loads(cli(practice, "interviews", "list", "--json").stdout)
    assert [row["name"] for row in listed] == ["Practice interview"]


def test_the_resume_hint_under_make_is_a_make_command(env: dict[str, str]) -> None:
    result = cli({**env, "MAKELEVEL": "1"}, "chat", "--flow", "children-home", stdin="1\n")
    assert "make chat RESUME=iv-" in result.stdout


def test_end_of_input_while_paused_leaves_it_paused(env: dict[str, str]) -> None:
    first = cli(env, "chat", "--flow", "children-home", "--real", stdin="1\n/pause\n")
    assert "we have paused" in first.stdout and "paused and saved" in first.stdout
    assert "Welcome back" not in first.stdout
    listed = json.loads(cli(env, "interviews", "list", "--json").stdout)
    assert listed[0]["status"] == "paused"


def read_until(process: subprocess.Popen[str], wanted: str, timeout: float = 60.0) -> str:
    """What the process printed up to `wanted`; fails (rather than hangs) if it never comes.
    Reads the pipe directly, so nothing waits unseen in a buffer."""
    assert process.stdout is not None
    descriptor = process.stdout.fileno()
    seen = b""
    deadline = time.monotonic() + timeout
    while wanted.encode() not in seen:
        remaining = deadline - time.monotonic()
        ready, _, _ = select.select([descriptor], [], [], max(remaining, 0))
        assert ready, f"{wanted!r} did not appear within {timeout} s; saw: {seen[-300:]!r}"
        chunk = os.read(descriptor, 65536)
        assert chunk, f"the terminal ended before {wanted!r}; saw: {seen[-300:]!r}"
        seen += chunk
    return seen.decode("utf-8", errors="replace")


def test_ctrl_c_pauses_saves_and_says_how_to_carry_on(env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "chat", "--flow", "children-home", "--real"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={"PATH": "/usr/bin:/bin", "EXIT_ENV_FILE": "", **env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
    )
    assert process.stdin is not None and process.stdout is not None
    process.stdin.write("1\n")
    process.stdin.flush()
    read_until(process, "Do you want fewer people to see your answers?")
    process.send_signal(signal.SIGINT)
    rest = read_until(process, "chat --resume")
    assert process.wait(timeout=60) == 0
    assert "Stopped with Ctrl-C: the interview is paused and saved" in rest
    assert "chat --resume iv-" in rest
    listed = json.loads(cli(env, "interviews", "list", "--json").stdout)
    assert listed[0]["status"] == "paused"


def test_a_dotenv_in_the_working_folder_is_never_read(tmp_path: Path) -> None:
    folder = tmp_path / "elsewhere"
    folder.mkdir()
    (folder / ".env").write_text(f"EXIT_DATA_KEY={new_key()}\n")
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    env["EXIT_DATABASE"] = str(tmp_path / "x.sqlite3")
    run = [sys.executable, "-m", "bot", "interviews", "list"]
    ignored = subprocess.run(
        run, env={**env, "EXIT_ENV_FILE": ""}, cwd=folder, capture_output=True, text=True
    )
    assert ignored.returncode == 1 and "EXIT_DATA_KEY is not set" in ignored.stderr
    named = subprocess.run(
        run,
        env={**env, "EXIT_ENV_FILE": str(folder / ".env")},
        cwd=tmp_path,
        capture_output=True,
        text=True,
    )
    assert named.returncode == 0, named.stderr
    missing = subprocess.run(
        run,
        env={**env, "EXIT_ENV_FILE": str(folder / "nope.env")},
        capture_output=True,
        text=True,
    )
    assert missing.returncode == 1 and "does not exist" in missing.stderr


def test_welsh_in_the_terminal(env: dict[str, str]) -> None:
    result = cli(env, "chat", "--flow", "foster-carer", stdin="Cymraeg\n1\n2\n")
    assert "Hoffech chi gymryd rhan?" in result.stdout
    assert "Hoffech chi i lai o bobl weld eich atebion?" in result.stdout
    assert "Sut mae eich maethu'n dod i ben?" in result.stdout
    assert "Diwedd y mewnbwn: mae'r cyfweliad wedi'i oedi a'i gadw" in result.stdout


def test_numbers_stay_the_same_after_back_and_a_wrong_number_is_never_text(
    env: dict[str, str],
) -> None:
    result = cli(env, "chat", "--flow", "children-home", "--real", stdin="1\n2\n1\n/back\n7\n2\n")
    after_back = result.stdout.split("You said: Yes.", 1)[1]
    assert after_back.index("1. 👍 Yes") < after_back.index("4. ✔ Keep my answer")
    assert "Please type a number from 1 to 4" in after_back
    record = json.loads(cli(env, "transcript", _only_id(env), "--format", "json").stdout)
    answered = {q["id"]: q["answer"] for q in record["questions"] if q["answer"]}
    assert answered["happy_living_here"] == "no"
    assert "7" not in answered.values()


def test_pause_says_the_command_to_carry_on(env: dict[str, str]) -> None:
    result = cli(env, "chat", "--flow", "children-home", "--real", stdin="1\n/pause\n")
    interview_id = _only_id(env)
    said = result.stdout.split("we have paused", 1)[1]
    assert "To carry on later, run:\n  " in said
    assert f"chat --resume {interview_id} --real" in said.split("End of input", 1)[0]


def test_welsh_is_honoured_and_refused_plainly_for_an_english_only_flow(
    env: dict[str, str],
) -> None:
    refused = cli(env, "chat", "--flow", "children-home", "--language", "cy", stdin="1\n")
    assert refused.returncode == 1
    assert "not available in 'cy'" in refused.stderr and "--language en" in refused.stderr
    welsh = cli(
        env, "chat", "--flow", "foster-carer", "--language", "cy", stdin="1\n/start\n/pause\n"
    )
    assert "Hoffech chi gymryd rhan?" in welsh.stdout
    assert "Croeso'n ôl. Dyma ble roeddech chi." in welsh.stdout
    assert "Sorry" not in welsh.stdout and "To carry on" not in welsh.stdout
    assert "I barhau'n nes ymlaen, rhedwch:" in welsh.stdout


def test_long_lines_wrap_at_word_boundaries_to_the_terminal_width() -> None:
    screen = io.StringIO()
    channel = TerminalChannel(cast(AppContext, None), Console(file=screen, width=40))
    text = "Would you have liked somebody to explain what happens next, before you moved?"
    channel.show(Message(text, buttons=((Button("A rather long answer to choose", "a"),),)))
    lines = screen.getvalue().splitlines()
    assert all(len(line) <= 40 for line in lines)
    assert " ".join(" ".join(lines).split()).startswith(text)
    assert all(word in text.split() for line in lines[:2] for word in line.split())


def _only_id(env: dict[str, str]) -> str:
    listed = json.loads(cli(env, "interviews", "list", "--json").stdout)
    assert len(listed) == 1
    return str(listed[0]["id"])
