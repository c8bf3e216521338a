"""What a channel said became of each message it accepted: sent, delivered, read or failed.

Receipts arrive late, twice, or out of order; each is kept only if it moves the message on
(a "delivered" after a "read" changes nothing), and a failure is final."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.database import Database, iso

STATUS_RANK = {"accepted": 0, "sent": 1, "delivered": 2, "read": 3, "failed": 4}


@dataclass(frozen=True)
class DeliveryReceipt:
    """Where one message stands."""

    provider_id: str
    chat_id: int
    outbox_id: int | None
    interview_id: str | None
    status: str
    failure: str | None


class DeliveryReceipts:
    """Every accepted message's latest status, for staff and for the DPIA's record."""

    def __init__(self, db: Database) -> None:
        self.db = db

    async def accepted(
        self,
        provider_id: str,
        chat_id: int,
        outbox_id: int | None,
        interview_id: str | None,
        at: datetime,
    ) -> None:
        """The channel took a message for delivery and gave it this id."""
        async with self.db.transaction(durable=False) as connection:
            await connection.execute(
                "INSERT OR IGNORE INTO delivery_receipts (provider_id, chat_id, outbox_id, "
                "interview_id, status, rank, accepted_at, updated_at) "
                "VALUES (?, ?, ?, ?, 'accepted', 0, ?, ?)",
                (provider_id, chat_id, outbox_id, interview_id, iso(at), iso(at)),
            )

    async def update(
        self, provider_id: str, status: str, at: datetime, failure: str | None = None
    ) -> DeliveryReceipt | None:
        """Record a status if it moves the message on: the receipt as it now stands, or None
        if nothing changed (a repeat, a status out of order, a message this deployment never
        sent or whose interview was erased)."""
        rank = STATUS_RANK.get(status)
        if rank is None:
            return None
        async with self.db.transaction() as connection:
            cursor = await connection.execute(
                "UPDATE delivery_receipts SET status = ?, rank = ?, updated_at = ?, "
                "failure = COALESCE(?, failure) WHERE provider_id = ? AND rank < ? "
                "AND status != 'failed'",
                (status, rank, iso(at), failure, provider_id, rank),
            )
        return await self.get(provider_id) if cursor.rowcount == 1 else None

    async def get(self, provider_id: str) -> DeliveryReceipt | None:
        """One message's receipt."""
        row = await self.db.fetch_one(
            "SELECT provider_id, chat_id, outbox_id, interview_id, status, failure "
            "FROM delivery_receipts WHERE provider_id = ?",
            (provider_id,),
        )
        if row is None:
            return None
        return DeliveryReceipt(
            row["provider_id"],
            int(row["chat_id"]),
            row["outbox_id"],
            row["interview_id"],
            row["status"],
            row["failure"],
        )
