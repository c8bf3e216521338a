"""Jinja2 templates: HTML escapes every value it shows, Markdown escapes its own specials.

Everything a person wrote reaches a document through a template, never by concatenation."""

from __future__ import annotations

import re
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~])")


def markdown_escape(value: object) -> str:
    """Text shown as itself in Markdown, not as formatting or HTML."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", str(value))


def markdown_quote(value: object) -> str:
    """A person's answer as a Markdown block quote, each line escaped."""
    return "\n".join(f"> {markdown_escape(line)}" for line in str(value).splitlines() or [""])


@cache
def environment() -> Environment:
    """Templates in bot/documents/templates; *.html.j2 autoescape, *.md.j2 use the md and quote filters."""
    env = Environment(
        loader=PackageLoader("bot.documents", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default=False),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = markdown_escape
    env.filters["quote"] = markdown_quote
    return env


def render(template: str, **values: object) -> str:
    """Render one template with these values."""
    return environment().get_template(template).render(**values)
