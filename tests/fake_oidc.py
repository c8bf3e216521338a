"""A fake OpenID Connect provider on 127.0.0.1 (a small aiohttp app): discovery, an
authorisation page that signs in whoever the test says, a token endpoint that checks the
client, the PKCE verifier and that each code is used once, and ID tokens signed with an
RSA key made for the test. `mode` makes it misbehave: a wrong issuer, a wrong audience,
an expired token, or a signature from a key it never published."""

from __future__ import annotations

import secrets
from typing import Any, Literal
from urllib.parse import urlencode

from aiohttp import web
from authlib.oauth2.rfc7636 import create_s256_code_challenge  # type: ignore[import-untyped]
from joserfc import jwt
from joserfc.jwk import RSAKey

from tests.conftest import FakeClock

CLIENT_ID = "staff-console-test"
CLIENT_SECRET = "not-a-real-client-secret"
Mode = Literal["good", "wrong_issuer", "wrong_audience", "expired", "foreign_key"]


class FakeProvider:
    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.key = RSAKey.generate_key(2048, auto_kid=True)
        self.foreign = RSAKey.generate_key(2048, auto_kid=True)
        self.email = "oak.reviewer@example.org"
        self.mode: Mode = "good"
        self.codes: dict[str, dict[str, str]] = {}
        self.pkce_checked = 0
        self.issuer = ""
        self._runner: web.AppRunner | None = None

    async def start(self) -> FakeProvider:
        app = web.Application()
        app.add_routes(
            [
                web.get("/.well-known/openid-configuration", self.discovery),
                web.get("/authorize", self.authorize),
                web.post("/token", self.token),
                web.get("/jwks", self.jwks),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.issuer = f"http://127.0.0.1:{port}"
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def discovery(self, request: web.Request) -> web.Response:
        return web.json_response(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "jwks_uri": f"{self.issuer}/jwks",
                "code_challenge_methods_supported": ["S256"],
            }
        )

    async def authorize(self, request: web.Request) -> web.StreamResponse:
        """The person is signed in at the provider already: send them straight back."""
        q = request.query
        assert q["response_type"] == "code" and q["client_id"] == CLIENT_ID
        assert q["code_challenge_method"] == "S256" and q["nonce"] and q["state"]
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "challenge": q["code_challenge"],
            "nonce": q["nonce"],
            "redirect_uri": q["redirect_uri"],
            "email": self.email,
        }
        raise web.HTTPFound(f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}")

    async def token(self, request: web.Request) -> web.Response:
        form = await request.post()
        if form.get("client_id") != CLIENT_ID or form.get("client_secret") != CLIENT_SECRET:
            return web.json_response({"error": "invalid_client"}, status=401)
        grant = self.codes.pop(str(form.get("code", "")), None)
        if grant is None or grant["redirect_uri"] != form.get("redirect_uri"):
            return web.json_response({"error": "invalid_grant"}, status=400)
        if create_s256_code_challenge(str(form.get("code_verifier", ""))) != grant["challenge"]:
            return web.json_response({"error": "invalid_grant"}, status=400)
        self.pkce_checked += 1
        now = int(self.clock().timestamp())
        claims: dict[str, Any] = {
            "iss": "https://elsewhere.example.org" if self.mode == "wrong_issuer" else self.issuer,
            "aud": "another-app" if self.mode == "wrong_audience" else CLIENT_ID,
            "sub": "subject-" + grant["email"].partition("@")[0],
            "email": grant["email"],
            "email_verified": True,
            "nonce": grant["nonce"],
            "iat": now - (7200 if self.mode == "expired" else 0),
            "exp": now - 3600 if self.mode == "expired" else now + 600,
        }
        key = self.foreign if self.mode == "foreign_key" else self.key
        header = {"alg": "RS256", "kid": key.kid}
        id_token = jwt.encode(header, claims, key)
        return web.json_response(
            {"access_token": "x", "token_type": "Bearer", "id_token": id_token}
        )

    async def jwks(self, request: web.Request) -> web.Response:
        return web.json_response({"keys": [self.key.as_dict(private=False)]})
