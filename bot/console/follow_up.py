"""The transcript's actions as forms: add a recommendation (a person or role chosen from a
list, a date from a picker), thank them or write to them (their chat, with a preview), and
erase on request (admins, typed confirmation). The same use cases as the staff chat's
/recommend, /thank and /message and the CLI's `erase`, so scoping and audit are theirs."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

from aiohttp import web

from bot.console.door import Door, Visitor, forged
from bot.console.pages import notice, page, refusal, see_other
from bot.core.context import AppContext
from bot.core.followup import FollowUpDesk, FollowUpRefused
from bot.core.logs import log_event
from storage import AccessDenied, NotFound
from storage.erasure import ErasureFailed
from storage.records import ROLES, InterviewSummary

DEFAULT_DUE = timedelta(days=28)
PURPOSES = {"thanks": "Thank them", "message": "Write to them"}
ERASED_WHY = "erased on request"


class FollowUpForms:
    """Recommendation, thank-you, message and erasure forms for one interview."""

    def __init__(self, app: AppContext, door: Door, desk: FollowUpDesk) -> None:
        self.app = app
        self.door = door
        self.desk = desk

    async def _open(
        self, request: web.Request, purpose: str
    ) -> tuple[Visitor, InterviewSummary] | None:
        """The signed-in member and the interview, if they may act on it (refusals are
        audited by the use case)."""
        visitor = await self.door.visitor(request)
        if visitor is None or visitor.member is None:
            return None
        interview_id = request.match_info["interview"]
        try:
            interview = await self.app.storage.interviews.require_access(
                interview_id, visitor.actor, self.app.clock(), purpose
            )
        except (AccessDenied, NotFound):
            return None
        return visitor, interview

    async def _choices(self, interview: InterviewSummary) -> list[tuple[str, str]]:
        """Who a recommendation may go to: the people who hold this home or service (and the
        admins), then each role there, so nobody types a name or an id."""
        people = [
            (str(m.user_id), m.name)
            for m in sorted(await self.app.storage.staff.all(), key=lambda m: m.name)
            if m.role == "admin" or (interview.service in m.services)
        ]
        roles = (
            [(f"{r} at {interview.service}", f"Any {r} at {interview.service}") for r in ROLES]
            if interview.service
            else []
        )
        return people + roles

    async def _recommend_page(
        self,
        visitor: Visitor,
        interview: InterviewSummary,
        problem: str | None = None,
        chosen: dict[str, str] | None = None,
    ) -> web.Response:
        today = self.app.clock().date()
        return page(
            "recommend.html.j2",
            replace(visitor.chrome, here="interviews"),
            400 if problem else 200,
            title=f"Add a recommendation: interview {interview.id}",
            interview=interview,
            choices=await self._choices(interview),
            today=today.isoformat(),
            chosen=chosen or {"due": (today + DEFAULT_DUE).isoformat()},
            problem=problem,
        )

    async def recommend_form(self, request: web.Request) -> web.StreamResponse:
        """The recommendation form."""
        opened = await self._open(request, "follow_up")
        if opened is None:
            return refusal()
        return await self._recommend_page(*opened)

    async def recommend(self, request: web.Request) -> web.StreamResponse:
        """Record a recommendation; its addressee is told and owes a response."""
        opened = await self._open(request, "follow_up")
        if opened is None:
            return refusal()
        visitor, interview = opened
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        chosen = {k: str(form.get(k, "")).strip()[:2000] for k in ("to", "due", "text")}
        try:
            due = date.fromisoformat(chosen["due"])
        except ValueError:
            return await self._recommend_page(
                visitor, interview, "Choose the date it should be done by.", chosen
            )
        if due < self.app.clock().date():
            return await self._recommend_page(
                visitor, interview, "Choose a date from today on.", chosen
            )
        if chosen["to"] not in {value for value, _ in await self._choices(interview)}:
            return await self._recommend_page(
                visitor, interview, "Choose who it is for from the list.", chosen
            )
        try:
            made = await self.desk.recommend(
                interview.id, chosen["to"], due, chosen["text"], visitor.actor
            )
        except FollowUpRefused as error:
            return await self._recommend_page(visitor, interview, str(error), chosen)
        log_event("recommendation_made", channel="console", staff=visitor.actor.user_id or 0)
        return see_other(f"/staff/interviews/{interview.id}?said=recommended&ref={made.ref}")

    async def write_form(self, request: web.Request) -> web.StreamResponse:
        """A message to them: a thank-you starts from the flow's words in their language."""
        opened = await self._open(request, "thank_you")
        if opened is None:
            return refusal()
        visitor, interview = opened
        purpose = request.match_info["purpose"]
        text = (
            self.desk.thank_you_template(interview.flow_id, interview.language)
            if purpose == "thanks"
            else ""
        )
        return self._write_page(visitor, interview, purpose, text, preview=False)

    def _write_page(
        self,
        visitor: Visitor,
        interview: InterviewSummary,
        purpose: str,
        text: str,
        *,
        preview: bool,
        problem: str | None = None,
    ) -> web.Response:
        return page(
            "write.html.j2",
            replace(visitor.chrome, here="interviews"),
            400 if problem else 200,
            title=f"{PURPOSES[purpose]}: interview {interview.id}",
            heading=PURPOSES[purpose],
            interview=interview,
            purpose=purpose,
            text=text,
            preview=preview,
            problem=problem,
        )

    async def write(self, request: web.Request) -> web.StreamResponse:
        """Preview the message, or send it into their chat (a task if it cannot go)."""
        opened = await self._open(request, "thank_you")
        if opened is None:
            return refusal()
        visitor, interview = opened
        purpose = request.match_info["purpose"]
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        text = str(form.get("text", "")).strip()[:4000]
        if not text:
            return self._write_page(
                visitor, interview, purpose, text, preview=False, problem="Write the message."
            )
        if form.get("step") != "send":
            return self._write_page(visitor, interview, purpose, text, preview=True)
        queued = await self.desk.write_to_person(interview.id, text, visitor.actor, purpose)
        said = "sent" if queued.message is not None else "unreachable"
        return see_other(f"/staff/interviews/{interview.id}?said={said}")

    async def erase_form(self, request: web.Request) -> web.StreamResponse:
        """Erasing on request: admins only, after typing the interview's id."""
        opened = await self._open(request, "erase")
        if opened is None or opened[0].member is None or opened[0].member.role != "admin":
            return refusal()
        visitor, interview = opened
        return page(
            "erase.html.j2",
            replace(visitor.chrome, here="interviews"),
            title=f"Erase interview {interview.id}",
            interview=interview,
            problem=None,
        )

    async def erase(self, request: web.Request) -> web.StreamResponse:
        """Erase everything the interview holds, for good; an audit entry with no content
        remains. The typed id makes an accidental click harmless."""
        opened = await self._open(request, "erase")
        if opened is None or opened[0].member is None or opened[0].member.role != "admin":
            return refusal()
        visitor, interview = opened
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        if str(form.get("confirm", "")).strip() != interview.id:
            return page(
                "erase.html.j2",
                replace(visitor.chrome, here="interviews"),
                400,
                title=f"Erase interview {interview.id}",
                interview=interview,
                problem=f"Nothing was erased. To erase it, type {interview.id} exactly.",
            )
        try:
            await self.app.storage.retention.erase(
                interview.id, visitor.actor, self.app.clock(), ERASED_WHY
            )
        except ErasureFailed:
            return notice(
                "Nothing was erased",
                "The database could not erase it just now, so nothing was removed. Try again "
                "in a few minutes; if it goes on, tell your IT team.",
                visitor.chrome,
                503,
            )
        return notice(
            "Erased",
            f"Interview {interview.id} is erased: its answers, voice recordings and messages "
            "are gone for good. The audit log keeps only that it was erased, by you, and when. "
            "Copies made before (downloaded files, backups) still hold it: the command line lists "
            "them for the admins to delete.",
            visitor.chrome,
        )
