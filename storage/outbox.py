"""The outbox: replies committed with the input that caused them, sent after the commit.

A reply survives a crash or a Telegram outage because it is on disk before it is sent;
once sent its row is deleted, since the transcript already holds the text.
"""

from __future__ import annotations

from datetime import datetime

from storage.database import Database, iso
from storage.records import OutgoingMessage


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def unsent(self, limit: int = 200) -> list[OutgoingMessage]:
        """Messages not yet delivered, oldest first, so each chat gets them in order."""
        rows = await self.db.fetch_all(
            "SELECT id, interview_id, chat_id, payload FROM outbox "
            "WHERE sent_at IS NULL AND payload IS NOT NULL ORDER BY id LIMIT ?",
            (limit,),
        )
        return [OutgoingMessage(int(r[0]), r[1], r[2], self.db.open_text(r[3])) for r in rows]

    async def unsent_for_chat(self, chat_id: int, limit: int = 100) -> list[OutgoingMessage]:
        """One chat's undelivered messages, in the order they were committed."""
        rows = await self.db.fetch_all(
            "SELECT id, interview_id, chat_id, payload FROM outbox WHERE chat_id = ? "
            "AND sent_at IS NULL AND payload IS NOT NULL ORDER BY id LIMIT ?",
            (chat_id, limit),
        )
        return [OutgoingMessage(int(r[0]), r[1], r[2], self.db.open_text(r[3])) for r in rows]

    async def chats_waiting(self) -> list[int]:
        """Telegram chats with undelivered messages (the terminal, chat 0, is not one)."""
        rows = await self.db.fetch_all(
            "SELECT DISTINCT chat_id FROM outbox WHERE sent_at IS NULL AND payload IS NOT NULL "
            "AND chat_id IS NOT NULL AND chat_id != 0"
        )
        return [int(r[0]) for r in rows]

    async def mark_sent(self, message_ids: list[int]) -> None:
        """Delivered: remove from the queue (a lost delete only means a message is resent)."""
        async with self.db.transaction(durable=False) as connection:
            await connection.executemany(
                "DELETE FROM outbox WHERE id = ?", [(message_id,) for message_id in message_ids]
            )

    async def add(self, chat_id: int, payload: str, at: datetime) -> OutgoingMessage:
        """A message for a chat outside any interview (a staff alert, a reminder to staff)."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO outbox (interview_id, chat_id, payload, created_at) "
                "VALUES (NULL, ?, ?, ?)",
                (chat_id, self.db.seal(payload), iso(at)),
            )
        return OutgoingMessage(int(cursor.lastrowid or 0), None, chat_id, payload)
