"""Opening everything a command needs from the settings: flows, help, storage, service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.core.answer import InterviewService
from bot.core.clock import Clock, system_clock
from bot.core.config import Settings
from bot.core.logs import log_warning, set_pseudonym_key
from flows import Flow, load_flows
from flows.help import HelpDirectory, load_help_directory
from storage import Cipher, Storage
from storage.safety import SafetyJournal, journal_path


@dataclass
class AppContext:
    """Everything a command or a channel needs, opened from the settings."""

    settings: Settings
    flows: dict[str, Flow]
    help: HelpDirectory
    storage: Storage
    service: InterviewService
    clock: Clock
    journal: SafetyJournal


def load_catalogue(settings: Settings) -> tuple[dict[str, Flow], HelpDirectory]:
    """The flows and helplines this deployment offers, checked."""
    directory = load_help_directory(settings.helplines)
    return load_flows(settings.flows_dir, directory), directory


def warn_of_placeholder_helplines(context: AppContext) -> int:
    """At a server's start-up, say in the log which helplines still hold the shipped
    placeholder: a person in need must never be shown a line that leads nowhere. Returns how
    many there are."""
    organisations = context.help.unconfigured()
    for organisation in organisations:
        log_warning("helpline_placeholder", helpline=organisation.id, why="edit EXIT_HELPLINES")
    return len(organisations)


@asynccontextmanager
async def open_context(
    settings: Settings, clock: Clock = system_clock
) -> AsyncIterator[AppContext]:
    """Everything opened, and closed again when the block ends."""
    flows, directory = load_catalogue(settings)
    cipher = Cipher(*settings.keys())
    set_pseudonym_key(cipher.key_id + settings.keys()[0].encode("ascii"))
    storage = await Storage.open(settings.database, cipher, settings.busy_timeout_ms)
    journal: SafetyJournal | None = None
    try:
        journal = await SafetyJournal.open(journal_path(settings.database), cipher)
        for flow in flows.values():
            await storage.flow_versions.keep(flow.version, flow.id, flow.source, clock())
        yield AppContext(
            settings,
            flows,
            directory,
            storage,
            InterviewService(storage, flows, clock, directory),
            clock,
            journal,
        )
    finally:
        if journal is not None:
            await journal.close()
        await storage.close()
