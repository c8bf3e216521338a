"""Text a person sees, given per language."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BeforeValidator

Language = Literal["en", "cy"]
LANGUAGES: tuple[Language, ...] = ("en", "cy")
LANGUAGE_NAMES: dict[Language, str] = {"en": "English", "cy": "Cymraeg"}


def _as_mapping(value: object) -> object:
    """Let a flow author write a plain string where only English is offered."""
    if isinstance(value, str):
        return {"en": value}
    return value


LocalText = Annotated[dict[Language, str], BeforeValidator(_as_mapping)]


def pick(text: dict[Language, str], language: Language) -> str:
    """The text in the person's language, falling back to English so nobody sees nothing."""
    return text.get(language) or text.get("en") or next(iter(text.values()), "")
