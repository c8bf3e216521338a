"""Writing a batch of units of work in one transaction, on the database's own thread.

Units are built in memory (statements and their parameters, no I/O). Units that each own
different rows (the steps of different interviews) are written together: the same
statement from every unit goes to SQLite in one `executemany`, so a batch of hundreds of
units costs a few dozen calls instead of a dozen per unit. When that cannot be done safely
(units that may touch the same rows, a unit whose guard finds its input handled before, a
unit whose state changed under it, an error, or units whose statements cannot share one
order), the combined attempt is undone and each unit runs alone in its own savepoint, so
one unit's failure is its own.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from graphlib import CycleError, TopologicalSorter
from typing import Any

_TABLE_NAME = re.compile(r"^[a-z_]+$")


@dataclass(slots=True)
class Statement:
    """One SQL statement and its parameters (a list of rows when `many`). `id_from`: the
    statement inserts one row into this table, whose ids SQLite gives out (the statement
    sets no id), and the caller needs the new row's id.
    `changes_one`: each row of parameters must change exactly one row, else the unit was
    built on a state that is no longer there."""

    sql: str
    params: Sequence[Any] = ()
    many: bool = False
    id_from: str | None = None
    changes_one: bool = False

    def rows(self) -> list[Sequence[Any]]:
        return list(self.params) if self.many else [self.params]


@dataclass(slots=True)
class UnitOfWork:
    """Everything one input writes. `guard`, if given, is an INSERT OR IGNORE that decides
    whether the unit runs at all: when it inserts nothing (an update seen before) the unit
    is skipped and its result is None.

    `owner` (an interview's id) promises that the unit changes only that owner's rows and
    otherwise only adds rows of its own; units with different owners cannot touch the same
    rows, so they may be written together. Units without an owner are written one by one,
    in the order they came."""

    guard: Statement | None = None
    statements: list[Statement] = field(default_factory=list)
    owner: str | None = None

    def add(
        self,
        sql: str,
        params: Sequence[Any] = (),
        *,
        id_from: str | None = None,
        changes_one: bool = False,
    ) -> int:
        """Queue one statement; the returned index finds its new row id in the result
        (kept only when `id_from` names the table it inserts into)."""
        if id_from is not None and not _TABLE_NAME.match(id_from):
            raise ValueError(f"not a table name: {id_from!r}")
        self.statements.append(Statement(sql, tuple(params), False, id_from, changes_one))
        return len(self.statements) - 1

    def add_many(self, sql: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            self.statements.append(Statement(sql, [tuple(row) for row in rows], many=True))


class Stale:
    """The result of a unit refused because a `changes_one` statement changed nothing: the
    row it was built on has been changed by someone else since it was read."""


STALE = Stale()
RowIds = list[int]
UnitResult = RowIds | None | Stale | sqlite3.Error


def run_batch(
    connection: sqlite3.Connection, units: Sequence[UnitOfWork], later: Sequence[Statement]
) -> list[UnitResult]:
    """One transaction for the whole batch: the bookkeeping that rode along, then the
    units, together where that is safe and one by one where not."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        for statement in later:
            _execute(connection, statement)
        results = _run_together(connection, units) if _independent(units) else None
        if results is None:
            results = [_run_alone(connection, unit) for unit in units]
        connection.execute("COMMIT")
    except BaseException:
        if connection.in_transaction:
            connection.execute("ROLLBACK")
        raise
    return results


def _independent(units: Sequence[UnitOfWork]) -> bool:
    """More than one unit, each promising to touch only rows of its own owner."""
    owners = {unit.owner for unit in units}
    return len(units) > 1 and None not in owners and len(owners) == len(units)


def _execute(connection: sqlite3.Connection, statement: Statement) -> int:
    """Run one statement; the number of rows it changed."""
    if statement.many:
        return connection.executemany(statement.sql, statement.params).rowcount
    return connection.execute(statement.sql, statement.params).rowcount


def _run_alone(connection: sqlite3.Connection, unit: UnitOfWork) -> UnitResult:
    connection.execute("SAVEPOINT unit")
    try:
        guard = unit.guard
        if guard is not None and connection.execute(guard.sql, guard.params).rowcount == 0:
            connection.execute("RELEASE unit")
            return None
        row_ids: RowIds = []
        for statement in unit.statements:
            if statement.many:
                changed = connection.executemany(statement.sql, statement.params).rowcount
                row_ids.append(0)
            else:
                cursor = connection.execute(statement.sql, statement.params)
                changed = cursor.rowcount
                row_ids.append(cursor.lastrowid or 0)
            if statement.changes_one and changed != len(statement.rows()):
                connection.execute("ROLLBACK TO unit")
                connection.execute("RELEASE unit")
                return STALE
        connection.execute("RELEASE unit")
        return row_ids
    except sqlite3.Error as error:
        connection.execute("ROLLBACK TO unit")
        connection.execute("RELEASE unit")
        return error


Placed = tuple[int, int, Statement]
"""A statement and where it came from: its unit's index and its index in that unit."""


def shared_order(units: Sequence[UnitOfWork]) -> list[list[Placed]] | None:
    """The units' statements grouped by SQL, the groups in an order that keeps every
    unit's own order; None if there is none (a unit repeats a statement with another in
    between, or two units order the same two statements differently)."""
    groups: dict[str, list[Placed]] = {}
    after: dict[str, set[str]] = {}
    for u, unit in enumerate(units):
        previous: str | None = None
        for s, statement in enumerate(unit.statements):
            sql = statement.sql
            groups.setdefault(sql, []).append((u, s, statement))
            before = after.setdefault(sql, set())
            if previous is not None and previous != sql:
                before.add(previous)
            previous = sql
    try:
        order = TopologicalSorter(after).static_order()
        return [groups[sql] for sql in order]
    except CycleError:
        return None


def _run_together(
    connection: sqlite3.Connection, units: Sequence[UnitOfWork]
) -> list[UnitResult] | None:
    """Every unit written with one call per kind of statement; None, with nothing
    written, when the units must be written one by one instead."""
    groups = shared_order(units)
    if groups is None:
        return None
    connection.execute("SAVEPOINT together")
    try:
        results = _write_groups(connection, units, groups)
    except sqlite3.Error:
        results = None
    if results is None:
        connection.execute("ROLLBACK TO together")
    connection.execute("RELEASE together")
    return results


def _write_groups(
    connection: sqlite3.Connection, units: Sequence[UnitOfWork], groups: list[list[Placed]]
) -> list[UnitResult] | None:
    guards: dict[str, list[Sequence[Any]]] = {}
    for unit in units:
        if unit.guard is not None:
            guards.setdefault(unit.guard.sql, []).append(unit.guard.params)
    for sql, rows in guards.items():
        if connection.executemany(sql, rows).rowcount != len(rows):
            return None
    row_ids: list[RowIds] = [[0] * len(unit.statements) for unit in units]
    for group in groups:
        first = group[0][2]
        rows = [row for _, _, statement in group for row in statement.rows()]
        changed = connection.executemany(first.sql, rows).rowcount
        if first.changes_one and changed != len(rows):
            return None
        if first.id_from is not None:
            new_ids = _newest_ids(connection, first.id_from, len(rows))
            if changed != len(rows) or new_ids is None or len(new_ids) != len(group):
                return None
            for (u, s, _), row_id in zip(group, new_ids, strict=True):
                row_ids[u][s] = row_id
    return list(row_ids)


def _newest_ids(connection: sqlite3.Connection, table: str, count: int) -> list[int] | None:
    """The ids of the `count` rows just inserted into `table`, in the order they were
    inserted: SQLite gives each new row an id above every id in the table (for ever, with
    AUTOINCREMENT), and nothing else writes inside this transaction, so they are the
    `count` ids ending at the last one inserted. None if the table does not hold exactly
    `count` rows in that range, which would mean that did not hold."""
    last, found = connection.execute(
        f"SELECT last_insert_rowid(), (SELECT count(*) FROM {table} "  # noqa: S608 - a checked table name
        "WHERE rowid BETWEEN last_insert_rowid() - ? + 1 AND last_insert_rowid())",
        (count,),
    ).fetchone()
    if found != count:
        return None
    return list(range(last - count + 1, last + 1))
