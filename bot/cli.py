"""The command line: `exit-interviews ...` for operators and staff on the server."""

from __future__ import annotations

import asyncio
import getpass
import json
import os
import sys
from collections.abc import Awaitable, Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated, Any, NoReturn, TypeVar

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from bot.config import Settings, load_settings
from bot.context import AppContext, load_catalogue, open_context
from bot.exports import export_rows, to_csv, to_json
from bot.logs import configure_logging
from bot.rendering import interview_row, transcript_json, transcript_text
from bot.report_builder import gather_report
from bot.telegram_app import ConfigurationError, Webhook, run_until_signalled
from bot.terminal import TerminalChannel
from bot.transcript_documents import transcript_html, transcript_markdown
from bot.transcript_view import build_view
from flows import FlowError
from flows.help import load_help_directory
from flows.loader import flow_files, load_flow
from flows.text import Language, pick
from storage import Actor, StorageError, new_key
from storage.records import ROLES, Role

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Independent exit interviews for children's social care.",
)
flows_app = typer.Typer(no_args_is_help=True, help="Check and read the interview flows.")
invite_app = typer.Typer(no_args_is_help=True, help="Invite someone to an interview.")
interviews_app = typer.Typer(no_args_is_help=True, help="List interviews.")
staff_app = typer.Typer(no_args_is_help=True, help="Register and remove staff.")
followup_app = typer.Typer(
    no_args_is_help=True,
    help="Recommendations after an interview, their responses, and thanking the young person.",
)
app.add_typer(flows_app, name="flows")
app.add_typer(invite_app, name="invite")
app.add_typer(interviews_app, name="interviews")
app.add_typer(staff_app, name="staff")
app.add_typer(followup_app, name="followup")

out = Console(width=None if sys.stdout.isatty() else 160, soft_wrap=not sys.stdout.isatty())
err = Console(stderr=True, soft_wrap=True)
T = TypeVar("T")


def settings() -> Settings:
    try:
        return load_settings()
    except FileNotFoundError as error:
        fail(str(error))
    except ValidationError as error:
        problems = "; ".join(
            f"EXIT_{'_'.join(map(str, e['loc'])).upper()}: {e['msg']}" for e in error.errors()
        )
        fail(f"The configuration is not valid: {problems}")


def fail(message: str) -> NoReturn:
    err.print(f"[red]Error:[/red] {message}", highlight=False)
    raise typer.Exit(1)


def operator() -> Actor:
    return Actor.for_operator(getpass.getuser())


def run_with_context(
    work: Callable[[AppContext], Awaitable[T]], config: Settings | None = None
) -> T:
    """Open the database and flows, run `work`, and turn known errors into clear messages."""

    async def main() -> T:
        async with open_context(config or settings()) as context:
            return await work(context)

    try:
        return asyncio.run(main())
    except (StorageError, FlowError, ConfigurationError) as error:
        fail(str(error))
    except ValueError as error:
        fail(str(error))
    raise AssertionError("unreachable")


@app.command()
def keygen(
    write_env: Annotated[
        Path | None, typer.Option(help="Add the key to this .env file if it has none yet.")
    ] = None,
) -> None:
    """Print a new data key for EXIT_DATA_KEY. Keep a copy: without it, answers cannot be read."""
    key = new_key()
    if write_env is None:
        out.print(key, highlight=False)
        return
    existing = write_env.read_text(encoding="utf-8") if write_env.exists() else ""
    if "EXIT_DATA_KEY=" in existing:
        out.print(f"{write_env} already has a data key; leaving it alone.")
        return
    descriptor = os.open(write_env, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(descriptor, "a", encoding="utf-8") as handle:
        handle.write(f"EXIT_DATA_KEY={key}\n")
    write_env.chmod(0o600)
    out.print(f"Wrote a new development data key to {write_env}.")


@flows_app.command("check")
def flows_check(files: Annotated[list[Path] | None, typer.Argument()] = None) -> None:
    """Check flow files and report every problem with its line and what to do."""
    config = settings()
    directory = load_help_directory(config.helplines)
    paths = files or flow_files(config.flows_dir)
    problems = 0
    for path in paths:
        try:
            flow = load_flow(path, directory)
        except FlowError as error:
            for problem in error.problems:
                out.print(f"[red]✗[/red] {problem}", highlight=False)
            problems += len(error.problems)
            continue
        out.print(
            f"[green]✓[/green] {path}: {flow.id}, {len(flow.questions())} questions, "
            f"version {flow.version}",
            highlight=False,
        )
    for organisation in directory.unconfigured():
        out.print(
            f"[yellow]![/yellow] helplines: '{organisation.id}' still has the shipped "
            f"placeholder; put your council's details in {config.helplines}",
            highlight=False,
        )
    if problems:
        raise typer.Exit(1)


@flows_app.command("list")
def flows_list() -> None:
    """List the flows this deployment offers."""
    flows, _ = load_catalogue(settings())
    table = Table("id", "title", "audience", "languages", "questions", "version")
    for flow in flows.values():
        table.add_row(
            flow.id,
            pick(flow.title, "en"),
            flow.audience,
            ", ".join(flow.languages),
            str(len(flow.questions())),
            flow.version,
        )
    out.print(table)


@flows_app.command("show")
def flows_show(flow_id: str, language: str = "en") -> None:
    """Show every question of a flow, with its seed wording, kind and conditions."""
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


@app.command()
def chat(
    flow: Annotated[str | None, typer.Option(help="The flow to run, e.g. children-home.")] = None,
    language: Annotated[
        str | None, typer.Option(help="en or cy; skips the language offer.")
    ] = None,
    resume: Annotated[str | None, typer.Option(help="Carry on a paused interview by id.")] = None,
    real: Annotated[
        bool,
        typer.Option(
            "--real",
            help="Keep it with real interviews (EXIT_DATABASE), not in the practice database.",
        ),
    ] = False,
) -> None:
    """Take an interview in the terminal: numbered buttons, /skip /back /pause /stop /help.
    Practice interviews go to EXIT_PRACTICE_DATABASE, so they never count in real lists or
    reports; Ctrl-D or Ctrl-C pauses and saves."""
    if language not in {None, "en", "cy"}:
        fail("--language must be en or cy.")
    config = settings()
    if not real:
        config = config.model_copy(update={"database": config.practice_database})

    async def work(context: AppContext) -> int:
        chosen = flow
        if chosen is None and resume is None:
            names = list(context.flows)
            out.print("Which interview?")
            for number, name in enumerate(names, start=1):
                out.print(
                    f"   {number}. {pick(context.flows[name].title, 'en')} ({name})",
                    highlight=False,
                )
            answer = (await asyncio.to_thread(sys.stdin.readline)).strip()
            chosen = (
                names[int(answer) - 1]
                if answer.isdigit() and 0 < int(answer) <= len(names)
                else answer
            )
        if chosen is not None and chosen not in context.flows:
            fail(f"No flow '{chosen}'. Choose one of: {', '.join(context.flows)}.")
        channel = TerminalChannel(context, out, practice=not real)
        return await channel.run(chosen or "", language, resume)

    raise typer.Exit(run_with_context(work, config))


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


@interviews_app.command("list")
def interviews_list(
    status: Annotated[str | None, typer.Option(help="Only this status.")] = None,
    service: Annotated[str | None, typer.Option(help="Only this home or service.")] = None,
    concerns: Annotated[bool, typer.Option("--concerns", help="Only with concerns.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List interviews: id, flow, name, service, status and dates. Never answers."""

    async def work(context: AppContext) -> list[dict[str, Any]]:
        found = await context.storage.interviews.find(
            operator(), status=status, service=service, concerns_only=concerns
        )
        return [interview_row(s) for s in found]

    rows = run_with_context(work)
    if as_json:
        typer.echo(json.dumps(rows, ensure_ascii=False))
        return
    table = Table("id", "flow", "name", "service", "status", "created", "concerns")
    for row in rows:
        table.add_row(
            row["id"],
            row["flow"],
            row["name"],
            row["service"] or "-",
            row["status"],
            row["created_at"][:16],
            f"{row['open_concerns']}/{row['concerns']}",
        )
    out.print(table)


AsStaff = Annotated[
    int | None,
    typer.Option(
        "--as", help="Act as this registered staff member (their homes or services only)."
    ),
]


async def acting_as(context: AppContext, user_id: int | None) -> Actor:
    """The operator, or a named member of staff whose limits then apply to this command."""
    if user_id is None:
        return operator()
    member = await context.storage.staff.get(user_id)
    if member is None:
        fail(f"No current member of staff has user id {user_id}. See 'exit-interviews staff list'.")
    return Actor.for_staff(member)


def write_out(data: bytes | str, out_file: Path | None) -> None:
    """Write to a file if one is named, else to standard output."""
    raw = data.encode("utf-8") if isinstance(data, str) else data
    if out_file is None:
        sys.stdout.buffer.write(raw)
        sys.stdout.flush()
        return
    out_file.parent.mkdir(parents=True, exist_ok=True)
    out_file.write_bytes(raw)
    err.print(f"Written to {out_file}.", highlight=False)


@app.command()
def transcript(
    interview_id: str,
    format: Annotated[str, typer.Option("--format", help="text, markdown, html or json.")] = "text",
    out_file: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    as_staff: AsStaff = None,
) -> None:
    """One interview's transcript: plain and original wording, answers, changes, concerns.
    Every read is written to the audit log."""
    if format not in {"text", "markdown", "html", "json"}:
        fail("--format must be text, markdown, html or json.")

    async def work(context: AppContext) -> str:
        actor = await acting_as(context, as_staff)
        now = context.clock()
        record = await context.storage.transcripts.read(interview_id, actor, now)
        flow = context.flows.get(record.interview.flow_id)
        if format == "json":
            return json.dumps(transcript_json(record, flow), ensure_ascii=False, indent=2)
        if format == "text":
            return transcript_text(record, flow)
        view = build_view(
            record,
            flow,
            await context.storage.followup.for_interview(interview_id),
            await context.storage.followup.thanked_at(interview_id),
            now,
        )
        return transcript_html(view) if format == "html" else transcript_markdown(view)

    write_out(run_with_context(work) + "\n", out_file)


def parse_day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option} must be a date like 2026-04-01.")


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
    if format not in {"csv", "json"}:
        fail("--format must be csv or json.")
    start, end = parse_day(from_day, "--from"), parse_day(to_day, "--to")

    async def work(context: AppContext) -> bytes:
        if flow not in context.flows:
            fail(f"No flow '{flow}'. Choose one of: {', '.join(context.flows)}.")
        actor = await acting_as(context, as_staff)
        found = await context.storage.reporting.answers(
            actor,
            context.clock(),
            "export_with_text" if include_text else "export",
            flow_id=flow,
            start=start,
            end=end,
            service=service,
        )
        rows = export_rows(context.flows[flow], found, include_text)
        return to_csv(context.flows[flow], rows) if format == "csv" else to_json(rows)

    write_out(run_with_context(work), out_file)


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
    start, end = parse_day(from_day, "--from"), parse_day(to_day, "--to")

    async def work(context: AppContext) -> str:
        if flow not in context.flows:
            fail(f"No flow '{flow}'. Choose one of: {', '.join(context.flows)}.")
        actor = await acting_as(context, as_staff)
        now = context.clock()
        chosen = context.flows[flow]
        # Imported here: matplotlib is large, and only reports need it, not the running bot.
        from bot.report_html import report_html

        with Progress(transient=True, console=err) as progress:
            counting = progress.add_task("Counting answers", total=len(chosen.questions()))
            built = await gather_report(
                context.storage,
                chosen,
                actor,
                now,
                start=start,
                end=end,
                service=service,
                progress=lambda: progress.advance(counting),
            )
            drawing = progress.add_task("Drawing charts", total=None)
            html = report_html(built)
            progress.update(drawing, total=1, completed=1)
        return html

    write_out(run_with_context(work), out_file)


@app.command()
def purge() -> None:
    """Apply the retention period: erase old interviews and close stale invitations."""

    async def work(context: AppContext) -> str:
        report = await context.storage.retention.purge(
            context.clock(),
            operator(),
            keep_finished_days=context.settings.keep_finished_days,
            invitation_days=context.settings.invitation_days,
        )
        return (
            f"Erased {report.erased} interview(s) past the retention period; closed "
            f"{report.expired_invitations} unused invitation(s)."
        )

    out.print(run_with_context(work))


@app.command()
def erase(interview_id: str) -> None:
    """Erase one person's interview on request. An audit entry (with no content) remains."""

    async def work(context: AppContext) -> None:
        await context.storage.retention.erase(
            interview_id, operator(), context.clock(), "erased on request"
        )

    run_with_context(work)
    out.print(f"Interview {interview_id} erased.")


@app.command()
def backup(path: Path) -> None:
    """Write a consistent copy of the live database to PATH (safe while the bot runs)."""

    async def work(context: AppContext) -> None:
        await context.storage.backup(path)
        await context.storage.audit.record(operator(), "backup", context.clock(), detail=str(path))

    run_with_context(work)
    out.print(f"Backup written to {path}.")


@app.command("rotate-key")
def rotate_key() -> None:
    """Re-encrypt all data under EXIT_DATA_KEY. Put the old key in EXIT_PREVIOUS_DATA_KEYS first."""
    config = settings()
    if not config.previous_data_keys:
        fail(
            "Set EXIT_DATA_KEY to the new key and EXIT_PREVIOUS_DATA_KEYS to a JSON list "
            "holding the old one, e.g. EXIT_PREVIOUS_DATA_KEYS='[\"OLD_KEY\"]'. See SECURITY.md."
        )

    async def work(context: AppContext) -> int:
        return await context.storage.rotate_key(operator(), context.clock())

    changed = run_with_context(work)
    out.print(
        f"Re-encrypted {changed} value(s) under the new key. Once the bot runs with it, "
        "remove the old key from EXIT_PREVIOUS_DATA_KEYS and destroy it."
    )


@staff_app.command("add")
def staff_add(
    user_id: int,
    name: Annotated[str, typer.Option(help="Their name, as colleagues know it.")],
    role: Annotated[str, typer.Option(help="interviewer, reviewer or admin.")],
    service: Annotated[
        list[str] | None, typer.Option(help="A home or service they cover; repeat for more.")
    ] = None,
) -> None:
    """Register a member of staff by Telegram user id (they can find it with /whoami)."""
    if role not in ROLES:
        fail("--role must be interviewer, reviewer or admin.")

    async def work(context: AppContext) -> None:
        role_value: Role = role
        await context.storage.staff.add(
            user_id, name, role_value, service or [], operator(), context.clock()
        )

    run_with_context(work)
    out.print(f"{name} ({user_id}) is registered as {role}.", highlight=False)


@staff_app.command("list")
def staff_list() -> None:
    """List current staff, their roles and services."""

    async def work(context: AppContext) -> list[Any]:
        return list(await context.storage.staff.all())

    table = Table("user id", "name", "role", "services")
    for member in run_with_context(work):
        table.add_row(
            str(member.user_id), member.name, member.role, ", ".join(member.services) or "-"
        )
    out.print(table)


@staff_app.command("remove")
def staff_remove(user_id: int) -> None:
    """Remove a member of staff; they lose access at once."""

    async def work(context: AppContext) -> None:
        await context.storage.staff.remove(user_id, operator(), context.clock())

    run_with_context(work)
    out.print(f"User {user_id} removed from staff.")


@app.command()
def run(
    webhook_url: Annotated[
        str | None,
        typer.Option(
            help="Public HTTPS URL Telegram should post updates to; without it, long polling."
        ),
    ] = None,
    listen: Annotated[
        str, typer.Option(help="Address the webhook server listens on.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port the webhook server listens on.")] = 8443,
    secret_token: Annotated[
        str | None, typer.Option(help="Secret Telegram sends with each webhook call.")
    ] = None,
) -> None:
    """Run the Telegram bot until SIGTERM or Ctrl-C."""
    config = settings()
    configure_logging(config.log_level)
    webhook = Webhook(webhook_url, listen, port, secret_token) if webhook_url else None

    async def work(context: AppContext) -> None:
        await run_until_signalled(context, webhook)

    try:
        run_with_context(work)
    except ConfigurationError as error:
        fail(str(error))


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

    async def work(context: AppContext) -> int:
        actor = await acting_as(context, as_staff)
        return await context.storage.followup.recommend(
            interview_id, text, to, due_on, actor, context.clock()
        )

    out.print(f"Recommendation {run_with_context(work)} recorded, due {due_on}.")


@followup_app.command("respond")
def followup_respond(
    recommendation_id: int,
    text: Annotated[str, typer.Option(help="What action, if any, will be undertaken.")],
    as_staff: AsStaff = None,
) -> None:
    """Record the response to a recommendation."""

    async def work(context: AppContext) -> None:
        actor = await acting_as(context, as_staff)
        await context.storage.followup.respond(recommendation_id, text, actor, context.clock())

    run_with_context(work)
    out.print(f"Response to recommendation {recommendation_id} recorded.")


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

    table = Table("id", "interview", "to", "due", "recommendation", "response")
    for item in run_with_context(work):
        response = item.responses[-1].text if item.responses else "(none yet)"
        table.add_row(
            str(item.id),
            item.interview_id,
            item.addressed_to,
            str(item.due_on),
            item.text,
            response,
        )
    out.print(table)


def main() -> None:
    """Entry point of the `exit-interviews` command. Everything it creates (the database, its
    journal, backups, exports, transcripts) is readable by its owner only."""
    os.umask(0o077)
    app()


__all__ = ["app", "main"]
