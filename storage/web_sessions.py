"""Web chat sessions: which browser holds which interview, its form token, and the page it
was last shown. The cookie is never stored, only its hash, so a copy of the database
cannot be used to take over a session."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime

from storage.database import Database, iso, parse_time
from storage.interviews import FINISHED, token_hash

WEB_CHATS_BELOW = -4_000_000_000_000_000_000
"""Web chats have ids below this; Telegram's never are, so the two cannot meet."""
WEB_CHATS_FROM = WEB_CHATS_BELOW - 1 - 10**18
"""The lowest web chat id; below it are the phone chats (storage/phone_chats.py)."""


def is_web_chat(chat_id: int | None) -> bool:
    """Whether a chat id belongs to the web chat rather than Telegram."""
    return chat_id is not None and WEB_CHATS_FROM <= chat_id < WEB_CHATS_BELOW


def new_web_chat_id() -> int:
    """A fresh, unguessable chat id for a browser."""
    return WEB_CHATS_BELOW - 1 - secrets.randbelow(10**18)


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class WebSession:
    """One browser's hold on one interview."""

    interview_id: str
    chat_id: int
    csrf: str
    created_at: datetime
    last_seen: datetime
    ended_at: datetime | None
    hidden: bool
    last_page: str | None


@dataclass(frozen=True)
class LinkState:
    """What an invitation link leads to, as read without changing anything: so a link
    preview, a guess or a refusal costs no write, and the start page can speak the
    interview's language."""

    interview_id: str
    language: str | None
    used: bool
    used_by_chat: int | None
    over: bool
    run_out: bool

    def usable_by(self, chat_id: int | None) -> bool:
        """Whether this chat could start (or, if it is its own, carry on) with the link now."""
        if self.over:
            return False
        if self.used:
            return self.used_by_chat is not None and self.used_by_chat == chat_id
        return not self.run_out


class WebSessions:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def start(self, interview_id: str, chat_id: int, at: datetime) -> str:
        """A new session for a browser; the secret for its cookie, returned once."""
        secret = secrets.token_urlsafe(32)
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO web_sessions (id, interview_id, chat_id, csrf, created_at, "
                "last_seen) VALUES (?, ?, ?, ?, ?, ?)",
                (_hash(secret), interview_id, chat_id, secrets.token_urlsafe(24), iso(at), iso(at)),
            )
        return secret

    async def link(self, token: str, at: datetime) -> LinkState | None:
        """The interview a link opens and whether it can be started, or None for a link
        that is not known. Only reads."""
        row = await self.db.fetch_one(
            "SELECT v.interview_id, v.expires_at, v.used_at, v.used_by_chat, i.status, "
            "i.language FROM invitations v JOIN interviews i ON i.id = v.interview_id "
            "WHERE v.token_hash = ?",
            (token_hash(token),),
        )
        if row is None:
            return None
        used_by = row["used_by_chat"]
        return LinkState(
            str(row["interview_id"]),
            row["language"] or None,
            row["used_at"] is not None,
            int(used_by) if used_by is not None else None,
            row["status"] in FINISHED or row["status"] == "erased",
            (parse_time(row["expires_at"]) or at) <= at,
        )

    async def get(self, secret: str) -> WebSession | None:
        row = await self.db.fetch_one(
            "SELECT interview_id, chat_id, csrf, created_at, last_seen, ended_at, hidden, "
            "last_page FROM web_sessions WHERE id = ?",
            (_hash(secret),),
        )
        if row is None:
            return None
        return WebSession(
            row["interview_id"],
            int(row["chat_id"]),
            row["csrf"],
            parse_time(row["created_at"]) or datetime.min,
            parse_time(row["last_seen"]) or datetime.min,
            parse_time(row["ended_at"]),
            bool(row["hidden"]),
            self.db.open_text(row["last_page"]) if row["last_page"] else None,
        )

    async def seen(
        self, secret: str, at: datetime, *, page: str | None = None, hidden: bool | None = None
    ) -> None:
        """Note the browser was here now; keep the page it was shown, or hide it."""
        sets, params = ["last_seen = ?"], [iso(at)]
        if page is not None:
            sets.append("last_page = ?")
            params.append(self.db.seal(page))  # type: ignore[arg-type]
        if hidden is not None:
            sets.append("hidden = ?")
            params.append(int(hidden))  # type: ignore[arg-type]
        async with self.db.transaction(durable=False) as connection:
            await connection.execute(
                f"UPDATE web_sessions SET {', '.join(sets)} WHERE id = ?",  # noqa: S608 - fixed column names
                (*params, _hash(secret)),
            )

    async def end(self, secret: str, at: datetime) -> None:
        """This browser's session is over (the interview ended, or it was replaced)."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "UPDATE web_sessions SET ended_at = COALESCE(ended_at, ?), last_page = NULL "
                "WHERE id = ?",
                (iso(at), _hash(secret)),
            )

    async def end_for_interview(self, interview_id: str, at: datetime) -> None:
        """End every browser's session on an interview (its link was reissued or erased)."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "UPDATE web_sessions SET ended_at = COALESCE(ended_at, ?), last_page = NULL "
                "WHERE interview_id = ?",
                (iso(at), interview_id),
            )
