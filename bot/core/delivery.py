"""What the use cases need from a channel that delivers the outbox: a way to send now."""

from __future__ import annotations

from typing import Protocol


class Delivery(Protocol):
    """Sends committed outbox messages to people. The Telegram adapter provides one; without
    a channel that can reach staff (the terminal alone), nothing is flushed and the messages
    wait in the outbox."""

    async def flush_chat(self, chat_id: int) -> bool:
        """Send what is waiting for one chat; False if it could not all go now."""
        ...

    async def flush_all(self) -> None:
        """Retry every chat with messages waiting."""
        ...

    async def send_direct(self, chat_id: int, text: str) -> bool:
        """Send a message now, not through the outbox (for when the database is down);
        True if the channel accepted it."""
        ...

    async def send_document(self, chat_id: int, name: str, data: bytes, caption: str) -> bool:
        """Send a file (a report) now; True if the channel accepted it."""
        ...


class NoDelivery:
    """For processes with no channel to staff: messages stay queued for the bot to send."""

    async def flush_chat(self, chat_id: int) -> bool:
        """Nothing is sent; the outbox keeps the message."""
        return False

    async def flush_all(self) -> None:
        """Nothing is sent; the outbox keeps every message."""

    async def send_direct(self, chat_id: int, text: str) -> bool:
        """Nothing can be sent: there is no channel to staff."""
        return False

    async def send_document(self, chat_id: int, name: str, data: bytes, caption: str) -> bool:
        """Nothing can be sent: there is no channel to staff."""
        return False
