"""Helplines a person can tap: on the web chat, phone numbers become `tel:` links and text
services `sms:` links, so a child on a phone reaches help in one tap. Everything else in
the line is escaped as usual."""

from __future__ import annotations

import re

from markupsafe import Markup, escape

PHONE = re.compile(
    r"(?<!\w)(?<!\d\.)(?:0\d{3,5}(?: ?\d{3,6}){1,2}|116 ?\d{3}|999|111)(?!\w)(?!\.\d)"
    r"|(?<=\btext )\d{5}(?!\w)(?!\.\d)|(?<=\btecstiwch )\d{5}(?!\w)(?!\.\d)",
    re.IGNORECASE,
)
"""UK numbers as the helplines are written: 0800 1111, 0808 800 5792, 080880 23456,
116 123, 999; and five-digit text services after "text" (Welsh "tecstiwch")."""


def dial_href(number: str, text_service: bool) -> str:
    """The link a phone opens: the digits alone, for calling or for a text message."""
    digits = re.sub(r"\D", "", number)
    return f"{'sms' if text_service else 'tel'}:{digits}"


def dial_links(line: object) -> Markup:
    """One line of a message as safe HTML, its phone numbers and text services as links."""
    text = str(line)
    parts: list[str] = []
    last = 0
    for match in PHONE.finditer(text):
        number = match.group(0)
        before = text[max(0, match.start() - 10) : match.start()].lower()
        text_service = len(re.sub(r"\D", "", number)) == 5 and (
            before.endswith("text ") or before.endswith("tecstiwch ")
        )
        parts.append(str(escape(text[last : match.start()])))
        parts.append(
            f'<a href="{dial_href(number, text_service)}" class="dial">{escape(number)}</a>'
        )
        last = match.end()
    parts.append(str(escape(text[last:])))
    return Markup("".join(parts))  # noqa: S704 - every piece above is escaped
