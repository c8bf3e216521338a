"""The web chat: the same interview as on Telegram, through the same service, engine,
storage and alerts, in any phone browser. This module only translates HTTP into inputs
and the outbox into pages; the interview itself is the core's.

Security as strong as Telegram's: an invitation link shows a Start button, whose POST
exchanges the token for a session cookie (HttpOnly, SameSite=Strict, Secure behind https)
of a new session bound to that one interview (bot/web/links.py); every form carries a CSRF
token; every response, errors included, is never cached and carries a Content Security
Policy that allows nothing from anywhere else (bot/web/headers.py); bodies are small and
read within a time limit (bot/web/limits.py); nothing a person wrote is in a URL or a log.
"""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import replace
from pathlib import Path

from aiohttp import web

from bot.console.app import PREFIX, make_console_app
from bot.core.after_reply import AfterReply
from bot.core.context import AppContext
from bot.core.logs import log_event
from bot.core.notices import notice
from bot.core.numbers import whole_number
from bot.web.base import AFTER_THE_END, COOKIE, WebBase, spoken
from bot.web.guard import LinkGuard
from bot.web.headers import headers_on_every_response, html_page, safe_responses, see_other
from bot.web.limits import WebLimits, body_limits, expectations, read_form
from bot.web.links import InvitationLinks
from bot.web.pace import Pace
from bot.web.pages import (
    PageChrome,
    about_page,
    chat_page,
    decode_page,
    encode_page,
    left_page,
    notice_page,
)
from bot.web.protocol import runner_for
from bot.web.view import NO_VIEW, PageView, page_view
from flows.inputs import Choice, Command, Control, Input, Text, Voice
from flows.outputs import Message
from flows.voice import voice_marker
from storage import NotFound
from storage.codec import decode_message
from storage.leader import probe_open
from storage.records import InterviewSummary
from storage.voices import MAX_VOICE_BYTES
from storage.web_sessions import WebSession

STATIC = Path(__file__).parent / "static"
MAX_TEXT = 4000
CONTROLS = frozenset(c.value for c in Control)


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


class WebChat(WebBase):
    """The web chat's handlers once a session has started."""

    def __init__(self, app: AppContext, after: AfterReply, limits: WebLimits) -> None:
        super().__init__(app, after, limits)
        self.limiter = InputLimiter(app.settings.web_inputs_per_minute)
        self.voices_reading = 0
        self.pace = Pace(app)

    async def home(self, request: web.Request) -> web.StreamResponse:
        """Anyone who comes without a link is told to use theirs; nothing more."""
        if await self.live(request) is not None:
            return see_other("/chat")
        return self.said("web_open_link", None)

    async def chat(self, request: web.Request) -> web.StreamResponse:
        """The chat as it stands: new messages if there are any, else the last page again."""
        live = await self.live(request)
        if live is None:
            return await self._gone(request)
        secret, session, interview = live
        language = spoken(interview.language)
        view = await self._view(interview.id)
        chrome = replace(self.chrome(language, session), easy_read=view.easy_read)
        ended = interview.finished_at
        if self.idle(session) or (ended is not None and self.app.clock() - ended > AFTER_THE_END):
            await self.app.storage.web_sessions.end(secret, self.app.clock())
            return self._closed(interview)
        if session.hidden:
            return html_page(notice_page(chrome, notice("web_hidden", language), carry_on=True))
        waiting = await self.app.storage.outbox.unsent_for_chat(session.chat_id)
        if waiting:
            messages = [m.message or decode_message(m.payload) for m in waiting]
            page = encode_page([m.payload for m in waiting])
            await self.app.storage.web_sessions.seen(secret, self.app.clock(), page=page)
            self.app.storage.outbox.mark_delivered([m.id for m in waiting])
        else:
            messages = decode_page(session.last_page)
            await self.app.storage.web_sessions.seen(secret, self.app.clock())
        return html_page(chat_page(chrome, messages, view))

    async def _view(self, interview_id: str) -> PageView:
        """Where the person is, for the page around the messages; if the state cannot be
        read, a page with typing open, so nobody is stuck."""
        try:
            state = await self.app.storage.interviews.state(interview_id)
        except NotFound:
            return NO_VIEW
        flow = self.app.flows.get(state.flow_id)
        if flow is None:
            return NO_VIEW
        await self.pace.refresh(flow.id)
        return page_view(flow, state, self.pace.seconds_a_question(flow.id))

    async def _gone(self, request: web.Request) -> web.StreamResponse:
        """Without a cookie: use your link. With one whose session is over, or whose
        interview was erased, or that names nothing at all: the interview has ended, and
        nothing of it is shown."""
        found = await self.session(request)
        if found is None:
            if request.cookies.get(COOKIE):
                return self.said("ended", None)
            return self.said("web_open_link", None, 403)
        interview = await self.interview(found[1])
        if interview is None:
            return self.said("ended", None)
        return self._closed(interview)

    def _closed(self, interview: InterviewSummary) -> web.Response:
        """The page once a session has ended: the interview is over, or the browser was idle."""
        language = spoken(interview.language)
        key = "web_ended" if interview.finished_at is not None else "web_closed_idle"
        return html_page(notice_page(self._chrome(interview, None), notice(key, language)))

    def _chrome(self, interview: InterviewSummary, session: WebSession | None) -> PageChrome:
        """The page around the words for this interview: easy read where its flow is."""
        flow = self.app.flows.get(interview.flow_id)
        chrome = self.chrome(spoken(interview.language), session)
        return replace(chrome, easy_read=flow is not None and flow.easy_read)

    async def answer(self, request: web.Request) -> web.StreamResponse:
        """One input from a form: a button's value or typed words, then back to the chat."""
        live = await self.live(request)
        if live is None:
            return see_other("/chat")
        secret, session, interview = live
        form = await read_form(request, self.limits)
        forged = self.forged(form, session, spoken(interview.language))
        if forged is not None:
            return forged
        if self.idle(session) or session.hidden:
            return see_other("/chat")
        if not self.limiter.allow(session.chat_id, time.monotonic()):
            language = spoken(interview.language)
            return html_page(
                notice_page(self._chrome(interview, session), notice("slow_down", language)), 429
            )
        made = self._input(form, decode_page(session.last_page))
        if made is not None:
            inp, incoming = made
            reply = await self.app.service.answer_in_chat(session.chat_id, inp, incoming=incoming)
            if reply is None:
                await self.app.storage.web_sessions.end(secret, self.app.clock())
            else:
                await self.after.handle(reply)
        return see_other("/chat")

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
        """An audio file uploaded at a free-text question is a voice answer, as on Telegram.
        Only a live session may send one, a few at a time, within the rate limit, and all
        of that is checked before the upload is read."""
        live = await self.live(request)
        if live is None:
            return see_other("/chat")
        _, session, interview = live
        language = spoken(interview.language)
        chrome = self._chrome(interview, session)
        if not self.limiter.allow(session.chat_id, time.monotonic()):
            return html_page(notice_page(chrome, notice("slow_down", language)), 429)
        if self.voices_reading >= self.limits.voice_uploads_at_once:
            return self.said("busy", language, 503)
        self.voices_reading += 1
        try:
            form = await read_form(request, self.limits)
        finally:
            self.voices_reading -= 1
        forged = self.forged(form, session, language)
        if forged is not None:
            return forged
        upload = form.get("audio")
        if not isinstance(upload, web.FileField) or not upload.content_type.startswith("audio/"):
            return html_page(notice_page(chrome, notice("media", language)), 415)
        audio = upload.file.read(MAX_VOICE_BYTES + 1)
        if len(audio) > MAX_VOICE_BYTES:
            return html_page(notice_page(chrome, notice("voice_too_big", language)), 413)
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
        return see_other("/chat")

    async def leave(self, request: web.Request) -> web.StreamResponse:
        """Leave quickly: the interview is paused and the page hidden behind "Carry on",
        then on to the neutral site."""
        live = await self.live(request)
        if live is not None:
            secret, session, _ = live
            form = await read_form(request, self.limits)
            if self.forged(form, session) is None:
                reply = await self.app.service.answer_in_chat(
                    session.chat_id,
                    Command(at=self.app.clock(), control=Control.PAUSE),
                    incoming="(left the page quickly)",
                )
                if reply is not None:
                    await self.after.handle(reply)
                await self.app.storage.web_sessions.seen(secret, self.app.clock(), hidden=True)
        return see_other("/left")

    async def about(self, request: web.Request) -> web.StreamResponse:
        """Who made the chat, and the credit its pictures' licence asks for."""
        live = await self.live(request)
        language = spoken(live[2].language) if live is not None else "en"
        return html_page(about_page(self.chrome(language, None)))

    async def left(self, request: web.Request) -> web.StreamResponse:
        """The neutral page on the way out."""
        return html_page(left_page(self.chrome("en", None)))

    async def show(self, request: web.Request) -> web.StreamResponse:
        """Back from having left: show the chat again."""
        live = await self.live(request)
        if live is not None:
            form = await read_form(request, self.limits)
            if self.forged(form, live[1]) is None:
                await self.app.storage.web_sessions.seen(live[0], self.app.clock(), hidden=False)
        return see_other("/chat")


STATIC_FILES = {path.name: path for path in STATIC.iterdir() if path.is_file()}
PICTURE_FILES = {path.name: path for path in (STATIC / "openmoji").glob("*.svg")}


async def static_file(request: web.Request) -> web.StreamResponse:
    """One of the web chat's own files (its style sheet and script), and nothing else: no
    listing, no paths, a plain page for anything that is not one of them."""
    files = PICTURE_FILES if request.match_info.get("folder") == "openmoji" else STATIC_FILES
    found = files.get(request.match_info["name"])
    if found is None:
        raise web.HTTPNotFound()
    return web.FileResponse(found)


def _label(shown: list[Message], value: str) -> str | None:
    """The words of the button with this value on the page the person saw."""
    for message in reversed(shown):
        for button in message.all_buttons():
            if button.value == value:
                return button.label
    return None


def health_check(app: AppContext) -> Callable[[web.Request], Awaitable[web.Response]]:
    """/healthz for a load balancer or monitor: "ok" (200) when the database answers, is
    migrated and a worker leads the scheduled work, else "not ok" (503). Nothing more, so
    it says nothing about anyone's data; `exit-interviews health` gives the detail."""

    async def healthz(request: web.Request) -> web.Response:
        health = await probe_open(app.storage.db)
        if health.healthy_at(app.clock()):
            return web.Response(text="ok")
        return web.Response(text="not ok", status=503)

    return healthz


def make_web_app(
    app: AppContext,
    after: AfterReply,
    limits: WebLimits | None = None,
    guard: LinkGuard | None = None,
) -> web.Application:
    """The web chat as an aiohttp application."""
    limits = limits or WebLimits()
    chat = WebChat(app, after, limits)
    links = InvitationLinks(chat, guard)
    application = web.Application(
        middlewares=[safe_responses(app.settings.web_leave_url), body_limits(limits)],
        client_max_size=limits.voice_bytes,
    )
    application.on_response_prepare.append(headers_on_every_response(app.settings.web_leave_url))
    expect = expectations(limits, app.settings.web_leave_url)
    application.add_routes(
        [
            web.get("/", chat.home, expect_handler=expect),
            web.get("/i/{token}", links.open_link, expect_handler=expect),
            web.post("/i/{token}", links.start, expect_handler=expect),
            web.get("/chat", chat.chat, expect_handler=expect),
            web.post("/answer", chat.answer, expect_handler=expect),
            web.post("/leave", chat.leave, expect_handler=expect),
            web.post("/voice", chat.voice, expect_handler=expect),
            web.get("/left", chat.left, expect_handler=expect),
            web.get("/about", chat.about, expect_handler=expect),
            web.post("/show", chat.show, expect_handler=expect),
            web.get("/healthz", health_check(app), expect_handler=expect),
            web.get("/static/{name}", static_file, expect_handler=expect),
            web.get("/static/{folder:openmoji}/{name}", static_file, expect_handler=expect),
        ]
    )
    application.add_subapp(PREFIX, make_console_app(app, after))
    return application


async def start_web(
    app: AppContext,
    after: AfterReply,
    host: str,
    port: int,
    limits: WebLimits | None = None,
    guard: LinkGuard | None = None,
) -> web.AppRunner:
    """Serve the web chat on host:port until the runner is cleaned up. No access log: paths
    hold invitation tokens."""
    limits = limits or WebLimits()
    runner = runner_for(make_web_app(app, after, limits, guard), limits, app.settings.web_leave_url)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    log_event("web_started", host=host, port=port)
    return runner
