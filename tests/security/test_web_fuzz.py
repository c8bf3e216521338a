"""Fuzzing the web server with Hypothesis: random methods, paths, headers, cookies and
bodies (forms, broken multipart, made-up links, huge Content-Length claims), sent as raw
bytes so nothing is tidied up on the way. Whatever arrives, the answer is never a 5xx or a
traceback, always carries the security headers, and another person's interview (a
bystander with a live session of their own) is left exactly as it was. Bounded to a few
seconds so it runs in make test; FUZZ_EXAMPLES=2000 fuzzes for longer."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from yarl import URL

from bot.web.limits import WebLimits
from tests.e2e.conftest import RunningBot, api, web_bot
from tests.e2e.test_web_chat import Browser, base
from tests.security.web_helpers import http, raw_request, web_server

__all__ = ["api", "web_bot"]

BYSTANDER_WORDS = "Quokka-canary I was kept in my room"


@dataclass
class Target:
    host: str
    port: int
    own_cookie: str
    own_csrf: str
    bystander_id: str
    bystander_cookie: str


async def bystander_state(bot: RunningBot, target: Target) -> tuple[object, ...]:
    """What the bystander's interview and session look like."""
    storage = bot.app.storage
    record = await storage.transcripts.load(target.bystander_id)
    summary = await storage.interviews.get(target.bystander_id)
    session = await storage.web_sessions.get(target.bystander_cookie)
    assert session is not None
    return (
        record.answers,
        summary.status,
        summary.chat_id,
        session.ended_at,
        session.hidden,
        session.interview_id,
    )


def cookie_of(browser: Browser) -> str:
    return browser.session.cookie_jar.filter_cookies(URL(browser.base))["ei_session"].value


@pytest.fixture
async def target(web_bot: RunningBot) -> AsyncIterator[Target]:
    """A bystander part way through an interview, the fuzzer's own session, and a server
    with short body and header time limits (so a false Content-Length costs little)."""
    bystander, own = Browser(base(web_bot)), Browser(base(web_bot))
    try:
        bystander_id, token = await web_bot.invite(name="Bystander")
        await bystander.start(token)
        await bystander.tap("Yes, let's start")
        await bystander.tap("No")
        await bystander.type(BYSTANDER_WORDS)
        _, own_token = await web_bot.invite(name="Fuzzer")
        await own.start(own_token)
        limits = WebLimits(header_seconds=1.0, body_seconds=0.2, lingering_seconds=0.1)
        async with web_server(web_bot.app, limits) as (host, port):
            yield Target(host, port, cookie_of(own), own.csrf(), bystander_id, cookie_of(bystander))
    finally:
        await bystander.close()
        await own.close()


HEADER_NAMES = [
    "Accept",
    "Accept-Language",
    "Accept-Encoding",
    "Content-Encoding",
    "Transfer-Encoding",
    "Expect",
    "Origin",
    "Range",
    "Upgrade",
    "X-Forwarded-For",
]
header_text = st.text(
    st.characters(min_codepoint=32, max_codepoint=126, blacklist_characters=":"), max_size=40
)
value_text = st.text(st.characters(min_codepoint=32, max_codepoint=255), max_size=80)
paths = st.one_of(
    st.sampled_from(["/answer", "/voice", "/leave", "/show", "/chat"]),
    st.sampled_from(
        [
            "/",
            "/chat",
            "/answer",
            "/voice",
            "/leave",
            "/left",
            "/show",
            "/static/chat.css",
            "/static/../server.py",
            "/static/%2e%2e/server.py",
            "/i/",
            "/i/%00",
            "//chat",
            "/chat?x=1",
        ]
    ),
    st.text(max_size=200).map(lambda token: "/i/" + quote(token, safe="")),
    st.text(max_size=60).map(lambda path: "/" + quote(path, safe="/?=&%")),
)
fields = st.dictionaries(
    st.sampled_from(["csrf", "value", "text", "prompt", "start", "audio", "x"]),
    st.one_of(value_text, st.sampled_from(["yes", "no", "_help", "/stop", "1", "²", "-1"])),
    max_size=5,
)


@st.composite
def bodies(draw: st.DrawFn) -> tuple[str | None, bytes]:
    """A content type and a body: a form, a multipart body (well made or not), or bytes."""
    kind = draw(st.sampled_from(["form", "multipart", "broken-multipart", "bytes", "none"]))
    form = draw(fields)
    if kind == "form":
        return "application/x-www-form-urlencoded", urlencode(form).encode()
    if kind == "multipart":
        parts = [
            f'--b0\r\nContent-Disposition: form-data; name="{name}"'
            + ('; filename="r"\r\nContent-Type: audio/wav' if name == "audio" else "")
            + f"\r\n\r\n{value}\r\n"
            for name, value in form.items()
        ]
        return "multipart/form-data; boundary=b0", ("".join(parts) + "--b0--\r\n").encode()
    if kind == "broken-multipart":
        boundary = draw(st.sampled_from(["; boundary=b0", "", "; boundary=", '; boundary="']))
        return "multipart/form-data" + boundary, draw(st.binary(max_size=300))
    if kind == "bytes":
        return draw(st.one_of(st.none(), header_text)), draw(st.binary(max_size=2000))
    return None, b""


@st.composite
def requests(draw: st.DrawFn, own_cookie: str, own_csrf: str) -> bytes:
    """One request, byte for byte."""
    method = draw(st.sampled_from(["GET", "POST", "HEAD", "PUT", "DELETE", "OPTIONS", "BREW"]))
    content_type, body = draw(bodies())
    names = st.one_of(st.sampled_from(HEADER_NAMES), header_text.filter(bool))
    headers = draw(st.dictionaries(names, header_text, max_size=3))
    headers.pop("Connection", None)
    if content_type is not None:
        headers["Content-Type"] = content_type
    cookie = draw(
        st.one_of(
            st.none(),
            st.just(own_cookie),
            header_text,
            st.just(own_cookie + "x"),
        )
    )
    if cookie is not None:
        extra = draw(st.sampled_from(["", "; ei_browser=abc", "; ei_session=other"]))
        headers["Cookie"] = f"ei_session={cookie}{extra}"
    if draw(st.booleans()) and b"csrf=" in body:
        body = body.replace(b"csrf=", b"csrf=" + own_csrf.encode() + b"&old=", 1)
    length = draw(
        st.one_of(
            st.just(str(len(body))),
            st.sampled_from(["10000000000", "99999999999999999999999", "-1", "abc", "65537"]),
            st.integers(0, 70_000).map(str),
        )
    )
    headers["Content-Length"] = length
    return http(method, draw(paths), headers, body)


@settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "60")),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_no_request_gives_a_5xx_or_changes_another_interview(
    web_bot: RunningBot, target: Target, data: st.DataObject
) -> None:
    before = await bystander_state(web_bot, target)
    request = data.draw(requests(target.own_cookie, target.own_csrf))
    response = await raw_request(target.host, target.port, request, seconds=5, half_close=False)
    assert response.status < 500, (response.status, request[:300])
    assert "Traceback" not in response.text
    if response.status:
        assert response.header("Content-Security-Policy"), request[:300]
        assert response.header("X-Content-Type-Options") == "nosniff"
    assert await bystander_state(web_bot, target) == before, "another interview changed"
    assert BYSTANDER_WORDS.encode() not in response.body
