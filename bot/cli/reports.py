"""`exit-interviews export` and `report`: answers for case systems, and the annual report."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.progress import Progress

from bot.cli.common import (
    AsStaff,
    acting_as,
    app,
    err,
    fail,
    parse_day,
    record_copy,
    run_with_context,
    write_out,
)

if TYPE_CHECKING:
    from bot.core.context import AppContext
    from bot.core.reports import ExportFormat


@app.command()
def export(
    flow: Annotated[str, typer.Option(help="Which flow, e.g. children-home.")],
    format: Annotated[str, typer.Option("--format", help="csv or json.")] = "csv",
    from_day: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    to_day: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    service: Annotated[str | None, typer.Option(help="Only this home or service.")] = None,
    include_text: Annotated[
        bool,
        typer.Option("--include-text", help="Include free-text answers (left out by default)."),
    ] = False,
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    as_staff: AsStaff = None,
) -> None:
    """One row per interview, one column per question id. Audited."""
    from bot.core.reports import export_answers

    if format not in {"csv", "json"}:
        fail("--format must be csv or json.")
    start, end = parse_day(from_day, "--from"), parse_day(to_day, "--to")

    form: ExportFormat = "csv" if format == "csv" else "json"

    async def work(context: AppContext) -> bytes:
        actor = await acting_as(context, as_staff)
        return await export_answers(
            context,
            flow,
            actor,
            form=form,
            start=start,
            end=end,
            service=service,
            include_text=include_text,
        )

    write_out(run_with_context(work), out_file)
    if out_file is not None:
        record_copy("export", out_file, flow_id=flow)


@app.command()
def report(
    out_file: Annotated[Path, typer.Option("--out", help="The HTML file to write.")],
    from_day: Annotated[str | None, typer.Option("--from", help="First day, YYYY-MM-DD.")] = None,
    to_day: Annotated[str | None, typer.Option("--to", help="Last day, YYYY-MM-DD.")] = None,
    service: Annotated[str | None, typer.Option(help="Only this home or service.")] = None,
    flow: Annotated[str, typer.Option(help="Which flow.")] = "children-home",
    as_staff: AsStaff = None,
) -> None:
    """The monitoring report for senior managers: counts and charts, never free text."""
    from bot.core.reports import monitoring_report

    start, end = parse_day(from_day, "--from"), parse_day(to_day, "--to")

    async def work(context: AppContext) -> str:
        actor = await acting_as(context, as_staff)
        questions = len(context.service.flow(flow).questions())
        with Progress(transient=True, console=err) as progress:
            counting = progress.add_task("Counting answers and drawing charts", total=questions)
            return await monitoring_report(
                context,
                flow,
                actor,
                start=start,
                end=end,
                service=service,
                counted=lambda: progress.advance(counting),
            )

    write_out(run_with_context(work), out_file)
