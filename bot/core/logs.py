"""Structured log lines that never carry what a person wrote, nor the bot's token."""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import re
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


_COUNT = re.compile(r"-?\d{1,12}")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_.:-]{0,63}")
_PHRASE = re.compile(r"[A-Za-z0-9_.:'/ -]{1,120}")
FIELDS: dict[str, re.Pattern[str]] = {
    "interview": re.compile(r"iv-[0-9a-f]{6,32}|-"),
    "chat": re.compile(r"p-[0-9a-f]{12}"),
    "concern": _COUNT,
    "outbox": _COUNT,
    "task": re.compile(r"t-[0-9a-f]{4,16}"),
    "staff": _COUNT,
    "admins": _COUNT,
    "waiting": _COUNT,
    "erased": _COUNT,
    "failed": _COUNT,
    "expired_invitations": _COUNT,
    "port": _COUNT,
    "severity": _WORD,
    "kind": _WORD,
    "reason": _WORD,
    "error": _WORD,
    "problem": _WORD,
    "job": _WORD,
    "mode": _WORD,
    "channel": _WORD,
    "username": _WORD,
    "reminder": _WORD,
    "host": re.compile(r"[0-9a-fA-F.:]{1,45}|localhost"),
    "retry_in": re.compile(r"\d{1,6}(\.\d)?s"),
    "helpline": _WORD,
    "why": _PHRASE,
    "action": _PHRASE,
}
"""Every field a log line may carry, and the shape its value must have: ids, counts and
words the code chose. A field not listed (a question id, an answer, a name, a raw chat id)
is left out of the line, and a listed field whose value has another shape is shown as '?'.
So a careless call cannot put what a person said, or who they are, into a log."""

CONCERN_EVENTS = frozenset(
    {"concern_raised", "concern_alerted", "concern_emailed", "concern_acknowledged"}
)
"""Lines about a concern carry the concern's id and severity, never the interview or chat it
came from: staff find the person through the concern, with the key and an audited read."""
_PERSON_FIELDS = frozenset({"interview", "chat"})


def allowed(event: str, fields: dict[str, object]) -> str:
    """The fields of a log line, kept to the allow-list, as `key=value` text."""
    shown = []
    for key, value in fields.items():
        shape = FIELDS.get(key)
        if shape is None or (event in CONCERN_EVENTS and key in _PERSON_FIELDS):
            continue
        text = str(value)
        shown.append(f"{key}={text if shape.fullmatch(text) else '?'}")
    return " ".join(shown)


def log_event(event: str, **fields: object) -> None:
    """Log an event by name with ids and counts only (see FIELDS)."""
    LOGGER.info("event=%s %s", _event_name(event), allowed(event, fields))


def log_error(event: str, **fields: object) -> None:
    """Log something that needs a person to act (an alert nobody received, a failed job),
    with ids and counts only (see FIELDS)."""
    LOGGER.error("event=%s %s", _event_name(event), allowed(event, fields))


def log_warning(event: str, **fields: object) -> None:
    """Log something an operator should put right before real use (a placeholder helpline),
    with ids and counts only (see FIELDS)."""
    LOGGER.warning("event=%s %s", _event_name(event), allowed(event, fields))


def _event_name(event: str) -> str:
    return event if _WORD.fullmatch(event) else "?"
