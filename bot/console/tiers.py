"""Deciding on an amber concern at the desk: raise it to red (everyone is alerted at once)
or close it with a reason. The same use cases as the staff chat's /raise and /closeconcern,
so the record, the audit and the red alert path are theirs."""

from __future__ import annotations

from aiohttp import web

from bot.console.door import Door, forged
from bot.console.pages import notice, refusal
from bot.core.amber import AmberDesk, AmberRefused
from bot.core.context import AppContext

NOT_OPEN = (
    "Concern {id} is no longer an open amber concern: someone has decided on it, or it is "
    "red. Go back to Concerns to see what is open now."
)
NO_REASON = "Please say why: the reason is kept with your name. Go back and write it."


class AmberDecisions:
    """The two decisions on an amber concern, as forms."""

    def __init__(self, app: AppContext, door: Door, amber: AmberDesk) -> None:
        self.app = app
        self.door = door
        self.amber = amber

    async def raise_to_red(self, request: web.Request) -> web.StreamResponse:
        """Make an amber concern red: the red alert path starts at once."""
        return await self._decide(request, "raised")

    async def close(self, request: web.Request) -> web.StreamResponse:
        """Close an amber concern: no further action, for the reason given."""
        return await self._decide(request, "closed")

    async def _decide(self, request: web.Request, decision: str) -> web.StreamResponse:
        visitor = await self.door.visitor(request)
        if visitor is None or visitor.member is None:
            return refusal()
        form = await request.post()
        if forged(form, visitor):
            return notice("Please try again", "That form was out of date.", visitor.chrome, 403)
        number = request.match_info["concern"]
        concern = await self.app.storage.concerns.get(int(number)) if number.isdigit() else None
        if concern is None or not visitor.actor.may_read(concern.readable_by):
            return refusal()
        reason = str(form.get("reason", "")).strip()[:2000]
        if not reason:
            return notice("Say why", NO_REASON, visitor.chrome, 400)
        try:
            if decision == "raised":
                await self.amber.raise_to_red(concern.id, reason, visitor.actor)
            else:
                await self.amber.close(concern.id, reason, visitor.actor)
        except AmberRefused:
            return notice("Already decided", NOT_OPEN.format(id=concern.id), visitor.chrome, 409)
        raise web.HTTPSeeOther(f"/staff/concerns?said={decision}")
