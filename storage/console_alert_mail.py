"""Which red concerns and call-backs the console has mailed about: each once, even across
restarts and with two processes (the claim is one insert)."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from storage.database import Database, iso

MailKind = Literal["concern", "call_back"]


class ConsoleAlertMail:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def claim(self, kind: MailKind, ref: str, at: datetime) -> bool:
        """Take the right to mail about this one; False if it was mailed (or is being)."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT OR IGNORE INTO console_alert_mail (kind, ref, claimed_at) VALUES (?, ?, ?)",
                (kind, ref, iso(at)),
            )
            return cursor.rowcount == 1

    async def sent(self, kind: MailKind, ref: str, at: datetime) -> None:
        """The mail server took it."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "UPDATE console_alert_mail SET sent_at = ? WHERE kind = ? AND ref = ?",
                (iso(at), kind, ref),
            )

    async def release(self, kind: MailKind, ref: str) -> None:
        """It did not go: let the next round try again."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "DELETE FROM console_alert_mail WHERE kind = ? AND ref = ? AND sent_at IS NULL",
                (kind, ref),
            )
