"""The ids of one kind that start with what a person typed: the one query behind typing an
id as its shortest unique prefix."""

from __future__ import annotations

from typing import Literal

from storage.database import Database

IdKind = Literal["interview", "task", "recommendation"]

_WHERE: dict[IdKind, tuple[str, str]] = {
    "interview": ("interviews", "id"),
    "task": ("tasks", "ref"),
    "recommendation": ("recommendations", "ref"),
}


def _escaped(prefix: str) -> str:
    """`prefix` for LIKE, with its wildcards taken literally."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def ids_starting(db: Database, kind: IdKind, prefix: str, limit: int = 10) -> list[str]:
    """Up to `limit` ids of this kind that begin with `prefix`, in order: enough to know
    whether a prefix names exactly one, and to show a few when it names several."""
    table, column = _WHERE[kind]
    rows = await db.fetch_all(
        f"SELECT {column} FROM {table} WHERE {column} LIKE ? ESCAPE '\\' "  # noqa: S608 - names are this module's own
        f"ORDER BY {column} LIMIT ?",
        (_escaped(prefix) + "%", limit),
    )
    return [str(row[0]) for row in rows]


async def all_ids(db: Database, kind: IdKind) -> list[str]:
    """Every id of this kind, to work out the shortest prefix that names each one."""
    table, column = _WHERE[kind]
    rows = await db.fetch_all(f"SELECT {column} FROM {table}")  # noqa: S608 - names are this module's own
    return [str(row[0]) for row in rows]
