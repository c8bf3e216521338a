"""Typing an id as its shortest unique prefix ('iv-3f' for 'iv-3f9a0c21b7'), and showing
each id in a list by that prefix: one place for the command line and the staff chat."""

from __future__ import annotations

from collections.abc import Iterable

from storage import StorageError
from storage.database import Database
from storage.prefixes import IdKind, all_ids, ids_starting

MARKS: dict[IdKind, str] = {"interview": "iv-", "task": "t-", "recommendation": "r-"}
LISTS: dict[IdKind, str] = {
    "interview": "exit-interviews interviews list",
    "task": "exit-interviews tasks list",
    "recommendation": "exit-interviews followup list",
}
SHOWN_WHEN_AMBIGUOUS = 5


class UnknownId(StorageError):
    """A typed id or prefix that names no record, or more than one."""


def shortest_prefixes(ids: Iterable[str]) -> dict[str, str]:
    """For each id, the shortest start of it that no other id shares (at least one
    character past its mark, such as 'iv-'), so a list can show what is enough to type."""
    ordered = sorted(set(ids))
    shortest: dict[str, str] = {}
    for index, current in enumerate(ordered):
        mark = current.find("-") + 1
        shared = 0
        for neighbour in ordered[max(index - 1, 0) : index + 2]:
            if neighbour != current:
                shared = max(shared, _common_length(current, neighbour))
        shortest[current] = current[: max(shared + 1, mark + 1)]
    return shortest


def _common_length(first: str, second: str) -> int:
    length = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        length += 1
    return length


async def resolve(db: Database, kind: IdKind, typed: str) -> str:
    """The one full id that `typed` names: the id itself, or a prefix of it (with or without
    its mark). Raises UnknownId, saying what to do, when it names none or several."""
    wanted = typed.strip().lower()
    mark = MARKS[kind]
    if not wanted.startswith(mark):
        wanted = mark + wanted
    if len(wanted) <= len(mark):
        raise UnknownId(f"Give at least the start of the {kind}'s id, like {mark}3f.")
    found = await ids_starting(db, kind, wanted, limit=SHOWN_WHEN_AMBIGUOUS + 1)
    if wanted in found:
        return wanted
    if len(found) == 1:
        return found[0]
    if not found:
        raise UnknownId(f"No {kind} {typed.strip()}. See '{LISTS[kind]}'.")
    shown = ", ".join(found[:SHOWN_WHEN_AMBIGUOUS])
    more = " and more" if len(found) > SHOWN_WHEN_AMBIGUOUS else ""
    raise UnknownId(
        f"{typed.strip()} is the start of more than one {kind} id ({shown}{more}). Type more of it."
    )


async def prefixes_of(db: Database, kind: IdKind) -> dict[str, str]:
    """The shortest unique prefix of every id of this kind, for lists to show."""
    return shortest_prefixes(await all_ids(db, kind))


async def full_id(db: Database, kind: IdKind, typed: str) -> str:
    """The full id when `typed` names exactly one, else `typed` as it was, for a caller
    that already answers an unknown id in its own words (the staff chat)."""
    try:
        return await resolve(db, kind, typed)
    except UnknownId:
        return typed


def shown(full: str, short: dict[str, str]) -> str:
    """An id as a list shows it: the full id, and the prefix enough to type if shorter."""
    prefix = short.get(full, full)
    return full if prefix == full else f"{full} ({prefix})"
