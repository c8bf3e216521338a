"""The one erasure routine: every table that can hold an interview's data, emptied of it in
one transaction, leaving the content-free interview row and the audit entry.

`exit-interviews erase`, the retention purge and a declined or deleted-on-stop interview all
come here, so a table added later is handled in one place; tests/storage/test_erasure.py
reads the schema's foreign keys and fails when a table reaching `interviews` is missing from
`ERASE_STEPS`. Afterwards the write-ahead logs of the database and of the safety journal are
emptied, and backups and exports that held the interview are marked out of date.
"""

from __future__ import annotations

import asyncio
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import aiosqlite

from storage.audit import write_audit
from storage.database import Database, iso
from storage.errors import NotFound, StorageError, StorageUnavailable
from storage.known_states import KnownStates
from storage.records import Actor
from storage.safety import journal_path, scrub_journal

ERASED_NAME = "(erased)"

ERASE_STEPS: tuple[tuple[str, str], ...] = (
    (
        "phone_chats",
        "DELETE FROM phone_chats WHERE chat_id = (SELECT chat_id FROM interviews WHERE id = :id) "
        "AND NOT EXISTS (SELECT 1 FROM interviews o WHERE o.chat_id = phone_chats.chat_id "
        "AND o.id != :id AND o.status NOT IN ('erased'))",
    ),
    ("delivery_receipts", "DELETE FROM delivery_receipts WHERE interview_id = :id"),
    (
        "tasks",
        "DELETE FROM tasks WHERE interview_id = :id OR recommendation_id IN "
        "(SELECT id FROM recommendations WHERE interview_id = :id)",
    ),
    (
        "recommendation_responses",
        "DELETE FROM recommendation_responses WHERE recommendation_id IN "
        "(SELECT id FROM recommendations WHERE interview_id = :id)",
    ),
    ("recommendations", "DELETE FROM recommendations WHERE interview_id = :id"),
    (
        "outbox",
        "DELETE FROM outbox WHERE interview_id = :id OR about_interview = :id "
        "OR id IN (SELECT outbox_id FROM thank_yous WHERE interview_id = :id) "
        "OR id IN (SELECT outbox_id FROM concern_alerts WHERE concern_id IN "
        "(SELECT id FROM concerns WHERE interview_id = :id))",
    ),
    (
        "console_concern_notes",
        "DELETE FROM console_concern_notes WHERE concern_id IN "
        "(SELECT id FROM concerns WHERE interview_id = :id)",
    ),
    (
        "concern_alerts",
        "DELETE FROM concern_alerts WHERE concern_id IN "
        "(SELECT id FROM concerns WHERE interview_id = :id)",
    ),
    ("concerns", "DELETE FROM concerns WHERE interview_id = :id"),
    ("thank_yous", "DELETE FROM thank_yous WHERE interview_id = :id"),
    ("web_sessions", "DELETE FROM web_sessions WHERE interview_id = :id"),
    ("voice_answers", "DELETE FROM voice_answers WHERE interview_id = :id"),
    ("answers", "DELETE FROM answers WHERE interview_id = :id"),
    ("transcript", "DELETE FROM transcript WHERE interview_id = :id"),
    ("events", "DELETE FROM events WHERE interview_id = :id"),
    ("invitations", "DELETE FROM invitations WHERE interview_id = :id"),
    ("interview_readers", "DELETE FROM interview_readers WHERE interview_id = :id"),
)
"""Children before parents, so no foreign key is broken on the way. Every table whose rows
can refer to an interview, directly or through another table, has its step here."""

JOURNAL = "the safety journal"
KEPT = frozenset({"interviews"})
"""Tables that keep a row for an erased interview: the interview row itself, emptied of
everything but its id, flow, dates and status (the audit table has no foreign key)."""

CONTENT_STEPS: tuple[str, ...] = (
    "DELETE FROM answers WHERE interview_id = ?",
    "DELETE FROM transcript WHERE interview_id = ?",
    "DELETE FROM voice_answers WHERE interview_id = ?",
    "UPDATE web_sessions SET last_page = NULL WHERE interview_id = ?",
)
"""What a person's "delete my answers" (on stopping or declining) removes inside the step
that records it: everything they said, while the interview row, its concerns (a
safeguarding record) and its tasks stay for staff."""

_EMPTY_INTERVIEW = (
    "UPDATE interviews SET status = 'erased', state = NULL, display_name = ?, "
    "chat_id = NULL, service = NULL, limited_circulation = 0, consented_at = NULL, "
    "started_at = NULL, thanked_at = NULL, thanked_by = NULL, assigned_reviewer = NULL, "
    "decision = NULL, decided_by = NULL, decided_at = NULL, "
    "due_at = NULL, erased_at = ?, updated_at = ? WHERE id = ? AND status != 'erased'"
)


class ErasureFailed(StorageError):
    """An interview could not be erased; nothing of it was removed, and it is tried again."""

    def __init__(self, interview_id: str, table: str | None, problem: str) -> None:
        self.interview_id = interview_id
        self.table = table
        if table is None:
            what = f"the database could not be written ({problem})"
            then = (
                "Check disk space and that no other program holds the database, then erase "
                "it again; the retention purge also tries again next time."
            )
        elif table == JOURNAL:
            what = f"the safety journal beside the database could not be cleaned ({problem})"
            then = (
                "Check disk space and that no other program holds the journal, then erase "
                "it again; the retention purge also tries again next time."
            )
        else:
            what = f"removing its rows from '{table}' failed ({problem})"
            then = (
                "The next purge tries again; if this repeats, report it as a bug with this "
                "message (it holds no content)."
            )
        super().__init__(
            f"Interview {interview_id} could not be erased: {what}. Nothing of it was "
            f"removed from the database. {then}"
        )


@dataclass(frozen=True)
class Erased:
    """What one erasure did: the copies (backups, exports) it made out of date."""

    interview_id: str
    stale_copies: int


class Erasure:
    """Erase interviews for good. One instance per database."""

    def __init__(self, db: Database, known: KnownStates) -> None:
        self.db = db
        self.known = known

    async def erase(self, interview_id: str, actor: Actor, at: datetime, reason: str) -> Erased:
        """Remove an interview's data from the safety journal, then from every table at
        once; NotFound for an unknown id, ErasureFailed (nothing removed from the database)
        if the journal or any table refuses. Erasing an erased interview changes nothing."""
        row = await self.db.fetch_one(
            "SELECT i.status, i.chat_id, EXISTS (SELECT 1 FROM interviews o WHERE "
            "o.chat_id = i.chat_id AND o.id != i.id AND o.status != 'erased') "
            "FROM interviews i WHERE i.id = ?",
            (interview_id,),
        )
        if row is None:
            raise NotFound(f"No interview {interview_id}. See 'exit-interviews interviews list'.")
        if row[0] == "erased":
            return Erased(interview_id, 0)
        # Inputs a chat parked are the chat's, not one interview's: they are removed only
        # when no other interview is taking that chat (else they belong to that one).
        chat_id = None if row[1] is None or row[2] else int(row[1])
        try:
            await scrub_journal(journal_path(self.db.path), chat_id, interview_id)
        except (sqlite3.Error, OSError) as error:
            raise ErasureFailed(interview_id, JOURNAL, _problem(error)) from error
        try:
            stale = await self._erase(interview_id, actor, at, reason)
        except StorageUnavailable as error:
            raise ErasureFailed(interview_id, None, error.problem) from error
        finally:
            self.known.forget(interview_id)
        await self.db.checkpoint()
        return Erased(interview_id, stale)

    async def _erase(self, interview_id: str, actor: Actor, at: datetime, reason: str) -> int:
        async with self.db.transaction() as connection:
            for table, sql in ERASE_STEPS:
                await _run(connection, interview_id, table, sql, {"id": interview_id})
            await _run(
                connection,
                interview_id,
                "interviews",
                _EMPTY_INTERVIEW,
                (self.db.seal(ERASED_NAME), iso(at), iso(at), interview_id),
            )
            stale = await _mark_copies_stale(connection, interview_id, at)
            await write_audit(connection, actor, "erased", at, interview_id, reason)
        return stale


def _problem(error: Exception) -> str:
    """The kind of fault, never a value from the exception's text."""
    text = str(error).lower()
    for known in ("locked", "busy", "full", "readonly", "disk i/o"):
        if known in text:
            return known
    return type(error).__name__


async def _run(
    connection: aiosqlite.Connection,
    interview_id: str,
    table: str,
    sql: str,
    params: dict[str, object] | tuple[object, ...],
) -> None:
    """One step; a database refusal names the table and the kind of fault, never content."""
    try:
        await connection.execute(sql, params)
    except sqlite3.IntegrityError as error:
        problem = "another table still refers to these rows (a foreign key)"
        if "foreign key" not in str(error).lower():
            problem = "a constraint of the database refused it"
        raise ErasureFailed(interview_id, table, problem) from error
    except sqlite3.OperationalError as error:
        raise ErasureFailed(interview_id, table, type(error).__name__) from error


async def _mark_copies_stale(
    connection: aiosqlite.Connection, interview_id: str, at: datetime
) -> int:
    """Backups and exports holding the interview are out of date from now on."""
    cursor = await connection.execute(
        "UPDATE copies SET stale_at = COALESCE(stale_at, ?) WHERE id IN "
        "(SELECT copy_id FROM copy_interviews WHERE interview_id = ?)",
        (iso(at), interview_id),
    )
    await connection.execute("DELETE FROM copy_interviews WHERE interview_id = ?", (interview_id,))
    return max(cursor.rowcount, 0)


@dataclass(frozen=True)
class StaleCopy:
    """A backup or export made before an erasure, still holding what was erased."""

    id: int
    kind: str
    path: str
    made_at: str
    stale_at: str


class BackupFailed(StorageError):
    """A backup could not be written; the live database is untouched."""

    def __init__(self, path: object, problem: str) -> None:
        super().__init__(
            f"The backup to {path} could not be written ({problem}). Check the folder exists, "
            "that there is disk space and that this user may write there, then try again."
        )


class Copies:
    """Backups and exports written to files, so that an erasure can say which are stale."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def backup(self, path: Path, at: datetime) -> None:
        """A consistent copy of the live database, recorded so that a later erasure marks
        it out of date; BackupFailed (saying what to do) if the file cannot be written."""
        try:
            await self.db.backup(path)
        except (OSError, sqlite3.Error) as error:
            problem = error.strerror if isinstance(error, OSError) else type(error).__name__
            raise BackupFailed(path, problem or type(error).__name__) from error
        await self.record("backup", str(await asyncio.to_thread(path.resolve)), at)

    async def record(
        self,
        kind: str,
        path: str,
        at: datetime,
        interview_ids: list[str] | None = None,
        flow_id: str | None = None,
    ) -> None:
        """Note a file that holds interviews: the ones named, or (None) every interview not
        erased, of one flow if `flow_id` is given (an export may hold fewer; it is marked
        stale all the same, which errs on the side of the person)."""
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "INSERT INTO copies (kind, path, made_at) VALUES (?, ?, ?)",
                (kind, path, iso(at)),
            )
            copy_id = cursor.lastrowid
            if interview_ids is not None:
                await connection.executemany(
                    "INSERT OR IGNORE INTO copy_interviews (copy_id, interview_id) VALUES (?, ?)",
                    [(copy_id, interview_id) for interview_id in interview_ids],
                )
                return
            await connection.execute(
                "INSERT INTO copy_interviews (copy_id, interview_id) SELECT ?, id FROM "
                "interviews WHERE status != 'erased' AND (? IS NULL OR flow_id = ?)",
                (copy_id, flow_id, flow_id),
            )

    async def stale(self) -> list[StaleCopy]:
        """Copies that hold an interview erased since they were made, oldest first."""
        rows = await self.db.fetch_all(
            "SELECT id, kind, path, made_at, stale_at FROM copies "
            "WHERE stale_at IS NOT NULL ORDER BY id"
        )
        return [StaleCopy(int(r[0]), str(r[1]), str(r[2]), str(r[3]), str(r[4])) for r in rows]

    async def forget(self, copy_id: int) -> None:
        """The file is gone (deleted by the operator): nothing to warn about any more."""
        async with self.db.transaction() as connection:
            await connection.execute("DELETE FROM copies WHERE id = ?", (copy_id,))
