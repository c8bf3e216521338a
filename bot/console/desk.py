"""The desk: Today, Concerns, Interviews and one interview's transcript. Every page asks
the same use cases as the staff chat and the command line, as the signed-in member of
staff, so scoping and audit are theirs; anything not theirs gets the one refusal."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from math import ceil
from urllib.parse import urlencode

from aiohttp import web
from markupsafe import Markup

from bot.console.door import Door, Visitor, forged
from bot.console.pages import Chrome, body_of, notice, page, refusal
from bot.core.concerns import REASONS, category_label
from bot.core.context import AppContext
from bot.core.followup import FollowUpDesk
from bot.core.interviews import UnknownStatusError, find_interviews
from bot.core.logs import log_event
from bot.core.transcripts import TranscriptFormat, read_transcript
from flows.safeguarding import Category
from flows.status import Status
from storage import AccessDenied, NotFound
from storage.records import ConcernRecord
from storage.tasks import Task

PER_PAGE = 50
NO_ACTION_NOTE = "Read; no action needed."
TASK_LABELS = {
    "read": "Read the interview and record a decision",
    "call_back": "Call them back: they asked to talk to someone",
    "agree_readers": "Agree with them who may read it",
    "respond": "Respond to a recommendation sent to you",
    "send_by_hand": "Send a message by hand",
    "thanks_undelivered": "A thank-you could not be delivered",
    "listen": "Listen to a voice answer",
    "read_today": "Read today: an amber concern waits for a decision",
    "read_free_text": "Read what they wrote in their own words",
}


@dataclass(frozen=True)
class ConcernCard:
    """A concern as the desk shows it: what kind, how urgent, where, and what to do."""

    id: int
    interview_id: str
    service: str | None
    severity: str
    label: str
    next_step: str
    why: str
    raised_at: datetime
    alerted: str
    acknowledged_at: datetime | None
    by: str
    notes: tuple[str, ...]
    tier: str = "red"
    decision: str | None = None
    decided_by: str = ""
    decided_at: datetime | None = None
    decision_reason: str | None = None


def next_step(category: str) -> str:
    """The category's 'what staff do next' line, as the alert gives it."""
    try:
        return Category(category).next_step
    except ValueError:
        return "Read the transcript and follow your safeguarding procedure."


SAID = {
    "done": "Acknowledged: the re-alerts have stopped.",
    "taken": "Someone had already acknowledged it; the re-alerts had stopped.",
    "raised": "Raised to red: everyone who may read it has been alerted, and will be again "
    "until someone acknowledges it by name.",
    "closed": "Closed: your reason is recorded with your name.",
}

TRANSCRIPT_SAID = {
    "no-action": "Recorded: read, no action needed.",
    "recommended": "Recommendation recorded and sent; they are asked to respond by the date.",
    "sent": "Sent to their chat. Its delivery is recorded.",
    "unreachable": "Their chat cannot be reached (they never opened the link, or their answers "
    "were erased), so it was not sent. A task reminds you to reach them another way.",
}


class Desk:
    """The desk's pages."""

    def __init__(self, app: AppContext, door: Door, followup: FollowUpDesk) -> None:
        self.app = app
        self.door = door
        self.followup = followup

    async def _card(self, concern: ConcernRecord, names: dict[int, str]) -> ConcernCard:
        notes = await self.door.accounts.notes(concern.id)
        return ConcernCard(
            concern.id,
            concern.interview_id,
            concern.service,
            concern.severity,
            category_label(concern.category),
            next_step(concern.category),
            REASONS.get(concern.reason, concern.reason),
            concern.raised_at,
            ", ".join(names.get(i, str(i)) for i in concern.alerted),
            concern.acknowledged_at,
            names.get(concern.acknowledged_by or 0, "a member of staff"),
            tuple(n.note for n in notes),
            concern.tier,
            concern.decision,
            names.get(concern.decided_by or 0, "a member of staff"),
            concern.decided_at,
            concern.decision_reason,
        )

    async def today(self, request: web.Request) -> web.StreamResponse:
        """What needs me now: red concerns nobody has taken on, amber ones to read today, my
        tasks (overdue first), call-backs asked for and what finished since I looked; the
        counts in the title so a pinned tab shows them."""
        visitor = await self.door.visitor(request)
        if visitor is None or visitor.member is None:
            return refusal()
        actor, now = visitor.actor, self.app.clock()
        names = await self.app.storage.staff.names()
        concerns = await self.app.storage.concerns.open(actor)
        concerns.sort(key=lambda c: (c.severity != "urgent", c.raised_at))
        red = [await self._card(c, names) for c in concerns if c.tier != "amber"]
        amber = [await self._card(c, names) for c in concerns if c.tier == "amber"]
        seen = await self.app.storage.interviews.find(actor)
        visible = {s.id for s in seen}
        call_backs = [
            _task_row(t, now)
            for t in await self.app.storage.tasks.open_tasks()
            if t.kind == "call_back" and t.interview_id in visible
        ]
        mine = await self.app.storage.tasks.mine(visitor.member)
        tasks = [_task_row(t, now) for t in sorted(mine, key=lambda t: t.due_at)]
        tasks = [t for t in tasks if t["kind"] != "call_back"]
        last = await self.door.sessions.last_look(visitor.member.user_id)
        finished = [
            s for s in seen if s.finished_at is not None and (last is None or s.finished_at > last)
        ][:50]
        await self.door.sessions.looked(visitor.member.user_id, now)
        late = sum(1 for t in tasks if t["overdue"])
        title = (
            f"({len(red)} red, {len(amber)} amber, {len(tasks)} tasks"
            f"{f', {late} overdue' if late else ''}) Today"
        )
        return page(
            "today.html.j2",
            _here(visitor, "today"),
            title=title,
            concerns=red,
            amber=amber,
            tasks=tasks,
            late=late,
            call_backs=call_backs,
            finished=finished,
        )

    async def concerns(self, request: web.Request) -> web.StreamResponse:
        """Every concern this member may see: open ones to acknowledge, then the rest."""
        visitor = await self.door.visitor(request)
        if visitor is None:
            return refusal()
        names = await self.app.storage.staff.names()
        seen = await self.app.storage.concerns.visible(visitor.actor, open_only=False)
        open_ = [c for c in seen if c.acknowledged_at is None]
        open_.sort(key=lambda c: (c.severity != "urgent", c.raised_at))
        amber = [c for c in open_ if c.tier == "amber"]
        open_ = [c for c in open_ if c.tier != "amber"]
        done = sorted(
            (c for c in seen if c.acknowledged_at is not None),
            key=lambda c: c.acknowledged_at or c.raised_at,
            reverse=True,
        )[:50]
        said = request.query.get("said", "")[:200]
        return page(
            "concerns.html.j2",
            _here(visitor, "concerns"),
            title=f"({len(open_)} red, {len(amber)} amber) Concerns",
            open=[await self._card(c, names) for c in open_],
            amber=[await self._card(c, names) for c in amber],
            done=[await self._card(c, names) for c in done],
            said=SAID.get(said),
        )

    async def acknowledge(self, request: web.Request) -> web.StreamResponse:
        """Take a concern on by name: the very call the staff chat's button makes, so the
        re-alerts stop; a note, if written, is kept with it (sealed)."""
        visitor = await self.door.visitor(request)
        if visitor is None or visitor.member is None:
            return refusal()
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        concern_id = request.match_info["concern"]
        concern = (
            await self.app.storage.concerns.get(int(concern_id)) if concern_id.isdigit() else None
        )
        if concern is None or not visitor.actor.may_read(concern.readable_by):
            return refusal()
        now = self.app.clock()
        done = await self.app.storage.concerns.acknowledge(concern.id, visitor.actor, now)
        note = str(form.get("note", "")).strip()[:2000]
        if note:
            await self.door.accounts.add_note(concern.id, visitor.member.user_id, note, now)
        if done:
            log_event(
                "concern_acknowledged",
                concern=concern.id,
                staff=visitor.member.user_id,
                channel="console",
            )
        raise web.HTTPSeeOther(f"/staff/concerns?said={'done' if done else 'taken'}")

    async def interviews(self, request: web.Request) -> web.StreamResponse:
        """The interviews this member may see, filtered and in pages; never an answer."""
        visitor = await self.door.visitor(request)
        if visitor is None or visitor.member is None:
            return refusal()
        query = request.query
        chosen = {
            "status": query.get("status", ""),
            "service": query.get("service", ""),
            "flow": query.get("flow", ""),
            "concerns": query.get("concerns") == "1",
        }
        problem = None
        try:
            rows = await find_interviews(
                self.app,
                visitor.actor,
                status=str(chosen["status"]) or None,
                service=str(chosen["service"]) or None,
                concerns_only=bool(chosen["concerns"]),
            )
        except UnknownStatusError as error:
            rows, problem = [], str(error)
        if chosen["flow"]:
            rows = [r for r in rows if r["flow"] == chosen["flow"]]
        pages = max(1, ceil(len(rows) / PER_PAGE))
        number = query.get("page", "1")
        page_no = min(pages, max(1, int(number))) if number.isdigit() else 1
        member = visitor.member
        services = await self.door.services_for(member)
        kept = {k: str(v) for k, v in chosen.items() if v and k != "concerns"}
        if chosen["concerns"]:
            kept["concerns"] = "1"
        return page(
            "interviews.html.j2",
            _here(visitor, "interviews"),
            title="Interviews",
            rows=rows[(page_no - 1) * PER_PAGE : page_no * PER_PAGE],
            total=len(rows),
            pages=pages,
            page_no=page_no,
            query=urlencode(kept),
            chosen=chosen,
            statuses=[s.value for s in Status],
            services=services,
            flows=sorted(self.app.flows),
            problem=problem,
        )

    async def transcript(self, request: web.Request) -> web.StreamResponse:
        """One interview as the person saw it: the audited read the staff chat makes."""
        visitor = await self.door.visitor(request)
        if visitor is None:
            return refusal()
        interview_id = request.match_info["interview"]
        try:
            document = await read_transcript(self.app, interview_id, visitor.actor, "html")
        except (AccessDenied, NotFound):
            return refusal()
        said = TRANSCRIPT_SAID.get(request.query.get("said", ""))
        ref = request.query.get("ref", "")[:40]
        if said and ref:
            said = f"{said} Its reference is {ref}."
        return page(
            "transcript.html.j2",
            _here(visitor, "interviews"),
            title=f"Interview {interview_id}",
            body=Markup(body_of(document)),  # noqa: S704 - the documents renderer escaped it
            interview_id=interview_id,
            said=said,
            admin=visitor.member is not None and visitor.member.role == "admin",
        )

    async def download(self, request: web.Request) -> web.StreamResponse:
        """The transcript as a file to keep or print (HTML) or for a case system (JSON):
        the same audited read as the page."""
        visitor = await self.door.visitor(request)
        if visitor is None:
            return refusal()
        interview_id, kind = request.match_info["interview"], request.match_info["kind"]
        form: TranscriptFormat = "json" if kind == "json" else "html"
        try:
            document = await read_transcript(self.app, interview_id, visitor.actor, form)
        except (AccessDenied, NotFound):
            return refusal()
        return web.Response(
            body=document.encode("utf-8"),
            content_type="application/json" if form == "json" else "text/html",
            charset="utf-8",
            headers={"Content-Disposition": f'attachment; filename="{interview_id}.{form}"'},
        )

    async def no_action(self, request: web.Request) -> web.StreamResponse:
        """ "Read, no action needed": the staff chat's button, with an optional note."""
        visitor = await self.door.visitor(request)
        if visitor is None:
            return refusal()
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        interview_id = request.match_info["interview"]
        note = str(form.get("note", "")).strip()[:2000] or NO_ACTION_NOTE
        try:
            await self.followup.no_action(interview_id, note, visitor.actor)
        except (AccessDenied, NotFound):
            return refusal()
        raise web.HTTPSeeOther(f"/staff/interviews/{interview_id}?said=no-action")


def _task_row(task: Task, now: datetime) -> dict[str, object]:
    """A task as Today lists it: what, about which interview, and when it is due."""
    return {
        "kind": task.kind,
        "ref": task.ref,
        "what": TASK_LABELS.get(task.kind, task.kind.replace("_", " ")),
        "interview_id": task.interview_id,
        "due_at": task.due_at,
        "overdue": task.overdue(now),
    }


def _here(visitor: Visitor, here: str) -> Chrome:
    """The chrome with the menu's current page marked."""
    return replace(visitor.chrome, here=here)
