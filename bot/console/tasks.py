"""Tasks and recommendations at the desk: mine and my team's, overdue first; close one of
mine with a note; respond to a recommendation sent to me; see the responses to mine. The
same use cases as the staff chat's /tasks, /done and /respond."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from aiohttp import web

from bot.console.desk import TASK_LABELS
from bot.console.door import Door, Visitor, forged
from bot.console.pages import notice, page, refusal, see_other
from bot.core.context import AppContext
from bot.core.followup import FollowUpDesk, FollowUpRefused
from bot.core.tasks import staff_name
from storage import AccessDenied, NotFound
from storage.followup import Recommendation
from storage.tasks import Task, owned_by

SAID = {
    "closed": "Task closed. Thank you: what you did is recorded with your name.",
    "responded": "Response recorded; whoever made the recommendation has been sent it.",
}
NO_NOTE = "Say what was done, so the record shows it. Go back and write a note."
NOT_YOURS = (
    "Task {ref} belongs to someone else in your team, so only they (or an admin) can close "
    "it. Go back to Tasks to see yours."
)


@dataclass(frozen=True)
class TaskRow:
    """A task as the page lists it: what, about which interview, due when, whose."""

    ref: str
    kind: str
    what: str
    interview_id: str | None
    due_at: datetime
    overdue: bool
    owners: str
    closable: bool


@dataclass(frozen=True)
class RecommendationRow:
    """A recommendation with who wrote it and the responses so far."""

    ref: str
    interview_id: str
    text: str
    to: str
    by: str
    due_on: str
    overdue: bool
    responses: tuple[tuple[str, str, str], ...]


class TaskPages:
    """The Tasks page and its two forms."""

    def __init__(self, app: AppContext, door: Door, desk: FollowUpDesk) -> None:
        self.app = app
        self.door = door
        self.desk = desk

    async def _visible(self, visitor: Visitor) -> tuple[list[Task], list[Task]]:
        """My open tasks, and my team's: others' open tasks on interviews I may read."""
        assert visitor.member is not None
        member = visitor.member
        staff = await self.app.storage.staff.all()
        readable = {s.id for s in await self.app.storage.interviews.find(visitor.actor)}
        mine, team = [], []
        for task in await self.app.storage.tasks.open_tasks():
            if owned_by(task, staff, member.user_id):
                mine.append(task)
            elif task.interview_id in readable:
                team.append(task)
        return mine, team

    async def show(self, request: web.Request) -> web.StreamResponse:
        """Mine and my team's, overdue first (soonest due first is overdue first)."""
        visitor = await self.door.visitor(request)
        if visitor is None or visitor.member is None:
            return refusal()
        member, now = visitor.member, self.app.clock()
        names = await self.app.storage.staff.names()
        staff = await self.app.storage.staff.all()
        mine, team = await self._visible(visitor)

        def row(task: Task, closable: bool) -> TaskRow:
            owners = [m.name for m in staff if owned_by(task, staff, m.user_id)]
            return TaskRow(
                task.ref,
                task.kind,
                TASK_LABELS.get(task.kind, task.kind.replace("_", " ")),
                task.interview_id,
                task.due_at,
                task.overdue(now),
                ", ".join(owners) or "nobody registered",
                closable and task.kind != "respond",
            )

        visible = await self.app.storage.followup.visible(visitor.actor)
        to_me = [
            _recommendation(r, names, now)
            for r in visible
            if r.addressee is not None and r.addressee.includes(member) and not r.responses
        ]
        by_me = [
            _recommendation(r, names, now) for r in visible if r.created_by == visitor.actor.label
        ]
        admin = member.role == "admin"
        said = SAID.get(request.query.get("said", ""))
        late = sum(1 for t in mine if t.overdue(now))
        return page(
            "tasks.html.j2",
            replace(visitor.chrome, here="tasks"),
            title=f"({len(mine)} yours, {late} overdue) Tasks",
            mine=[row(t, True) for t in sorted(mine, key=lambda t: t.due_at)],
            team=[row(t, admin) for t in sorted(team, key=lambda t: t.due_at)],
            to_me=sorted(to_me, key=lambda r: r.due_on),
            by_me=sorted(by_me, key=lambda r: r.due_on),
            said=said,
        )

    async def close(self, request: web.Request) -> web.StreamResponse:
        """Close a task of mine (admins: any they can see) with what was done."""
        visitor = await self.door.visitor(request)
        if visitor is None or visitor.member is None:
            return refusal()
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        ref = request.match_info["task"].lower()
        mine, team = await self._visible(visitor)
        if not any(t.ref == ref for t in [*mine, *team]):
            return refusal()
        note = str(form.get("note", "")).strip()[:2000]
        if not note:
            return notice("Not closed", NO_NOTE, visitor.chrome, 400)
        try:
            await self.desk.close_task(ref, note, visitor.actor)
        except FollowUpRefused:
            return notice("Not closed", NOT_YOURS.format(ref=ref), visitor.chrome, 403)
        except NotFound:
            return notice("Already closed", "Someone closed it a moment ago.", visitor.chrome, 409)
        return see_other("/staff/tasks?said=closed")

    async def respond(self, request: web.Request) -> web.StreamResponse:
        """Respond to a recommendation sent to me: what will be done, if anything."""
        visitor = await self.door.visitor(request)
        if visitor is None or visitor.member is None:
            return refusal()
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        ref = request.match_info["recommendation"].lower()
        visible = await self.app.storage.followup.visible(visitor.actor)
        if not any(r.ref == ref for r in visible):
            return refusal()
        try:
            await self.desk.respond(ref, str(form.get("text", ""))[:4000], visitor.actor)
        except FollowUpRefused as error:
            return notice("Nothing recorded", f"{error} Go back and write it.", visitor.chrome, 400)
        except (AccessDenied, NotFound):
            return refusal()
        return see_other("/staff/tasks?said=responded")


def _recommendation(r: Recommendation, names: dict[int, str], now: datetime) -> RecommendationRow:
    return RecommendationRow(
        r.ref,
        r.interview_id,
        r.text,
        r.addressed_to,
        staff_name(r.created_by, names),
        r.due_on.strftime("%d %b %Y"),
        r.overdue(now.date()),
        tuple(
            (x.text, staff_name(x.responded_by, names), x.responded_at.strftime("%d %b %Y"))
            for x in r.responses
        ),
    )
