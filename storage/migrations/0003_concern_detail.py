"""Concerns keep what they are about sealed (question, reason, category, answer): a copy of
the database without the key no longer shows that a named home's child answered 'no' to
feeling safe. Only the severity stays readable, for the re-alert schedule. Alerts record
whether Telegram (or e-mail) accepted them, so an alert nobody received is escalated."""

from __future__ import annotations

import json

import aiosqlite

from storage.crypto import Cipher

CATEGORY_OF_QUESTION = {"bullied": "bullying"}


async def upgrade(connection: aiosqlite.Connection, cipher: Cipher | None) -> None:
    """Rebuild the concerns table with the sealed detail; add delivery to concern_alerts."""
    await connection.execute(
        "CREATE TABLE concerns_sealed ("
        "id INTEGER PRIMARY KEY, "
        "interview_id TEXT NOT NULL REFERENCES interviews (id), "
        "severity TEXT NOT NULL CHECK (severity IN ('urgent', 'serious')), "
        "detail BLOB NOT NULL, "
        "raised_at TEXT NOT NULL, "
        "last_alerted_at TEXT, "
        "acknowledged_at TEXT, "
        "acknowledged_by INTEGER, "
        "escalated_at TEXT)"
    )
    async with connection.execute(
        "SELECT id, interview_id, question_id, reason, answer, raised_at, last_alerted_at, "
        "acknowledged_at, acknowledged_by FROM concerns"
    ) as cursor:
        rows = list(await cursor.fetchall())
    if rows and cipher is None:
        raise RuntimeError("sealing existing concerns needs the data key")
    for row in rows:
        question = row[2]
        detail = {
            "question": question,
            "reason": "words" if row[3] == "phrase" else row[3],
            "category": CATEGORY_OF_QUESTION.get(question or "", "feeling_unsafe"),
            "answer": row[4],
            "after_end": False,
        }
        assert cipher is not None
        await connection.execute(
            "INSERT INTO concerns_sealed (id, interview_id, severity, detail, raised_at, "
            "last_alerted_at, acknowledged_at, acknowledged_by) "
            "VALUES (?, ?, 'serious', ?, ?, ?, ?, ?)",
            (row[0], row[1], cipher.encrypt(json.dumps(detail)), *row[5:]),
        )
    await connection.execute("DROP TABLE concerns")
    await connection.execute("ALTER TABLE concerns_sealed RENAME TO concerns")
    await connection.execute(
        "CREATE INDEX concerns_open ON concerns (acknowledged_at, severity, last_alerted_at)"
    )
    await connection.execute("CREATE INDEX concerns_interview ON concerns (interview_id)")
    for column in (
        "outbox_id INTEGER",
        "delivered_at TEXT",
        "failed_at TEXT",
        "failure TEXT",
        "channel TEXT NOT NULL DEFAULT 'telegram'",
    ):
        await connection.execute(f"ALTER TABLE concern_alerts ADD COLUMN {column}")
    await connection.execute("UPDATE concern_alerts SET delivered_at = sent_at")
    await connection.execute("CREATE INDEX concern_alerts_outbox ON concern_alerts (outbox_id)")
