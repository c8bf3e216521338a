"""Opening everything a command needs from the settings: flows, help, storage, service."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.core.answer import InterviewService
from bot.core.clock import Clock, system_clock
from bot.core.config import Settings
from flows import Flow, load_flows
from flows.help import HelpDirectory, load_help_directory
from storage import Cipher, Storage


@dataclass
class AppContext:
    settings: Settings
    flows: dict[str, Flow]
    help: HelpDirectory
    storage: Storage
    service: InterviewService
    clock: Clock


def load_catalogue(settings: Settings) -> tuple[dict[str, Flow], HelpDirectory]:
    """The flows and helplines this deployment offers, checked."""
    directory = load_help_directory(settings.helplines)
    return load_flows(settings.flows_dir, directory), directory


@asynccontextmanager
async def open_context(
    settings: Settings, clock: Clock = system_clock
) -> AsyncIterator[AppContext]:
    """Everything opened, and closed again when the block ends."""
    flows, directory = load_catalogue(settings)
    storage = await Storage.open(settings.database, Cipher(*settings.keys()))
    try:
        yield AppContext(
            settings, flows, directory, storage, InterviewService(storage, flows, clock), clock
        )
    finally:
        await storage.close()
