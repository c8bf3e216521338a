"""SQLite's SQL, as the storage modules write it, said in PostgreSQL's words.

The storage modules keep one set of queries. The few places where SQLite's dialect differs
from PostgreSQL's are rewritten here, once per distinct query (the result is cached), so a
module written for SQLite runs on PostgreSQL unchanged. What cannot be rewritten safely
raises UnsupportedStatement, which a test run on PostgreSQL turns into a failing test.
"""

from __future__ import annotations

import re
from functools import lru_cache

IDENTITY_TABLES = frozenset(
    {
        "answers",
        "audit",
        "concern_alerts",
        "concerns",
        "console_codes",
        "console_concern_notes",
        "console_recovery_codes",
        "copies",
        "events",
        "outbox",
        "recommendation_responses",
        "recommendations",
        "tasks",
        "thank_yous",
        "transcript",
    }
)
"""Tables whose `id` the database gives out: an INSERT into one returns the new id, which
the modules read as SQLite's `lastrowid`."""

_STRING_OR_PLACEHOLDER = re.compile(r"'(?:[^']|'')*'|\?|%|(?<![:\w]):[a-z_]+\b")
_INSERT_OR = re.compile(r"^\s*INSERT\s+OR\s+(IGNORE|REPLACE)\s+INTO\b", re.IGNORECASE)
_INSERT_INTO = re.compile(r"^\s*INSERT\s+INTO\s+([a-z_]+)", re.IGNORECASE)
_GROUP_CONCAT = re.compile(r"\bgroup_concat\(([^()]*)\)", re.IGNORECASE)
_AS_INTEGER = re.compile(r"\bAS\s+INTEGER\)", re.IGNORECASE)
_RETURNING = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_ON_CONFLICT = re.compile(r"\bON\s+CONFLICT\b", re.IGNORECASE)
_NULL_TEST = re.compile(r"\?(\s+IS\s+(?:NOT\s+)?NULL)\b", re.IGNORECASE)
_WHEN_PARAMETER = re.compile(r"\bWHEN\s+\?", re.IGNORECASE)
_PRAGMA = re.compile(r"^\s*PRAGMA\b", re.IGNORECASE)


class UnsupportedStatement(ValueError):
    """A statement this layer cannot say in PostgreSQL's words."""

    def __init__(self, reason: str) -> None:
        super().__init__(
            f"This SQL cannot run on PostgreSQL ({reason}). Write it in the dialect both "
            "stores share, or teach storage/postgres/dialect.py the difference."
        )


def is_pragma(sql: str) -> bool:
    """SQLite's PRAGMAs tune SQLite alone; on PostgreSQL they are nothing to do."""
    return bool(_PRAGMA.match(sql))


def _placeholders(sql: str) -> str:
    """`?` becomes psycopg's `%s` (`:name` its `%(name)s`), and a literal `%` outside strings or inside them is
    doubled, because psycopg reads every `%` in a query that has parameters."""

    def swap(match: re.Match[str]) -> str:
        found = match.group(0)
        if found == "?":
            return "%s"
        if found.startswith(":"):
            return f"%({found[1:]})s"
        return found.replace("%", "%%")

    return _STRING_OR_PLACEHOLDER.sub(swap, sql)


@lru_cache(maxsize=2048)
def translate(sql: str, *, want_id: bool) -> str:
    """The PostgreSQL form of one SQLite statement. `want_id`: the caller may read the new
    row's id, so an INSERT into a table with a given-out id returns it."""
    text = sql.strip().rstrip(";")
    ignore = False
    match = _INSERT_OR.match(text)
    if match:
        if match.group(1).upper() == "REPLACE":
            raise UnsupportedStatement("INSERT OR REPLACE needs a named conflict target")
        if _ON_CONFLICT.search(text):
            raise UnsupportedStatement("INSERT OR IGNORE with its own ON CONFLICT")
        text = "INSERT INTO" + text[match.end() :]
        ignore = True
    text = _GROUP_CONCAT.sub(r"string_agg(CAST(\1 AS TEXT), ',')", text)
    text = _AS_INTEGER.sub("AS BIGINT)", text)
    text = _NULL_TEST.sub(r"CAST(? AS TEXT)\1", text)
    text = _WHEN_PARAMETER.sub("WHEN CAST(? AS INTEGER) <> 0", text)
    returning = ""
    if want_id and not _RETURNING.search(text):
        table = _INSERT_INTO.match(text)
        if table and table.group(1).lower() in IDENTITY_TABLES:
            returning = " RETURNING id"
    if ignore:
        if _RETURNING.search(text):
            before, after = _RETURNING.split(text, maxsplit=1)
            text = f"{before}ON CONFLICT DO NOTHING RETURNING{after}"
        else:
            text += " ON CONFLICT DO NOTHING"
    return _placeholders(text + returning)
