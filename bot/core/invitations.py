"""Inviting someone to an interview: the one use case behind `invite create` and the staff
chat's /invite, so both check the same things and say the same."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.core.context import AppContext
from flows.text import LANGUAGE_NAMES
from storage import AccessDenied, Actor
from storage.records import NewInvitation


class InvitationRefused(ValueError):
    """An invitation that cannot be made as asked; the message says what to change."""


SUPPORT = ("none", "easy-read", "worker")
"""How the social worker decided the person takes part."""


def easy_read_of(app: AppContext, flow_id: str) -> str:
    """The easy-read version of a flow: the flow itself if it is one, else FLOW-easy-read."""
    flow = app.service.flow(flow_id)
    if flow.easy_read:
        return flow.id
    version = f"{flow.id}-easy-read"
    if version not in app.flows:
        raise InvitationRefused(
            f"There is no easy-read version of '{flow.id}'. Easy-read flows: "
            f"{', '.join(f for f, v in app.flows.items() if v.easy_read) or 'none'}."
        )
    return version


@dataclass(frozen=True)
class CreatedInvitation:
    """A new invitation, its link, and anything staff should know about it."""

    invitation: NewInvitation
    link: str
    warnings: list[str] = field(default_factory=list)
    web_link: str | None = None
    whatsapp_link: str | None = None


async def create_invitation(
    app: AppContext,
    *,
    flow_id: str,
    name: str,
    service: str | None,
    language: str | None,
    actor: Actor,
    bot_username: str | None,
    days: int | None = None,
    support: str = "none",
) -> CreatedInvitation:
    """Check the flow, the language, the home or service and the inviter's right to it,
    then create a single-use invitation. The token is in the result, once. With support
    "easy-read" the flow's easy-read version is used; with "worker" the introduction
    speaks to the adult helping too."""
    if support not in SUPPORT:
        raise InvitationRefused(f"Support must be one of: {', '.join(SUPPORT)}.")
    if actor.staff is not None and actor.staff.role == "reviewer":
        raise AccessDenied("Reviewers read interviews; an interviewer or an admin invites.")
    flow = app.service.flow(easy_read_of(app, flow_id) if support == "easy-read" else flow_id)
    if language is not None and language not in flow.languages:
        offered = ", ".join(LANGUAGE_NAMES.get(lang, lang) for lang in flow.languages)
        raise InvitationRefused(
            f"The flow '{flow.id}' has no {LANGUAGE_NAMES.get(language, language)} version "  # type: ignore[call-overload]
            f"(it is in {offered}). Leave the language out, or choose a flow in that language."
        )
    if not service:
        raise InvitationRefused(
            "Say which home or fostering service the person is leaving (--service), so its "
            "staff hear of any concern. See 'exit-interviews services list'."
        )
    await app.storage.services.require([service])
    if actor.staff is not None and not actor.staff.may_see(service):
        raise AccessDenied(
            "You can only invite people for your own homes or services: "
            f"{', '.join(actor.staff.services) or 'none yet'}. Ask an admin to add one."
        )
    now = app.clock()
    lifetime = days if days is not None else app.settings.invitation_days
    invitation = await app.storage.interviews.invite(
        flow_id=flow.id,
        flow_version=flow.version,
        display_name=name,
        service=service,
        language=language,
        expires_at=now + timedelta(days=lifetime),
        actor=actor,
        at=now,
        support=support,
    )
    warnings = []
    if await app.storage.services.uncovered(service):
        warnings.append(
            f"Nobody but admins covers {service}, so only admins will hear of a concern. Add "
            f"a reviewer with 'exit-interviews staff add USER_ID ... --service \"{service}\"'."
        )
    return CreatedInvitation(
        invitation,
        telegram_link(bot_username, invitation.token),
        warnings,
        web_link(app, invitation.token),
        whatsapp_link(whatsapp_number(app, service), invitation.token),
    )


def whatsapp_number(app: AppContext, service: str | None) -> str | None:
    """The WhatsApp number to invite on, or None where the service has turned WhatsApp off."""
    if service in app.settings.whatsapp_off_services:
        return None
    return app.settings.whatsapp_business_number


def telegram_link(bot_username: str | None, token: str) -> str:
    """The Telegram link that opens an invitation."""
    return f"https://t.me/{bot_username or '<your_bot>'}?start={token}"


def whatsapp_link(business_number: str | None, token: str) -> str | None:
    """The WhatsApp link that opens an invitation: a chat with the service's number, the
    one-time start code already typed. None when the deployment has no WhatsApp number."""
    if not business_number:
        return None
    return f"https://wa.me/{business_number}?text=START-{token}"


def web_link(app: AppContext, token: str) -> str | None:
    """The web chat link that opens an invitation, when the web chat has an address."""
    base = app.settings.web_url
    return f"{base.rstrip('/')}/i/{token}" if base else None


async def reissue_invitation(
    app: AppContext, interview_id: str, actor: Actor, bot_username: str | None
) -> CreatedInvitation:
    """A new link for the same interview (a new phone, a new browser); the old ones stop
    working and the answers so far are kept."""
    now = app.clock()
    invitation = await app.storage.interviews.reissue(
        interview_id, now + timedelta(days=app.settings.invitation_days), actor, now
    )
    return CreatedInvitation(
        invitation,
        telegram_link(bot_username, invitation.token),
        [],
        web_link(app, invitation.token),
        whatsapp_link(
            whatsapp_number(app, (await app.storage.interviews.get(interview_id)).service),
            invitation.token,
        ),
    )
