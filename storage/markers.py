"""Things done once, remembered by name (a yearly report sent, say), so a restart or a
second tick does not do them again."""

from __future__ import annotations

from datetime import datetime

from storage.database import Database, iso


class Markers:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def done(self, name: str) -> bool:
        """Whether the thing of this name has been done."""
        return (
            await self.db.fetch_one("SELECT 1 FROM meta WHERE key = ?", (f"done:{name}",))
            is not None
        )

    async def mark(self, name: str, at: datetime) -> None:
        """Remember that the thing of this name is done."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)",
                (f"done:{name}", iso(at).encode("ascii")),
            )
