"""Staff admin at the desk (admins only): add, change and remove staff and their roles at
homes or services, on the same storage as `exit-interviews staff`. A change of role or
homes, or a removal, ends that person's console sessions at once; a removal also drops
whatever was queued for them (the staff chat's rule, kept in storage)."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from aiohttp import web
from multidict import MultiDictProxy

from bot.console.access import console_access
from bot.console.door import Door, Visitor, forged
from bot.console.pages import notice, page, refusal
from bot.core.context import AppContext
from bot.core.logs import log_event
from storage.errors import UnknownStaffError
from storage.records import ROLES, Role
from storage.services import UnknownServiceError

ROLE_WORDS = {
    "interviewer": "Interviewer: invites people and reads their homes' interviews",
    "reviewer": "Reviewer (IRO): reads, decides and recommends for their homes",
    "admin": "Admin: everything, everywhere, and staff admin (must use an authenticator app)",
}


class People:
    """The staff list and its three forms."""

    def __init__(self, app: AppContext, door: Door) -> None:
        self.app = app
        self.door = door

    async def _page(
        self,
        visitor: Visitor,
        *,
        said: str | None = None,
        problem: str | None = None,
        lines: list[str] | None = None,
        status: int = 200,
    ) -> web.Response:
        members = await self.app.storage.staff.all()
        emails = {m.user_id: await self.door.accounts.email_of(m.user_id) for m in members}
        return page(
            "people.html.j2",
            replace(visitor.chrome, here="people"),
            status,
            title="Staff",
            members=sorted(members, key=lambda m: m.name.casefold()),
            emails=emails,
            roles=ROLE_WORDS,
            services=await self.app.storage.services.names(),
            me=visitor.member.user_id if visitor.member else None,
            said=said,
            problem=problem,
            lines=lines or [],
        )

    async def show(self, request: web.Request) -> web.StreamResponse:
        """Everyone who may use the staff side, with their role and homes."""
        visitor = await self.door.admin(request)
        if visitor is None:
            return refusal()
        return await self._page(visitor)

    async def save(self, request: web.Request) -> web.StreamResponse:
        """Add someone, or change them (the same form, as `staff add --update`)."""
        visitor = await self.door.admin(request)
        if visitor is None:
            return refusal()
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        asked = _asked(form)
        if isinstance(asked, str):
            return await self._page(visitor, problem=asked, status=400)
        user_id, name, role, services, email = asked
        before = await self.app.storage.staff.get(user_id)
        now = self.app.clock()
        try:
            await self.app.storage.staff.add(user_id, name, role, services, visitor.actor, now)
        except UnknownServiceError as error:
            return await self._page(visitor, problem=str(error), status=400)
        if before is not None and (before.role != role or set(before.services) != set(services)):
            await self.door.sessions.end_for_staff(user_id, now)
        lines: list[str] = []
        if email:
            lines = await console_access(self.app, user_id, email, role, visitor.actor)
        log_event("console_staff_saved", staff=visitor.actor.user_id or 0, changed=user_id)
        said = f"{name} is {'changed' if before else 'added'}: {role}."
        if before is not None and (before.role != role or set(before.services) != set(services)):
            said += " Their console sessions have ended; they sign in again."
        return await self._page(visitor, said=said, lines=lines)

    async def remove(self, request: web.Request) -> web.StreamResponse:
        """Take someone's access away at once: sessions ended, queued messages dropped."""
        visitor = await self.door.admin(request)
        if visitor is None:
            return refusal()
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        number = request.match_info["user"]
        member = await self.app.storage.staff.get(int(number)) if number.isdigit() else None
        if member is None:
            return refusal()
        if visitor.member is not None and member.user_id == visitor.member.user_id:
            return await self._page(
                visitor,
                problem="You cannot remove yourself: ask another admin, so the council is "
                "never left without one.",
                status=400,
            )
        now = self.app.clock()
        try:
            await self.app.storage.staff.remove(member.user_id, visitor.actor, now)
        except UnknownStaffError:
            return refusal()
        ended = await self.door.sessions.end_for_staff(member.user_id, now)
        log_event("console_staff_removed", staff=visitor.actor.user_id or 0, sessions=ended)
        return await self._page(
            visitor,
            said=f"{member.name} is removed. Their console sessions have ended and nothing "
            "queued for them will be sent; their past actions stay in the audit log.",
        )


def _asked(form: MultiDictProxy[Any]) -> tuple[int, str, Role, list[str], str] | str:
    """The add-or-change form's values, or what to correct."""
    number = str(form.get("user_id", "")).strip()
    name = str(form.get("name", "")).strip()[:200]
    role = str(form.get("role", ""))
    services = [str(s) for s in form.getall("services", [])]
    email = str(form.get("email", "")).strip()[:320]
    if not number.isdigit() or not 0 < int(number) < 2**53:
        return (
            "Give their Telegram user id, a number (they can see it by sending /whoami to the bot)."
        )
    if not name:
        return "Give their name, as colleagues know it."
    if role not in ROLES:
        return "Choose their role."
    if role != "admin" and not services:
        return "Choose at least one home or service they cover (admins cover all)."
    if email and ("@" not in email or " " in email):
        return "Give a work e-mail address, like name@council.gov.uk, or leave it empty."
    chosen: Role = role
    return int(number), name, chosen, services if role != "admin" else [], email
