"""Reading a number from text a person or a button sent, without ever raising: '²', '٣' and
'99999999999999999999999' are not ids (str.isdigit() accepts the first two; int() fails on
the first and the last overflows SQLite)."""

from __future__ import annotations

LARGEST_ID = 2**62


def whole_number(text: str, largest: int = LARGEST_ID) -> int | None:
    """The whole number in `text` (ASCII digits only, 1 to `largest`), or None."""
    text = text.strip()
    if not text or len(text) > 19 or not (text.isascii() and text.isdecimal()):
        return None
    value = int(text)
    return value if 0 < value <= largest else None
