"""Staff console sessions and the one-time codes that open them. A session's cookie and
every code are kept only as hashes, so a copy of the database opens nothing."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from storage.database import Database, iso, parse_time

Stage = Literal["code", "second", "enrol", "full"]
"""Where a browser is in signing in: waiting for the e-mailed code, for the second factor,
enrolling one (admins must), or signed in."""

CodePurpose = Literal["email", "welcome"]


def secret_hash(secret: str) -> str:
    """What is kept of a cookie or a long one-time token."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def code_hash(session_id: str, code: str) -> str:
    """What is kept of a short code: bound to the session it was sent for."""
    return hmac.new(session_id.encode("ascii"), code.encode("utf-8"), "sha256").hexdigest()


@dataclass(frozen=True)
class ConsoleSession:
    """One browser's sign-in, as the console checks it on every request."""

    id: str
    user_id: int | None
    stage: Stage
    role: str | None
    services: str
    csrf: str
    created_at: datetime
    last_seen: datetime
    ended_at: datetime | None


@dataclass(frozen=True)
class CodeCheck:
    """What became of a code typed in: right, or wrong with how many tries are left."""

    ok: bool
    tries_left: int
    user_id: int | None = None
    spent: bool = False
    """The code was used already or is out of time: ask for a new one."""


class ConsoleSessions:
    """Sessions, e-mailed codes and first sign-in links of the staff console."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def start(
        self,
        user_id: int | None,
        stage: Stage,
        role: str | None,
        services: str,
        at: datetime,
    ) -> str:
        """A new session; the secret for its cookie, returned once and never stored."""
        secret = secrets.token_urlsafe(32)
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO console_sessions (id, user_id, stage, role, services, csrf, "
                "created_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    secret_hash(secret),
                    user_id,
                    stage,
                    role,
                    services,
                    secrets.token_urlsafe(24),
                    iso(at),
                    iso(at),
                ),
            )
        return secret

    async def get(self, secret: str) -> ConsoleSession | None:
        """The session a cookie names, ended or not; None for a cookie never issued."""
        row = await self.db.fetch_one(
            "SELECT id, user_id, stage, role, services, csrf, created_at, last_seen, ended_at "
            "FROM console_sessions WHERE id = ?",
            (secret_hash(secret),),
        )
        if row is None:
            return None
        return ConsoleSession(
            row["id"],
            None if row["user_id"] is None else int(row["user_id"]),
            row["stage"],
            row["role"],
            row["services"],
            row["csrf"],
            parse_time(row["created_at"]) or datetime.min,
            parse_time(row["last_seen"]) or datetime.min,
            parse_time(row["ended_at"]),
        )

    async def seen(self, session_id: str, at: datetime) -> None:
        """The browser was here now: the idle clock starts again."""
        async with self.db.transaction(durable=False) as connection:
            await connection.execute(
                "UPDATE console_sessions SET last_seen = ? WHERE id = ?", (iso(at), session_id)
            )

    async def end(self, session_id: str, at: datetime) -> None:
        """This session is over: signed out, timed out, or replaced by the next stage."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "UPDATE console_sessions SET ended_at = COALESCE(ended_at, ?) WHERE id = ?",
                (iso(at), session_id),
            )

    async def end_for_staff(self, user_id: int, at: datetime) -> int:
        """End every session of one member of staff at once; how many were open."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE console_sessions SET ended_at = ? WHERE user_id = ? AND ended_at IS NULL",
                (iso(at), user_id),
            )
            return int(cursor.rowcount)

    # Codes --------------------------------------------------------------------------------

    async def new_code(
        self,
        session_id: str | None,
        user_id: int | None,
        purpose: CodePurpose,
        code: str,
        at: datetime,
        lasts: timedelta,
    ) -> None:
        """Keep a code (hashed) for a session, or a first sign-in token for no session."""
        kept = code_hash(session_id, code) if session_id else secret_hash(code)
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO console_codes (session_id, user_id, purpose, code_hash, "
                "created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, user_id, purpose, kept, iso(at), iso(at + lasts)),
            )

    async def wrong_tries(self, user_id: int, since: datetime) -> int:
        """Wrong codes typed for this member of staff since then, over every browser."""
        row = await self.db.fetch_one(
            "SELECT COALESCE(SUM(tries), 0) FROM console_codes WHERE user_id = ? "
            "AND purpose = 'email' AND created_at >= ?",
            (user_id, iso(since)),
        )
        return int(row[0]) if row else 0

    async def codes_sent(self, user_id: int, since: datetime) -> int:
        """E-mailed codes made for this member of staff since then."""
        row = await self.db.fetch_one(
            "SELECT COUNT(*) FROM console_codes WHERE user_id = ? AND purpose = 'email' "
            "AND created_at >= ?",
            (user_id, iso(since)),
        )
        return int(row[0]) if row else 0

    async def check_code(
        self, session_id: str, code: str, at: datetime, most_tries: int
    ) -> CodeCheck:
        """Use the newest code sent for this session: right only once, before it expires
        and within `most_tries`; every wrong try is counted."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "SELECT id, user_id, code_hash, expires_at, tries, used_at FROM console_codes "
                "WHERE session_id = ? AND purpose = 'email' ORDER BY id DESC LIMIT 1",
                (session_id,),
            )
            row = await cursor.fetchone()
            if row is None:
                return CodeCheck(False, 0)
            tries = int(row[4])
            if row[5] is not None or (parse_time(row[3]) or at) <= at:
                return CodeCheck(False, max(0, most_tries - tries), spent=True)
            usable = tries < most_tries
            right = hmac.compare_digest(code_hash(session_id, code), row[2])
            if usable and right:
                await connection.execute(
                    "UPDATE console_codes SET used_at = ? WHERE id = ?", (iso(at), row[0])
                )
                return CodeCheck(True, most_tries - tries, row[1])
            if usable:
                tries += 1
                await connection.execute(
                    "UPDATE console_codes SET tries = ? WHERE id = ?", (tries, row[0])
                )
            return CodeCheck(False, max(0, most_tries - tries) if usable else 0)

    async def use_welcome(self, token: str, at: datetime) -> int | None:
        """Spend a first sign-in link: the member of staff it was made for, once, in time."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE console_codes SET used_at = ? WHERE code_hash = ? AND purpose = 'welcome' "
                "AND used_at IS NULL AND expires_at > ? RETURNING user_id",
                (iso(at), secret_hash(token), iso(at)),
            )
            row = await cursor.fetchone()
        return None if row is None or row[0] is None else int(row[0])

    # Since I last looked -------------------------------------------------------------------

    async def last_look(self, user_id: int) -> datetime | None:
        """When this member of staff last opened Today, or None the first time."""
        row = await self.db.fetch_one("SELECT at FROM console_looks WHERE user_id = ?", (user_id,))
        return parse_time(row["at"]) if row is not None else None

    async def looked(self, user_id: int, at: datetime) -> None:
        """Remember this visit to Today, so the next shows only what is new since."""
        async with self.db.transaction(durable=False) as connection:
            await connection.execute(
                "INSERT INTO console_looks (user_id, at) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET at = excluded.at",
                (user_id, iso(at)),
            )
