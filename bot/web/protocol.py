"""The web chat's connections: aiohttp's own, with two changes. A request whose head is
malformed gets the same plain page and security headers as every other response (aiohttp
would answer in its own words, and log the bytes, which may hold an invitation token).
And the server is run with a short keep-alive time, which aiohttp also counts from the
moment a connection opens until a whole request head has arrived: a client that sends its
headers a byte at a time is cut off then."""

from __future__ import annotations

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from bot.core.logs import log_event
from bot.web.headers import add_security_headers, error_page
from bot.web.limits import WebLimits


class GuardedRequestHandler(RequestHandler):
    """aiohttp's connection handler, answering a malformed request with our own page."""

    leave_url = ""

    def handle_error(
        self,
        request: web.BaseRequest,
        status: int = 500,
        exc: BaseException | None = None,
        message: str | None = None,
    ) -> web.StreamResponse:
        """A plain page with the headers, and a log line with the kind of fault only."""
        if request.writer.output_size > 0:
            raise ConnectionError("the response had begun; the connection is closed instead")
        log_event("web_bad_request", channel="web", status=status, error=type(exc).__name__)
        response = error_page(status, self.leave_url)
        add_security_headers(response, "")
        response.force_close()
        return response


class GuardedServer(web.Server):
    """aiohttp's server, making guarded connection handlers."""

    leave_url = ""

    def __call__(self) -> RequestHandler:
        handler = GuardedRequestHandler(self, loop=self._loop, **self._kwargs)
        handler.leave_url = self.leave_url
        return handler


class GuardedRunner(web.AppRunner):
    """The application runner with guarded connections and the header time limit."""

    def __init__(self, app: web.Application, limits: WebLimits, leave_url: str) -> None:
        super().__init__(
            app,
            access_log=None,
            keepalive_timeout=limits.header_seconds,
            lingering_time=limits.lingering_seconds,
        )
        self.leave_url = leave_url

    async def _make_server(self) -> web.Server:
        server = await super()._make_server()
        server.__class__ = GuardedServer
        server.leave_url = self.leave_url  # type: ignore[attr-defined]
        return server


def runner_for(app: web.Application, limits: WebLimits, leave_url: str) -> web.AppRunner:
    """The runner the web chat is served with."""
    return GuardedRunner(app, limits, leave_url)
