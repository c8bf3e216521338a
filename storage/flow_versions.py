"""The text of every flow version interviews run on. Flow files are the deployment's own
configuration, not anyone's answers, so they are kept as they are."""

from __future__ import annotations

from datetime import datetime

from storage.database import Database, iso


class FlowVersions:
    def __init__(self, db: Database) -> None:
        self.db = db

    async def keep(self, version: str, flow_id: str, source: str, at: datetime) -> None:
        """Keep a version's text (once)."""
        async with self.db.transaction() as connection:
            await connection.execute(
                "INSERT OR IGNORE INTO flow_versions (version, flow_id, source, stored_at) "
                "VALUES (?, ?, ?, ?)",
                (version, flow_id, source, iso(at)),
            )

    async def source(self, version: str) -> str | None:
        """A kept version's text, or None if it was never kept."""
        row = await self.db.fetch_one(
            "SELECT source FROM flow_versions WHERE version = ?", (version,)
        )
        return None if row is None else str(row[0])

    async def in_use(self) -> list[tuple[str, str, int]]:
        """(flow id, version, interviews not finished) for every version still running."""
        rows = await self.db.fetch_all(
            "SELECT flow_id, flow_version, COUNT(*) AS running FROM interviews WHERE status NOT IN "
            "('completed', 'stopped', 'declined', 'expired', 'erased') "
            "GROUP BY flow_id, flow_version ORDER BY flow_id"
        )
        return [(str(r["flow_id"]), str(r["flow_version"]), int(r["running"])) for r in rows]
