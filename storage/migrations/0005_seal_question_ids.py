"""Which questions an interview has answer rows for, and which events it had, no longer show
without the key: a follow-up question's row used to reveal the answer before it ('yes' to
being bullied). Answers keep their question id sealed; events keep no question id."""

from __future__ import annotations

import aiosqlite

from storage.crypto import Cipher


async def upgrade(connection: aiosqlite.Connection, cipher: Cipher | None) -> None:
    """Seal every answer's question id; drop question ids from events."""
    async with connection.execute(
        "SELECT id, question_id FROM answers WHERE typeof(question_id) = 'text'"
    ) as cursor:
        rows = list(await cursor.fetchall())
    if rows and cipher is None:
        raise RuntimeError("sealing question ids needs the data key")
    for row_id, question_id in rows:
        assert cipher is not None
        await connection.execute(
            "UPDATE answers SET question_id = ? WHERE id = ?",
            (cipher.encrypt(question_id), row_id),
        )
    await connection.execute("UPDATE events SET question_id = NULL")
