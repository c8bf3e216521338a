"""The composition root: the commands that start a channel (the terminal, the Telegram bot).

The channels never import each other or the command line; only this module wires them in.
Each command imports its channel (python-telegram-bot, aiohttp, the terminal) when it runs,
so that `--help`, `--version` and the commands that never touch a channel start quickly."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Annotated

import typer

import bot.cli  # noqa: F401  (registers every command group on the app)
from bot.cli.common import app, fail, out, refuse_long_arguments, run_with_context, settings

if TYPE_CHECKING:
    from bot.core.after_reply import AfterReply, Beside, Stopper
    from bot.core.config import Settings
    from bot.core.context import AppContext
    from bot.core.reach import Reach

PACKAGE = "exit-interviews"


def package_version() -> str:
    """The installed version, for bug reports and for checking what a server runs."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(PACKAGE)
    except PackageNotFoundError:
        return "unknown (not installed: run make, or pip install -e .)"


def _show_version(wanted: bool) -> None:
    if wanted:
        out.print(f"{PACKAGE} {package_version()}", highlight=False)
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    show_version: Annotated[
        bool,
        typer.Option(
            "--version", is_eager=True, callback=_show_version, help="Print the version and stop."
        ),
    ] = False,
) -> None:
    """Independent exit interviews for children's social care."""
    refuse_long_arguments()
    if ctx.invoked_subcommand == "staff":  # only staff commands ask whether alerts reach
        from bot.core.reach import REACH_CHECKS

        if telegram_reach not in REACH_CHECKS:
            REACH_CHECKS.append(telegram_reach)


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
    import asyncio
    import sys

    from bot.core.numbers import whole_number
    from bot.terminal.channel import TerminalChannel
    from flows.text import pick

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
                if whole_number(answer, largest=len(names)) is not None
                else answer
            )
        if chosen is not None and chosen not in context.flows:
            fail(f"No flow '{chosen}'. Choose one of: {', '.join(context.flows)}.")
        channel = TerminalChannel(context, out, practice=not real)
        return await channel.run(chosen or "", language, resume)

    raise typer.Exit(run_with_context(work, config))


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
    web_port: Annotated[
        int | None, typer.Option(help="Also serve the web chat on this port, in this process.")
    ] = None,
    web_host: Annotated[str, typer.Option(help="Address the web chat listens on.")] = "127.0.0.1",
) -> None:
    """Run the Telegram bot until SIGTERM or Ctrl-C, the web chat beside it if asked, and
    WhatsApp beside it when the EXIT_WHATSAPP_* settings are present."""
    from bot.core.config import ConfigurationError
    from bot.core.logs import configure_logging
    from bot.telegram.application import Webhook, run_until_signalled
    from bot.web.run import beside_the_bot
    from bot.whatsapp import run as whatsapp
    from flows.loader import ready_safeguarding

    config = settings()
    configure_logging(config.log_level)
    webhook = Webhook(webhook_url, listen, port, secret_token) if webhook_url else None

    async def work(context: AppContext) -> None:
        ready_safeguarding(context.flows)
        beside = beside_the_bot(context, web_host, web_port) if web_port else None
        if whatsapp.whatsapp_configured(context.settings):
            beside = alongside(beside, whatsapp.beside_the_bot(context))
        await run_until_signalled(context, webhook, beside)

    try:
        run_with_context(work)
    except ConfigurationError as error:
        fail(str(error))


def alongside(first: Beside | None, second: Beside) -> Beside:
    """Two channels started beside the bot (the web chat and WhatsApp), stopped in reverse."""
    if first is None:
        return second

    async def start(after: AfterReply) -> Stopper:
        stop_first = await first(after)
        stop_second = await second(after)

        async def stop() -> None:
            await stop_second()
            await stop_first()

        return stop

    return start


@app.command()
def web(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
) -> None:
    """Serve the web chat alone, until SIGTERM or Ctrl-C: no Telegram token needed. Put it
    behind a reverse proxy that terminates TLS, and set EXIT_WEB_URL to its address."""
    import asyncio
    import signal

    from bot.core.logs import configure_logging
    from bot.web.run import serve_web
    from flows.loader import ready_safeguarding

    config = settings()
    configure_logging(config.log_level)

    async def work(context: AppContext) -> None:
        ready_safeguarding(context.flows)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, stop.set)
        out.print(f"Web chat on http://{host}:{port}/ (Ctrl-C to stop).", highlight=False)
        await serve_web(context, stop, host, port)

    run_with_context(work)


async def telegram_reach(settings: Settings, user_id: int) -> Reach:
    """Whether Telegram can reach a member of staff (python-telegram-bot loaded only now)."""
    from bot.telegram.reach import telegram_reach as check

    return await check(settings, user_id)


def main() -> None:
    """Entry point of the `exit-interviews` command. Everything it creates (the database, its
    journal, backups, exports, transcripts) is readable by its owner only."""
    os.umask(0o077)
    app()


__all__ = ["app", "main"]
