"""Invitation links on the web. Opening a link (GET) changes nothing: messaging apps, e-mail
scanners and browsers fetch a link before the person taps it, so the link shows a page with
a Start button, and only that button's POST uses the invitation up. Every invitation
started in a browser gets a session and a chat of its own, so a second young person on a
shared tablet never sees, or writes into, the first one's interview. A link that does not
work is refused after one read and no write."""

from __future__ import annotations

import hmac
import secrets

from aiohttp import web

from bot.core.logs import log_event
from bot.web.base import COOKIE, Found, WebBase, known_language
from bot.web.guard import BROWSER_COOKIE, LinkGuard, client_address
from bot.web.headers import html_page, see_other
from bot.web.limits import read_form
from bot.web.pages import start_page
from storage import InvitationError
from storage.web_sessions import LinkState, new_web_chat_id

MAX_TOKEN = 128


class InvitationLinks(WebBase):
    """The handlers of /i/TOKEN."""

    def __init__(self, base: WebBase, guard: LinkGuard | None = None) -> None:
        super().__init__(base.app, base.after, base.limits)
        self.guard = guard or LinkGuard()

    def _browser(self, request: web.Request) -> str | None:
        value = request.cookies.get(BROWSER_COOKIE)
        return value if value and len(value) <= 64 else None

    def _refused(self, token: str, request: web.Request, link: LinkState | None) -> web.Response:
        """The page for a link that does not work, counted against it, the browser and the
        address; in the invitation's language where it is known."""
        self.guard.failed(token, self._browser(request), client_address(request), self.app.clock())
        log_event(
            "invitation_refused", channel="web", reason="unknown" if link is None else "not_usable"
        )
        language = known_language(link.language) if link is not None else None
        response = self.said("invitation_problem", language, 410)
        if self._browser(request) is None:
            self.set_cookie(response, BROWSER_COOKIE, secrets.token_urlsafe(24))
        return response

    async def _look_up(
        self, request: web.Request
    ) -> tuple[str, LinkState | None, Found | None] | web.Response:
        """The link and the browser's session, or the refusal when this browser, link or
        address has tried too many links that did not work."""
        token = request.match_info["token"]
        now = self.app.clock()
        if self.guard.blocked(token, self._browser(request), client_address(request), now):
            return self.said("too_many_tries", None, 429)
        if len(token) > MAX_TOKEN:
            return self._refused(token, request, None)
        link = await self.app.storage.web_sessions.link(token, now)
        return token, link, await self.session(request)

    async def _own_chat(self, found: Found | None, link: LinkState) -> web.Response | None:
        """Straight on to the chat if this browser already has this interview open."""
        if found is None or found[1].interview_id != link.interview_id or link.over:
            return None
        if found[1].ended_at is not None or self.idle(found[1]):
            return None
        return see_other("/chat")

    def _start_page(
        self, request: web.Request, link: LinkState, *, again: bool = False
    ) -> web.Response:
        browser = self._browser(request) or secrets.token_urlsafe(24)
        chrome = self.chrome(known_language(link.language), None)
        html = start_page(chrome, request.path, browser, again=again)
        response = html_page(html, 403 if again else 200)
        self.set_cookie(response, BROWSER_COOKIE, browser)
        return response

    async def open_link(self, request: web.Request) -> web.StreamResponse:
        """What a link shows: the Start button (or the chat, if this browser has it open
        already). Nothing is written, whoever fetches it."""
        looked = await self._look_up(request)
        if isinstance(looked, web.Response):
            return looked
        token, link, found = looked
        if link is None:
            return self._refused(token, request, None)
        own = await self._own_chat(found, link)
        if own is not None:
            return own
        if not link.usable_by(found[1].chat_id if found is not None else None):
            return self._refused(token, request, link)
        return self._start_page(request, link)

    async def start(self, request: web.Request) -> web.StreamResponse:
        """The Start button: the invitation is used now, by a new session of its own."""
        looked = await self._look_up(request)
        if isinstance(looked, web.Response):
            return looked
        token, link, found = looked
        if link is None:
            return self._refused(token, request, None)
        form = await read_form(request, self.limits)
        own = await self._own_chat(found, link)
        if own is not None:
            return own
        browser = self._browser(request)
        echoed = str(form.get("start", "")).encode()
        if browser is None or not hmac.compare_digest(echoed, browser.encode()):
            return self._start_page(request, link, again=True)
        same_chat = found is not None and link.used_by_chat == found[1].chat_id
        if not link.usable_by(found[1].chat_id if found is not None else None):
            return self._refused(token, request, link)
        chat_id = found[1].chat_id if found is not None and same_chat else new_web_chat_id()
        try:
            reply = await self.app.service.open_invitation(token, chat_id)
        except InvitationError:
            return self._refused(token, request, link)
        await self.after.handle(reply)
        now = self.app.clock()
        if found is not None:
            await self.app.storage.web_sessions.end(found[0], now)
        secret = await self.app.storage.web_sessions.start(reply.interview_id, chat_id, now)
        log_event("invitation_opened", channel="web", interview=reply.interview_id)
        response = see_other("/chat")
        self.set_cookie(response, COOKIE, secret)
        return response
