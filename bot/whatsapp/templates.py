"""The approved templates: the only messages WhatsApp lets a business send more than a day
after the person last wrote. They carry no names and no answers (Meta can read them).

Their words are kept in templates.json beside this module for now; they belong in the flow
files, in English and Welsh, once the flow format has a place for them."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, RootModel

from flows.text import Language

TEMPLATES_FILE = Path(__file__).with_name("templates.json")
TemplateKey = Literal["carry_on", "message_waiting"]


class TemplateText(BaseModel):
    """One language of a template, as submitted to Meta."""

    name: str
    language: str
    text: str


class Template(BaseModel):
    """One template: why it is sent, and its English and Welsh versions."""

    why: str
    en: TemplateText
    cy: TemplateText

    def text(self, language: Language) -> TemplateText:
        """This template in the person's language (English if it has no Welsh)."""
        return self.cy if language == "cy" else self.en


class Templates(RootModel[dict[str, Template]]):
    """The templates file: every template by its key."""


@cache
def templates() -> dict[str, Template]:
    """Every template, checked when first used."""
    return Templates.model_validate_json(TEMPLATES_FILE.read_bytes()).root


def template_body(key: TemplateKey, language: Language) -> tuple[dict[str, Any], str]:
    """The Cloud API body that sends a template, and its words for the transcript."""
    chosen = templates()[key].text(language)
    body = {
        "type": "template",
        "template": {"name": chosen.name, "language": {"code": chosen.language}},
    }
    return body, chosen.text
