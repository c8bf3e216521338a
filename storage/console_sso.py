"""Single sign-on attempts in flight: what the answer from the organisation's OpenID
provider must match. Each is used once and only by the browser that began it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.console_sessions import secret_hash
from storage.database import Database, iso


@dataclass(frozen=True)
class SsoAttempt:
    """The nonce the ID token must carry, and the PKCE verifier for the code."""

    nonce: str
    verifier: str


class SsoAttempts:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def begin(
        self, state: str, browser: str, nonce: str, verifier: str, at: datetime
    ) -> None:
        """Remember an attempt; the state and the browser's cookie only as hashes."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "DELETE FROM console_sso WHERE created_at < ?", (iso(at - timedelta(days=1)),)
            )
            await connection.execute(
                "INSERT INTO console_sso (state_hash, browser_hash, nonce, verifier, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (secret_hash(state), secret_hash(browser), nonce, self.db.seal(verifier), iso(at)),
            )

    async def take(
        self, state: str, browser: str, at: datetime, lasts: timedelta
    ) -> SsoAttempt | None:
        """Spend the attempt this state names, if this browser began it, in time, once."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE console_sso SET used_at = ? WHERE state_hash = ? AND browser_hash = ? "
                "AND used_at IS NULL AND created_at > ? RETURNING nonce, verifier",
                (iso(at), secret_hash(state), secret_hash(browser), iso(at - lasts)),
            )
            row = await cursor.fetchone()
        if row is None:
            return None
        return SsoAttempt(str(row[0]), self.db.open_text(row[1]))
