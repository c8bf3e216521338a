"""`exit-interviews concerns`: open concerns, and whether their alerts reached anyone."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from bot.cli.common import AsStaff, acting_as, app, data_row, out, run_with_context
from bot.core.prefixes import prefixes_of

if TYPE_CHECKING:
    from bot.core.context import AppContext
    from storage.records import ConcernRecord


def delivery_summary(concern: ConcernRecord) -> str:
    """Who an alert reached, or, loudly, that it reached nobody."""
    if concern.tier == "amber":
        return "amber: read today and in the daily digest, never pushed"
    delivered = sorted({d.user_id for d in concern.deliveries if d.state == "delivered"})
    failed = [d for d in concern.deliveries if d.state == "failed" and d.channel == "telegram"]
    mailed = any(d.channel == "email" and d.state == "delivered" for d in concern.deliveries)
    parts = []
    if delivered and any(user for user in delivered):
        parts.append("delivered to " + ", ".join(str(user) for user in delivered if user))
    else:
        parts.append("NOT DELIVERED in Telegram")
    if failed:
        parts.append("refused: " + ", ".join(f"{d.user_id} ({d.failure})" for d in failed))
    if concern.escalated_at is not None:
        parts.append("escalated" + (" and e-mailed" if mailed else ""))
    return "; ".join(parts)


def concern_row(concern: ConcernRecord) -> dict[str, Any]:
    """A concern for a list or JSON: never the person's words."""
    return {
        "id": concern.id,
        "interview": concern.interview_id,
        "service": concern.service,
        "severity": concern.severity,
        "tier": concern.tier,
        "category": concern.category,
        "raised_at": concern.raised_at.isoformat(),
        "acknowledged_by": concern.acknowledged_by,
        "delivered": concern.delivered,
        "delivery": delivery_summary(concern),
    }


@app.command("concerns")
def concerns_list(
    everything: Annotated[
        bool, typer.Option("--all", help="Acknowledged concerns too, not only open ones.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_staff: AsStaff = None,
) -> None:
    """Open concerns: how urgent, what kind, and whether the alerts reached anyone."""

    async def work(context: AppContext) -> list[dict[str, Any]]:
        actor = await acting_as(context, as_staff)
        found = await context.storage.concerns.visible(actor, open_only=not everything)
        short = await prefixes_of(context.storage.db, "interview")
        return [
            {**concern_row(c), "interview_short": short.get(c.interview_id, c.interview_id)}
            for c in found
        ]

    from bot.core.concerns import category_label

    rows = run_with_context(work)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    if not rows:
        out.print("No open concerns." if not everything else "No concerns.")
        return
    table = Table("id", "interview", "home or service", "severity", "kind", "raised", "alerts")
    for row in rows:
        data_row(
            table,
            str(row["id"]),
            row["interview_short"],
            row["service"] or "-",
            row["severity"],
            category_label(row["category"]),
            row["raised_at"][:16],
            row["delivery"],
        )
    out.print(table)
