"""One lock per key (a chat, an interview), forgotten as soon as nobody holds or awaits it,
so a bot that meets thousands of chats over a year does not keep thousands of locks."""

from __future__ import annotations

import asyncio
from collections.abc import Hashable
from types import TracebackType


class KeyedLocks:
    def __init__(self) -> None:
        self._locks: dict[Hashable, asyncio.Lock] = {}
        self._users: dict[Hashable, int] = {}

    def hold(self, key: Hashable) -> _Held:
        """`async with locks.hold(key)`: run the block with the key's lock held; waiters
        get it in the order they came. (A class, not a generator: every answer passes
        through here, and a generator-based context manager costs several times more.)"""
        return _Held(self, key)

    def _join(self, key: Hashable) -> asyncio.Lock:
        lock = self._locks.get(key)
        if lock is None:
            lock = self._locks[key] = asyncio.Lock()
        self._users[key] = self._users.get(key, 0) + 1
        return lock

    def _leave(self, key: Hashable) -> None:
        self._users[key] -= 1
        if self._users[key] == 0:
            del self._users[key]
            del self._locks[key]

    def __len__(self) -> int:
        return len(self._locks)


class _Held:
    __slots__ = ("_key", "_lock", "_locks")

    def __init__(self, locks: KeyedLocks, key: Hashable) -> None:
        self._locks = locks
        self._key = key
        self._lock: asyncio.Lock | None = None

    async def __aenter__(self) -> None:
        lock = self._locks._join(self._key)
        try:
            await lock.acquire()
        except BaseException:
            self._locks._leave(self._key)
            raise
        self._lock = lock

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        assert self._lock is not None
        self._lock.release()
        self._locks._leave(self._key)
