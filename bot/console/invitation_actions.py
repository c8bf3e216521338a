"""After an invitation is made: its printable letter (one A4 page in the person's
language, with the links and the QR code), a new link (reissue: the old ones stop), and
withdrawing one nobody has opened. The same use cases as `invite reissue` and /reissue;
interviewers and admins only, for interviews they may see."""

from __future__ import annotations

import re
from dataclasses import replace

import segno
from aiohttp import web
from markupsafe import Markup

from bot.console.door import Door, Visitor, forged
from bot.console.letter import letter_for
from bot.console.pages import notice, page, refusal
from bot.core.context import AppContext
from bot.core.invitations import CreatedInvitation, reissue_invitation, telegram_link, web_link
from bot.core.logs import log_event
from storage import AccessDenied, NotFound, StorageError
from storage.console_invitations import withdraw_invitation
from storage.records import InterviewSummary

UNTIL = re.compile(r"\d{2}/\d{2}/\d{4}")
"""The link's last day as the invitation page gives it (dd/mm/yyyy)."""
LINK_GONE = (
    "This link can no longer be printed: it has been used, replaced or withdrawn, or it has "
    "run out. Make a new link with Reissue on the Invite page."
)


def qr_of(link: str) -> Markup:
    """The QR code of a link, drawn by segno as inline SVG."""
    svg = segno.make(link, error="m").svg_inline(scale=4, title="QR code of the link")
    return Markup(svg)  # noqa: S704 - drawn by segno from our own link


def created_page(
    visitor: Visitor, created: CreatedInvitation, person: str, days: int, reissued: bool = False
) -> web.Response:
    """The links, shown once, with the QR code and the way to the letter."""
    return page(
        "invited.html.j2",
        replace(visitor.chrome, here="invite"),
        title="New link made" if reissued else "Invitation made",
        created=created,
        person=person,
        qr=qr_of(created.web_link or created.link),
        days=days,
        reissued=reissued,
    )


class InvitationActions:
    """Letter, reissue and withdraw."""

    def __init__(self, app: AppContext, door: Door) -> None:
        self.app = app
        self.door = door

    async def _open(
        self, request: web.Request, purpose: str
    ) -> tuple[Visitor, InterviewSummary, dict[str, str]] | None:
        visitor = await self.door.visitor(request)
        if visitor is None or visitor.member is None or visitor.member.role == "reviewer":
            return None
        form = await request.post()
        try:
            interview = await self.app.storage.interviews.require_access(
                request.match_info["interview"], visitor.actor, self.app.clock(), purpose
            )
        except (AccessDenied, NotFound):
            return None
        return visitor, interview, {k: str(v) for k, v in form.items() if isinstance(v, str)}

    async def letter(self, request: web.Request) -> web.StreamResponse:
        """The one-page letter, made from the link just shown (the token is never kept, so
        the page that showed it posts it back here)."""
        opened = await self._open(request, "invitation_letter")
        if opened is None:
            return refusal()
        visitor, interview, form = opened
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        token, now = form.get("token", "")[:200], self.app.clock()
        link = await self.app.storage.web_sessions.link(token, now) if token else None
        if link is None or link.interview_id != interview.id:
            return refusal()
        if link.used or link.over or link.run_out:
            return notice("Make a new link", LINK_GONE, visitor.chrome, 410)
        expires = form.get("until", "")
        if not UNTIL.fullmatch(expires):
            return refusal()
        shown = web_link(self.app, token) or telegram_link(self.app.settings.bot_username, token)
        words = letter_for(
            self.app,
            interview.flow_id,
            interview.language,
            interview.display_name,
            interview.service,
            expires,
        )
        await self.app.storage.audit.record(
            visitor.actor, "invitation_letter_printed", now, interview.id, words.language
        )
        return page(
            "letter.html.j2",
            replace(visitor.chrome, here="invite"),
            title=f"Letter for {interview.id}",
            letter=words,
            link=shown,
            telegram=telegram_link(self.app.settings.bot_username, token),
            qr=qr_of(shown),
        )

    async def reissue(self, request: web.Request) -> web.StreamResponse:
        """A new link for the same interview: the old ones stop, answers so far are kept."""
        opened = await self._open(request, "reissue")
        if opened is None:
            return refusal()
        visitor, interview, form = opened
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        try:
            created = await reissue_invitation(
                self.app, interview.id, visitor.actor, self.app.settings.bot_username
            )
        except StorageError as error:
            return notice("No new link", str(error), visitor.chrome, 409)
        log_event("invitation_reissued", interview=interview.id, channel="console")
        days = self.app.settings.invitation_days
        return created_page(visitor, created, interview.display_name, days, reissued=True)

    async def withdraw(self, request: web.Request) -> web.StreamResponse:
        """Withdraw an invitation nobody has opened: its links stop working."""
        opened = await self._open(request, "withdraw")
        if opened is None:
            return refusal()
        visitor, interview, form = opened
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        if not await withdraw_invitation(
            self.app.storage.db, interview.id, visitor.actor, self.app.clock()
        ):
            return notice(
                "Not withdrawn",
                f"Interview {interview.id} has been opened already (or is over), so it was "
                "not withdrawn. If they want to stop, they can stop in the chat; if they ask "
                "for their answers to be erased, an admin can erase them.",
                visitor.chrome,
                409,
            )
        log_event("invitation_withdrawn", interview=interview.id, channel="console")
        return notice(
            "Withdrawn",
            f"The invitation for interview {interview.id} is withdrawn: its links no longer work.",
            visitor.chrome,
        )
