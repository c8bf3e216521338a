"""Chats reached at a phone number through a business messaging service: which chat a
number is, the number to write back to (sealed), and when the person last wrote, which
decides whether the service lets us write to them freely.

The number is personal data. It is kept sealed like any answer, and found again by a keyed
hash whose key lives sealed in the database, so a copy of the database without the data key
cannot be searched for a number. The chat id is random and says nothing about the number.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime

from storage.database import Database, iso, parse_time

PHONE_CHATS_BELOW = -6_000_000_000_000_000_000
"""Phone chats have ids below this: below the web chat's and far from Telegram's."""
HASH_KEY_NAME = "phone_address_key"


def is_phone_chat(chat_id: int | None) -> bool:
    """Whether a chat id belongs to a chat reached at a phone number."""
    return chat_id is not None and chat_id < PHONE_CHATS_BELOW


def new_phone_chat_id() -> int:
    """A fresh, unguessable chat id for a phone number seen for the first time."""
    return PHONE_CHATS_BELOW - 1 - secrets.randbelow(3 * 10**18)


class PhoneChats:
    """The address book of phone chats and each one's messaging window."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self._hash_key: bytes | None = None

    async def _key(self) -> bytes:
        """The key of the address hash, made once and kept sealed in the database (so a key
        rotation re-seals it and the hashes stay valid)."""
        if self._hash_key is None:
            row = await self.db.fetch_one("SELECT value FROM meta WHERE key = ?", (HASH_KEY_NAME,))
            if row is None:
                async with self.db.transaction() as connection:
                    await connection.execute(
                        "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                        (HASH_KEY_NAME, self.db.seal(secrets.token_hex(32))),
                    )
                row = await self.db.fetch_one(
                    "SELECT value FROM meta WHERE key = ?", (HASH_KEY_NAME,)
                )
            assert row is not None
            self._hash_key = bytes.fromhex(self.db.open_text(row["value"]))
        return self._hash_key

    async def _hash(self, address: str) -> str:
        return hmac.new(await self._key(), address.encode("utf-8"), hashlib.sha256).hexdigest()

    async def find(self, address: str, at: datetime) -> int | None:
        """The chat of a known number that wrote at `at`, its window opened from then; None
        for a number never linked to an interview (nothing is kept about it). A message
        delivered late never moves the window back; keeping the time is bookkeeping (a
        power cut losing it only means a template is sent)."""
        address_hash = await self._hash(address)
        row = await self.db.fetch_one(
            "SELECT chat_id FROM phone_chats WHERE address_hash = ?", (address_hash,)
        )
        if row is None:
            return None
        async with self.db.transaction(durable=False) as connection:
            await connection.execute(
                "UPDATE phone_chats SET last_inbound_at = ?, template_sent_at = NULL "
                "WHERE chat_id = ? AND (last_inbound_at IS NULL OR last_inbound_at < ?)",
                (iso(at), row["chat_id"], iso(at)),
            )
        return int(row["chat_id"])

    async def heard_from(self, address: str, at: datetime) -> int:
        """The chat of a number that wrote at `at`, made if it is new (to open an
        invitation), its window opened from then."""
        found = await self.find(address, at)
        if found is not None:
            return found
        address_hash = await self._hash(address)
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT OR IGNORE INTO phone_chats (chat_id, address_hash, address, "
                "created_at, last_inbound_at) VALUES (?, ?, ?, ?, ?)",
                (new_phone_chat_id(), address_hash, self.db.seal(address), iso(at), iso(at)),
            )
            async with connection.execute(
                "SELECT chat_id FROM phone_chats WHERE address_hash = ?", (address_hash,)
            ) as cursor:
                made = await cursor.fetchone()
        assert made is not None
        return int(made[0])

    async def forget_unused(self, chat_id: int) -> None:
        """Forget a number no interview was ever linked to (a wrong start code)."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "DELETE FROM phone_chats WHERE chat_id = ? AND NOT EXISTS "
                "(SELECT 1 FROM interviews WHERE chat_id = ?)",
                (chat_id, chat_id),
            )

    async def forget_unlinked(self, made_before: datetime) -> int:
        """Forget numbers no interview points to any more (a link reissued to a new number,
        an interview whose chat was cleared); ones made since `made_before` are left, as
        they may be opening their invitation right now. How many were forgotten."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "DELETE FROM phone_chats WHERE created_at < ? AND NOT EXISTS "
                "(SELECT 1 FROM interviews i WHERE i.chat_id = phone_chats.chat_id "
                "AND i.status != 'erased')",
                (iso(made_before),),
            )
        return cursor.rowcount

    async def address(self, chat_id: int) -> str | None:
        """The number to write to, or None if the chat is unknown or was erased."""
        row = await self.db.fetch_one(
            "SELECT address FROM phone_chats WHERE chat_id = ?", (chat_id,)
        )
        return self.db.open_text(row["address"]) if row is not None else None

    async def last_inbound(self, chat_id: int) -> datetime | None:
        """When the person last wrote, which opens the window to write back freely."""
        row = await self.db.fetch_one(
            "SELECT last_inbound_at FROM phone_chats WHERE chat_id = ?", (chat_id,)
        )
        return parse_time(row["last_inbound_at"]) if row is not None else None

    async def claim_template(self, chat_id: int, at: datetime) -> bool:
        """True once per closed window: whoever gets True sends the one template asking the
        person to write back; later calls get False until the person writes again."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE phone_chats SET template_sent_at = ? WHERE chat_id = ? "
                "AND template_sent_at IS NULL",
                (iso(at), chat_id),
            )
        return cursor.rowcount == 1

    async def close_window(self, chat_id: int) -> None:
        """The service says the window is shut (its clock and ours disagree): believe it."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "UPDATE phone_chats SET last_inbound_at = NULL WHERE chat_id = ?", (chat_id,)
            )

    async def chats_waiting(self) -> list[int]:
        """Phone chats with messages in the outbox, oldest waiting first."""
        rows = await self.db.fetch_all(
            "SELECT chat_id FROM outbox WHERE sent_at IS NULL AND payload IS NOT NULL "
            "AND chat_id < ? GROUP BY chat_id ORDER BY MAX(priority) DESC, MIN(id)",
            (PHONE_CHATS_BELOW,),
        )
        return [int(r[0]) for r in rows]
