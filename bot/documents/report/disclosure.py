"""Keeping small numbers safe in a published table: primary and secondary suppression.

A count from 1 to 4 could point at one young person, so it is hidden (primary). Hiding it
is not enough when the numbers beside it give it away: a row total minus the cells shown,
an overall column minus the homes shown, or a set of hidden cells that must all be zero.
So more cells are hidden (secondary) until no hidden cell can be worked out from what is
published. Every hidden cell is shown the same way, so a reader cannot tell which were
small.

"Worked out" is checked exactly, by linear algebra: the published table is a set of sums
(a total equals its parts); a hidden cell is known when it follows from those sums alone,
or when the hidden cells of one sum must all be zero.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

SMALLEST_SHOWN = 5
"""Counts from 1 to SMALLEST_SHOWN - 1 are never published."""


@dataclass(frozen=True)
class Sum:
    """One published relation: `total` is the sum of `parts`."""

    total: Hashable
    parts: tuple[Hashable, ...]


def primary(values: Mapping[Hashable, int]) -> set[Hashable]:
    """The cells too small to publish."""
    return {key for key, value in values.items() if 0 < value < SMALLEST_SHOWN}


def worked_out(
    values: Mapping[Hashable, int], sums: Sequence[Sum], hidden: set[Hashable]
) -> set[Hashable]:
    """The hidden cells a reader could work out from the shown cells and the sums."""
    unknowns = sorted(hidden, key=repr)
    index = {key: i for i, key in enumerate(unknowns)}
    rows: list[list[Fraction]] = []
    known: set[Hashable] = set()
    for relation in sums:
        members = [(relation.total, 1), *((part, -1) for part in relation.parts)]
        row = [Fraction(0)] * (len(unknowns) + 1)
        for key, sign in members:
            if key in index:
                row[index[key]] += sign
            else:
                row[-1] -= sign * values[key]
        if any(row[:-1]):
            rows.append(row)
        hidden_parts = [p for p in relation.parts if p in hidden]
        if hidden_parts and relation.total not in hidden and row[-1] == 0:
            known.update(hidden_parts)  # hidden parts that must add up to nothing are all 0
    return known | _pinned(rows, unknowns)


def _pinned(rows: list[list[Fraction]], unknowns: list[Hashable]) -> set[Hashable]:
    """Unknowns whose value the equations fix: those whose reduced row is that unknown alone."""
    width = len(unknowns)
    pivot_row = 0
    pivots: list[int] = []
    for column in range(width):
        found = next((r for r in range(pivot_row, len(rows)) if rows[r][column] != 0), None)
        if found is None:
            continue
        rows[pivot_row], rows[found] = rows[found], rows[pivot_row]
        lead = rows[pivot_row][column]
        rows[pivot_row] = [x / lead for x in rows[pivot_row]]
        for r in range(len(rows)):
            if r != pivot_row and rows[r][column] != 0:
                factor = rows[r][column]
                rows[r] = [a - factor * b for a, b in zip(rows[r], rows[pivot_row], strict=True)]
        pivots.append(column)
        pivot_row += 1
        if pivot_row == len(rows):
            break
    pinned = set()
    for r, column in enumerate(pivots):
        if all(rows[r][c] == 0 for c in range(width) if c != column):
            pinned.add(unknowns[column])
    return pinned


def protect(
    values: Mapping[Hashable, int], sums: Sequence[Sum], forced: Iterable[Hashable] = ()
) -> set[Hashable]:
    """The cells to hide: every small count and every cell `forced` hidden, and as few
    others as it takes (smallest first) so that none of them can be worked out."""
    hidden = primary(values) | set(forced)
    while True:
        exposed = worked_out(values, sums, hidden)
        if not exposed:
            return hidden
        target = min(exposed, key=repr)
        extra = _cover(values, sums, hidden, target)
        if extra is None:
            # Nothing left to hide beside it: hide every cell that touches it.
            for relation in sums:
                if target in (relation.total, *relation.parts):
                    hidden.update((relation.total, *relation.parts))
            if not worked_out(values, sums, hidden) & {target}:
                continue
            return set(values)
        hidden.add(extra)


def _cover(
    values: Mapping[Hashable, int],
    sums: Sequence[Sum],
    hidden: set[Hashable],
    target: Hashable,
) -> Hashable | None:
    """The shown cell to hide next to protect `target`: a part of a sum it is in, smallest
    count first (a non-zero one before a zero, so hidden cells cannot all be zero)."""
    candidates: list[Hashable] = []
    for relation in sorted(sums, key=lambda s: sum(p in hidden for p in s.parts)):
        if target in relation.parts or target == relation.total:
            candidates.extend(p for p in relation.parts if p not in hidden and p != target)
    if not candidates:
        return None
    return min(candidates, key=lambda k: (values[k] == 0, values[k], repr(k)))


def grid_sums(
    rows: Iterable[Hashable],
    columns: Sequence[Hashable],
    overall: Hashable,
    total_column: Hashable | None,
) -> list[Sum]:
    """The sums of a table of counts by group (rows, `overall` among them) and answer
    (columns): each answer's overall count is the sum over the groups, and, when the
    answers of a row add up to its total, that total is the sum of the row."""
    groups = [r for r in rows if r != overall]
    sums = [Sum((overall, c), tuple((g, c) for g in groups)) for c in columns]
    if total_column is not None:
        sums.append(Sum((overall, total_column), tuple((g, total_column) for g in groups)))
        for row in [overall, *groups]:
            sums.append(Sum((row, total_column), tuple((row, c) for c in columns)))
    return sums
