"""`exit-interviews followup`: recommendations, responses and thanking the person."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

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
from bot.core.prefixes import prefixes_of, resolve

if TYPE_CHECKING:
    from bot.core.context import AppContext
    from bot.core.followup import FollowUpDesk
    from storage.followup import Recommended


def desk(context: AppContext) -> FollowUpDesk:
    """The follow-up use cases for the command line: what they send waits in the outbox
    for the running bot to deliver."""
    from bot.core.delivery import NoDelivery
    from bot.core.followup import FollowUpDesk
    from bot.core.tasks import TaskDesk

    tasks = TaskDesk(context.storage, context.flows, NoDelivery(), context.settings)
    return FollowUpDesk(context, NoDelivery(), tasks)


@followup_app.command("add")
def followup_add(
    interview_id: str,
    text: Annotated[str, typer.Option(help="The recommended action.")],
    to: Annotated[
        str,
        typer.Option(
            help="Who it is for: a registered member of staff (name or user id), or a role at "
            "a home or service, e.g. 'reviewer at Oak House'. Anyone else is recorded, and "
            "you are asked to send it by hand."
        ),
    ],
    due: Annotated[str, typer.Option(help="When a response is due, YYYY-MM-DD.")],
    as_staff: AsStaff = None,
) -> None:
    """Record a recommendation on an interview and send it to whoever it is for."""
    due_on = parse_day(due, "--due")
    assert due_on is not None
    if due_on < date.today():
        err.print(
            f"⚠ {due_on} is in the past, so this is overdue at once and reminders start today. "
            "If that is a typo, record it again with the right date.",
            highlight=False,
            markup=False,
        )

    async def work(context: AppContext) -> Recommended:
        nonlocal interview_id
        interview_id = await resolve(context.storage.db, "interview", interview_id)
        actor = await acting_as(context, as_staff)
        return await desk(context).recommend(interview_id, to, due_on, text, actor)

    made = run_with_context(work)
    out.print(f"Recommendation {made.ref} recorded, due {due_on}.", markup=False)
    if not made.registered:
        out.print(
            f"“{to}” is not registered with the bot: send it to them yourself. Task "
            f"{made.task_ref} reminds you; close it with 'exit-interviews tasks close'.",
            markup=False,
        )


@followup_app.command("respond")
def followup_respond(
    reference: Annotated[str, typer.Argument(help="The recommendation's reference, r-...")],
    text: Annotated[str, typer.Option(help="What action, if any, will be undertaken.")],
    as_staff: AsStaff = None,
) -> None:
    """Record the response to a recommendation; whoever made it is sent it."""

    async def work(context: AppContext) -> None:
        nonlocal reference
        reference = await resolve(context.storage.db, "recommendation", reference)
        actor = await acting_as(context, as_staff)
        await desk(context).respond(reference, text, actor)

    run_with_context(work)
    out.print(f"Response to recommendation {reference} recorded.", markup=False)


@followup_app.command("no-action")
def followup_no_action(
    interview_id: str,
    note: Annotated[str, typer.Option(help="Why, if you wish.")] = "Read; no action needed.",
    as_staff: AsStaff = None,
) -> None:
    """Record that an interview was read and needs no action."""

    async def work(context: AppContext) -> None:
        nonlocal interview_id
        interview_id = await resolve(context.storage.db, "interview", interview_id)
        actor = await acting_as(context, as_staff)
        await desk(context).no_action(interview_id, note, actor)

    run_with_context(work)
    out.print(f"Recorded: interview {interview_id} was read and needs no action.")


@followup_app.command("thank")
def followup_thank(
    interview_id: str,
    text: Annotated[
        str | None, typer.Option(help="The message. Leave out to print a starting text.")
    ] = None,
    message: Annotated[
        bool, typer.Option("--message", help="A reply to 'talk to a person', not thanks.")
    ] = False,
    as_staff: AsStaff = None,
) -> None:
    """Send thanks and feedback (or any message) into the person's chat, even after the
    interview has ended. The running bot delivers it and records that it arrived."""

    async def work(context: AppContext) -> str:
        nonlocal interview_id
        interview_id = await resolve(context.storage.db, "interview", interview_id)
        actor = await acting_as(context, as_staff)
        interview = await context.storage.interviews.require_access(
            interview_id, actor, context.clock(), "thank_you"
        )
        helper = desk(context)
        if text is None:
            return helper.thank_you_template(interview.flow_id, interview.language)
        queued = await helper.write_to_person(
            interview_id, text, actor, "message" if message else "thanks"
        )
        if queued.message is None:
            return (
                "Their chat cannot be reached (never opened, or erased), so nothing was sent. "
                f"Task {queued.task_ref} reminds you to reach them another way."
            )
        return "Queued for their chat; the running bot delivers it and records that it did."

    said = run_with_context(work)
    if text is None:
        out.print("A starting text in their language; send yours with --text:", markup=False)
    out.print(said, markup=False, highlight=False)


@followup_app.command("thanked")
def followup_thanked(interview_id: str, as_staff: AsStaff = None) -> None:
    """Record that the person was written to by letter, outside the bot."""

    async def work(context: AppContext) -> None:
        nonlocal interview_id
        interview_id = await resolve(context.storage.db, "interview", interview_id)
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

    async def work(context: AppContext) -> tuple[list[Any], dict[str, str], dict[str, str]]:
        actor = await acting_as(context, as_staff)
        found = await context.storage.followup.visible(actor)
        today = context.clock().date()
        chosen = [r for r in found if r.overdue(today)] if overdue else found
        refs = await prefixes_of(context.storage.db, "recommendation")
        interviews = await prefixes_of(context.storage.db, "interview")
        return chosen, refs, interviews

    found, refs, interviews = run_with_context(work)
    table = Table("reference", "interview", "to", "due", "recommendation", "response")
    for item in found:
        response = item.responses[-1].text if item.responses else "(none yet)"
        data_row(
            table,
            refs.get(item.ref, item.ref),
            interviews.get(item.interview_id, item.interview_id),
            item.addressed_to,
            str(item.due_on),
            item.text,
            response,
        )
    out.print(table)
