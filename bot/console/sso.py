"""Signing in through the organisation's OpenID Connect provider. The browser is sent
there with a fresh state, nonce and PKCE challenge, bound to it by a short-lived cookie;
the answer is taken once, checked, and the person matched to a member of staff by e-mail.
Anyone the provider knows but the staff list does not is refused, and that is audited."""

from __future__ import annotations

import secrets
from datetime import timedelta

import aiohttp
from aiohttp import web

from bot.console.door import Door
from bot.console.oidc import OidcClient, SignOnRefused, random_value
from bot.console.pages import notice, see_other
from bot.console.sign_in import SignIn
from bot.core.context import AppContext
from bot.core.logs import log_error, log_event
from storage.console_sso import SsoAttempts

SSO_COOKIE = "ei_staff_sso"
RETURN_PATH = "/staff/sign-in/sso/return"
LASTS = timedelta(minutes=10)
START_AGAIN = "This sign-in did not work. Go back to the sign-in page and start again."


class SingleSignOn:
    """The two ends of single sign-on: off to the provider, and back."""

    def __init__(self, app: AppContext, door: Door, sign_in: SignIn, client: OidcClient) -> None:
        self.app = app
        self.door = door
        self.sign_in = sign_in
        self.client = client
        self.attempts = SsoAttempts(app.storage.db)

    def redirect_uri(self) -> str:
        """The address to register with the provider."""
        return f"{(self.app.settings.web_url or '').rstrip('/')}{RETURN_PATH}"

    async def begin(self, request: web.Request) -> web.StreamResponse:
        """Off to the provider, with values only this browser's return can match."""
        state, nonce, verifier = random_value(), random_value(), random_value()
        browser = secrets.token_urlsafe(24)
        try:
            target = await self.client.authorize_url(self.redirect_uri(), state, nonce, verifier)
        except (SignOnRefused, aiohttp.ClientError, TimeoutError, KeyError) as error:
            log_error("console_sso_unreachable", error=type(error).__name__)
            return notice(
                "Single sign-on is not answering",
                "The organisation's sign-in service could not be reached. Try again in a few "
                "minutes, or sign in with a code by e-mail.",
                status=503,
            )
        await self.attempts.begin(state, browser, nonce, verifier, self.app.clock())
        response = see_other(target)
        response.set_cookie(
            SSO_COOKIE,
            browser,
            httponly=True,
            samesite="Lax",
            secure=self.door.secure,
            path="/staff/sign-in/sso",
            max_age=int(LASTS.total_seconds()),
        )
        return response

    async def back(self, request: web.Request) -> web.StreamResponse:
        """The provider's answer: one use, this browser, in time, a token that checks out,
        and a person on the staff list; anything else is refused with a plain page."""
        now = self.app.clock()
        state = request.query.get("state", "")
        browser = request.cookies.get(SSO_COOKIE, "")
        attempt = await self.attempts.take(state, browser, now, LASTS) if state else None
        if attempt is None or "error" in request.query or not request.query.get("code"):
            log_event("console_sso_refused", reason="no_matching_attempt")
            return notice("Please start again", START_AGAIN, status=400)
        try:
            email = await self.client.email_for(request.query["code"], self.redirect_uri(), attempt)
        except (SignOnRefused, aiohttp.ClientError, TimeoutError) as error:
            reason = error.reason if isinstance(error, SignOnRefused) else type(error).__name__
            await self._refused(f"single sign-on answer refused: {reason}")
            return notice("Please start again", START_AGAIN, status=403)
        user_id = await self.door.accounts.staff_with_email(email)
        member = await self.app.storage.staff.get(user_id) if user_id is not None else None
        if member is None:
            domain = email.rpartition("@")[2]
            await self._refused(f"single sign-on: an address at {domain} not on the staff list")
            return notice(
                "You are not on the staff list",
                "Your organisation knows you, but this service has no member of staff with "
                "your work e-mail address. If you should have access, ask an administrator "
                "to add you.",
                status=403,
            )
        shown = await self.sign_in.next_step(member, "by single sign-on", hop=True)
        shown.del_cookie(SSO_COOKIE, path="/staff/sign-in/sso")
        return shown

    async def _refused(self, detail: str) -> None:
        log_event("console_sso_refused", reason=detail.split(":")[0].replace(" ", "_"))
        await self.app.storage.audit.record(
            "console:single-sign-on", "console_sign_in_refused", self.app.clock(), detail=detail
        )
