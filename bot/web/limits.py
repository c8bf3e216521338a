"""How much, and how slowly, a browser may send: a small body everywhere but the voice
upload, refused on its Content-Length before anything is read and cut off when a body sent
without one grows past it; a body that takes too long to arrive is given up on; a form
that cannot be read is a plain 400, never a traceback."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import HttpVersion11, web
from aiohttp.typedefs import Middleware
from multidict import MultiDictProxy

from bot.core.logs import log_event
from bot.web.headers import add_security_headers, error_page
from storage.voices import MAX_VOICE_BYTES

VOICE_PATH = "/voice"
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ExpectHandler = Callable[[web.Request], Awaitable[web.StreamResponse | None]]
Form = MultiDictProxy[str | bytes | bytearray | web.FileField]


@dataclass(frozen=True)
class WebLimits:
    """The web chat's limits; the defaults suit a phone on a slow connection."""

    body_bytes: int = 64 * 1024
    voice_bytes: int = MAX_VOICE_BYTES + 64 * 1024
    header_seconds: float = 20.0
    """A connection that has not sent a whole request head in this time is closed (it also
    closes a connection left idle between requests)."""
    body_seconds: float = 30.0
    lingering_seconds: float = 2.0
    """How long the rest of a refused body is read (so the refusal reaches the browser)
    before the connection is closed."""
    voice_seconds: float = 300.0
    """Long enough for 20 MB over a poor mobile connection."""
    voice_uploads_at_once: int = 4

    def body_limit(self, request: web.BaseRequest) -> int:
        """The most this request may send: only a POST to the voice upload may be large."""
        if request.method == "POST" and request.path == VOICE_PATH:
            return self.voice_bytes
        return self.body_bytes

    def body_time(self, request: web.BaseRequest) -> float:
        """How long this request's body may take to arrive."""
        if request.method == "POST" and request.path == VOICE_PATH:
            return self.voice_seconds
        return self.body_seconds


def body_limits(limits: WebLimits) -> Middleware:
    """Refuse a body that says it is too big before reading any of it, and make aiohttp
    stop reading one that turns out too big (client_max_size is per application, so each
    request gets its own limit here)."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        limit = limits.body_limit(request)
        claimed = request.content_length
        if claimed is not None and claimed > limit:
            log_event("web_body_refused", channel="web", size=claimed)
            raise web.HTTPRequestEntityTooLarge(max_size=limit, actual_size=claimed)
        if limit != request.client_max_size:
            request = request.clone(client_max_size=limit)
        return await handler(request)

    return middleware


def expectations(limits: WebLimits, leave_url: str) -> ExpectHandler:
    """aiohttp answers an Expect header before any middleware runs; this answers it the
    web chat's way: a body too big is refused before the browser sends it, 100-continue is
    granted, and any other expectation is a 417 page with the usual headers."""

    async def handler(request: web.Request) -> web.StreamResponse | None:
        expect = request.headers.get("Expect", "").strip().lower()
        claimed = request.content_length
        if expect == "100-continue" and not (claimed and claimed > limits.body_limit(request)):
            if request.version == HttpVersion11:
                await request.writer.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            return None
        response = error_page(413 if expect == "100-continue" else 417, leave_url)
        add_security_headers(response, request.path)
        return response

    return handler


async def read_form(request: web.Request, limits: WebLimits) -> Form:
    """The form a browser sent, read within its time and size, or a refusal aiohttp turns
    into a page: 408 if it is too slow, 413 if too big, 400 if it cannot be read."""
    try:
        async with asyncio.timeout(limits.body_time(request)):
            return await request.post()
    except TimeoutError:
        log_event("web_body_too_slow", channel="web")
        raise web.HTTPRequestTimeout() from None
    except web.HTTPException:
        raise
    except (asyncio.CancelledError, ConnectionError):
        raise
    except Exception as fault:  # any unreadable body is the sender's mistake, not ours
        log_event("web_form_unreadable", channel="web", error=type(fault).__name__)
        raise web.HTTPBadRequest() from None
