"""`exit-interviews invite`: single-use invitations."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from bot.cli.common import err, fail, invite_app, operator, out, run_with_context
from bot.core.prefixes import resolve

if TYPE_CHECKING:
    from bot.core.context import AppContext
    from bot.core.invitations import CreatedInvitation


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
    support: Annotated[
        str,
        typer.Option(
            help="The social worker's decision: none; easy-read (the easy-read version, "
            "for a young person with a learning disability); or worker (an adult helps, and "
            "is reminded not to answer for them)."
        ),
    ] = "none",
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Create a single-use invitation and print its link. The link is shown only once."""

    from bot.core.invitations import create_invitation

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
            support=support,
        )
        return as_result(created)

    show(run_with_context(work), as_json, "created")


def as_result(created: CreatedInvitation) -> dict[str, object]:
    """An invitation as the command prints it (JSON, or words)."""
    return {
        "interview_id": created.invitation.interview_id,
        "token": created.invitation.token,
        "link": created.link,
        "web_link": created.web_link,
        "expires_at": created.invitation.expires_at.isoformat(),
        "warnings": created.warnings,
    }


def show(result: dict[str, object], as_json: bool, what: str) -> None:
    if as_json:
        typer.echo(json.dumps(result))
        return
    links = str(result["link"])
    if result["web_link"]:
        links += f"\nor, in a web browser (no app needed):\n{result['web_link']}"
    out.print(
        f"Interview {result['interview_id']} {what}. Send the person this link "
        f"(it works once, until {str(result['expires_at'])[:10]}):\n{links}",
        highlight=False,
        soft_wrap=True,
        markup=False,
    )
    for warning in result["warnings"]:  # type: ignore[attr-defined]
        err.print(f"⚠ {warning}", highlight=False, markup=False)


@invite_app.command("reissue")
def invite_reissue(
    interview_id: str,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """A new link for the same interview (the person changed phone or browser). Every
    earlier link stops working; the answers so far are kept."""

    from bot.core.invitations import reissue_invitation

    async def work(context: AppContext) -> dict[str, object]:
        full = await resolve(context.storage.db, "interview", interview_id)
        created = await reissue_invitation(context, full, operator(), context.settings.bot_username)
        return as_result(created)

    show(run_with_context(work), as_json, "has a new link; the old one no longer works")
