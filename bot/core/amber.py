"""Amber concerns: possible concerns a person reads today, never an urgent push.

Each open amber concern shows at once in the staff lists, is a "read today" task for the
duty officer, and is listed in one digest message a day (at EXIT_AMBER_DIGEST_AT, local
time; the day is stored, so a restart never sends it twice). Staff decide on each one:
raise it to red (the red alert path starts at once) or close it with a reason. Both are
kept with who and when, and audited. No message here carries the person's words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.core.concerns import ConcernAlerter, category_label, next_step
from bot.core.delivery import Delivery
from bot.core.logs import log_event
from flows.outputs import Message
from storage import Actor, Storage
from storage.codec import encode_message
from storage.records import ConcernRecord

DIGEST_HOW = (
    "For each: read it with /transcript INTERVIEW, then decide:\n"
    "/raise CONCERN why (it becomes red: everyone is alerted at once), or\n"
    "/closeconcern CONCERN why (no further action; the reason is kept)."
)


class AmberRefused(Exception):
    """A decision that cannot be made; the message says what to do instead."""


def age_words(raised_at: datetime, now: datetime) -> str:
    """How long a concern has waited, in the words a duty officer reads."""
    hours = int((now - raised_at).total_seconds() // 3600)
    if hours < 1:
        return "under an hour ago"
    if hours < 48:
        return f"{hours} hour{'s' if hours != 1 else ''} ago"
    return f"{hours // 24} days ago"


def amber_line(concern: ConcernRecord, now: datetime) -> str:
    """One open amber concern for a list or the digest: id, where, what kind, how old and
    what to do next; never the person's words."""
    return (
        f"🟠 Concern {concern.id} · {concern.service or 'no home or service'} · "
        f"{category_label(concern.category)} · raised {age_words(concern.raised_at, now)} "
        f"({concern.interview_id})\n   ➡ {next_step(concern.category)}"
    )


def digest_text(concerns: list[ConcernRecord], now: datetime) -> str:
    """The daily digest for one member of staff: the open amber concerns they may read."""
    plural = "s" if len(concerns) != 1 else ""
    lines = [
        f"🟠 Read today: {len(concerns)} possible concern{plural} (amber) waiting for a "
        "decision. None is urgent by itself, but each must be read by a person today.",
        *(amber_line(c, now) for c in concerns),
        "",
        DIGEST_HOW,
    ]
    return "\n".join(lines)


@dataclass
class AmberDesk:
    """The amber use cases every channel shares: the digest and the two decisions."""

    storage: Storage
    alerter: ConcernAlerter
    sender: Delivery

    async def send_digest_due(self, now: datetime) -> int:
        """Send today's digest if its local time has come and it has not gone yet: to each
        member of staff, the open amber concerns they may read. How many were told."""
        settings = self.alerter.settings
        local = now.astimezone(settings.zone)
        if local.time() < settings.amber_digest_at:
            return 0
        day = local.date().isoformat()
        if await self.storage.concerns.digest_sent(day):
            return 0
        ambers = await self.storage.concerns.open_amber()
        if not await self.storage.concerns.claim_digest(day, now, len(ambers)):
            return 0
        told = []
        for member in await self.storage.staff.all():
            mine = [c for c in ambers if member.may_read(c.readable_by)]
            if not mine:
                continue
            payload = encode_message(Message(digest_text(mine, now), "info"), staff_buttons=True)
            await self.storage.outbox.add(member.user_id, payload, now)
            told.append(member.user_id)
        for user_id in told:
            await self.sender.flush_chat(user_id)
        log_event("amber_digest", day=day, concerns=len(ambers), staff=len(told))
        return len(told)

    async def raise_to_red(self, concern_id: int, reason: str, actor: Actor) -> ConcernRecord:
        """Raise an amber concern to red: recorded and audited, then alerted at once and
        again until someone acknowledges it by name."""
        now = self.alerter.clock()
        await self._decide(concern_id, "raised", reason, actor, now)
        log_event("concern_raised_to_red", concern=concern_id, staff=actor.user_id or 0)
        await self.alerter.alert([concern_id])
        return await self._get(concern_id)

    async def close(self, concern_id: int, reason: str, actor: Actor) -> ConcernRecord:
        """Close an amber concern with the reason no further action is needed; audited."""
        now = self.alerter.clock()
        await self._decide(concern_id, "closed", reason, actor, now)
        log_event("concern_amber_closed", concern=concern_id, staff=actor.user_id or 0)
        return await self._get(concern_id)

    async def _decide(
        self, concern_id: int, decision: str, reason: str, actor: Actor, now: datetime
    ) -> None:
        if not reason.strip():
            raise AmberRefused("Please say why, after the concern's number.")
        concern = await self.storage.concerns.get(concern_id)
        if concern is None or not actor.may_read(concern.readable_by):
            raise AmberRefused(
                f"There is no concern {concern_id} that you can see. Send /concerns to see yours."
            )
        if concern.tier != "amber" or concern.acknowledged_at is not None:
            raise AmberRefused(
                f"Concern {concern_id} is not an open amber concern (it is {concern.tier}"
                f"{', decided' if concern.decision else ''}), so there is nothing to decide. "
                "Send /concerns to see the open ones."
            )
        if not await self.storage.concerns.decide_amber(
            concern_id, decision, reason.strip(), actor, now
        ):
            raise AmberRefused(
                f"Someone decided on concern {concern_id} a moment ago. Send /concerns."
            )

    async def _get(self, concern_id: int) -> ConcernRecord:
        concern = await self.storage.concerns.get(concern_id)
        assert concern is not None
        return concern
