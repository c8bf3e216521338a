"""Tasks: every follow-up a person owes after an interview, with an owner and a due time.

A task is owned by one registered member of staff, or by a role at a home or service (its
reviewers, its interviewers); when nobody holds that role there, by the admins. Reminders
go to the owners and escalation to the admins; the shell decides when (bot/core/tasks.py).
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

import aiosqlite

from storage.audit import write_audit
from storage.database import Database, iso, parse_time
from storage.errors import NotFound
from storage.records import Actor, Role, StaffMember
from storage.staff import StaffDirectory

TaskKind = Literal[
    "read",
    "call_back",
    "agree_readers",
    "respond",
    "send_by_hand",
    "thanks_undelivered",
    "listen",
    "read_today",
    "read_free_text",
]
TASK_KINDS: tuple[TaskKind, ...] = (
    "read",
    "read_today",
    "read_free_text",
    "call_back",
    "agree_readers",
    "respond",
    "send_by_hand",
    "thanks_undelivered",
    "listen",
)

_COLUMNS = (
    "id, ref, kind, interview_id, recommendation_id, service, owner_user_id, owner_role, "
    "detail, due_at, created_at, announced_at, last_reminded_at, escalated_at, closed_at, "
    "closed_by, close_note"
)


def new_task_ref() -> str:
    """A task's reference: t- and 32 random bits in hex, so tasks cannot be counted."""
    return f"t-{secrets.token_hex(4)}"


@dataclass(frozen=True)
class Task:
    """One thing a person must do, by when, and whether it is done."""

    id: int
    ref: str
    kind: TaskKind
    interview_id: str | None
    recommendation_id: int | None
    service: str | None
    owner_user_id: int | None
    owner_role: Role | None
    detail: dict[str, str]
    due_at: datetime
    created_at: datetime
    announced_at: datetime | None
    last_reminded_at: datetime | None
    escalated_at: datetime | None
    closed_at: datetime | None
    closed_by: str | None
    close_note: str | None

    @property
    def open(self) -> bool:
        return self.closed_at is None

    def overdue(self, now: datetime) -> bool:
        """Still open after its due time."""
        return self.open and self.due_at < now


@dataclass(frozen=True)
class NewTask:
    """What a task is about and whose it is, before it is stored."""

    kind: TaskKind
    due_at: datetime
    interview_id: str | None = None
    service: str | None = None
    owner_user_id: int | None = None
    owner_role: Role | None = None
    recommendation_id: int | None = None
    detail: dict[str, str] | None = None


async def insert_task(
    connection: aiosqlite.Connection, db: Database, task: NewTask, at: datetime, actor: str
) -> str | None:
    """Add a task inside the caller's transaction; its reference, or None if the interview
    already has one of that kind that may only exist once (a read task, say)."""
    ref = new_task_ref()
    cursor = await connection.execute(
        "INSERT OR IGNORE INTO tasks (ref, kind, interview_id, recommendation_id, service, "
        "owner_user_id, owner_role, detail, due_at, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            ref,
            task.kind,
            task.interview_id,
            task.recommendation_id,
            task.service,
            task.owner_user_id,
            task.owner_role,
            db.seal(json.dumps(task.detail or {}, ensure_ascii=False)),
            iso(task.due_at),
            iso(at),
        ),
    )
    if cursor.rowcount != 1:
        return None
    await write_audit(
        connection, actor, "task_created", at, task.interview_id, f"{ref} {task.kind}"
    )
    return ref


class Tasks:
    """Creating, listing and closing tasks, and claiming the right to announce or remind."""

    def __init__(self, db: Database, staff: StaffDirectory) -> None:
        self.db = db
        self.staff = staff

    async def create(self, task: NewTask, at: datetime, actor: Actor | str) -> str | None:
        """Store a task; its reference, or None if it existed already."""
        label = actor.label if isinstance(actor, Actor) else actor
        async with self.db.transaction() as connection:
            return await insert_task(connection, self.db, task, at, label)

    def _task(self, r: aiosqlite.Row) -> Task:
        detail = json.loads(self.db.open_text(r["detail"])) if r["detail"] is not None else {}
        return Task(
            id=int(r["id"]),
            ref=r["ref"],
            kind=r["kind"],
            interview_id=r["interview_id"],
            recommendation_id=r["recommendation_id"],
            service=r["service"],
            owner_user_id=r["owner_user_id"],
            owner_role=r["owner_role"],
            detail={str(k): str(v) for k, v in detail.items()},
            due_at=parse_time(r["due_at"]) or datetime.min,
            created_at=parse_time(r["created_at"]) or datetime.min,
            announced_at=parse_time(r["announced_at"]),
            last_reminded_at=parse_time(r["last_reminded_at"]),
            escalated_at=parse_time(r["escalated_at"]),
            closed_at=parse_time(r["closed_at"]),
            closed_by=r["closed_by"],
            close_note=self.db.open_text(r["close_note"]) if r["close_note"] else None,
        )

    async def _load(self, where: str, params: Sequence[object]) -> list[Task]:
        rows = await self.db.fetch_all(
            f"SELECT {_COLUMNS} FROM tasks WHERE {where} ORDER BY due_at, id",  # noqa: S608 - `where` is this module's own
            params,
        )
        return [self._task(r) for r in rows]

    async def get(self, ref: str) -> Task:
        """The task with this reference; NotFound if none."""
        found = await self._load("ref = ?", (ref.strip().lower(),))
        if not found:
            raise NotFound(f"No task {ref}. See 'exit-interviews tasks list'.")
        return found[0]

    async def open_tasks(self) -> list[Task]:
        """Every task not yet done, soonest due first."""
        return await self._load("closed_at IS NULL", ())

    async def for_interview(self, interview_id: str) -> list[Task]:
        return await self._load("interview_id = ?", (interview_id,))

    async def overdue(self, now: datetime) -> list[Task]:
        """Open tasks past their due time, soonest due first."""
        return await self._load("closed_at IS NULL AND due_at < ?", (iso(now),))

    async def unannounced(self) -> list[Task]:
        """Open tasks whose owners have not been told of them yet."""
        return await self._load("closed_at IS NULL AND announced_at IS NULL", ())

    async def owners(self, task: Task) -> list[StaffMember]:
        """Who must do it (see `owners_among`), from the staff registered now."""
        return owners_among(task, await self.staff.all())

    async def is_owner(self, task: Task, member: StaffMember) -> bool:
        return owned_by(task, await self.staff.all(), member.user_id)

    async def mine(self, member: StaffMember) -> list[Task]:
        """Open tasks this member of staff owns (the staff list read once for all)."""
        staff = await self.staff.all()
        return [t for t in await self.open_tasks() if owned_by(t, staff, member.user_id)]

    async def claim(self, task_id: int, column: str, now: datetime, every_seconds: int) -> bool:
        """Take the right to announce, remind or escalate a task now (see
        Database.claim_once_per); False if another did it within the interval."""
        if column not in {"announced_at", "last_reminded_at", "escalated_at"}:
            raise ValueError(column)
        return await self.db.claim_once_per(
            "tasks", column, task_id, now, every_seconds, also="AND closed_at IS NULL"
        )

    async def close(self, ref: str, note: str, actor: Actor, at: datetime) -> Task:
        """Record a task as done, with what was done; audited. NotFound if no such open task."""
        task = await self.get(ref)
        async with self.db.transaction() as connection:
            closed = await close_task(connection, self.db, task.id, note, actor.label, at)
        if not closed:
            raise NotFound(f"Task {task.ref} was already closed. See 'exit-interviews tasks list'.")
        return await self.get(ref)

    async def finished_without_read_task(self) -> list[str]:
        """Interviews that ended with answers to read and have no read task yet."""
        rows = await self.db.fetch_all(
            "SELECT i.id FROM interviews i WHERE (i.status = 'completed' OR "
            "(i.status = 'stopped' AND EXISTS (SELECT 1 FROM answers a "
            "WHERE a.interview_id = i.id))) AND NOT EXISTS (SELECT 1 FROM tasks t "
            "WHERE t.interview_id = i.id AND t.kind = 'read') ORDER BY i.finished_at"
        )
        return [str(r["id"]) for r in rows]


def owners_among(task: Task, staff: Sequence[StaffMember]) -> list[StaffMember]:
    """Who must do a task: its named owner while registered; else whoever holds its role at
    its home or service; else the admins. Never nobody while an admin is registered."""
    named = [m for m in staff if m.user_id == task.owner_user_id]
    if named:
        return named
    if task.owner_role is not None:
        holders = [m for m in staff if m.holds(task.owner_role, task.service)]
        if holders:
            return holders
    return [m for m in staff if m.role == "admin"]


def owned_by(task: Task, staff: Sequence[StaffMember], user_id: int) -> bool:
    """Whether this member of staff is among the task's owners (see `owners_among`)."""
    return any(owner.user_id == user_id for owner in owners_among(task, staff))


async def close_task(
    connection: aiosqlite.Connection,
    db: Database,
    task_id: int,
    note: str,
    actor: str,
    at: datetime,
) -> bool:
    """Close one open task inside the caller's transaction; False if it was closed before."""
    cursor = await connection.execute(
        "UPDATE tasks SET closed_at = ?, closed_by = ?, close_note = ? "
        "WHERE id = ? AND closed_at IS NULL",
        (iso(at), actor, db.seal(note), task_id),
    )
    if cursor.rowcount != 1:
        return False
    async with connection.execute(
        "SELECT ref, kind, interview_id FROM tasks WHERE id = ?", (task_id,)
    ) as found:
        row = await found.fetchone()
    assert row is not None
    await write_audit(
        connection, actor, "task_closed", at, row["interview_id"], f"{row['ref']} {row['kind']}"
    )
    return True


async def close_where(
    connection: aiosqlite.Connection,
    db: Database,
    note: str,
    actor: str,
    at: datetime,
    interview_id: str | None = None,
    kind: TaskKind | None = None,
    recommendation_id: int | None = None,
) -> None:
    """Close the open tasks of an interview (of one kind) or of a recommendation."""
    sql = "SELECT id FROM tasks WHERE closed_at IS NULL"
    params: list[object] = []
    for column, value in (
        ("interview_id", interview_id),
        ("kind", kind),
        ("recommendation_id", recommendation_id),
    ):
        if value is not None:
            sql += f" AND {column} = ?"
            params.append(value)
    async with connection.execute(sql, params) as cursor:
        ids = [int(r[0]) for r in await cursor.fetchall()]
    for task_id in ids:
        await close_task(connection, db, task_id, note, actor, at)
