"""`exit-interviews tasks`: the follow-ups people owe, and closing them with a note."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from bot.cli.common import AsStaff, acting_as, data_row, fail, out, run_with_context, tasks_app
from bot.core.prefixes import prefixes_of, resolve

if TYPE_CHECKING:
    from bot.core.context import AppContext


@tasks_app.command("list")
def tasks_list(
    mine: Annotated[bool, typer.Option("--mine", help="Only tasks you own (needs --as).")] = False,
    overdue: Annotated[bool, typer.Option("--overdue", help="Only those past due.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_staff: AsStaff = None,
) -> None:
    """Open tasks, soonest due first: what, about which interview, whose, and by when."""

    from bot.core.delivery import NoDelivery
    from bot.core.tasks import TaskDesk
    from storage.tasks import owners_among

    if mine and as_staff is None:
        fail("--mine needs --as USER_ID, to say whose tasks to show.")

    async def work(context: AppContext) -> list[dict[str, Any]]:
        actor = await acting_as(context, as_staff)
        now = context.clock()
        words = TaskDesk(context.storage, context.flows, NoDelivery(), context.settings)
        readable = {i.id for i in await context.storage.interviews.find(actor)}
        staff = await context.storage.staff.all()
        refs = await prefixes_of(context.storage.db, "task")
        interviews = await prefixes_of(context.storage.db, "interview")
        rows = []
        for task in await context.storage.tasks.open_tasks():
            owners = owners_among(task, staff)
            owns = actor.staff is not None and any(o.user_id == actor.staff.user_id for o in owners)
            if mine and not owns:
                continue
            if not owns and task.interview_id is not None and task.interview_id not in readable:
                continue
            if overdue and not task.overdue(now):
                continue
            rows.append(
                {
                    "ref": task.ref,
                    "short": refs.get(task.ref, task.ref),
                    "interview_short": interviews.get(task.interview_id or "", task.interview_id),
                    "kind": task.kind,
                    "interview": task.interview_id,
                    "owners": [o.name for o in owners],
                    "due": task.due_at.isoformat(),
                    "overdue": task.overdue(now),
                    "what": (await words.words(task, now)).text,
                }
            )
        return rows

    rows = run_with_context(work)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        out.print("No open tasks.")
        return
    table = Table("task", "what", "interview", "owners", "due")
    for row in rows:
        due = row["due"][:10] + (" ⏰ overdue" if row["overdue"] else "")
        data_row(
            table,
            row["short"],
            row["what"].splitlines()[0],
            row["interview_short"] or "-",
            ", ".join(row["owners"]) or "admins",
            due,
        )
    out.print(table)


@tasks_app.command("close")
def tasks_close(
    reference: Annotated[str, typer.Argument(help="The task's reference, t-...")],
    note: Annotated[str, typer.Option(help="What was done.")],
    as_staff: AsStaff = None,
) -> None:
    """Record a task as done, with what was done; audited."""

    from bot.cli.followup import desk

    async def work(context: AppContext) -> str:
        actor = await acting_as(context, as_staff)
        full = await resolve(context.storage.db, "task", reference)
        return (await desk(context).close_task(full, note, actor)).ref

    out.print(f"Task {run_with_context(work)} closed.")
