"""The safety journal: a small database file beside the main one, for when the main one
cannot be written (locked by another program, the disk full, the key changed under it).

It keeps two things until the main database takes them: inputs that could not be applied
(parked, to be applied in order later, so nothing acknowledged is lost) and concerns raised
from them (so the alert does not depend on the main database). Everything a person wrote is
sealed here as in the main database. If even this file cannot be written (the disk is full
for both), entries are held in memory and written as soon as possible.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import aiosqlite

from storage.crypto import Cipher
from storage.database import iso, parse_time
from storage.postgres.address import local_anchor

SCHEMA = """
CREATE TABLE IF NOT EXISTS parked (
    id INTEGER PRIMARY KEY,
    chat_id INTEGER NOT NULL,
    update_id INTEGER,
    payload BLOB NOT NULL,
    parked_at TEXT NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX IF NOT EXISTS parked_update ON parked (update_id) WHERE update_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS parked_chat ON parked (chat_id, id);
CREATE TABLE IF NOT EXISTS held_concerns (
    id INTEGER PRIMARY KEY,
    parked_id INTEGER,
    interview_id TEXT,
    severity TEXT NOT NULL,
    detail BLOB NOT NULL,
    raised_at TEXT NOT NULL,
    alerted_to TEXT NOT NULL DEFAULT '[]'
);
"""


def journal_path(database: Path) -> Path:
    """Where the journal of a database lives: beside it, never inside its WAL files' names."""
    anchor = local_anchor(database)
    return anchor.with_name(anchor.stem + ".safety" + anchor.suffix)


@dataclass
class ParkedInput:
    """An input kept until it can be applied: who sent it, and the input itself (sealed)."""

    id: int
    chat_id: int
    update_id: int | None
    payload: str
    parked_at: datetime
    attempts: int = 0


@dataclass
class HeldConcern:
    """A concern raised while the main database could not take it."""

    id: int
    parked_id: int | None
    interview_id: str | None
    severity: str
    detail: str
    raised_at: datetime
    alerted_to: list[int] = field(default_factory=list)


class SafetyJournal:
    """Open with `await SafetyJournal.open(path, cipher)`; every method works even when the
    file cannot be written, keeping entries in memory until it can."""

    def __init__(self, path: Path, cipher: Cipher) -> None:
        self.path = path
        self.cipher = cipher
        self.connection: aiosqlite.Connection | None = None
        self._memory_parked: list[ParkedInput] = []
        self._memory_concerns: list[HeldConcern] = []
        self._next_memory_id = -1
        # True once the journal file is known to hold nothing, so that the common case (no
        # input parked) costs no read per input. Only this process writes the journal.
        self._known_empty = False

    @classmethod
    async def open(cls, path: Path, cipher: Cipher) -> SafetyJournal:
        """The journal at `path`, created if needed."""
        journal = cls(path, cipher)
        await journal._connect()
        return journal

    async def _connect(self) -> bool:
        if self.connection is not None:
            return True
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            connection = await aiosqlite.connect(self.path, isolation_level=None)
            connection.row_factory = aiosqlite.Row
            await connection.execute("PRAGMA journal_mode = WAL")
            await connection.execute("PRAGMA synchronous = FULL")
            await connection.execute("PRAGMA secure_delete = ON")
            await connection.executescript(SCHEMA)
        except (sqlite3.Error, OSError):
            return False
        self.connection = connection
        await self._note_if_empty()
        return True

    async def close(self) -> None:
        if self.connection is not None:
            await self.connection.close()
            self.connection = None

    def _memory_id(self) -> int:
        self._next_memory_id -= 1
        return self._next_memory_id

    async def park(self, chat_id: int, update_id: int | None, payload: str, at: datetime) -> int:
        """Keep an input to apply later; returns its place in the journal (negative while
        it is held only in memory)."""
        if await self._connect():
            assert self.connection is not None
            self._known_empty = False
            try:
                cursor = await self.connection.execute(
                    "INSERT OR IGNORE INTO parked (chat_id, update_id, payload, parked_at) "
                    "VALUES (?, ?, ?, ?)",
                    (chat_id, update_id, self.cipher.encrypt(payload), iso(at)),
                )
                if cursor.rowcount:
                    return int(cursor.lastrowid or 0)
                return 0
            except sqlite3.Error:
                pass
        parked = ParkedInput(self._memory_id(), chat_id, update_id, payload, at)
        self._memory_parked.append(parked)
        return parked.id

    async def hold_concern(
        self,
        parked_id: int | None,
        interview_id: str | None,
        severity: str,
        detail: str,
        at: datetime,
    ) -> int:
        """Keep a concern raised while the main database could not take it."""
        if await self._connect():
            assert self.connection is not None
            try:
                cursor = await self.connection.execute(
                    "INSERT INTO held_concerns (parked_id, interview_id, severity, detail, "
                    "raised_at) VALUES (?, ?, ?, ?, ?)",
                    (parked_id, interview_id, severity, self.cipher.encrypt(detail), iso(at)),
                )
                return int(cursor.lastrowid or 0)
            except sqlite3.Error:
                pass
        held = HeldConcern(self._memory_id(), parked_id, interview_id, severity, detail, at)
        self._memory_concerns.append(held)
        return held.id

    async def note_alerted(self, concern_id: int, user_ids: list[int]) -> None:
        """Who received the alert about a held concern, to carry over when it is stored."""
        for held in self._memory_concerns:
            if held.id == concern_id:
                held.alerted_to = sorted(set(held.alerted_to) | set(user_ids))
                return
        if self.connection is None:
            return
        try:
            await self.connection.execute(
                "UPDATE held_concerns SET alerted_to = ? WHERE id = ?",
                (json.dumps(sorted(user_ids)), concern_id),
            )
        except sqlite3.Error:
            return

    async def flush_memory(self) -> None:
        """Write entries held in memory to the file, once it can be written again."""
        if not (self._memory_parked or self._memory_concerns) or not await self._connect():
            return
        assert self.connection is not None
        self._known_empty = False
        try:
            for parked in list(self._memory_parked):
                cursor = await self.connection.execute(
                    "INSERT OR IGNORE INTO parked (chat_id, update_id, payload, parked_at) "
                    "VALUES (?, ?, ?, ?)",
                    (
                        parked.chat_id,
                        parked.update_id,
                        self.cipher.encrypt(parked.payload),
                        iso(parked.parked_at),
                    ),
                )
                new_id = int(cursor.lastrowid or 0)
                for held in self._memory_concerns:
                    if held.parked_id == parked.id:
                        held.parked_id = new_id
                self._memory_parked.remove(parked)
            for held in list(self._memory_concerns):
                await self.connection.execute(
                    "INSERT INTO held_concerns (parked_id, interview_id, severity, detail, "
                    "raised_at, alerted_to) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        held.parked_id,
                        held.interview_id,
                        held.severity,
                        self.cipher.encrypt(held.detail),
                        iso(held.raised_at),
                        json.dumps(held.alerted_to),
                    ),
                )
                self._memory_concerns.remove(held)
        except sqlite3.Error:
            return

    async def chats_waiting(self) -> list[int]:
        """Chats with inputs waiting to be applied, oldest first."""
        chats = {p.chat_id: p.id for p in self._memory_parked}
        if self.connection is not None:
            try:
                async with self.connection.execute(
                    "SELECT chat_id, MIN(id) AS first FROM parked GROUP BY chat_id ORDER BY first"
                ) as cursor:
                    for row in await cursor.fetchall():
                        chats.setdefault(int(row["chat_id"]), int(row["first"]))
            except sqlite3.Error:
                pass
        return list(chats)

    async def has_parked(self, chat_id: int) -> bool:
        """Whether a chat has inputs waiting, so a new one must wait behind them."""
        if any(p.chat_id == chat_id for p in self._memory_parked):
            return True
        if self.connection is None or self._known_empty:
            return False
        try:
            async with self.connection.execute(
                "SELECT 1 FROM parked WHERE chat_id = ? LIMIT 1", (chat_id,)
            ) as cursor:
                return await cursor.fetchone() is not None
        except sqlite3.Error:
            return True

    async def parked_for_chat(self, chat_id: int) -> list[ParkedInput]:
        """A chat's waiting inputs in the order they came."""
        found: list[ParkedInput] = []
        if self.connection is not None:
            try:
                async with self.connection.execute(
                    "SELECT id, chat_id, update_id, payload, parked_at, attempts FROM parked "
                    "WHERE chat_id = ? ORDER BY id",
                    (chat_id,),
                ) as cursor:
                    for row in await cursor.fetchall():
                        found.append(
                            ParkedInput(
                                int(row["id"]),
                                int(row["chat_id"]),
                                row["update_id"],
                                self.cipher.decrypt(row["payload"]),
                                parse_time(row["parked_at"]) or datetime.min,
                                int(row["attempts"]),
                            )
                        )
            except sqlite3.Error:
                pass
        found.extend(p for p in self._memory_parked if p.chat_id == chat_id)
        return found

    async def held_for(self, parked_id: int) -> list[HeldConcern]:
        """Concerns raised from one parked input."""
        found = [h for h in self._memory_concerns if h.parked_id == parked_id]
        if self.connection is None:
            return found
        try:
            async with self.connection.execute(
                "SELECT id, parked_id, interview_id, severity, detail, raised_at, alerted_to "
                "FROM held_concerns WHERE parked_id = ? ORDER BY id",
                (parked_id,),
            ) as cursor:
                for row in await cursor.fetchall():
                    found.append(
                        HeldConcern(
                            int(row["id"]),
                            row["parked_id"],
                            row["interview_id"],
                            row["severity"],
                            self.cipher.decrypt(row["detail"]),
                            parse_time(row["raised_at"]) or datetime.min,
                            json.loads(row["alerted_to"]),
                        )
                    )
        except sqlite3.Error:
            pass
        return found

    async def done(self, parked_id: int) -> None:
        """The input was applied (with any concern from it): forget both."""
        self._memory_parked = [p for p in self._memory_parked if p.id != parked_id]
        self._memory_concerns = [h for h in self._memory_concerns if h.parked_id != parked_id]
        if self.connection is None:
            return
        try:
            await self.connection.execute(
                "DELETE FROM held_concerns WHERE parked_id = ?", (parked_id,)
            )
            await self.connection.execute("DELETE FROM parked WHERE id = ?", (parked_id,))
        except sqlite3.Error:
            return
        await self._note_if_empty()
        if self._known_empty:
            await _truncate_log(self.connection)

    async def _note_if_empty(self) -> None:
        assert self.connection is not None
        try:
            async with self.connection.execute("SELECT 1 FROM parked LIMIT 1") as cursor:
                self._known_empty = await cursor.fetchone() is None
        except sqlite3.Error:
            self._known_empty = False

    async def tried(self, parked_id: int) -> None:
        """Count a failed attempt to apply an input."""
        if self.connection is None:
            return
        try:
            await self.connection.execute(
                "UPDATE parked SET attempts = attempts + 1 WHERE id = ?", (parked_id,)
            )
        except sqlite3.Error:
            return

    async def count(self) -> int:
        """How many inputs are waiting, for logs and the command line."""
        total = len(self._memory_parked)
        if self.connection is not None:
            try:
                async with self.connection.execute("SELECT COUNT(*) FROM parked") as cursor:
                    row = await cursor.fetchone()
                total += int(row[0]) if row else 0
            except sqlite3.Error:
                pass
        return total


async def _truncate_log(connection: aiosqlite.Connection) -> None:
    """Copy the journal's write-ahead log into its file and empty it: deleted rows are zeroed
    in the file (secure_delete) but would stay readable in the log until then."""
    try:
        await connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    except sqlite3.Error:
        return


async def scrub_journal(path: Path, chat_id: int | None, interview_id: str) -> None:
    """Remove whatever the journal still holds of an erased interview (inputs its chat
    parked, concerns held for it) and empty the journal's write-ahead log. A separate
    connection, so that it works from the command line while the bot holds the journal."""
    if not await asyncio.to_thread(path.exists):
        return
    connection = await aiosqlite.connect(path, isolation_level=None)
    try:
        await connection.execute("PRAGMA busy_timeout = 10000")
        await connection.execute("PRAGMA secure_delete = ON")
        await connection.executescript(SCHEMA)
        await connection.execute("BEGIN IMMEDIATE")
        await connection.execute(
            "DELETE FROM held_concerns WHERE interview_id = ? OR parked_id IN "
            "(SELECT id FROM parked WHERE chat_id = ?)",
            (interview_id, chat_id),
        )
        await connection.execute("DELETE FROM parked WHERE chat_id = ?", (chat_id,))
        await connection.execute("COMMIT")
        await _truncate_log(connection)
    finally:
        await connection.close()
