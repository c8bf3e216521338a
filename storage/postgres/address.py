"""Which store EXIT_DATABASE names: a PostgreSQL address, or an SQLite file."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

SCHEMES = ("postgresql:", "postgres:")


def postgres_url(where: Path | str) -> str | None:
    """The PostgreSQL address EXIT_DATABASE gives, or None for an SQLite file. Settings
    read it as a path, which folds `//` into `/`; the address is put back together."""
    text = str(where)
    for scheme in SCHEMES:
        if text.startswith(scheme + "//"):
            return "postgresql:" + text[len(scheme) :]
        if text.startswith(scheme):
            rest = text[len(scheme) :].lstrip("/")
            return f"postgresql://{rest}"
    return None


def sqlite_path(where: Path | str) -> Path:
    """The SQLite file EXIT_DATABASE gives, with or without a `sqlite:` prefix."""
    text = str(where)
    if text.startswith("sqlite:"):
        text = text[len("sqlite:") :]
        if text.startswith("//"):
            text = text[2:]
    return Path(text)


LOCAL_FOLDER = Path("data")


def local_anchor(where: Path | str) -> Path:
    """The file this process's own local files sit beside (the safety journal, the running
    lock): the SQLite file itself, or for PostgreSQL a name in data/ after the database, so
    an address never becomes a folder name."""
    url = postgres_url(where)
    if url is None:
        return sqlite_path(where)
    name = urlsplit(url).path.strip("/") or "postgres"
    return LOCAL_FOLDER / f"{name}.postgres"
