"""What the web chat's handlers share: finding the browser's session, whether it still
belongs to a live interview, the cookie, and the page chrome in the person's language."""

from __future__ import annotations

import hmac
from collections.abc import Mapping
from datetime import timedelta

from aiohttp import web

from bot.core.after_reply import AfterReply
from bot.core.context import AppContext
from bot.core.notices import notice
from bot.web.headers import SPOKEN, html_page
from bot.web.limits import WebLimits
from bot.web.pages import PageChrome, notice_page, said_page
from flows.text import Language
from storage import NotFound
from storage.records import InterviewSummary
from storage.web_sessions import WebSession

COOKIE = "ei_session"
AFTER_THE_END = timedelta(minutes=10)
"""How long the person who finished can still read the ending (and add a last word); a new
invitation opened in the same browser ends it at once."""

Found = tuple[str, WebSession]


def spoken(language: str | None) -> Language:
    """The language pages are shown in: Welsh for a Welsh interview, else English."""
    return "cy" if language == "cy" else "en"


def known_language(language: str | None) -> Language | None:
    """The invitation's language if it was set, else None (pages then speak both)."""
    return language if language in ("cy", "en") else None  # type: ignore[return-value]


class WebBase:
    """The web chat's shared state and helpers."""

    def __init__(self, app: AppContext, after: AfterReply, limits: WebLimits) -> None:
        self.app = app
        self.after = after
        self.limits = limits
        self.secure = (app.settings.web_url or "").startswith("https://")

    async def session(self, request: web.Request) -> Found | None:
        """The session this browser's cookie names, ended or not; None without one."""
        secret = request.cookies.get(COOKIE)
        if not secret or len(secret) > 256:
            return None
        found = await self.app.storage.web_sessions.get(secret)
        return (secret, found) if found is not None else None

    async def interview(self, session: WebSession) -> InterviewSummary | None:
        """The session's interview, or None if it was erased (or is gone altogether)."""
        try:
            interview = await self.app.storage.interviews.get(session.interview_id)
        except NotFound:
            return None
        return None if interview.status == "erased" else interview

    async def live(self, request: web.Request) -> tuple[str, WebSession, InterviewSummary] | None:
        """The browser's session if it is still open on an interview that still exists;
        one whose interview was erased is ended here and now."""
        found = await self.session(request)
        if found is None or found[1].ended_at is not None:
            return None
        interview = await self.interview(found[1])
        if interview is None:
            await self.app.storage.web_sessions.end(found[0], self.app.clock())
            return None
        if SPOKEN in request:
            request[SPOKEN].language = spoken(interview.language)
        return found[0], found[1], interview

    def chrome(self, language: Language | None, session: WebSession | None) -> PageChrome:
        """The page around the words, in one language or (None) in both."""
        return PageChrome(
            language, session.csrf if session else None, self.app.settings.web_leave_url
        )

    def set_cookie(self, response: web.StreamResponse, name: str, value: str) -> None:
        """A cookie only this site's own pages send back, and no script can read."""
        response.set_cookie(
            name, value, httponly=True, samesite="Strict", secure=self.secure, path="/"
        )

    def forged(
        self, form: Mapping[str, object], session: WebSession, language: Language = "en"
    ) -> web.Response | None:
        """The refusal for a form without this session's CSRF token, in the person's
        language; None if it has it."""
        if hmac.compare_digest(str(form.get("csrf", "")).encode(), session.csrf.encode()):
            return None
        text = notice("forged_button", language)
        return html_page(notice_page(self.chrome(language, None), text), 403)

    def said(self, key: str, language: Language | None, status: int = 200) -> web.Response:
        """A page with one fixed text, in the person's language or in both."""
        return html_page(said_page(self.chrome(language, None), key), status)

    def idle(self, session: WebSession) -> bool:
        """Whether the browser has been left alone long enough to close the page."""
        limit = timedelta(minutes=self.app.settings.web_idle_minutes)
        return self.app.clock() - session.last_seen > limit
