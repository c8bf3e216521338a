"""`exit-interviews flows`: check and read the interview flows."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.markup import escape
from rich.table import Table

from bot.cli.common import data_row, fail, flows_app, out, run_with_context, settings

if TYPE_CHECKING:
    from bot.core.config import Settings
    from bot.core.context import AppContext
    from flows.model import Flow
    from flows.text import Language


@flows_app.command("check")
def flows_check(files: Annotated[list[Path] | None, typer.Argument()] = None) -> None:
    """Check flow files and report every problem with its line and what to do."""
    from flows import FlowError
    from flows.check import fit_warnings, welsh_yes_no_warnings
    from flows.help import load_help_directory
    from flows.loader import flow_files, load_flow, rules_folder
    from flows.problems import line_index
    from flows.safeguarding import load_detector

    config = settings()
    directory = load_help_directory(config.helplines)
    paths = files or flow_files(config.flows_dir)
    problems = 0
    folder = rules_folder(config.flows_dir)
    try:
        detector = load_detector(folder)
    except FlowError as error:
        for problem in error.problems:
            out.print(f"[red]✗[/red] {escape(str(problem))}", highlight=False)
        raise typer.Exit(1) from None
    out.print(
        f"[green]✓[/green] {escape(str(folder))}: safeguarding rules in "
        f"{', '.join(detector.languages)}",
        highlight=False,
    )
    for path in paths:
        try:
            flow = load_flow(path, directory, detector)
        except FlowError as error:
            for problem in error.problems:
                out.print(f"[red]✗[/red] {escape(str(problem))}", highlight=False)
            problems += len(error.problems)
            continue
        out.print(
            f"[green]✓[/green] {path}: {flow.id}, {len(flow.questions())} questions, "
            f"version {flow.version}",
            highlight=False,
        )
        for warning in fit_warnings(flow, path, line_index(path.read_text(encoding="utf-8"))):
            out.print(f"[yellow]![/yellow] {escape(str(warning))}", highlight=False)
        for welsh_warning in welsh_yes_no_warnings(flow):
            out.print(f"[yellow]![/yellow] {escape(welsh_warning)}", highlight=False)
    if not files:
        report_versions_in_use(config)
    for organisation in directory.unconfigured():
        out.print(
            f"[yellow]![/yellow] helplines: '{organisation.id}' still has the shipped "
            f"placeholder; put your council's details in {config.helplines}",
            highlight=False,
        )
    if problems:
        raise typer.Exit(1)


def report_versions_in_use(config: Settings) -> None:
    """Say which interviews in progress run on an earlier version of a flow (they keep it),
    and warn loudly about any whose version the database does not hold."""
    if config.data_key is None or not config.database.exists():
        return

    async def work(context: AppContext) -> list[str]:
        notes = []
        for flow_id, version, count in await context.storage.flow_versions.in_use():
            current = context.flows.get(flow_id)
            if current is not None and current.version == version:
                continue
            if await context.storage.flow_versions.source(version) is not None:
                notes.append(
                    f"[yellow]![/yellow] {count} interview(s) in progress run on an earlier "
                    f"version of {escape(flow_id)} ({version}); they keep running on it."
                )
            else:
                notes.append(
                    f"[red]✗[/red] {count} interview(s) in progress started on {escape(flow_id)} "
                    f"version {version}, which the database does not hold: they will run on "
                    "the new version and may fail. Let them finish before changing the flow."
                )
        return notes

    for note in run_with_context(work, config):
        out.print(note, highlight=False)


@flows_app.command("list")
def flows_list() -> None:
    """List the flows this deployment offers."""
    from bot.core.context import load_catalogue
    from flows.text import pick

    flows, _ = load_catalogue(settings())
    table = Table("id", "title", "audience", "languages", "questions", "version")
    for flow in flows.values():
        data_row(
            table,
            flow.id,
            pick(flow.title, "en"),
            flow.audience,
            ", ".join(flow.languages),
            str(len(flow.questions())),
            flow.version,
        )
    out.print(table)


@flows_app.command("welsh")
def flows_welsh(
    out_file: Annotated[
        Path | None, typer.Option("--out", help="Write the list to this file.")
    ] = None,
) -> None:
    """List every Welsh string the bot can show, beside its English, for a reviewer."""
    from bot.core.context import load_catalogue
    from bot.core.welsh import welsh_catalogue

    flows, directory = load_catalogue(settings())
    text = welsh_catalogue(flows, directory)
    if out_file is None:
        print(text, end="")
        return
    out_file.write_text(text, encoding="utf-8")
    out.print(f"Wrote {out_file}.", highlight=False)


@flows_app.command("templates")
def flows_templates(
    flow_id: Annotated[str | None, typer.Option("--flow", help="Only this flow.")] = None,
) -> None:
    """Print the approved-message templates of the flows, ready to submit to Meta."""
    from bot.core.context import load_catalogue

    flows, _ = load_catalogue(settings())
    if flow_id is not None and flow_id not in flows:
        fail(f"No flow '{flow_id}'. Choose one of: {', '.join(flows)}.")
    chosen = [flows[flow_id]] if flow_id is not None else list(flows.values())
    print(submission_text(chosen), end="")


TEMPLATE_LANGUAGE_CODES = {"en": "en_GB", "cy": "cy"}
"""The codes Meta's template form knows each language by (bot/whatsapp sends the same)."""


def submission_text(flows: list[Flow]) -> str:
    """Every flow's templates, one block per name and language, as Meta's form asks."""
    lines: list[str] = []
    for flow in flows:
        for key, template in flow.channel_templates.items():
            for language, words in template.text.items():
                lines += [
                    f"# {flow.id}: {key} ({language})",
                    f"name: {template.name}",
                    f"language: {TEMPLATE_LANGUAGE_CODES[language]}",
                    "category: UTILITY",
                    f"why: {template.why}",
                    f"text: {words}",
                    "",
                ]
    return "\n".join(lines)


@flows_app.command("show")
def flows_show(flow_id: str, language: str = "en") -> None:
    """Show every question of a flow, with its seed wording, kind and conditions."""
    from bot.core.context import load_catalogue
    from flows.text import pick

    flows, _ = load_catalogue(settings())
    if flow_id not in flows:
        fail(f"No flow '{flow_id}'. Choose one of: {', '.join(flows)}.")
    flow = flows[flow_id]
    lang: Language = "cy" if language == "cy" else "en"
    out.print(f"[bold]{pick(flow.title, lang)}[/bold] ({flow.id}, {flow.audience})")
    for number, section in enumerate(flow.sections, start=1):
        out.print(f"\n[bold]{number}. {pick(section.title, lang)}[/bold]", highlight=False)
        for question in section.questions:
            extras: list[str] = [question.kind]
            if question.when:
                extras.append(
                    f"only if {question.when.question} is {' or '.join(question.when.answers)}"
                )
            if question.concern:
                extras.append(f"concern on {', '.join(question.concern)}")
            out.print(
                f"  • {question.id}: {pick(question.text, lang)}  [dim]({'; '.join(extras)})[/dim]",
                highlight=False,
                markup=True,
            )
            if question.seed:
                out.print(
                    f"      seed: {question.seed}", style="dim", highlight=False, markup=False
                )
