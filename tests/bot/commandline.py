"""Running `exit-interviews` as a person or a script would: a subprocess with its own
settings, never the developer's .env or data/."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def cli(env: dict[str, str], *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        input=stdin,
        text=True,
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "EXIT_ENV_FILE": "", **env, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def invite_by_cli(
    env: dict[str, str], name: str, service: str = "Oak House", *extra: str
) -> subprocess.CompletedProcess[str]:
    """`invite create` for the children's-home flow, as an operator types it."""
    return cli(
        env,
        "invite",
        "create",
        "--flow",
        "children-home",
        "--name",
        name,
        "--service",
        service,
        *extra,
    )
