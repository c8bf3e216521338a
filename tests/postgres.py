"""The PostgreSQL server the storage contract tests use, and a fresh database per test.

Which server: EXIT_TEST_POSTGRES_URL if set; else one on 127.0.0.1:5432 (user postgres)
if it answers; else a throwaway server this test process starts itself from Debian's
postgresql binaries (initdb and pg_ctl, in a temporary folder, on a free port). If none
of those can be had the PostgreSQL tests fail saying why: they are never skipped quietly.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from storage.postgres.migrate import migrate

LOCAL_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
ENV_URL = "EXIT_TEST_POSTGRES_URL"
_SERVER_URL: str | None = None
_FROM_ENV = os.environ.get(ENV_URL) or None
"""Read once at import: the tests' own fixtures clear every EXIT_ variable for each test."""


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=2, autocommit=True) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def choice() -> str:
    """Which server this run will use, said before any test starts (a pytest header)."""
    if _FROM_ENV:
        return f"postgres: {ENV_URL} ({_redacted(_FROM_ENV)})"
    if _answers(LOCAL_URL):
        return "postgres: the server answering on 127.0.0.1:5432 (user postgres)"
    binaries = _binaries()
    if binaries is None:
        return (
            "postgres: NONE - no server on 127.0.0.1:5432, no EXIT_TEST_POSTGRES_URL and no "
            "initdb; the PostgreSQL tests will fail (install Debian's postgresql package)"
        )
    return f"postgres: a throwaway server started from {binaries}"


def _redacted(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def _binaries() -> Path | None:
    """The folder holding Debian's initdb and pg_ctl, newest version first."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
    return versions[0].parent if versions else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start_throwaway() -> str:
    binaries = _binaries()
    if binaries is None:
        raise RuntimeError(
            "The PostgreSQL tests need a server: set EXIT_TEST_POSTGRES_URL, run one on "
            "127.0.0.1:5432 (user postgres, trust), or install Debian's postgresql package "
            "(make test does that where it may use apt-get)."
        )
    folder = Path(tempfile.mkdtemp(prefix="exit-interviews-pg-"))
    data = folder / "data"
    # PostgreSQL refuses to run as root; Debian's package made a `postgres` user for it.
    user = "postgres" if os.geteuid() == 0 else None
    if user is not None:
        shutil.chown(folder, user)

    def run(*arguments: object) -> None:
        done = subprocess.run(
            [str(argument) for argument in arguments], user=user, capture_output=True, text=True
        )
        if done.returncode != 0:
            shutil.rmtree(folder, ignore_errors=True)
            raise RuntimeError(
                f"Starting a throwaway PostgreSQL server failed: {done.stderr.strip()}"
            )

    run(binaries / "initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
    port = _free_port()
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 -c fsync=off"
    run(binaries / "pg_ctl", "-D", data, "-o", options, "-l", folder / "log", "-w", "start")

    def stop() -> None:
        subprocess.run(
            [str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            user=user,
            capture_output=True,
        )
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql://postgres@127.0.0.1:{port}/postgres"


def server_url() -> str:
    """The maintenance address of the server, starting one the first time if needed."""
    global _SERVER_URL
    if _SERVER_URL is None:
        if _FROM_ENV:
            _SERVER_URL = _FROM_ENV
        elif _answers(LOCAL_URL):
            _SERVER_URL = LOCAL_URL
        else:
            _SERVER_URL = _start_throwaway()
    return _SERVER_URL


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


_TEMPLATE: str | None = None


async def _migrated_template(admin: str) -> str:
    """A database this process migrates once and copies for each test (a copy is much
    faster than migrating); dropped when the process ends. Holds no data key check."""
    global _TEMPLATE
    if _TEMPLATE is None:
        name = "exit_template_" + uuid.uuid4().hex[:16]
        async with await psycopg.AsyncConnection.connect(admin, autocommit=True) as connection:
            await connection.execute(f"CREATE DATABASE {name}".encode())
        async with await psycopg.AsyncConnection.connect(
            _with_database(admin, name), autocommit=True
        ) as connection:
            await migrate(connection)  # type: ignore[arg-type]

        def drop() -> None:
            with psycopg.connect(admin, autocommit=True) as connection:
                connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)".encode())

        atexit.register(drop)
        _TEMPLATE = name
    return _TEMPLATE


@asynccontextmanager
async def fresh_database(migrated: bool = True) -> AsyncIterator[str]:
    """A new database with a random name (safe beside parallel test workers), dropped
    afterwards; its address. `migrated`: already at the latest schema (a copy of a
    template), else empty."""
    admin = server_url()
    name = "exit_test_" + uuid.uuid4().hex[:16]
    template = f" TEMPLATE {await _migrated_template(admin)}" if migrated else ""
    async with await psycopg.AsyncConnection.connect(admin, autocommit=True) as connection:
        await connection.execute(f"CREATE DATABASE {name}{template}".encode())
    try:
        yield _with_database(admin, name)
    finally:
        async with await psycopg.AsyncConnection.connect(admin, autocommit=True) as connection:
            await connection.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)".encode())
