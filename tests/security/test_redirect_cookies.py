"""A redirect raised by a handler keeps the cookies it sets: the middleware that puts every
response through one door (bot/web/headers.py) must not drop a sign-in or session cookie."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.web.headers import safe_responses


async def sets_a_cookie_and_redirects(request: web.Request) -> web.Response:
    moved = web.HTTPSeeOther("/next")
    moved.set_cookie("session", "fresh-value", httponly=True, samesite="Strict")
    moved.set_cookie("other", "second-value", httponly=True, samesite="Strict")
    raise moved


async def test_a_raised_redirect_keeps_its_cookies_and_gets_the_headers() -> None:
    app = web.Application(middlewares=[safe_responses("https://www.bbc.co.uk/weather")])
    app.router.add_post("/start", sets_a_cookie_and_redirects)
    async with TestClient(TestServer(app, host="127.0.0.1", port=0)) as client:
        response = await client.post("/start", allow_redirects=False)
        assert response.status == 303
        assert response.headers["Location"] == "/next"
        cookies = response.headers.getall("Set-Cookie")
        assert any(c.startswith("session=fresh-value") for c in cookies)
        assert any(c.startswith("other=second-value") for c in cookies)
        assert "Content-Security-Policy" in response.headers
