"""Inviting someone from the console: a form instead of a typed command, the same use
case as `invite create` and the staff chat's /invite, and the links shown once with a QR
code to print or show on a phone."""

from __future__ import annotations

from dataclasses import replace

import segno
from aiohttp import web
from markupsafe import Markup

from bot.console.door import Door, Visitor, forged
from bot.console.pages import notice, page, refusal
from bot.core.context import AppContext
from bot.core.invitations import SUPPORT, InvitationRefused, create_invitation
from bot.core.logs import log_event
from flows.text import LANGUAGE_NAMES
from storage import AccessDenied, StorageError

WAITING = {"invited", "consented", "in_progress", "paused"}
"""Interviews not over: a new link can still be made for them."""
SUPPORT_WORDS = {
    "none": "On their own",
    "easy-read": "The easy-read version",
    "worker": "With an adult helping them answer",
}


class Invitations:
    """The invitation form and its result."""

    def __init__(self, app: AppContext, door: Door) -> None:
        self.app = app
        self.door = door

    async def form(self, request: web.Request) -> web.StreamResponse:
        visitor = await self.door.visitor(request)
        if visitor is None or visitor.member is None or visitor.member.role == "reviewer":
            return refusal()
        return await self._form(visitor, None, {})

    async def _form(
        self, visitor: Visitor, problem: str | None, chosen: dict[str, str]
    ) -> web.Response:
        assert visitor.member is not None
        services = await self.door.services_for(visitor.member)
        flows = sorted(f for f, flow in self.app.flows.items() if not flow.easy_read)
        waiting = [
            s for s in await self.app.storage.interviews.find(visitor.actor) if s.status in WAITING
        ]
        return page(
            "invite.html.j2",
            replace(visitor.chrome, here="invite"),
            400 if problem else 200,
            title="Invite someone",
            problem=problem,
            chosen=chosen,
            flows=flows,
            services=services,
            languages=LANGUAGE_NAMES,
            support=[(s, SUPPORT_WORDS[s]) for s in SUPPORT],
            days=self.app.settings.invitation_days,
            waiting=waiting,
        )

    async def create(self, request: web.Request) -> web.StreamResponse:
        """Make the invitation and show its links once (the page is never cached)."""
        visitor = await self.door.visitor(request)
        if visitor is None or visitor.member is None:
            return refusal()
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        chosen = {
            k: str(form.get(k, "")).strip()[:200]
            for k in ("flow", "service", "name", "language", "support")
        }
        if not chosen["name"]:
            return await self._form(visitor, "Write their name or initials.", chosen)
        if chosen["flow"] not in self.app.flows:
            return await self._form(visitor, "Choose which interview to send.", chosen)
        try:
            created = await create_invitation(
                self.app,
                flow_id=chosen["flow"],
                name=chosen["name"],
                service=chosen["service"] or None,
                language=chosen["language"] or None,
                actor=visitor.actor,
                bot_username=self.app.settings.bot_username,
                support=chosen["support"] or "none",
            )
        except AccessDenied:
            return refusal()
        except (InvitationRefused, StorageError) as error:
            return await self._form(visitor, str(error), chosen)
        log_event(
            "invitation_created",
            interview=created.invitation.interview_id,
            staff=visitor.member.user_id,
            channel="console",
        )
        shown = created.web_link or created.link
        qr = segno.make(shown, error="m").svg_inline(scale=4, title="QR code of the link")
        return page(
            "invited.html.j2",
            replace(visitor.chrome, here="invite"),
            title="Invitation made",
            created=created,
            person=chosen["name"],
            qr=Markup(qr),  # noqa: S704 - drawn by segno from our own link
            days=self.app.settings.invitation_days,
        )
