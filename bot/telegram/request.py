"""How the bot's calls reach the Bot API: python-telegram-bot's networking interface
(`BaseRequest`), carried by aiohttp, with calls to urgent chats first in the queue.

python-telegram-bot ships one implementation of that interface, on httpx. Under load
(BENCHMARKS.md) httpx was most of the bot's CPU: about 1.2 ms of it per call on this
machine against aiohttp's 0.4 ms, and its pool re-examines every waiting call and every
connection each time a call comes or goes. aiohttp is already what the web chat serves with,
so the bot uses it for Telegram too; python-telegram-bot documents `BaseRequest` as the
place to plug in another HTTP library. The library's own behaviour is kept: the same
timeouts (a pool timeout for waiting, connect, write and read), `TimedOut` and
`NetworkError` for failures, form posts, and multipart uploads for files.
"""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode, urlsplit
from urllib.request import getproxies, proxy_bypass

import aiohttp
import certifi
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData

Urgent = Callable[[RequestData | None], bool]
FORM = "application/x-www-form-urlencoded"
POOL_TIMEOUT_MESSAGE = (
    "Pool timeout: every connection to Telegram stayed busy, so the request was not sent. "
    "It stays in the outbox and is tried again."
)


def never_urgent(_request: RequestData | None) -> bool:
    return False


class CallGate:
    """A fixed number of places; urgent callers are let in before everyone else waiting."""

    def __init__(self, places: int) -> None:
        self.free = places
        self._urgent: deque[asyncio.Future[None]] = deque()
        self._ordinary: deque[asyncio.Future[None]] = deque()

    @property
    def waiting(self) -> int:
        """How many callers are queued for a place."""
        return len(self._urgent) + len(self._ordinary)

    async def enter(self, urgent: bool = False) -> None:
        """Take a place, waiting in line (urgent callers in their own, first) if none is
        free. Cancelling the wait (a timeout around it) leaves the line cleanly."""
        if self.free > 0 and not self.waiting:
            self.free -= 1
            return
        ticket: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        line = self._urgent if urgent else self._ordinary
        line.append(ticket)
        try:
            await ticket
        except asyncio.CancelledError:
            if ticket.done() and not ticket.cancelled():
                self.leave()  # given a place just as it gave up: pass it on
            else:
                line.remove(ticket)
            raise

    def leave(self) -> None:
        """Give a place back: to the next caller in line, or to the free places."""
        for line in (self._urgent, self._ordinary):
            while line:
                ticket = line.popleft()
                if not ticket.done():
                    ticket.set_result(None)
                    return
        self.free += 1


class AiohttpRequest(BaseRequest):
    """At most `connections` calls at once over kept-alive connections; the rest wait in a
    `CallGate`, urgent ones first. Timeouts in seconds, as python-telegram-bot's own."""

    def __init__(
        self,
        connections: int,
        *,
        read_timeout: float | None = 5.0,
        write_timeout: float | None = 5.0,
        connect_timeout: float | None = 5.0,
        pool_timeout: float | None = 1.0,
        media_write_timeout: float | None = 20.0,
        urgent: Urgent = never_urgent,
    ) -> None:
        self._connections = connections
        self._defaults = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
        }
        self._media_write_timeout = media_write_timeout
        self.gate = CallGate(connections)
        self.urgent = urgent
        self._session: aiohttp.ClientSession | None = None
        self._proxies: dict[str, str | None] = {}

    @property
    def read_timeout(self) -> float | None:
        """The read timeout used when a call names none."""
        return self._defaults["read"]

    async def initialize(self) -> None:
        """Open the connection pool (again, after a shutdown)."""
        if self._session is None or self._session.closed:
            context = ssl.create_default_context(cafile=certifi.where())
            self._session = aiohttp.ClientSession(
                connector=aiohttp.TCPConnector(limit=self._connections, ssl=context),
                headers={"User-Agent": self.USER_AGENT},
            )

    async def shutdown(self) -> None:
        """Close every connection."""
        if self._session is not None and not self._session.closed:
            await self._session.close()

    def _proxy_for(self, url: str) -> str | None:
        """The environment's proxy for this address, looked up once per host rather than
        on every call: aiohttp's own lookup reads the environment and ~/.netrc each time,
        on a thread, which cost a quarter of the bot's time under load."""
        parts = urlsplit(url)
        key = f"{parts.scheme}://{parts.netloc}"
        if key not in self._proxies:
            self._proxies[key] = environment_proxy(url)
        return self._proxies[key]

    def _timeout(self, name: str, given: object, uploading: bool) -> float | None:
        if not isinstance(given, DefaultValue):
            return given if isinstance(given, int | float) else None
        if name == "write" and uploading:
            return self._media_write_timeout
        return self._defaults[name]

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: Any = BaseRequest.DEFAULT_NONE,
        write_timeout: Any = BaseRequest.DEFAULT_NONE,
        connect_timeout: Any = BaseRequest.DEFAULT_NONE,
        pool_timeout: Any = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        """Make one call; its status and body, for python-telegram-bot to read."""
        session = self._session
        if session is None or session.closed:
            raise RuntimeError("This AiohttpRequest is not initialized!")
        files = request_data.multipart_data if request_data is not None else {}
        uploading = bool(files)
        given = {
            "read": read_timeout,
            "write": write_timeout,
            "connect": connect_timeout,
            "pool": pool_timeout,
        }
        seconds = {name: self._timeout(name, value, uploading) for name, value in given.items()}
        try:
            async with asyncio.timeout(seconds["pool"]):
                await self.gate.enter(self.urgent(request_data))
        except TimeoutError as error:
            raise TimedOut(POOL_TIMEOUT_MESSAGE) from error
        try:
            body, headers = _body(request_data, files)
            async with session.request(
                method,
                url,
                data=body,
                headers=headers,
                proxy=self._proxy_for(url),
                timeout=_client_timeout(seconds),
            ) as response:
                return response.status, await response.read()
        except TimeoutError as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            words = _without_token(str(error), url)
            raise NetworkError(f"aiohttp.{type(error).__name__}: {words}") from error
        finally:
            self.gate.leave()


def _without_token(words: str, url: str) -> str:
    """An error's words with the address's path taken out: the path holds the bot's token,
    and python-telegram-bot logs these errors (aiohttp puts the whole address in some)."""
    path = urlsplit(url).path
    return words.replace(path, "/…") if path else words


def environment_proxy(url: str) -> str | None:
    """The proxy named by HTTPS_PROXY / HTTP_PROXY / ALL_PROXY for an address, unless
    NO_PROXY leaves it out, as python-telegram-bot's own client honours them."""
    parts = urlsplit(url)
    found = getproxies()
    proxy = found.get(parts.scheme) or found.get("all")
    if proxy is None or proxy_bypass(parts.hostname or ""):
        return None
    return proxy


def _client_timeout(seconds: dict[str, float | None]) -> aiohttp.ClientTimeout:
    """Connect and read limits as given; the whole call is bounded by their sum with the
    write limit (aiohttp has no write limit of its own)."""
    parts = [seconds["connect"], seconds["write"], seconds["read"]]
    total = None if any(part is None for part in parts) else sum(p or 0.0 for p in parts)
    return aiohttp.ClientTimeout(
        total=total, sock_connect=seconds["connect"], sock_read=seconds["read"]
    )


def _body(
    request_data: RequestData | None, files: dict[str, Any]
) -> tuple[aiohttp.FormData | bytes | None, dict[str, str]]:
    """A form post, already encoded (a dict would make aiohttp build a multipart writer it
    then does not use), or a multipart one when the call uploads a file."""
    if request_data is None:
        return None, {}
    fields = request_data.json_parameters
    if not files:
        return urlencode(fields).encode(), {"Content-Type": FORM}
    form = aiohttp.FormData()
    for name, value in fields.items():
        form.add_field(name, value)
    for name, (filename, content, mime_type) in files.items():
        form.add_field(name, content, filename=filename, content_type=mime_type)
    return form, {}
