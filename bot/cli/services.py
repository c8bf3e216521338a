"""`exit-interviews services`: the homes and fostering services invitations and staff name."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from bot.cli.common import data_row, operator, out, run_with_context, services_app

if TYPE_CHECKING:
    from bot.core.context import AppContext
    from storage.services import ServiceRecord


@services_app.command("add")
def services_add(
    name: Annotated[str, typer.Argument(help="The home's or service's name.")],
) -> None:
    """Add a home or fostering service, so invitations and staff can name it."""

    async def work(context: AppContext) -> bool:
        return await context.storage.services.add(name, operator(), context.clock())

    added = run_with_context(work)
    out.print(
        f"{name} is {'added' if added else 'already on the list'}.", highlight=False, markup=False
    )


@services_app.command("list")
def services_list() -> None:
    """List the homes and services, and warn where no reviewer covers one."""

    async def work(context: AppContext) -> list[ServiceRecord]:
        return await context.storage.services.listed()

    table = Table("home or service", "reviewers", "all staff", "")
    for record in run_with_context(work):
        warning = "" if record.reviewers else "⚠ no reviewer: only admins are alerted"
        data_row(table, record.name, record.reviewers, record.staff, warning)
    out.print(table)


@services_app.command("remove")
def services_remove(name: str) -> None:
    """Take a home or service off the list (its interviews and staff stay as they are)."""

    async def work(context: AppContext) -> None:
        await context.storage.services.remove(name, operator(), context.clock())

    run_with_context(work)
    out.print(f"{name} is off the list.", highlight=False, markup=False)
