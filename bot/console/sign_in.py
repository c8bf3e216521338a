"""Signing in without passwords: a six-digit code e-mailed to the member of staff's work
address (10 minutes, one use, at most 5 wrong tries over 15 minutes, then a wait), then
the authenticator app for everyone who has one (admins must). Each step opens a new
session and ends the last, so a session id planted before sign-in is never signed in."""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import timedelta

import aiosmtplib
from aiohttp import web
from markupsafe import Markup

from bot.console.door import Door, Visitor, before_csrf, forged
from bot.console.mail import mail_ready, send_code
from bot.console.pages import Chrome, notice, page, refusal, see_other
from bot.console.second_factor import (
    matching_step,
    new_recovery_codes,
    new_secret,
    qr_svg,
    spaced,
)
from bot.core.context import AppContext
from bot.core.logs import log_error, log_event
from storage import Actor, StaffMember
from storage.console_sessions import Stage

CODE_LASTS = timedelta(minutes=10)
MOST_TRIES = 5
WAIT = timedelta(minutes=15)
WELCOME_LASTS = timedelta(hours=24)
WAIT_TEXT = (
    "Too many wrong codes. For your safety, signing in is paused for 15 minutes. "
    "Wait, then ask for a new code."
)
HOME = {"second": "/staff/sign-in/second", "enrol": "/staff/enrol", "full": "/staff/today"}


class SignIn:
    """The sign-in pages and sign-out."""

    def __init__(self, app: AppContext, door: Door) -> None:
        self.app = app
        self.door = door
        self._second_misses: defaultdict[str, int] = defaultdict(int)
        self.sso_label: str | None = None

    async def start(self, request: web.Request) -> web.StreamResponse:
        """The way in: signed in already goes to Today; anyone else is asked for an address."""
        if await self.door.visitor(request) is not None:
            raise web.HTTPSeeOther("/staff/today")
        raise web.HTTPSeeOther("/staff/sign-in")

    async def ask_address(self, request: web.Request) -> web.StreamResponse:
        known = self.door.before_secret(request)
        shown = page(
            "sign_in.html.j2", Chrome(before_csrf(known)), title="Sign in", sso=self.sso_label
        )
        self.door.keep_before(shown, known)
        return shown

    async def send(self, request: web.Request) -> web.StreamResponse:
        """Send a code if the address is a member of staff's; the page is the same whether
        it is or not, so the form cannot be used to find out who works here."""
        form = await request.post()
        if not self.door.before_ok(request, form):
            return notice("Please try again", "That form was out of date. Start again.", status=403)
        if not mail_ready(self.app.settings):
            return notice(
                "E-mail sign-in is not set up",
                "This server cannot send e-mail yet. Ask your administrator to set "
                "EXIT_SMTP_HOST (see the README's Staff console section), or to give you a "
                "first sign-in link.",
                status=503,
            )
        address = str(form.get("email", "")).strip()[:320]
        now = self.app.clock()
        user_id = await self.door.accounts.staff_with_email(address) if address else None
        if user_id is not None and await self._paused(user_id, sending=True):
            return notice("Please wait", WAIT_TEXT, status=429)
        member = await self.app.storage.staff.get(user_id) if user_id is not None else None
        response = see_other("/staff/sign-in/code")
        secret = await self.door.open(response, member, "code")
        session = await self.door.sessions.get(secret)
        assert session is not None
        code = f"{secrets.randbelow(10**6):06d}"
        await self.door.sessions.new_code(session.id, user_id, "email", code, now, CODE_LASTS)
        if member is not None:
            try:
                await send_code(
                    self.app.settings, address, code, int(CODE_LASTS.total_seconds() // 60)
                )
            except (aiosmtplib.SMTPException, OSError) as error:
                log_error("console_code_not_sent", staff=member.user_id, error=type(error).__name__)
                return notice(
                    "The code could not be sent",
                    "The mail server did not take the message. Try again in a few minutes; "
                    "if it goes on, tell your administrator.",
                    status=503,
                )
            log_event("console_code_sent", staff=member.user_id)
        return response

    async def _paused(self, user_id: int, sending: bool = False) -> bool:
        """Too many wrong codes lately (or, when asking for another, too many codes sent:
        nobody can flood a colleague's inbox)."""
        since = self.app.clock() - WAIT
        if await self.door.sessions.wrong_tries(user_id, since) >= MOST_TRIES:
            return True
        return sending and await self.door.sessions.codes_sent(user_id, since) >= MOST_TRIES

    async def ask_code(self, request: web.Request) -> web.StreamResponse:
        visitor = await self.door.visitor(request, "code")
        if visitor is None:
            raise web.HTTPSeeOther("/staff/sign-in")
        return page("code.html.j2", visitor.chrome, title="Type the code")

    async def check_code(self, request: web.Request) -> web.StreamResponse:
        """The e-mailed code: right once, in time, within the tries; then the next step."""
        visitor = await self.door.visitor(request, "code")
        if visitor is None:
            raise web.HTTPSeeOther("/staff/sign-in")
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date. Start again.", status=403)
        user_id = visitor.session.user_id
        if user_id is not None and await self._paused(user_id):
            return notice("Please wait", WAIT_TEXT, status=429)
        typed = "".join(str(form.get("code", "")).split())[:12]
        checked = await self.door.sessions.check_code(
            visitor.session.id, typed, self.app.clock(), MOST_TRIES
        )
        if checked.spent:
            problem = "That code is out of date or was used already. Ask for a new code."
            return page("code.html.j2", visitor.chrome, 401, title="Type the code", problem=problem)
        if not checked.ok or visitor.member is None:
            if checked.tries_left == 0:
                return notice("Please wait", WAIT_TEXT, status=429)
            left = f"{checked.tries_left} tr{'y' if checked.tries_left == 1 else 'ies'} left"
            problem = f"That code is not right, or it is out of date. {left}."
            return page("code.html.j2", visitor.chrome, 401, title="Type the code", problem=problem)
        await self.door.sessions.end(visitor.session.id, self.app.clock())
        return await self.next_step(visitor.member, "by e-mail code")

    async def next_step(
        self, member: StaffMember, how: str, *, hop: bool = False
    ) -> web.StreamResponse:
        """After the first factor: the authenticator if they have one, enrolling one if
        they are an admin, else signed in. `hop`: answer with a page that moves on by
        itself, for a browser arriving from the provider's site, which would not send the
        new SameSite=Strict cookie on a redirect it started."""
        found = await self.door.accounts.authenticator(member.user_id)
        stage: Stage
        if found is not None and found.confirmed_at is not None:
            stage = "second"
        elif member.role == "admin":
            stage = "enrol"
        else:
            stage = "full"
        response: web.StreamResponse
        if hop:
            response = page("continue.html.j2", Chrome(), title="Signing in", to=HOME[stage])
        else:
            response = see_other(HOME[stage])
        await self.door.open(response, member, stage)
        if stage == "full":
            await self._signed_in(member, how)
        return response

    async def _signed_in(self, member: StaffMember, how: str) -> None:
        await self.app.storage.audit.record(
            Actor.for_staff(member), "console_signed_in", self.app.clock(), detail=how
        )
        log_event("console_signed_in", staff=member.user_id)

    async def ask_second(self, request: web.Request) -> web.StreamResponse:
        visitor = await self.door.visitor(request, "second")
        if visitor is None:
            raise web.HTTPSeeOther("/staff/sign-in")
        return page("second.html.j2", visitor.chrome, title="Your authenticator app")

    async def check_second(self, request: web.Request) -> web.StreamResponse:
        """The authenticator's code (each used once) or a recovery code; five misses end
        the attempt and it starts again from the e-mail."""
        visitor = await self.door.visitor(request, "second")
        if visitor is None or visitor.member is None:
            raise web.HTTPSeeOther("/staff/sign-in")
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date. Start again.", status=403)
        member, now = visitor.member, self.app.clock()
        typed = str(form.get("code", ""))[:40]
        found = await self.door.accounts.authenticator(member.user_id)
        step = matching_step(found.secret, typed, now) if found is not None else None
        if step is not None and await self.door.accounts.use_step(member.user_id, step):
            how = "with the authenticator app"
        elif await self.door.accounts.use_recovery(member.user_id, typed, now):
            how = "with a recovery code"
        else:
            self._second_misses[visitor.session.id] += 1
            if self._second_misses[visitor.session.id] >= MOST_TRIES:
                await self.door.sessions.end(visitor.session.id, now)
                return notice("Please start again", "Too many wrong codes.", status=429)
            problem = "That code is not right. Check the app's clock and type the newest code."
            return page(
                "second.html.j2", visitor.chrome, 401, title="Authenticator", problem=problem
            )
        self._second_misses.pop(visitor.session.id, None)
        await self.door.sessions.end(visitor.session.id, now)
        response = see_other("/staff/today")
        await self.door.open(response, member, "full")
        await self._signed_in(member, how)
        return response

    async def ask_enrol(self, request: web.Request) -> web.StreamResponse:
        """Show a new secret to scan (or the one not yet confirmed)."""
        visitor = await self.door.visitor(request, "enrol", "full")
        if visitor is None or visitor.member is None:
            return refusal()
        return await self._enrol_page(visitor, None)

    async def _enrol_page(self, visitor: Visitor, problem: str | None) -> web.StreamResponse:
        assert visitor.member is not None
        user_id = visitor.member.user_id
        found = await self.door.accounts.authenticator(user_id)
        if found is not None and found.confirmed_at is not None:
            raise web.HTTPSeeOther("/staff/today")
        if found is None:
            await self.door.accounts.begin_enrolment(user_id, new_secret())
            found = await self.door.accounts.authenticator(user_id)
            assert found is not None
        account = await self.door.accounts.email_of(user_id) or f"staff {user_id}"
        return page(
            "enrol.html.j2",
            visitor.chrome,
            401 if problem else 200,
            title="Set up your authenticator app",
            qr=_markup(qr_svg(found.secret, account)),
            key=spaced(found.secret),
            must=visitor.member.role == "admin",
            problem=problem,
        )

    async def confirm_enrol(self, request: web.Request) -> web.StreamResponse:
        """The first code from the app proves it is set up: turn it on, show recovery codes
        once, and (for an admin signing in) finish signing in in a new session."""
        visitor = await self.door.visitor(request, "enrol", "full")
        if visitor is None or visitor.member is None:
            return refusal()
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date. Start again.", status=403)
        member, now = visitor.member, self.app.clock()
        found = await self.door.accounts.authenticator(member.user_id)
        if found is None or found.confirmed_at is not None:
            raise web.HTTPSeeOther("/staff/today")
        step = matching_step(found.secret, str(form.get("code", "")), now)
        if step is None:
            return await self._enrol_page(visitor, "That code is not right. Type the newest one.")
        codes = new_recovery_codes()
        await self.door.accounts.confirm_enrolment(member.user_id, step, codes, visitor.actor, now)
        await self.door.sessions.end(visitor.session.id, now)
        shown = page("recovery.html.j2", Chrome(), title="Your recovery codes", codes=codes)
        await self.door.open(shown, member, "full")
        if visitor.session.stage == "enrol":
            await self._signed_in(member, "by e-mail code and a new authenticator app")
        return shown

    async def welcome(self, request: web.Request) -> web.StreamResponse:
        """A first sign-in link made on the server: one use, 24 hours, then as after the
        e-mailed code (an admin goes on to set up the authenticator app)."""
        user_id = await self.door.sessions.use_welcome(
            request.match_info["token"], self.app.clock()
        )
        member = await self.app.storage.staff.get(user_id) if user_id is not None else None
        if member is None:
            return notice(
                "This link does not work",
                "It has been used, or it is more than a day old. Sign in with your work "
                "e-mail address, or ask an administrator for a new link.",
                status=410,
            )
        return await self.next_step(member, "with a first sign-in link")

    async def sign_out(self, request: web.Request) -> web.StreamResponse:
        """End the session; the browser keeps nothing (every page was no-store)."""
        visitor = await self.door.visitor(request, "code", "second", "enrol", "full")
        if visitor is None:
            return notice("You are signed out", "You are signed out. You can close this page.")
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", status=403)
        shown = notice("You are signed out", "You are signed out. You can close this page.")
        await self.door.close(shown, visitor)
        if visitor.member is not None:
            await self.app.storage.audit.record(
                visitor.actor, "console_signed_out", self.app.clock()
            )
        return shown


def _markup(svg: str) -> Markup:
    """segno's own SVG, trusted into the page (it holds only the QR code)."""
    return Markup(svg)  # noqa: S704 - made by segno from our own secret, no input in it
