"""Recommendations get a random reference (r- and 8 hex digits) for staff to type, so the
numbers cannot be counted through to find other homes' recommendations."""

from __future__ import annotations

import aiosqlite

from storage.crypto import Cipher
from storage.refs import new_ref


async def upgrade(connection: aiosqlite.Connection, cipher: Cipher | None) -> None:
    """Give every recommendation its reference."""
    del cipher
    await connection.execute("ALTER TABLE recommendations ADD COLUMN ref TEXT")
    async with connection.execute("SELECT id FROM recommendations") as cursor:
        rows = list(await cursor.fetchall())
    for (row_id,) in rows:
        await connection.execute(
            "UPDATE recommendations SET ref = ? WHERE id = ?", (new_ref(), row_id)
        )
    await connection.execute("CREATE UNIQUE INDEX recommendations_ref ON recommendations (ref)")
