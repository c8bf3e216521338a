"""Moving an installation between stores: `exit-interviews store copy`."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer

from bot.cli.common import app, fail, out, settings
from storage import Cipher, Storage, StorageError
from storage.postgres.address import postgres_url
from storage.postgres.copy import CopyReport, copy_store
from storage.postgres.database import PostgresDatabase, redacted

store_app = typer.Typer(no_args_is_help=True, help="Move an installation to PostgreSQL.")
app.add_typer(store_app, name="store")


@store_app.command("copy")
def copy(
    source: Annotated[str, typer.Option("--from", help="The SQLite file: sqlite:PATH.")],
    target: Annotated[
        str, typer.Option("--to", help="A new, empty PostgreSQL database: postgresql://...")
    ],
) -> None:
    """Copy every interview, answer and record into an empty PostgreSQL database, then
    check row counts and a sample of answers. Stop the bot first; the SQLite file is only
    brought up to this version's schema, never emptied. Nothing is kept on PostgreSQL
    unless every check passes."""
    if postgres_url(source) is not None:
        fail(
            "--from must be the SQLite file (sqlite:PATH); copying between two PostgreSQL "
            "databases is pg_dump's job."
        )
    if postgres_url(target) is None:
        fail("--to must be a PostgreSQL address: postgresql://USER@HOST:PORT/DATABASE.")
    config = settings()
    if not config.keys():
        fail(
            "Set EXIT_DATA_KEY to the installation's data key: the copy opens answers to "
            "check them."
        )
    cipher = Cipher(*config.keys())

    async def work() -> CopyReport:
        old = await Storage.open(source, cipher)
        try:
            new = await Storage.open(target, cipher)
            try:
                assert isinstance(new.db, PostgresDatabase)
                return await copy_store(old.db, new.db)
            finally:
                await new.close()
        finally:
            await old.close()

    try:
        report = asyncio.run(work())
    except StorageError as error:
        fail(str(error))
    total = sum(report.rows.values())
    out.print(
        f"Copied {total} rows in {len(report.rows)} tables to {redacted(str(postgres_url(target)))}; "
        f"every table's count matches and {report.answers_checked} sampled answers read the "
        "same. Point EXIT_DATABASE at it, start the bot, and keep the SQLite file as a backup.",
        highlight=False,
    )
