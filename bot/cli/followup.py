"""`exit-interviews followup`: recommendations, responses and thanking the person."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from bot.cli.common import (
    AsStaff,
    acting_as,
    data_row,
    err,
    followup_app,
    out,
    parse_day,
    run_with_context,
)
from bot.core.context import AppContext


@followup_app.command("add")
def followup_add(
    interview_id: str,
    text: Annotated[str, typer.Option(help="The recommended action.")],
    to: Annotated[
        str,
        typer.Option(
            help="Who it is for: a role or a named service, e.g. 'CSM Residential Services'."
        ),
    ],
    due: Annotated[str, typer.Option(help="When a response is due, YYYY-MM-DD.")],
    as_staff: AsStaff = None,
) -> None:
    """Record a recommendation on an interview."""
    due_on = parse_day(due, "--due")
    assert due_on is not None
    if due_on < date.today():
        err.print(
            f"⚠ {due_on} is in the past, so this is overdue at once and reminders start today. "
            "If that is a typo, record it again with the right date.",
            highlight=False,
            markup=False,
        )

    async def work(context: AppContext) -> str:
        actor = await acting_as(context, as_staff)
        return await context.storage.followup.recommend(
            interview_id, text, to, due_on, actor, context.clock()
        )

    out.print(f"Recommendation {run_with_context(work)} recorded, due {due_on}.")


@followup_app.command("respond")
def followup_respond(
    reference: Annotated[str, typer.Argument(help="The recommendation's reference, r-...")],
    text: Annotated[str, typer.Option(help="What action, if any, will be undertaken.")],
    as_staff: AsStaff = None,
) -> None:
    """Record the response to a recommendation."""

    async def work(context: AppContext) -> None:
        actor = await acting_as(context, as_staff)
        await context.storage.followup.respond(reference, text, actor, context.clock())

    run_with_context(work)
    out.print(f"Response to recommendation {reference} recorded.", markup=False)


@followup_app.command("thanked")
def followup_thanked(interview_id: str, as_staff: AsStaff = None) -> None:
    """Record that the young person was written to with thanks and the recommendations."""

    async def work(context: AppContext) -> None:
        actor = await acting_as(context, as_staff)
        await context.storage.followup.thanked(interview_id, actor, context.clock())

    run_with_context(work)
    out.print(f"Recorded that the person in {interview_id} was thanked.")


@followup_app.command("list")
def followup_list(
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only those past their date with no response.")
    ] = False,
    as_staff: AsStaff = None,
) -> None:
    """Recommendations you may see, with their responses."""

    async def work(context: AppContext) -> list[Any]:
        actor = await acting_as(context, as_staff)
        found = await context.storage.followup.visible(actor)
        today = context.clock().date()
        return [r for r in found if r.overdue(today)] if overdue else found

    table = Table("reference", "interview", "to", "due", "recommendation", "response")
    for item in run_with_context(work):
        response = item.responses[-1].text if item.responses else "(none yet)"
        data_row(
            table,
            item.ref,
            item.interview_id,
            item.addressed_to,
            str(item.due_on),
            item.text,
            response,
        )
    out.print(table)
