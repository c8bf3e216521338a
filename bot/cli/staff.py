"""`exit-interviews staff`: who may use the staff side."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.common import data_row, fail, operator, out, run_with_context, staff_app

if TYPE_CHECKING:
    from bot.core.context import AppContext
    from bot.core.reach import Reach
    from storage.records import Role, StaffMember


@staff_app.command("add")
def staff_add(
    user_id: int,
    name: Annotated[str, typer.Option(help="Their name, as colleagues know it.")],
    role: Annotated[str, typer.Option(help="interviewer, reviewer or admin.")],
    service: Annotated[
        list[str] | None, typer.Option(help="A home or service they cover; repeat for more.")
    ] = None,
    update: Annotated[
        bool, typer.Option("--update", help="Change someone already registered.")
    ] = False,
    email: Annotated[
        str | None, typer.Option(help="Their work e-mail address, to sign in to the console.")
    ] = None,
) -> None:
    """Register a member of staff by Telegram user id (they can find it with /whoami)."""
    from bot.console.app import console_access
    from bot.core.reach import check_reach
    from storage.records import ROLES

    if role not in ROLES:
        fail("--role must be interviewer, reviewer or admin.")
    if email is not None and "@" not in email:
        fail("--email must be a work e-mail address, like name@council.gov.uk.")

    async def work(context: AppContext) -> tuple[StaffMember | None, Reach, list[str]]:
        existing = await context.storage.staff.get(user_id)
        if existing is not None and not update:
            fail(
                f"{user_id} is already registered ({existing.name}, {existing.role}, "
                f"{', '.join(existing.services) or 'no homes'}). To change them, run this "
                "again with --update; it will say what changed."
            )
        role_value: Role = role
        await context.storage.staff.add(
            user_id, name, role_value, service or [], operator(), context.clock()
        )
        console = await console_access(context, user_id, email, role, operator()) if email else []
        return existing, await check_reach(context.settings, user_id), console

    existing, reach, console = run_with_context(work)
    if existing is None:
        out.print(f"{name} ({user_id}) is registered as {role}.", highlight=False, markup=False)
    else:
        for change in staff_changes(existing, name, role, service or []):
            out.print(change, highlight=False, markup=False)
    say_reach(user_id, reach)
    for line in console:
        out.print(line, highlight=False, markup=False)


def staff_changes(before: StaffMember, name: str, role: str, services: list[str]) -> list[str]:
    """What an --update changed, line by line; 'nothing' if nothing did."""
    changes = []
    if before.name != name:
        changes.append(f"Name: {before.name} → {name}")
    if before.role != role:
        changes.append(f"Role: {before.role} → {role}")
    removed = sorted(set(before.services) - set(services))
    added = sorted(set(services) - set(before.services))
    if removed:
        changes.append("No longer covers: " + ", ".join(removed))
    if added:
        changes.append("Now also covers: " + ", ".join(added))
    return changes or [f"{before.user_id} is registered as before; nothing changed."]


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
    from bot.core.reach import check_reach

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
