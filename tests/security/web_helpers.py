"""Helpers for the web server's security tests: a second web server on the running bot's
context with limits of the test's choosing, and raw HTTP over a socket (for what a
well-behaved client library will not send)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiohttp import web

from bot.core.after_reply import AfterReply
from bot.core.concerns import alerter_for
from bot.core.context import AppContext
from bot.core.delivery import NoDelivery
from bot.core.tasks import TaskDesk
from bot.web.limits import WebLimits
from bot.web.server import start_web
from tests.e2e.conftest import free_port

SECURITY_HEADERS = (
    "Content-Security-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Cache-Control",
)


@asynccontextmanager
async def web_server(app: AppContext, limits: WebLimits) -> AsyncIterator[tuple[str, int]]:
    """The web chat served on a free port of 127.0.0.1 with these limits: (host, port)."""
    sender = NoDelivery()
    alerter = alerter_for(app.storage, app.flows, sender, app.clock, app.settings)
    after = AfterReply(alerter, TaskDesk(app.storage, app.flows, sender, app.settings), app.clock)
    port = free_port()
    runner: web.AppRunner = await start_web(app, after, "127.0.0.1", port, limits)
    try:
        yield "127.0.0.1", port
    finally:
        await runner.cleanup()


class RawResponse:
    """A response as it came over the wire."""

    def __init__(self, raw: bytes) -> None:
        head, _, self.body = raw.partition(b"\r\n\r\n")
        lines = head.decode("latin-1").split("\r\n")
        self.status = int(lines[0].split()[1]) if lines and len(lines[0].split()) > 1 else 0
        self.headers: dict[str, str] = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            self.headers[name.strip().lower()] = value.strip()

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


async def raw_request(
    host: str, port: int, data: bytes, *, seconds: float = 5.0, half_close: bool = True
) -> RawResponse:
    """Send these bytes (then, if asked, stop sending) and read one answer: its head, and
    as much body as its Content-Length says, or up to the close."""
    reader, writer = await asyncio.open_connection(host, port)
    try:
        writer.write(data)
        await writer.drain()
        if half_close and writer.can_write_eof():
            writer.write_eof()
        async with asyncio.timeout(seconds):
            try:
                head = await reader.readuntil(b"\r\n\r\n")
            except asyncio.IncompleteReadError as short:
                return RawResponse(short.partial)
            length = RawResponse(head).header("Content-Length")
            try:
                if data.startswith(b"HEAD "):
                    body = b""
                elif length is not None:
                    body = await reader.readexactly(int(length))
                else:
                    body = await reader.read(-1)
            except asyncio.IncompleteReadError as short:
                body = short.partial
    finally:
        writer.close()
    return RawResponse(head + body)


def http(method: str, path: str, headers: dict[str, str] | None = None, body: bytes = b"") -> bytes:
    """A request, byte for byte, closing the connection after it."""
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close"]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body
