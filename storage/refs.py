"""References staff type for things they act on, random so they cannot be counted through."""

from __future__ import annotations

import secrets


def new_ref() -> str:
    """A recommendation's reference: r- and 32 random bits in hex."""
    return f"r-{secrets.token_hex(4)}"
