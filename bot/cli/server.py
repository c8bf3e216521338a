"""Running the server: the data key, retention, backups and key rotation."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.common import app, fail, operator, out, run_with_context, settings

if TYPE_CHECKING:
    from bot.core.context import AppContext


@app.command()
def keygen(
    write_env: Annotated[
        Path | None, typer.Option(help="Add the key to this .env file if it has none yet.")
    ] = None,
) -> None:
    """Print a new data key for EXIT_DATA_KEY. Keep a copy: without it, answers cannot be read."""
    from storage import new_key

    key = new_key()
    if write_env is None:
        out.print(key, highlight=False)
        return
    existing = write_env.read_text(encoding="utf-8") if write_env.exists() else ""
    if "EXIT_DATA_KEY=" in existing:
        out.print(f"{write_env} already has a data key; leaving it alone.")
        return
    descriptor = os.open(write_env, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(f"EXIT_DATA_KEY={key}\n")
    write_env.chmod(0o600)
    out.print(f"Wrote a new development data key to {write_env}.")


@app.command()
def purge() -> None:
    """Apply the retention period: erase old interviews and close stale invitations."""

    async def work(context: AppContext) -> str:
        report = await context.storage.retention.purge(
            context.clock(),
            operator(),
            keep_finished_days=context.settings.keep_finished_days,
            invitation_days=context.settings.invitation_days,
        )
        done = (
            f"Erased {report.erased} interview(s) past the retention period; closed "
            f"{report.expired_invitations} unused invitation(s)."
        )
        if report.failed:
            done += (
                f" {len(report.failed)} could not be erased this time "
                f"({', '.join(report.failed)}); the next purge tries them again. If they "
                "still fail, erase each with 'exit-interviews erase ID' to see why."
            )
        return done

    out.print(run_with_context(work))


@app.command()
def backup(path: Path) -> None:
    """Write a consistent copy of the live database to PATH (safe while the bot runs)."""

    async def work(context: AppContext) -> None:
        await context.storage.retention.copies.backup(path, context.clock())
        await context.storage.audit.record(operator(), "backup", context.clock(), detail=str(path))

    run_with_context(work)
    out.print(f"Backup written to {path}.")


@app.command("rotate-key")
def rotate_key() -> None:
    """Re-encrypt all data under EXIT_DATA_KEY. Put the old key in EXIT_PREVIOUS_DATA_KEYS first."""
    from storage.running import DatabaseInUse, RunningLock

    config = settings()
    if not config.previous_data_keys:
        fail(
            "Set EXIT_DATA_KEY to the new key and EXIT_PREVIOUS_DATA_KEYS to a JSON list "
            "holding the old one, e.g. EXIT_PREVIOUS_DATA_KEYS='[\"OLD_KEY\"]'. See SECURITY.md."
        )

    async def work(context: AppContext) -> int:
        return await context.storage.rotate_key(operator(), context.clock())

    try:
        with RunningLock(config.database):
            changed = run_with_context(work)
    except DatabaseInUse as error:
        fail(str(error))
    out.print(
        f"Re-encrypted {changed} value(s) under the new key. Once the bot runs with it, "
        "remove the old key from EXIT_PREVIOUS_DATA_KEYS and destroy it."
    )
