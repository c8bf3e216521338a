"""Re-encrypting everything under a new data key, for a key rotation."""

from __future__ import annotations

from datetime import datetime

from storage.audit import write_audit
from storage.database import Database
from storage.records import Actor

# Every encrypted column, with the primary key that finds its row.
SEALED_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("meta", "key", "value"),
    ("staff", "user_id", "name"),
    ("interviews", "id", "display_name"),
    ("interviews", "id", "state"),
    ("answers", "id", "value"),
    ("answers", "id", "question_id"),
    ("transcript", "id", "body"),
    ("outbox", "id", "payload"),
    ("concerns", "id", "detail"),
    ("concerns", "id", "decision_reason"),
    ("recommendations", "id", "body"),
    ("recommendation_responses", "id", "body"),
    ("tasks", "id", "detail"),
    ("tasks", "id", "close_note"),
    ("thank_yous", "id", "body"),
    ("web_sessions", "id", "last_page"),
    ("voice_answers", "id", "body"),
    ("console_staff_email", "user_id", "email"),
    ("console_totp", "user_id", "secret"),
    ("console_concern_notes", "id", "note"),
    ("console_sso", "state_hash", "verifier"),
    ("phone_chats", "chat_id", "address"),
)


async def rotate_key(db: Database, actor: Actor, at: datetime) -> int:
    """Seal every encrypted value again under the current key; returns how many changed.

    One transaction: a crash part-way leaves the database as it was, still readable with the
    old key listed in EXIT_PREVIOUS_DATA_KEYS."""
    changed = 0
    async with db.transaction() as connection:
        for table, key_column, column in SEALED_COLUMNS:
            rows = await db.fetch_all(
                f"SELECT {key_column}, {column} FROM {table} WHERE {column} IS NOT NULL"  # noqa: S608
            )
            updates = [
                (db.cipher.rotate(blob), row_key)
                for row_key, blob in rows
                if not db.cipher.sealed_with_current_key(blob)
            ]
            await connection.executemany(
                f"UPDATE {table} SET {column} = ? WHERE {key_column} = ?",  # noqa: S608
                updates,
            )
            changed += len(updates)
        await write_audit(connection, actor, "data_key_rotated", at, detail=f"{changed} values")
    return changed
