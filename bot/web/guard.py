"""Slowing down anyone who tries links that do not work, without locking a whole children's
home out: the old guard counted per IP address, and a home's shared Wi-Fi is one address,
so one misbehaving tablet stopped every young person in the house. Now failures count per
link (the same used link tried again and again), per browser (a cookie of its own), and
only then per address, with a ceiling high enough that no house reaches it by accident.

Invitation tokens are 24 random bytes, so guessing one is hopeless anyway; the guard keeps
guessers and broken devices from filling the log and the database's attention."""

from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass
from datetime import datetime, timedelta
from ipaddress import ip_address

from aiohttp import web

BROWSER_COOKIE = "ei_browser"
"""A random name the browser keeps: the key its wrong tries are counted under, and the value
the start form must echo (so another site cannot make a browser start an interview)."""


@dataclass(frozen=True)
class GuardLimits:
    """How many wrong tries each key may make in the window before it is told to wait."""

    per_link: int = 10
    per_browser: int = 10
    per_address: int = 300
    window: timedelta = timedelta(minutes=15)
    remembered: int = 20_000
    """Keys remembered at most, so a flood of made-up links cannot fill the memory."""


class LinkGuard:
    """Counts wrong tries per link, per browser and per address, each in its own window."""

    def __init__(self, limits: GuardLimits | None = None) -> None:
        self.limits = limits or GuardLimits()
        self._failures: dict[str, deque[datetime]] = {}

    def _recent(self, key: str, now: datetime) -> int:
        failures = self._failures.get(key)
        if failures is None:
            return 0
        while failures and failures[0] <= now - self.limits.window:
            failures.popleft()
        if not failures:
            del self._failures[key]
        return len(failures)

    def blocked(self, token: str, browser: str | None, address: str, now: datetime) -> bool:
        """Whether this try is refused without looking the link up. A browser or a link that
        misbehaves is stopped long before its address is."""
        limits = self.limits
        if self._recent(_key("link", token), now) >= limits.per_link:
            return True
        if browser is not None and self._recent(_key("browser", browser), now) >= (
            limits.per_browser
        ):
            return True
        return self._recent(_key("address", address), now) >= limits.per_address

    def failed(self, token: str, browser: str | None, address: str, now: datetime) -> None:
        """A link that did not work: counted against the link, the browser and the address."""
        if len(self._failures) >= self.limits.remembered:
            self._forget_old(now)
        keys = [_key("link", token), _key("address", address)]
        if browser is not None:
            keys.append(_key("browser", browser))
        for key in keys:
            self._failures.setdefault(key, deque()).append(now)

    def _forget_old(self, now: datetime) -> None:
        for key in list(self._failures):
            self._recent(key, now)
        while len(self._failures) > self.limits.remembered - 3:
            del self._failures[next(iter(self._failures))]


def _key(kind: str, value: str) -> str:
    """Kept as a short hash, so the guard's memory holds no token or address."""
    return kind + ":" + hashlib.sha256(value.encode("utf-8", "replace")).hexdigest()[:20]


def client_address(request: web.Request) -> str:
    """Who is knocking: the address the reverse proxy saw (the last X-Forwarded-For entry,
    which it adds itself) or the peer's own."""
    peer = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For", "")
    try:
        local = ip_address(peer).is_loopback
    except ValueError:
        local = False
    if local and forwarded:
        peer = forwarded.split(",")[-1].strip()
    return peer
