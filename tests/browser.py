"""Opening our HTML documents in headless Chromium, as an IRO's browser would; and one
Chromium per test worker that browser tests connect to, instead of each starting its own."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
]


def chromium_or_skip() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        pytest.skip(
            "chromium is not installed here (Debian package 'chromium'; make test "
            "installs it where the machine allows); the browser check did not run"
        )
    return found


def screenshot(
    chromium: str, page: Path, target: Path, width: int = 1100, height: int = 1600
) -> Path:
    profile = target.parent / f".profile-{target.stem}"
    subprocess.run(
        [
            chromium,
            *FLAGS,
            f"--user-data-dir={profile}",
            f"--window-size={width},{height}",
            f"--screenshot={target}",
            page.resolve().as_uri(),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    shutil.rmtree(profile, ignore_errors=True)
    return target


DEVTOOLS = re.compile(r"DevTools listening on (ws://\S+)")
START_SECONDS = 60.0


@contextmanager
def running_chromium(chromium: str) -> Iterator[str]:
    """A headless Chromium with its own throwaway profile, listening for DevTools on a port
    the system chooses (so workers never collide); yields its websocket address, for
    Playwright's `connect_over_cdp`, and stops it afterwards."""
    profile = tempfile.mkdtemp(prefix="chromium-profile-")
    process = subprocess.Popen(
        [chromium, *FLAGS, "--remote-debugging-port=0", f"--user-data-dir={profile}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        yield _devtools_address(process)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)


def _devtools_address(process: subprocess.Popen[str]) -> str:
    """The address Chromium prints once it listens (it says so on standard error)."""
    assert process.stderr is not None
    deadline = time.monotonic() + START_SECONDS
    seen: list[str] = []
    while time.monotonic() < deadline:
        line = process.stderr.readline()
        if not line and process.poll() is not None:
            break
        seen.append(line)
        found = DEVTOOLS.search(line)
        if found:
            return found.group(1)
    raise RuntimeError("chromium did not start: " + "".join(seen[-5:]))
