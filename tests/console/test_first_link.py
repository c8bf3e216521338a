"""The first admin's way in: `exit-interviews staff add ... --email` prints a link that
signs them in once, within a day, and takes them to set up their authenticator app."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.console.app import first_sign_in_link
from tests.bot.commandline import cli
from tests.console.conftest import ADMIN, OAK, Browser, Console


def test_staff_add_with_an_email_prints_a_first_sign_in_link_for_an_admin(
    env: dict[str, str],
) -> None:
    env = {**env, "EXIT_WEB_URL": "https://chat.example.org"}
    added = cli(
        env, "staff", "add", "41", "--name", "Ada", "--role", "admin", "--email", "ada@example.org"
    )
    assert added.returncode == 0, added.stderr
    assert "https://chat.example.org/staff with ada@example.org" in added.stdout
    assert re.search(r"https://chat\.example\.org/staff/welcome/[\w-]{40,}", added.stdout)
    refused = cli(env, "staff", "add", "42", "--name", "B", "--role", "admin", "--email", "nope")
    assert refused.returncode != 0 and "work e-mail address" in refused.stdout + refused.stderr


async def test_the_link_signs_in_once_within_a_day(
    console: Console, new_browser: Callable[[], Browser]
) -> None:
    link = await first_sign_in_link(console.app, ADMIN[0])
    path = link.removeprefix(console.base)
    first = new_browser()
    await first.get(path)
    assert first.url.endswith("/staff/enrol") and "<svg" in first.page
    again = new_browser()
    await again.get(path)
    assert again.status == 410 and "has been used" in again.page
    late = await first_sign_in_link(console.app, OAK[0])
    console.clock.advance(hours=24, seconds=1)
    await again.get(late.removeprefix(console.base))
    assert again.status == 410
