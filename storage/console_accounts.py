"""What the staff console knows of each member of staff beyond the staff list: their work
e-mail address, their authenticator secret and recovery codes, and notes they left when
acknowledging a concern. Secrets are sealed with the data key or kept only as hashes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from storage.audit import write_audit
from storage.database import Database, iso, parse_time
from storage.records import Actor


def email_key(email: str) -> str:
    """How an address is looked up: its hash, whatever its case or spaces."""
    return hashlib.sha256(email.strip().lower().encode("utf-8")).hexdigest()


def recovery_hash(code: str) -> str:
    """What is kept of a recovery code, however it was typed."""
    cleaned = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(cleaned.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Authenticator:
    """A member of staff's TOTP secret; confirmed once they have typed a code from it."""

    secret: str
    confirmed_at: datetime | None
    last_step: int


@dataclass(frozen=True)
class ConcernNote:
    """What someone wrote when they acknowledged a concern."""

    user_id: int
    at: datetime
    note: str


class ConsoleAccounts:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def set_email(self, user_id: int, email: str, actor: Actor, at: datetime) -> None:
        """Give a member of staff the work address they sign in with; audited."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "DELETE FROM console_staff_email WHERE email_hash = ? AND user_id != ?",
                (email_key(email), user_id),
            )
            await connection.execute(
                "INSERT INTO console_staff_email (user_id, email_hash, email) VALUES (?, ?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET email_hash = excluded.email_hash, "
                "email = excluded.email",
                (user_id, email_key(email), self.db.seal(email.strip())),
            )
            await write_audit(connection, actor, "staff_email_set", at, detail=f"user {user_id}")

    async def staff_with_email(self, email: str) -> int | None:
        """The current member of staff with this address, or None."""
        row = await self.db.fetch_one(
            "SELECT e.user_id FROM console_staff_email e JOIN staff s ON s.user_id = e.user_id "
            "WHERE e.email_hash = ? AND s.removed_at IS NULL",
            (email_key(email),),
        )
        return int(row[0]) if row is not None else None

    async def email_of(self, user_id: int) -> str | None:
        row = await self.db.fetch_one(
            "SELECT email FROM console_staff_email WHERE user_id = ?", (user_id,)
        )
        return self.db.open_text(row[0]) if row is not None else None

    # The second factor ---------------------------------------------------------------------

    async def authenticator(self, user_id: int) -> Authenticator | None:
        row = await self.db.fetch_one(
            "SELECT secret, confirmed_at, last_step FROM console_totp WHERE user_id = ?",
            (user_id,),
        )
        if row is None:
            return None
        return Authenticator(self.db.open_text(row[0]), parse_time(row[1]), int(row[2]))

    async def begin_enrolment(self, user_id: int, secret: str) -> None:
        """Keep a new secret, not yet trusted; an unconfirmed one before it is replaced."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO console_totp (user_id, secret) VALUES (?, ?) "
                "ON CONFLICT (user_id) DO UPDATE SET secret = excluded.secret "
                "WHERE console_totp.confirmed_at IS NULL",
                (user_id, self.db.seal(secret)),
            )

    async def confirm_enrolment(
        self, user_id: int, step: int, recovery: list[str], actor: Actor, at: datetime
    ) -> None:
        """The secret works: trust it from now on, with fresh recovery codes; audited."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "UPDATE console_totp SET confirmed_at = ?, last_step = ? WHERE user_id = ?",
                (iso(at), step, user_id),
            )
            await connection.execute(
                "DELETE FROM console_recovery_codes WHERE user_id = ?", (user_id,)
            )
            await connection.executemany(
                "INSERT INTO console_recovery_codes (user_id, code_hash) VALUES (?, ?)",
                [(user_id, recovery_hash(code)) for code in recovery],
            )
            await write_audit(connection, actor, "second_factor_enrolled", at)

    async def use_step(self, user_id: int, step: int) -> bool:
        """Spend a time step's code: False if it or a later one was used already."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE console_totp SET last_step = ? WHERE user_id = ? AND last_step < ? "
                "AND confirmed_at IS NOT NULL",
                (step, user_id, step),
            )
            return cursor.rowcount == 1

    async def use_recovery(self, user_id: int, code: str, at: datetime) -> bool:
        """Spend one recovery code; False if it is not one of theirs or was used."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE console_recovery_codes SET used_at = ? WHERE id = (SELECT id FROM "
                "console_recovery_codes WHERE user_id = ? AND code_hash = ? AND used_at IS NULL "
                "LIMIT 1)",
                (iso(at), user_id, recovery_hash(code)),
            )
            return cursor.rowcount == 1

    # Notes on concerns ----------------------------------------------------------------------

    async def add_note(self, concern_id: int, user_id: int, note: str, at: datetime) -> None:
        """Keep what someone wrote on acknowledging a concern, sealed like an answer."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT INTO console_concern_notes (concern_id, user_id, at, note) "
                "VALUES (?, ?, ?, ?)",
                (concern_id, user_id, iso(at), self.db.seal(note)),
            )

    async def notes(self, concern_id: int) -> list[ConcernNote]:
        rows = await self.db.fetch_all(
            "SELECT user_id, at, note FROM console_concern_notes WHERE concern_id = ? ORDER BY id",
            (concern_id,),
        )
        return [
            ConcernNote(int(r[0]), parse_time(r[1]) or datetime.min, self.db.open_text(r[2]))
            for r in rows
        ]
