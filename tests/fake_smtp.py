"""A mail server on 127.0.0.1 that keeps every message it is given (aiosmtpd), started in
the test's own event loop on a port the system chooses, so parallel tests never meet."""

from __future__ import annotations

import asyncio
import re
from email import message_from_bytes
from email.message import Message
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session


class MailSink:
    """Receives mail; `messages` holds each one as it arrived."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self._arrived = asyncio.Condition()
        self._server: asyncio.Server | None = None
        self.port = 0

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        async with self._arrived:
            self.messages.append(message_from_bytes(content))
            self._arrived.notify_all()
        return "250 Message accepted for delivery"

    async def start(self) -> MailSink:
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: SMTP(self, hostname="127.0.0.1"), "127.0.0.1", 0
        )
        self.port = int(self._server.sockets[0].getsockname()[1])
        return self

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
            await self._server.wait_closed()

    def to(self, address: str) -> list[Message]:
        return [m for m in self.messages if m["To"] == address]

    async def code_for(self, address: str, already: int = 0, timeout: float = 10) -> str:
        """The six-digit code in the newest message to this address, once it has come."""

        async def arrived() -> None:
            async with self._arrived:
                await self._arrived.wait_for(lambda: len(self.to(address)) > already)

        await asyncio.wait_for(arrived(), timeout)
        found = self.to(address)
        body: Any = found[-1].get_payload(decode=True)
        match = re.search(r"\b(\d{6})\b", body.decode("utf-8"))
        assert match, "the message holds a six-digit code"
        return match.group(1)
