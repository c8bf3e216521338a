"""`exit-interviews interviews`, `transcript` and `erase`: reading and erasing interviews."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from bot.cli.common import (
    AsStaff,
    acting_as,
    app,
    data_row,
    fail,
    interviews_app,
    operator,
    out,
    record_copy,
    run_with_context,
    write_out,
    write_private,
)
from bot.core.prefixes import prefixes_of, resolve

if TYPE_CHECKING:
    from bot.core.context import AppContext
    from bot.core.transcripts import TranscriptFormat


@interviews_app.command("list")
def interviews_list(
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    service: Annotated[str | None, typer.Option(help="Only this home or service.")] = None,
    concerns: Annotated[bool, typer.Option("--concerns", help="Only with concerns.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List interviews: id, flow, name, service, status and dates. Never answers."""

    from bot.core.interviews import find_interviews

    async def work(context: AppContext) -> list[dict[str, Any]]:
        rows = await find_interviews(
            context, operator(), status=status, service=service, concerns_only=concerns
        )
        short = await prefixes_of(context.storage.db, "interview")
        return [{**row, "short": short.get(row["id"], row["id"])} for row in rows]

    rows = run_with_context(work)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table(
        "short id", "id", "flow", "name", "service", "status", "created", "concerns (open/all)"
    )
    for row in rows:
        data_row(
            table,
            row["short"],
            row["id"],
            row["flow"],
            row["name"],
            row["service"] or "-",
            row["status"],
            row["created_at"][:16],
            f"{row['open_concerns']}/{row['concerns']}",
        )
    out.print(table)


@app.command()
def transcript(
    interview_id: str,
    format: Annotated[str, typer.Option("--format", help="text, markdown, html or json.")] = "text",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    as_staff: AsStaff = None,
) -> None:
    """One interview's transcript: plain and original wording, answers, changes, concerns.
    Every read is written to the audit log."""

    from bot.core.transcripts import TRANSCRIPT_FORMATS, read_transcript

    if format not in TRANSCRIPT_FORMATS:
        fail("--format must be text, markdown, html or json.")
    form: TranscriptFormat = format

    async def work(context: AppContext) -> str:
        nonlocal interview_id
        interview_id = await resolve(context.storage.db, "interview", interview_id)
        return await read_transcript(
            context, interview_id, await acting_as(context, as_staff), form
        )

    write_out(run_with_context(work) + "\n", out_file)
    if out_file is not None:
        record_copy("export", out_file, [interview_id])


@app.command()
def erase(
    interview_id: str,
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask; for scripts.")] = False,
) -> None:
    """Erase one person's interview on request. An audit entry (with no content) remains."""

    async def named(context: AppContext) -> str:
        return await resolve(context.storage.db, "interview", interview_id)

    interview_id = run_with_context(named, warn=False)
    if not yes and not typer.confirm(
        f"Erase everything {interview_id} holds, for good? It cannot be undone", default=False
    ):
        fail("Nothing was erased.")

    async def work(context: AppContext) -> None:
        await context.storage.retention.erase(
            interview_id, operator(), context.clock(), "erased on request"
        )

    run_with_context(work)
    out.print(f"Interview {interview_id} erased.")


@interviews_app.command("readers")
def interviews_readers(
    interview_id: str,
    user: Annotated[
        list[int] | None, typer.Option("--user", help="A reader's user id; repeat for more.")
    ] = None,
    none: Annotated[
        bool, typer.Option("--none", help="Nobody besides admins and the assigned reviewer.")
    ] = False,
    as_staff: AsStaff = None,
) -> None:
    """Record who may read an interview whose person asked for fewer people to see it
    (besides the admins and its assigned reviewer), as agreed with them. Admins only."""
    if not user and not none:
        fail("Give --user USER_ID (repeat for more) or --none.")

    async def work(context: AppContext) -> None:
        nonlocal interview_id
        interview_id = await resolve(context.storage.db, "interview", interview_id)
        actor = await acting_as(context, as_staff)
        await context.storage.readers.agree(interview_id, user or [], actor, context.clock())

    run_with_context(work)
    out.print(f"Readers of {interview_id} recorded.")


@interviews_app.command("assign")
def interviews_assign(interview_id: str, user_id: int, as_staff: AsStaff = None) -> None:
    """Name the reviewer who reads this interview (and who may still read it if the person
    asked for fewer people to see it). Admins only."""

    async def work(context: AppContext) -> None:
        nonlocal interview_id
        interview_id = await resolve(context.storage.db, "interview", interview_id)
        actor = await acting_as(context, as_staff)
        await context.storage.readers.assign_reviewer(interview_id, user_id, actor, context.clock())

    run_with_context(work)
    out.print(f"Reviewer {user_id} assigned to {interview_id}.")


@app.command()
def voice(
    interview_id: str,
    out_dir: Annotated[Path, typer.Option("--out", help="Folder to save the recordings in.")],
    as_staff: AsStaff = None,
) -> None:
    """Save an interview's voice answers as audio files (each save is audited and counts as
    listened to). The files hold what the person said: keep them as safe as transcripts."""

    async def work(context: AppContext) -> list[Path]:
        nonlocal interview_id
        interview_id = await resolve(context.storage.db, "interview", interview_id)
        actor = await acting_as(context, as_staff)
        await context.storage.interviews.require_access(
            interview_id, actor, context.clock(), "voice_saved"
        )
        saved = []
        out_dir.mkdir(parents=True, exist_ok=True)
        for number, found in enumerate(
            await context.storage.voices.for_interview(interview_id), start=1
        ):
            audio = await context.storage.voices.listen(
                found.id, actor, context.clock(), "voice_saved"
            )
            suffix = ".ogg" if found.mime == "audio/ogg" else ".audio"
            target = out_dir / f"{interview_id}-voice-{number}{suffix}"
            write_private(target, audio)
            saved.append(target)
        return saved

    saved = run_with_context(work)
    for path in saved:
        record_copy("export", path, [interview_id])
    if not saved:
        out.print(f"Interview {interview_id} has no voice answers.")
    for path in saved:
        out.print(f"Saved {path}", highlight=False, markup=False)
