"""`exit-interviews invite`: single-use invitations."""

from __future__ import annotations

import json
from typing import Annotated

import typer

from bot.cli.common import err, fail, invite_app, operator, out, run_with_context
from bot.core.context import AppContext
from bot.core.invitations import create_invitation


@invite_app.command("create")
def invite_create(
    flow: Annotated[str, typer.Option(help="Which flow, e.g. children-home.")],
    name: Annotated[
        str, typer.Option(help="A display name staff will recognise; initials are enough.")
    ],
    service: Annotated[
        str | None,
        typer.Option(help="The home or fostering service (see 'services list'); required."),
    ] = None,
    language: Annotated[str | None, typer.Option(help="en or cy.")] = None,
    expires_in: Annotated[int, typer.Option(help="Days until the link stops working.")] = 28,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a single-use invitation and print its link. The link is shown only once."""
    if language not in {None, "en", "cy"}:
        fail("--language must be en or cy.")

    async def work(context: AppContext) -> dict[str, object]:
        created = await create_invitation(
            context,
            flow_id=flow,
            name=name,
            service=service,
            language=language,
            actor=operator(),
            bot_username=context.settings.bot_username,
            days=expires_in,
        )
        return {
            "interview_id": created.invitation.interview_id,
            "token": created.invitation.token,
            "link": created.link,
            "expires_at": created.invitation.expires_at.isoformat(),
            "warnings": created.warnings,
        }

    result = run_with_context(work)
    if as_json:
        typer.echo(json.dumps(result))
        return
    out.print(
        f"Interview {result['interview_id']} created. Send this link to the person "
        f"(it works once, until {str(result['expires_at'])[:10]}):\n{result['link']}",
        highlight=False,
        soft_wrap=True,
        markup=False,
    )
    for warning in result["warnings"]:  # type: ignore[attr-defined]
        err.print(f"⚠ {warning}", highlight=False, markup=False)
