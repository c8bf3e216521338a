"""`exit-interviews staff`: who may use the staff side."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.common import data_row, fail, operator, out, run_with_context, staff_app
from bot.core.context import AppContext
from bot.core.reach import Reach, check_reach
from storage.records import ROLES, Role


@staff_app.command("add")
def staff_add(
    user_id: int,
    name: Annotated[str, typer.Option(help="Their name, as colleagues know it.")],
    role: Annotated[str, typer.Option(help="interviewer, reviewer or admin.")],
    service: Annotated[
        list[str] | None, typer.Option(help="A home or service they cover; repeat for more.")
    ] = None,
) -> None:
    """Register a member of staff by Telegram user id (they can find it with /whoami)."""
    if role not in ROLES:
        fail("--role must be interviewer, reviewer or admin.")

    async def work(context: AppContext) -> Reach:
        role_value: Role = role
        await context.storage.staff.add(
            user_id, name, role_value, service or [], operator(), context.clock()
        )
        return await check_reach(context.settings, user_id)

    reach = run_with_context(work)
    out.print(f"{escape(name)} ({user_id}) is registered as {role}.", highlight=False)
    say_reach(user_id, reach)


def say_reach(user_id: int, reach: Reach) -> None:
    """Whether concern alerts can reach this person, loudly when they cannot."""
    if reach.reachable:
        out.print(f"[green]✓[/green] Alerts can reach {user_id}: {escape(reach.why)}.")
    elif reach.reachable is False:
        out.print(
            f"[bold red]⚠ Concern alerts cannot reach {user_id} yet.[/bold red] "
            f"{escape(reach.why)}."
        )
    else:
        out.print(
            f"[yellow]![/yellow] Not checked whether alerts reach {user_id}: {escape(reach.why)}."
        )


@staff_app.command("check")
def staff_check(user_id: int) -> None:
    """Check that concern alerts can reach a member of staff (sends them a short welcome)."""

    async def work(context: AppContext) -> Reach:
        return await check_reach(context.settings, user_id)

    say_reach(user_id, run_with_context(work))


@staff_app.command("list")
def staff_list() -> None:
    """List current staff, their roles and services."""

    async def work(context: AppContext) -> list[Any]:
        return list(await context.storage.staff.all())

    table = Table("user id", "name", "role", "services")
    for member in run_with_context(work):
        data_row(
            table, str(member.user_id), member.name, member.role, ", ".join(member.services) or "-"
        )
    out.print(table)


@staff_app.command("remove")
def staff_remove(user_id: int) -> None:
    """Remove a member of staff; they lose access at once."""

    async def work(context: AppContext) -> None:
        await context.storage.staff.remove(user_id, operator(), context.clock())

    run_with_context(work)
    out.print(f"User {user_id} removed from staff.")
