"""`exit-interviews store copy`: an operator moves an installation to PostgreSQL."""

from __future__ import annotations

from urllib.parse import urlsplit

from storage.postgres.address import LOCAL_FOLDER
from tests import postgres
from tests.bot.commandline import ROOT, cli, invite_by_cli


def _remove_local_files(url: str) -> None:
    """The commands ran in the project folder, where a PostgreSQL store keeps its safety
    journal in data/ under the database's (random, test-only) name: leave nothing there."""
    name = urlsplit(url).path.strip("/")
    for leftover in (ROOT / LOCAL_FOLDER).glob(f"{name}.*"):
        leftover.unlink()


async def test_an_operator_copies_an_installation_and_it_is_served_from_postgresql(
    env: dict[str, str],
) -> None:
    assert cli(env, "services", "add", "Oak House").returncode == 0
    assert invite_by_cli(env, "Test Person B").returncode == 0
    async with postgres.fresh_database() as url:
        try:
            _copy_and_serve(env, url)
        finally:
            _remove_local_files(url)


def _copy_and_serve(env: dict[str, str], url: str) -> None:
    """Copy, serve the old interview from PostgreSQL, and refuse a second copy."""
    copied = cli(env, "store", "copy", "--from", f"sqlite:{env['EXIT_DATABASE']}", "--to", url)
    assert copied.returncode == 0, copied.stderr
    assert "every table's count matches" in copied.stdout
    on_postgres = {**env, "EXIT_DATABASE": url}
    listed = cli(on_postgres, "interviews", "list")
    assert listed.returncode == 0, listed.stderr
    assert "invited" in listed.stdout
    again = cli(env, "store", "copy", "--from", f"sqlite:{env['EXIT_DATABASE']}", "--to", url)
    assert again.returncode == 1
    assert "already holds data" in again.stderr


def test_copying_to_something_other_than_postgresql_says_what_to_give(
    env: dict[str, str],
) -> None:
    refused = cli(env, "store", "copy", "--from", "sqlite:x.sqlite3", "--to", "y.sqlite3")
    assert refused.returncode == 1
    assert "postgresql://" in refused.stderr
