"""Who is at the console: the session a cookie names, checked on every request against
the clock (30 minutes idle, 10 hours at most) and against the staff list (removed, or a
changed role or homes, ends it at once). Cookies are HttpOnly, SameSite=Strict and Secure;
every form carries a token only a page of this session holds."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta

from aiohttp import web

from bot.console.pages import Chrome
from bot.core.context import AppContext
from storage import Actor, StaffMember
from storage.console_accounts import ConsoleAccounts
from storage.console_sessions import ConsoleSession, ConsoleSessions, Stage

COOKIE = "ei_staff"
BEFORE = "ei_staff_before"
"""A random cookie for a browser not yet signed in, so the sign-in form has a token too."""
IDLE = timedelta(minutes=30)
LONGEST = timedelta(hours=10)
LOCAL_PLAIN = ("http://127.0.0.1", "http://localhost", "http://[::1]")


def services_key(member: StaffMember) -> str:
    """A member's homes or services as kept with a session, to see when they change."""
    return ",".join(member.services)


def plain_http_allowed(web_url: str | None) -> bool:
    """Only a console whose public address is this very machine over plain http (tests, a
    laptop demo) may set cookies without Secure; everything else is https."""
    return web_url is not None and web_url.startswith(LOCAL_PLAIN)


@dataclass(frozen=True)
class Visitor:
    """A browser with a live session, and the member of staff it belongs to (if any)."""

    secret: str
    session: ConsoleSession
    member: StaffMember | None

    @property
    def actor(self) -> Actor:
        """Who the use cases see: this member of staff, as in the staff chat."""
        assert self.member is not None
        return Actor.for_staff(self.member)

    @property
    def chrome(self) -> Chrome:
        """The page chrome: the desk's menu only once fully signed in."""
        member = self.member if self.session.stage == "full" else None
        return Chrome(
            self.session.csrf,
            member.name if member else None,
            inviter=member is not None and member.role != "reviewer",
            admin=member is not None and member.role == "admin",
        )


class Door:
    """Opening, checking and ending console sessions."""

    def __init__(self, app: AppContext) -> None:
        self.app = app
        self.sessions = ConsoleSessions(app.storage.db)
        self.accounts = ConsoleAccounts(app.storage.db)

    @property
    def secure(self) -> bool:
        return not plain_http_allowed(self.app.settings.web_url)

    async def admin(self, request: web.Request) -> Visitor | None:
        """The signed-in visitor if they are an admin, else None (the pages answer None
        with the same refusal as for a stranger)."""
        visitor = await self.visitor(request)
        if visitor is None or visitor.member is None or visitor.member.role != "admin":
            return None
        return visitor

    async def services_for(self, member: StaffMember) -> list[str]:
        """The homes and services a member may choose in a form: every one for an admin,
        their own for anyone else."""
        if member.role == "admin":
            return await self.app.storage.services.names()
        return list(member.services)

    async def visitor(self, request: web.Request, *stages: Stage) -> Visitor | None:
        """The live session of this browser at one of these stages (default: signed in),
        or None. A session past its time, or whose member was removed or changed, ends."""
        secret = request.cookies.get(COOKIE)
        if not secret:
            return None
        session = await self.sessions.get(secret)
        if session is None or session.ended_at is not None:
            return None
        now = self.app.clock()
        member = None
        if session.user_id is not None:
            member = await self.app.storage.staff.get(session.user_id)
        stale = now - session.last_seen > IDLE or now - session.created_at > LONGEST
        changed = session.user_id is not None and (
            member is None
            or member.role != session.role
            or services_key(member) != session.services
        )
        if stale or changed:
            await self.sessions.end(session.id, now)
            return None
        if session.stage not in (stages or ("full",)):
            return None
        await self.sessions.seen(session.id, now)
        return Visitor(secret, session, member)

    async def open(
        self, response: web.StreamResponse, member: StaffMember | None, stage: Stage
    ) -> str:
        """A fresh session (never one the browser brought: no fixation) and its cookie."""
        secret = await self.sessions.start(
            member.user_id if member else None,
            stage,
            member.role if member else None,
            services_key(member) if member else "",
            self.app.clock(),
        )
        response.set_cookie(
            COOKIE, secret, httponly=True, samesite="Strict", secure=self.secure, path="/staff"
        )
        return secret

    async def close(self, response: web.StreamResponse, visitor: Visitor) -> None:
        """End this session and make the browser forget it."""
        await self.sessions.end(visitor.session.id, self.app.clock())
        response.del_cookie(COOKIE, path="/staff")

    @staticmethod
    def before_secret(request: web.Request) -> str:
        """This browser's random cookie from before signing in, or a new one."""
        return request.cookies.get(BEFORE) or secrets.token_urlsafe(24)

    def keep_before(self, response: web.StreamResponse, known: str) -> None:
        """Set (again) the cookie the sign-in form's token is made from."""
        response.set_cookie(
            BEFORE, known, httponly=True, samesite="Strict", secure=self.secure, path="/staff"
        )

    @staticmethod
    def before_ok(request: web.Request, form: Mapping[str, object]) -> bool:
        """Whether a sign-in form came from a page this browser was shown."""
        known = request.cookies.get(BEFORE)
        sent = form.get("csrf")
        return (
            bool(known)
            and isinstance(sent, str)
            and hmac.compare_digest(sent, before_csrf(known or ""))
        )


def forged(form: Mapping[str, object], visitor: Visitor) -> bool:
    """Whether a form lacks this session's token (another site, an old page)."""
    sent = form.get("csrf")
    return not isinstance(sent, str) or not hmac.compare_digest(sent, visitor.session.csrf)


def before_csrf(known: str) -> str:
    """The sign-in form's token: derived from the browser's cookie, which no other site
    can read, so a form posted from elsewhere cannot carry it."""
    return hashlib.sha256(f"console-sign-in:{known}".encode()).hexdigest()
