"""What every command shares: settings, errors that say what to do, the database, the actor."""

from __future__ import annotations

import contextlib
import getpass
import os
import sys
import tempfile
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

if TYPE_CHECKING:
    from bot.core.config import Settings
    from bot.core.context import AppContext
    from storage import Actor

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Independent exit interviews for children's social care.",
)
flows_app = typer.Typer(no_args_is_help=True, help="Check and read the interview flows.")
invite_app = typer.Typer(no_args_is_help=True, help="Invite someone to an interview.")
interviews_app = typer.Typer(no_args_is_help=True, help="List interviews.")
staff_app = typer.Typer(no_args_is_help=True, help="Register and remove staff.")
followup_app = typer.Typer(
    no_args_is_help=True,
    help="Recommendations after an interview, their responses, and thanking the young person.",
)
app.add_typer(flows_app, name="flows")
app.add_typer(invite_app, name="invite")
app.add_typer(interviews_app, name="interviews")
app.add_typer(staff_app, name="staff")
app.add_typer(followup_app, name="followup")
tasks_app = typer.Typer(no_args_is_help=True, help="The follow-ups people owe.")
app.add_typer(tasks_app, name="tasks")
services_app = typer.Typer(no_args_is_help=True, help="The homes and fostering services.")
app.add_typer(services_app, name="services")

LONGEST_ARGUMENT = 2_000
"""No name, message, path or id a person types is longer; anything longer is a mistake (or
an attack on a log or a table) and is refused before any work is done."""


def refuse_long_arguments() -> None:
    """Refuse any argument longer than LONGEST_ARGUMENT before a command runs (called from
    the one root callback in bot/launch.py: typer keeps only one)."""
    for argument in sys.argv[1:]:
        if len(argument) > LONGEST_ARGUMENT:
            fail(
                f"An argument is {len(argument):,} characters long; the limit is "
                f"{LONGEST_ARGUMENT:,}. Shorten it (a long message can be sent in parts)."
            )


out = Console(width=None if sys.stdout.isatty() else 160, soft_wrap=not sys.stdout.isatty())
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")


def settings() -> Settings:
    from pydantic import ValidationError

    from bot.core.config import load_settings

    try:
        return load_settings()
    except FileNotFoundError as error:
        fail(str(error))
    except ValidationError as error:
        problems = "; ".join(
            f"EXIT_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors()
        )
        fail(f"The configuration is not valid: {problems}")


def fail(message: str) -> NoReturn:
    err.print(f"[red]Error:[/red] {message}", highlight=False)
    raise typer.Exit(1)


def operator() -> Actor:
    from storage import Actor

    return Actor.for_operator(getpass.getuser())


def run_with_context(
    work: Callable[[AppContext], Awaitable[T]], config: Settings | None = None, warn: bool = True
) -> T:
    """Open the database and flows, run `work`, and turn known errors into clear messages;
    then warn of backups and exports made stale by an erasure."""
    import asyncio

    from bot.core.answer import UnknownFlowError
    from bot.core.config import ConfigurationError
    from bot.core.context import open_context
    from flows import FlowError
    from storage import StorageError

    async def main() -> T:
        async with open_context(config or settings()) as context:
            result = await work(context)
            if warn:
                await warn_of_stale_copies(context)
            return result

    try:
        return asyncio.run(main())
    except (StorageError, FlowError, ConfigurationError, UnknownFlowError) as error:
        fail(str(error))
    except OverflowError:
        fail("A number given is too large. Check it (user ids and counts are whole numbers).")
    except ValueError as error:
        fail(str(error))
    except OSError as error:
        fail(
            f"A file could not be written or read ({_fault(error)}). Check the path exists, "
            "that there is disk space, and that this user may write there; then try again."
        )
    raise AssertionError("unreachable")


def _fault(error: OSError) -> str:
    """What kind of fault, without the paths or values inside the exception's text."""
    return error.strerror or type(error).__name__


async def warn_of_stale_copies(context: AppContext) -> None:
    """Say which backups and exports still hold interviews erased since they were made,
    until the files are deleted (a copy whose file is gone is forgotten)."""
    import asyncio

    copies = context.storage.retention.copies
    for copy in await copies.stale():
        if not await asyncio.to_thread(os.path.lexists, copy.path):
            await copies.forget(copy.id)
            continue
        err.print(
            f"[yellow]Warning:[/yellow] the {copy.kind} {copy.path} (made {copy.made_at[:16]}) "
            f"is out of date: it still holds an interview erased on {copy.stale_at[:10]}. "
            "Delete it (make a new one if you need it); this warning stops once it is gone.",
            highlight=False,
            markup=True,
        )


def record_copy(
    kind: str, path: Path, interview_ids: list[str] | None = None, flow_id: str | None = None
) -> None:
    """Remember a backup or export written to a file, so that an erasure can mark it stale."""

    where = str(path.resolve())

    async def work(context: AppContext) -> None:
        await context.storage.retention.copies.record(
            kind, where, context.clock(), interview_ids, flow_id
        )

    run_with_context(work)


AsStaff = Annotated[
    int | None,
    typer.Option(
        "--as", help="Act as this registered staff member (their homes or services only)."
    ),
]


async def acting_as(context: AppContext, user_id: int | None) -> Actor:
    """The operator, or a named member of staff whose limits then apply to this command."""
    from storage import Actor

    if user_id is None:
        return operator()
    member = await context.storage.staff.get(user_id)
    if member is None:
        fail(f"No current member of staff has user id {user_id}. See 'exit-interviews staff list'.")
    return Actor.for_staff(member)


def write_out(data: bytes | str, out_file: Path | None) -> None:
    """Write to a file if one is named, else to standard output."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if out_file is None:
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    try:
        write_private(out_file, raw)
    except OSError as error:
        fail(
            f"Could not write {out_file} ({_fault(error)}). Check the folder exists and this "
            "user may write there, or choose another --out."
        )
    err.print(f"Written to {out_file}.", highlight=False)


def write_private(path: Path, raw: bytes) -> None:
    """A new file readable by its owner only (mode 0600) replaces whatever was at `path`,
    whose mode is never kept; a symbolic link there is refused, never followed, so an export
    cannot be steered into another file or left readable by others."""
    if path.is_symlink():
        fail(f"{path} is a symbolic link; give the real path of a file to write instead.")
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".exit-interviews-")
    try:
        with os.fdopen(handle, "wb") as file:
            os.fchmod(file.fileno(), 0o600)
            file.write(raw)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be a date like 2026-04-01.")


def data_row(table: Table, *cells: object) -> None:
    """Add a row whose cells are shown as themselves: a name like '[/bold]' is text, not
    Rich markup (which would crash the table or restyle it)."""
    table.add_row(*(Text(str(cell)) for cell in cells))
