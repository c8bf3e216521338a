"""The outbox: replies committed with the input that caused them, sent after the commit.

A reply survives a crash or a Telegram outage because it is on disk before it is sent;
once sent its row is deleted, since the transcript already holds the text.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from storage.batch import Statement
from storage.database import Database, iso
from storage.records import OutgoingMessage
from storage.thanks import thanks_undelivered
from storage.web_sessions import WEB_CHATS_BELOW


class Outbox:
    def __init__(self, db: Database) -> None:
        self.db = db
        self._delivered: set[int] = set()

    def _still_unsent(
        self, messages: list[OutgoingMessage], pending_before: bool
    ) -> list[OutgoingMessage]:
        """Leave out messages delivered whose removal had not been written when the read
        began. If none was pending then, the read cannot have seen any of them."""
        if not pending_before:
            self._delivered.clear()
            return messages
        return [message for message in messages if message.id not in self._delivered]

    def mark_delivered(self, message_ids: list[int]) -> None:
        """Delivered ordinary messages: removed with the next commit rather than in one of
        their own (the transcript already holds the text). If the process dies before
        then, the message is sent again after the restart; nothing is lost."""
        self._delivered.update(message_ids)
        self.db.write_later(
            Statement("DELETE FROM outbox WHERE id = ?", [(m,) for m in message_ids], many=True)
        )

    async def unsent(self, limit: int = 200) -> list[OutgoingMessage]:
        """Messages not yet delivered, oldest first, so each chat gets them in order."""
        pending_before = self.db.writes_later_pending()
        rows = await self.db.fetch_all(
            "SELECT id, interview_id, chat_id, payload FROM outbox "
            "WHERE sent_at IS NULL AND payload IS NOT NULL ORDER BY id LIMIT ?",
            (limit,),
        )
        return self._still_unsent(
            [self._message(r) for r in rows],
            pending_before,
        )

    async def unsent_for_chat(self, chat_id: int, limit: int = 100) -> list[OutgoingMessage]:
        """One chat's undelivered messages, in the order they were committed."""
        pending_before = self.db.writes_later_pending()
        rows = await self.db.fetch_all(
            "SELECT id, interview_id, chat_id, payload FROM outbox WHERE chat_id = ? "
            "AND sent_at IS NULL AND payload IS NOT NULL ORDER BY priority DESC, id LIMIT ?",
            (chat_id, limit),
        )
        return self._still_unsent(
            [self._message(r) for r in rows],
            pending_before,
        )

    def _message(self, row: sqlite3.Row) -> OutgoingMessage:
        return OutgoingMessage(
            int(row["id"]), row["interview_id"], row["chat_id"], self.db.open_text(row["payload"])
        )

    async def chats_waiting(self) -> list[int]:
        """Telegram chats with undelivered messages (the terminal, chat 0, is not one, nor
        is a web chat, whose messages wait for the browser to come and read them)."""
        rows = await self.db.fetch_all(
            "SELECT chat_id FROM outbox WHERE sent_at IS NULL AND payload IS NOT NULL "
            "AND chat_id IS NOT NULL AND chat_id != 0 AND chat_id >= ? GROUP BY chat_id "
            "ORDER BY MAX(priority) DESC, MIN(id)",
            (WEB_CHATS_BELOW,),
        )
        return [int(r[0]) for r in rows]

    async def mark_sent(self, message_ids: list[int], at: datetime | None = None) -> None:
        """Delivered: remove from the queue, and note any concern alert among them as
        received. Durable, since an alert's delivery is what stops its escalation."""
        async with self.db.transaction() as connection:
            if at is not None:
                stamps = [(iso(at), message_id) for message_id in message_ids]
                await connection.executemany(
                    "UPDATE concern_alerts SET delivered_at = ? WHERE outbox_id = ? "
                    "AND delivered_at IS NULL",
                    stamps,
                )
                await connection.executemany(
                    "UPDATE thank_yous SET delivered_at = ? WHERE outbox_id = ? "
                    "AND delivered_at IS NULL",
                    stamps,
                )
                await connection.executemany(
                    "UPDATE interviews SET thanked_at = ?, thanked_by = (SELECT written_by "
                    "FROM thank_yous WHERE outbox_id = ?) WHERE id = (SELECT interview_id "
                    "FROM thank_yous WHERE outbox_id = ? AND purpose = 'thanks')",
                    [(iso(at), message_id, message_id) for message_id in message_ids],
                )
            await connection.executemany(
                "DELETE FROM outbox WHERE id = ?", [(message_id,) for message_id in message_ids]
            )

    async def mark_failed(self, message_id: int, reason: str, at: datetime) -> int | None:
        """The channel refused a message for good (the person blocked the bot, the chat is
        gone): drop it, note a concern alert as failed, and return that concern's id so it
        can be escalated."""
        async with self.db.transaction() as connection:
            async with connection.execute(
                "SELECT concern_id FROM concern_alerts WHERE outbox_id = ?", (message_id,)
            ) as cursor:
                row = await cursor.fetchone()
            await connection.execute(
                "UPDATE concern_alerts SET failed_at = ?, failure = ? WHERE outbox_id = ?",
                (iso(at), reason, message_id),
            )
            await thanks_undelivered(connection, self.db, message_id, reason, at)
            await connection.execute("DELETE FROM outbox WHERE id = ?", (message_id,))
        return int(row[0]) if row else None

    async def add(
        self,
        chat_id: int,
        payload: str,
        at: datetime,
        priority: int = 0,
        about: str | None = None,
    ) -> OutgoingMessage:
        """A message for a chat outside any interview (a staff alert, a reminder to staff);
        a higher priority is sent first. `about`: the interview it speaks of, so that
        erasing that interview removes it if it is still waiting."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO outbox (interview_id, chat_id, payload, created_at, priority, "
                "about_interview) VALUES (NULL, ?, ?, ?, ?, ?)",
                (chat_id, self.db.seal(payload), iso(at), priority, about),
            )
        return OutgoingMessage(int(cursor.lastrowid or 0), None, chat_id, payload)
