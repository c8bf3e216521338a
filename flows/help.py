"""Organisations a person can turn to. Configuration, not code: deployments edit the file."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from flows.text import Language, LocalText, pick

DEFAULT_HELPLINES = Path(__file__).parent / "definitions" / "helplines.yaml"


class Organisation(BaseModel):
    """A helpline or service. Never a named person: organisations only."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_]*$")
    name: LocalText
    contact: LocalText
    configure: bool = False

    def line(self, language: Language) -> str:
        """One line a person can read and act on: who, and how to reach them."""
        return f"• {pick(self.name, language)}: {pick(self.contact, language)}"


class HelpDirectory(BaseModel):
    """Every organisation a deployment offers, by id."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    organisations: list[Organisation]

    def get(self, organisation_id: str) -> Organisation | None:
        """The organisation with this id, if the directory has it."""
        return next((o for o in self.organisations if o.id == organisation_id), None)

    def unconfigured(self) -> list[Organisation]:
        """Entries still holding the shipped placeholder, which a deployment must fill in."""
        return [o for o in self.organisations if o.configure]


def load_help_directory(path: Path = DEFAULT_HELPLINES) -> HelpDirectory:
    """Read the helplines file; a deployment points EXIT_HELPLINES at its own copy."""
    with path.open(encoding="utf-8") as handle:
        return HelpDirectory.model_validate(yaml.safe_load(handle))
