"""`exit-interviews staff`: who may use the staff side."""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from bot.cli.common import fail, operator, out, run_with_context, staff_app
from bot.core.context import AppContext
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

    async def work(context: AppContext) -> None:
        role_value: Role = role
        await context.storage.staff.add(
            user_id, name, role_value, service or [], operator(), context.clock()
        )

    run_with_context(work)
    out.print(f"{name} ({user_id}) is registered as {role}.", highlight=False)


@staff_app.command("list")
def staff_list() -> None:
    """List current staff, their roles and services."""

    async def work(context: AppContext) -> list[Any]:
        return list(await context.storage.staff.all())

    table = Table("user id", "name", "role", "services")
    for member in run_with_context(work):
        table.add_row(
            str(member.user_id), member.name, member.role, ", ".join(member.services) or "-"
        )
    out.print(table)


@staff_app.command("remove")
def staff_remove(user_id: int) -> None:
    """Remove a member of staff; they lose access at once."""

    async def work(context: AppContext) -> None:
        await context.storage.staff.remove(user_id, operator(), context.clock())

    run_with_context(work)
    out.print(f"User {user_id} removed from staff.")
