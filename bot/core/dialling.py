"""Finding the helpline numbers in a message, so every channel can make them something a
person taps: `tel:` and `sms:` links on the web, the international form Telegram links."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

PHONE = re.compile(
    r"(?<!\w)(?<!\d\.)(?:0\d{3,5}(?: ?\d{3,6}){1,2}|116 ?\d{3}|999|111)(?!\w)(?!\.\d)"
    r"|(?<=\btext )\d{5}(?!\w)(?!\.\d)|(?<=\btecstiwch )\d{5}(?!\w)(?!\.\d)",
    re.IGNORECASE,
)
"""UK numbers as the helplines are written: 0800 1111, 0808 800 5792, 080880 23456,
116 123, 999; and five-digit text services after "text" (Welsh "tecstiwch")."""


@dataclass(frozen=True)
class Number:
    """A number found in a text: where, as written, and whether it is for text messages."""

    start: int
    end: int
    written: str
    text_service: bool

    @property
    def digits(self) -> str:
        return re.sub(r"\D", "", self.written)


def numbers_in(text: str) -> Iterator[Number]:
    """Every phone number and text service in a text, in order."""
    for match in PHONE.finditer(text):
        before = text[max(0, match.start() - 10) : match.start()].lower()
        written = match.group(0)
        text_service = len(re.sub(r"\D", "", written)) == 5 and (
            before.endswith("text ") or before.endswith("tecstiwch ")
        )
        yield Number(match.start(), match.end(), written, text_service)


def international(number: Number) -> str | None:
    """A national number (0...) in the +44 form, which Telegram makes a tappable phone
    number and a UK phone dials as the same number; None for short codes like 999."""
    if number.text_service or not number.written.startswith("0"):
        return None
    return f"+44 {number.written[1:]}"


TAPPABLE_KINDS = frozenset({"concern", "help"})
"""The messages whose numbers a person may need to tap: help, and the reply to a concern."""


def with_international_numbers(text: str) -> str:
    """A text with each national number followed by its +44 form, for Telegram."""
    parts: list[str] = []
    last = 0
    for number in numbers_in(text):
        form = international(number)
        if form is None:
            continue
        parts.append(text[last : number.end])
        parts.append(f" ({form})")
        last = number.end
    parts.append(text[last:])
    return "".join(parts)
