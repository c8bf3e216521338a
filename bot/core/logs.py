"""Structured log lines that never carry what a person wrote, nor the bot's token."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import sys

LOGGER = logging.getLogger("exit_interviews")
_PSEUDONYM_KEY = [os.urandom(32)]


def set_pseudonym_key(secret: bytes) -> None:
    """Derive the key that turns chat ids into pseudonyms in logs from the data key, so the
    same chat has the same pseudonym across restarts, and nobody without the key can tell
    which Telegram account it is."""
    _PSEUDONYM_KEY[0] = hmac.new(secret, b"exit-interviews log pseudonyms", "sha256").digest()


def person(chat_id: int) -> str:
    """A chat id as it may appear in a log line: a keyed hash, never the id itself."""
    digest = hmac.new(_PSEUDONYM_KEY[0], str(chat_id).encode("ascii"), hashlib.sha256)
    return "p-" + digest.hexdigest()[:12]


def configure_logging(level: str = "INFO") -> None:
    """One line per event, key=value, on standard error. Libraries are held at WARNING even
    when debugging: httpx logs URLs, which contain the bot token, and python-telegram-bot and
    aiosqlite log updates and query parameters, which contain what people wrote."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s level=%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for noisy in ("httpx", "httpcore", "apscheduler", "aiosqlite", "telegram"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def log_event(event: str, **fields: object) -> None:
    """Log an event by name with ids and counts only; callers never pass answer text."""
    details = " ".join(f"{key}={value}" for key, value in fields.items())
    LOGGER.info("event=%s %s", event, details)


def log_error(event: str, **fields: object) -> None:
    """Log something that needs a person to act (an alert nobody received, a failed job),
    with ids and counts only."""
    details = " ".join(f"{key}={value}" for key, value in fields.items())
    LOGGER.error("event=%s %s", event, details)
