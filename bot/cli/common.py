"""What every command shares: settings, errors that say what to do, the database, the actor."""

from __future__ import annotations

import getpass
import sys
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
    work: Callable[[AppContext], Awaitable[T]], config: Settings | None = None
) -> T:
    """Open the database and flows, run `work`, and turn known errors into clear messages."""
    import asyncio

    from bot.core.answer import UnknownFlowError
    from bot.core.config import ConfigurationError
    from bot.core.context import open_context
    from flows import FlowError
    from storage import StorageError

    async def main() -> T:
        async with open_context(config or settings()) as context:
            return await work(context)

    try:
        return asyncio.run(main())
    except (StorageError, FlowError, ConfigurationError, UnknownFlowError) as error:
        fail(str(error))
    except ValueError as error:
        fail(str(error))
    raise AssertionError("unreachable")


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
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_bytes(raw)
    err.print(f"Written to {out_file}.", highlight=False)


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
