"""`exit-interviews invite`: single-use invitations."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Annotated

import typer

from bot.cli.common import fail, invite_app, operator, out, run_with_context
from bot.core.context import AppContext


@invite_app.command("create")
def invite_create(
    flow: Annotated[str, typer.Option(help="Which flow, e.g. children-home.")],
    name: Annotated[
        str, typer.Option(help="A display name staff will recognise; initials are enough.")
    ],
    service: Annotated[str | None, typer.Option(help="The home or fostering service.")] = None,
    language: Annotated[str | None, typer.Option(help="en or cy.")] = None,
    expires_in: Annotated[int, typer.Option(help="Days until the link stops working.")] = 28,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a single-use invitation and print its link. The link is shown only once."""
    if language not in {None, "en", "cy"}:
        fail("--language must be en or cy.")

    async def work(context: AppContext) -> dict[str, str]:
        if flow not in context.flows:
            fail(f"No flow '{flow}'. Choose one of: {', '.join(context.flows)}.")
        now = context.clock()
        invitation = await context.storage.interviews.invite(
            flow_id=flow,
            flow_version=context.flows[flow].version,
            display_name=name,
            service=service,
            language=language,
            expires_at=now + timedelta(days=expires_in),
            actor=operator(),
            at=now,
        )
        username = context.settings.bot_username or "<your_bot>"
        return {
            "interview_id": invitation.interview_id,
            "token": invitation.token,
            "link": f"https://t.me/{username}?start={invitation.token}",
            "expires_at": invitation.expires_at.isoformat(),
        }

    result = run_with_context(work)
    if as_json:
        typer.echo(json.dumps(result))
    else:
        out.print(
            f"Interview {result['interview_id']} created. Send this link to the person "
            f"(it works once, until {result['expires_at'][:10]}):\n{result['link']}",
            highlight=False,
            soft_wrap=True,
        )
