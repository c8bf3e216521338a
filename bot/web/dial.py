"""Helplines a person can tap: on the web chat, phone numbers become `tel:` links and text
services `sms:` links, so a child on a phone reaches help in one tap. Everything else in
the line is escaped as usual."""

from __future__ import annotations

from markupsafe import Markup, escape

from bot.core.dialling import numbers_in


def dial_links(line: object) -> Markup:
    """One line of a message as safe HTML, its phone numbers and text services as links."""
    text = str(line)
    parts: list[str] = []
    last = 0
    for number in numbers_in(text):
        scheme = "sms" if number.text_service else "tel"
        parts.append(str(escape(text[last : number.start])))
        parts.append(
            f'<a href="{scheme}:{number.digits}" class="dial">{escape(number.written)}</a>'
        )
        last = number.end
    parts.append(str(escape(text[last:])))
    return Markup("".join(parts))  # noqa: S704 - every piece above is escaped
