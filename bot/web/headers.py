"""The same security headers on every response the web chat sends, redirects and errors
included, and a plain page (in the person's language, or in Welsh and English) instead of
aiohttp's own error text or a traceback."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Middleware

from bot.core.logs import log_error
from bot.web.pages import PageChrome, said_page
from flows.text import Language

CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
ERROR_WORDS = {
    404: "not_found",
    405: "not_found",
    408: "too_slow",
    413: "too_big",
    429: "too_many_tries",
}
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
ResponseHook = Callable[[web.Request, web.StreamResponse], Awaitable[None]]


def add_security_headers(response: web.StreamResponse, path: str) -> None:
    """What every response carries: nothing cached but the static files found, no framing,
    no third parties, no guessing of content types."""
    response.headers.update(SECURITY_HEADERS)
    if not (path.startswith("/static/") and response.status in (200, 304)):
        response.headers["Cache-Control"] = "no-store"


def html_page(html: str, status: int = 200) -> web.Response:
    """A page of the web chat."""
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def see_other(location: str) -> web.Response:
    """On to another page of the web chat (returned, never raised, so it gets the headers)."""
    return web.Response(status=303, headers={"Location": location})


@dataclass
class Spoken:
    """The person's language, once a handler knows whose session this is (a holder, since
    a request copied with a smaller body limit copies its values, not this object)."""

    language: Language | None = None


SPOKEN = web.RequestKey("spoken", Spoken)


def error_page(status: int, leave_url: str, language: Language | None = None) -> web.Response:
    """The page for a status aiohttp or a handler refused with: plain words in the person's
    language, or in Welsh and in English where it is not known, never the library's text."""
    key = "something_went_wrong" if status >= 500 else ERROR_WORDS.get(status, "bad_request")
    return html_page(said_page(PageChrome(language, None, leave_url), key), status)


def headers_on_every_response(leave_url: str) -> ResponseHook:
    """The last word before any response's head is written, for the few aiohttp makes
    itself outside the middleware (an Expect header on an unknown path, for one): the
    headers, and our page in place of the library's text."""

    async def hook(request: web.Request, response: web.StreamResponse) -> None:
        if (
            isinstance(response, web.Response)
            and response.status >= 400
            and response.content_type != "text/html"
            and not response.prepared
        ):
            page = error_page(response.status, leave_url)
            response.text = page.text or ""
            response.content_type = "text/html"
        add_security_headers(response, request.path)

    return hook


def safe_responses(leave_url: str) -> Middleware:
    """Every response through one door: refusals become pages, an unexpected fault becomes
    a kind page and a log line with its kind only, and all of them get the headers."""

    @web.middleware
    async def middleware(request: web.Request, handler: Handler) -> web.StreamResponse:
        spoken = Spoken()
        request[SPOKEN] = spoken
        try:
            response = await handler(request)
        except web.HTTPException as refusal:
            if refusal.status < 400:
                response = web.Response(status=refusal.status)
                if "Location" in refusal.headers:
                    response.headers["Location"] = refusal.headers["Location"]
                for morsel in refusal.cookies.values():
                    response.headers.add("Set-Cookie", morsel.OutputString())
            else:
                response = error_page(refusal.status, leave_url, spoken.language)
                if "Allow" in refusal.headers:
                    response.headers["Allow"] = refusal.headers["Allow"]
        except (asyncio.CancelledError, ConnectionError):
            raise
        except Exception as fault:  # the person sees a page, never a traceback
            log_error("web_request_failed", channel="web", error=type(fault).__name__)
            response = error_page(500, leave_url, spoken.language)
        add_security_headers(response, request.path)
        return response

    return middleware
