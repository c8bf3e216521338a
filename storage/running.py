"""A lock the running bot holds on its database, so that a key rotation (which re-seals
every value under a new key) cannot happen under it: a bot still holding the old key
would fail every input until restarted."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path
from types import TracebackType

from storage.errors import StorageError
from storage.postgres.address import local_anchor


class DatabaseInUse(StorageError):
    """Another process holds the database for the running bot."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            f"The bot is running on {path}. Stop it first (for example 'systemctl stop "
            "exit-interviews'), then run this again."
        )


def lock_path(database: Path) -> Path:
    """The lock file beside a database."""
    anchor = local_anchor(database)
    return anchor.with_name(anchor.name + ".running")


class RunningLock:
    """Held for as long as the bot (or a key rotation) runs; released by the kernel if the
    process dies, so a crash never leaves it stuck."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self._descriptor: int | None = None

    def acquire(self) -> RunningLock:
        """Take the lock now, or raise DatabaseInUse."""
        path = lock_path(self.database)
        path.parent.mkdir(parents=True, exist_ok=True)
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise DatabaseInUse(self.database) from None
        self._descriptor = descriptor
        return self

    def release(self) -> None:
        if self._descriptor is not None:
            fcntl.flock(self._descriptor, fcntl.LOCK_UN)
            os.close(self._descriptor)
            self._descriptor = None

    def __enter__(self) -> RunningLock:
        return self.acquire()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.release()
