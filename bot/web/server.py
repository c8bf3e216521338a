"""The web chat: the same interview as on Telegram, through the same service, engine,
storage and alerts, in any phone browser. This module only translates HTTP into inputs
and the outbox into pages; the interview itself is the core's.

Security as strong as Telegram's: the invitation token is exchanged on the first visit for
a session cookie (HttpOnly, SameSite=Strict, Secure behind https) and the browser is sent
on at once, so the token leaves the address bar; a used token opened in another browser is
refused; every form carries a CSRF token; pages are never cached and the Content Security
Policy allows nothing from anywhere else; nothing a person wrote is in a URL or a log.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Mapping
from datetime import timedelta
from ipaddress import ip_address
from pathlib import Path

from aiohttp import web

from bot.console.app import PREFIX, make_console_app
from bot.core.after_reply import AfterReply
from bot.core.context import AppContext
from bot.core.logs import log_event
from bot.core.notices import TokenGuard, notice
from bot.core.numbers import whole_number
from bot.web.pages import PageChrome, chat_page, decode_page, encode_page, left_page, notice_page
from flows.inputs import Choice, Command, Control, Input, Text, Voice
from flows.outputs import Message
from flows.text import Language
from flows.voice import voice_marker
from storage import InvitationError
from storage.codec import decode_message
from storage.records import InterviewSummary
from storage.voices import MAX_VOICE_BYTES
from storage.web_sessions import WebSession, new_web_chat_id

COOKIE = "ei_session"
STATIC = Path(__file__).parent / "static"
MAX_TEXT = 4000
CONTROLS = frozenset(c.value for c in Control)
AFTER_THE_END = timedelta(minutes=10)
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
    "connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def safe_headers(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Headers on every response: no caching of chat pages, no framing, no third parties."""
    response = await handler(request)
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
    if not request.path.startswith("/static/"):
        response.headers["Cache-Control"] = "no-store"
    return response


class InputLimiter:
    """At most so many inputs a minute from one browser, so nobody can flood the service."""

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._seen: defaultdict[int, deque[float]] = defaultdict(deque)

    def allow(self, chat_id: int, now: float) -> bool:
        seen = self._seen[chat_id]
        while seen and seen[0] <= now - 60:
            seen.popleft()
        if len(seen) >= self.per_minute:
            return False
        seen.append(now)
        return True


def client_key(request: web.Request) -> int:
    """Who is knocking, for slowing down token guessing: the address the reverse proxy saw
    (the last X-Forwarded-For entry, which it adds itself) or the peer's own."""
    peer = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    try:
        local = ip_address(peer).is_loopback
    except ValueError:
        local = False
    if local and forwarded:
        peer = forwarded.split(",")[-1].strip()
    return int.from_bytes(hashlib.sha256(peer.encode()).digest()[:7], "big")


class WebChat:
    """The web chat's handlers."""

    def __init__(self, app: AppContext, after: AfterReply) -> None:
        self.app = app
        self.after = after
        self.guard = TokenGuard()
        self.limiter = InputLimiter(app.settings.web_inputs_per_minute)
        url = app.settings.web_url or ""
        self.secure = url.startswith("https://")

    # Sessions -----------------------------------------------------------------------------

    async def _session(self, request: web.Request) -> tuple[str, WebSession] | None:
        secret = request.cookies.get(COOKIE)
        if not secret:
            return None
        found = await self.app.storage.web_sessions.get(secret)
        return (secret, found) if found is not None else None

    def _chrome(self, language: Language, session: WebSession | None) -> PageChrome:
        return PageChrome(
            language, session.csrf if session else None, self.app.settings.web_leave_url
        )

    async def _language(self, chat_id: int | None) -> Language:
        if chat_id is None:
            return "en"
        ref = await self.app.storage.interviews.ref_for_chat(chat_id)
        return _spoken(ref.language if ref is not None else None)

    def _set_cookie(self, response: web.StreamResponse, secret: str) -> None:
        response.set_cookie(
            COOKIE, secret, httponly=True, samesite="Strict", secure=self.secure, path="/"
        )

    def _forged(self, form: Mapping[str, object], session: WebSession) -> web.Response | None:
        """The refusal for a form without this session's CSRF token; None if it has it."""
        if hmac.compare_digest(str(form.get("csrf", "")), session.csrf):
            return None
        return self._page(notice_page(self._chrome("en", None), notice("forged_button", "en")), 403)

    def _idle(self, session: WebSession) -> bool:
        limit = timedelta(minutes=self.app.settings.web_idle_minutes)
        return self.app.clock() - session.last_seen > limit

    # Pages --------------------------------------------------------------------------------

    async def home(self, request: web.Request) -> web.StreamResponse:
        """Anyone who comes without a link is told to use theirs; nothing more."""
        found = await self._session(request)
        if found is not None and found[1].ended_at is None:
            raise web.HTTPSeeOther("/chat")
        return self._page(notice_page(self._chrome("en", None), notice("web_open_link", "en")))

    async def open_link(self, request: web.Request) -> web.StreamResponse:
        """Exchange the invitation token for a session, then go on at once so the token
        leaves the address bar. The same browser may open its own link again."""
        token = request.match_info["token"]
        who = client_key(request)
        now = self.app.clock()
        if self.guard.blocked(who, now):
            return self._page(
                notice_page(self._chrome("en", None), notice("too_many_tries", "en")), 429
            )
        found = await self._session(request)
        chat_id = found[1].chat_id if found is not None else new_web_chat_id()
        try:
            reply = await self.app.service.open_invitation(token, chat_id)
        except InvitationError as error:
            self.guard.failed(who, now)
            log_event("invitation_refused", channel="web", reason=error.reason)
            language = await self._language(chat_id if found else None)
            text = notice("invitation_problem", language)
            return self._page(notice_page(self._chrome(language, None), text), 410)
        await self.after.handle(reply)
        if found is not None:
            await self.app.storage.web_sessions.end(found[0], now)
        secret = await self.app.storage.web_sessions.start(reply.interview_id, chat_id, now)
        log_event("invitation_opened", channel="web", interview=reply.interview_id)
        response = web.HTTPSeeOther("/chat")
        self._set_cookie(response, secret)
        raise response

    async def chat(self, request: web.Request) -> web.StreamResponse:
        """The chat as it stands: new messages if there are any, else the last page again."""
        found = await self._session(request)
        if found is None or found[1].ended_at is not None:
            return await self._gone(found)
        secret, session = found
        interview = await self.app.storage.interviews.get(session.interview_id)
        language = _spoken(interview.language)
        chrome = self._chrome(language, session)
        ended = interview.finished_at
        if self._idle(session) or (ended is not None and self.app.clock() - ended > AFTER_THE_END):
            await self.app.storage.web_sessions.end(secret, self.app.clock())
            return self._closed(interview)
        if session.hidden:
            return self._page(notice_page(chrome, notice("web_hidden", language), carry_on=True))
        waiting = await self.app.storage.outbox.unsent_for_chat(session.chat_id)
        if waiting:
            messages = [m.message or decode_message(m.payload) for m in waiting]
            page = encode_page([m.payload for m in waiting])
            await self.app.storage.web_sessions.seen(secret, self.app.clock(), page=page)
            self.app.storage.outbox.mark_delivered([m.id for m in waiting])
        else:
            messages = decode_page(session.last_page)
            await self.app.storage.web_sessions.seen(secret, self.app.clock())
        return self._page(chat_page(chrome, messages))

    async def _gone(self, found: tuple[str, WebSession] | None) -> web.StreamResponse:
        if found is None:
            return self._page(
                notice_page(self._chrome("en", None), notice("web_open_link", "en")), 403
            )
        return self._closed(await self.app.storage.interviews.get(found[1].interview_id))

    def _closed(self, interview: InterviewSummary) -> web.Response:
        """The page once a session has ended: the interview is over, or the browser was idle."""
        language = _spoken(interview.language)
        key = "web_ended" if interview.finished_at is not None else "web_closed_idle"
        return self._page(notice_page(self._chrome(language, None), notice(key, language)))

    async def answer(self, request: web.Request) -> web.StreamResponse:
        """One input from a form: a button's value or typed words, then back to the chat."""
        found = await self._session(request)
        if found is None or found[1].ended_at is not None:
            raise web.HTTPSeeOther("/chat")
        secret, session = found
        form = await request.post()
        forged = self._forged(form, session)
        if forged is not None:
            return forged
        if self._idle(session) or session.hidden:
            raise web.HTTPSeeOther("/chat")
        if not self.limiter.allow(session.chat_id, time.monotonic()):
            language = await self._language(session.chat_id)
            return self._page(
                notice_page(self._chrome(language, session), notice("slow_down", language)), 429
            )
        made = self._input(form, decode_page(session.last_page))
        if made is not None:
            inp, incoming = made
            reply = await self.app.service.answer_in_chat(session.chat_id, inp, incoming=incoming)
            if reply is None:
                await self.app.storage.web_sessions.end(secret, self.app.clock())
            else:
                await self.after.handle(reply)
        raise web.HTTPSeeOther("/chat")

    def _input(self, form: Mapping[str, object], shown: list[Message]) -> tuple[Input, str] | None:
        """The engine input a form holds: a button's value, a typed command, or words."""
        now = self.app.clock()
        value = form.get("value")
        if isinstance(value, str) and value:
            prompt_text = form.get("prompt")
            prompt = whole_number(prompt_text) if isinstance(prompt_text, str) else None
            label = _label(shown, value) or value[:64]
            return Choice(at=now, value=value[:64], prompt=prompt), label
        text = form.get("text")
        if not isinstance(text, str) or not text.strip():
            return None
        typed = text.strip().lower()
        if typed.startswith("/") and typed[1:] in CONTROLS:
            return Command(at=now, control=Control(typed[1:])), typed
        return Text(at=now, text=text[:MAX_TEXT]), text[:MAX_TEXT]

    async def voice(self, request: web.Request) -> web.StreamResponse:
        """An audio file uploaded at a free-text question is a voice answer, as on Telegram."""
        found = await self._session(request)
        if found is None or found[1].ended_at is not None:
            raise web.HTTPSeeOther("/chat")
        session = found[1]
        form = await request.post()
        forged = self._forged(form, session)
        if forged is not None:
            return forged
        upload = form.get("audio")
        language = await self._language(session.chat_id)
        if not isinstance(upload, web.FileField) or not upload.content_type.startswith("audio/"):
            return self._page(
                notice_page(self._chrome(language, session), notice("media", language)), 415
            )
        audio = upload.file.read(MAX_VOICE_BYTES + 1)
        if len(audio) > MAX_VOICE_BYTES:
            return self._page(
                notice_page(self._chrome(language, session), notice("voice_too_big", language)), 413
            )
        if not self.limiter.allow(session.chat_id, time.monotonic()):
            return self._page(
                notice_page(self._chrome(language, session), notice("slow_down", language)), 429
            )
        now = self.app.clock()
        voice_id = await self.app.storage.voices.keep(
            session.interview_id, audio, None, upload.content_type, now
        )
        reply = await self.app.service.answer_in_chat(
            session.chat_id,
            Voice(at=now, voice_id=voice_id, seconds=None),
            incoming=voice_marker(voice_id, None),
        )
        if reply is not None:
            await self.after.handle(reply)
        raise web.HTTPSeeOther("/chat")

    async def leave(self, request: web.Request) -> web.StreamResponse:
        """Leave quickly: the interview is paused and the page hidden behind "Carry on",
        then on to the neutral site."""
        found = await self._session(request)
        if found is not None and found[1].ended_at is None:
            secret, session = found
            form = await request.post()
            if self._forged(form, session) is None:
                reply = await self.app.service.answer_in_chat(
                    session.chat_id,
                    Command(at=self.app.clock(), control=Control.PAUSE),
                    incoming="(left the page quickly)",
                )
                if reply is not None:
                    await self.after.handle(reply)
                await self.app.storage.web_sessions.seen(secret, self.app.clock(), hidden=True)
        raise web.HTTPSeeOther("/left")

    async def left(self, request: web.Request) -> web.StreamResponse:
        return self._page(left_page(self._chrome("en", None)))

    async def show(self, request: web.Request) -> web.StreamResponse:
        """Back from having left: show the chat again."""
        found = await self._session(request)
        if found is not None:
            form = await request.post()
            if self._forged(form, found[1]) is None:
                await self.app.storage.web_sessions.seen(found[0], self.app.clock(), hidden=False)
        raise web.HTTPSeeOther("/chat")

    @staticmethod
    def _page(html: str, status: int = 200) -> web.Response:
        return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def _label(shown: list[Message], value: str) -> str | None:
    """The words of the button with this value on the page the person saw."""
    for message in reversed(shown):
        for button in message.all_buttons():
            if button.value == value:
                return button.label
    return None


def make_web_app(app: AppContext, after: AfterReply) -> web.Application:
    """The web chat as an aiohttp application."""
    chat = WebChat(app, after)
    application = web.Application(
        middlewares=[safe_headers], client_max_size=MAX_VOICE_BYTES + 64 * 1024
    )
    application.add_routes(
        [
            web.get("/", chat.home),
            web.get("/i/{token}", chat.open_link),
            web.get("/chat", chat.chat),
            web.post("/answer", chat.answer),
            web.post("/leave", chat.leave),
            web.post("/voice", chat.voice),
            web.get("/left", chat.left),
            web.post("/show", chat.show),
            web.static("/static", STATIC, show_index=False),
        ]
    )
    application.add_subapp(PREFIX, make_console_app(app, after))
    return application


async def start_web(app: AppContext, after: AfterReply, host: str, port: int) -> web.AppRunner:
    """Serve the web chat on host:port until the runner is cleaned up. No access log: paths
    hold invitation tokens."""
    runner = web.AppRunner(make_web_app(app, after), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log_event("web_started", host=host, port=port)
    return runner


def _spoken(language: str | None) -> Language:
    """The language pages are shown in: Welsh for a Welsh interview, else English."""
    return "cy" if language == "cy" else "en"
