"""After the interview, the use cases behind the staff chat and the command line alike:
record a decision or a recommendation, respond to one, write to the person, agree who may
read a "fewer people" interview, and close tasks. Each then tells whoever must act next."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from bot.core.context import AppContext
from bot.core.delivery import Delivery
from bot.core.tasks import TaskDesk, staff_name
from flows.outputs import Message
from flows.text import pick
from storage import Actor
from storage.codec import encode_message
from storage.followup import Addressee, Recommendation, Recommended
from storage.records import ROLES, Role, staff_id_of
from storage.tasks import Task
from storage.thanks import ThankYouQueued

ROLE_AT = re.compile(r"^(?P<role>[a-z]+)s?\s*(?:@|\bat\b)\s*(?P<service>.+)$", re.IGNORECASE)
END_OF_DAY = time(17, 0)


class FollowUpRefused(ValueError):
    """A follow-up action that cannot be done as asked; the message says what to change."""


async def resolve_addressee(app: AppContext, to: str) -> Addressee:
    """Who a recommendation is for, from what staff typed: a registered member's user id,
    their name, or "ROLE at HOME" (e.g. "reviewer at Oak House"); anything else is kept
    as words, and the writer is asked to send it by hand."""
    words = to.strip()
    if not words:
        raise FollowUpRefused("Say who the recommendation is for.")
    members = await app.storage.staff.all()
    if words.isdigit():
        member = next((m for m in members if m.user_id == int(words)), None)
        if member is None:
            raise FollowUpRefused(
                f"No current member of staff has user id {words}. Give their name, a role "
                "at a home (e.g. 'reviewer at Oak House'), or see 'exit-interviews staff list'."
            )
        return Addressee(member.name, member.user_id)
    named = [m for m in members if m.name.casefold() == words.casefold()]
    if len(named) == 1:
        return Addressee(named[0].name, named[0].user_id)
    match = ROLE_AT.match(words)
    if match and match.group("role").lower() in ROLES:
        role: Role = match.group("role").lower()  # type: ignore[assignment]
        service = match.group("service").strip()
        if service in await app.storage.services.names():
            return Addressee(f"{role}s at {service}", None, role, service)
    return Addressee(words)


@dataclass(frozen=True)
class Responded:
    """A response recorded, and the name of whoever was sent it (None: nobody could be)."""

    recommendation: Recommendation
    told: str | None


class FollowUpDesk:
    """The follow-up use cases; `tasks` announces what they create."""

    def __init__(self, app: AppContext, sender: Delivery, tasks: TaskDesk) -> None:
        self.app = app
        self.sender = sender
        self.tasks = tasks

    async def recommend(
        self, interview_id: str, to: str, due_on: date, text: str, actor: Actor
    ) -> Recommended:
        """Record a recommendation and send it to its addressee (or ask the writer to)."""
        if not text.strip():
            raise FollowUpRefused("Say what is recommended.")
        now = self.app.clock()
        addressee = await resolve_addressee(self.app, to)
        due = datetime.combine(due_on, END_OF_DAY, tzinfo=now.tzinfo)
        recorded = await self.app.storage.followup.recommend(
            interview_id, text.strip(), addressee, due, actor, now
        )
        await self.tasks.announce_new(now)
        return recorded

    async def respond(self, ref: str, text: str, actor: Actor) -> Responded:
        """Record a response and send it to whoever made the recommendation."""
        if not text.strip():
            raise FollowUpRefused("Say what action, if any, will be taken.")
        now = self.app.clock()
        recommendation = await self.app.storage.followup.respond(ref, text.strip(), actor, now)
        user_id = staff_id_of(recommendation.created_by)
        writer = await self.app.storage.staff.get(user_id) if user_id is not None else None
        if writer is None:
            return Responded(recommendation, None)
        names = await self.app.storage.staff.names()
        message = (
            f"📬 {staff_name(actor.label, names)} responded to your recommendation "
            f"{recommendation.ref} (interview {recommendation.interview_id}):\n"
            f"“{text.strip()}”\nYou recommended: “{recommendation.text}”"
        )
        await self.app.storage.outbox.add(
            writer.user_id,
            encode_message(Message(message, "info")),
            now,
            about=recommendation.interview_id,
        )
        await self.sender.flush_chat(writer.user_id)
        return Responded(recommendation, writer.name)

    async def no_action(self, interview_id: str, note: str, actor: Actor) -> None:
        """Record that an interview was read and needs no action."""
        await self.app.storage.followup.decide_no_action(
            interview_id, note, actor, self.app.clock()
        )

    def thank_you_template(self, flow_id: str, language: str) -> str:
        """The plain-words starting point for a thank-you, in the person's language."""
        flow = self.app.flows.get(flow_id)
        if flow is None or flow.thank_you is None:
            return "Thank you for taking part. I have read your answers. What happens next: ..."
        return pick(flow.thank_you, "cy" if language == "cy" else "en")

    async def write_to_person(
        self, interview_id: str, text: str, actor: Actor, purpose: str = "thanks"
    ) -> ThankYouQueued:
        """Send a message from staff into the person's chat, even after the interview has
        ended; a task says so if it cannot be delivered."""
        if not text.strip():
            raise FollowUpRefused("Write the message to send.")
        now = self.app.clock()
        queued = await self.app.storage.thanks.write(
            interview_id,
            text.strip(),
            actor,
            now,
            "message" if purpose == "message" else "thanks",
        )
        if queued.message is not None and queued.message.chat_id is not None:
            await self.sender.flush_chat(queued.message.chat_id)
        else:
            await self.tasks.announce_new(now)
        return queued

    async def agree_readers(self, interview_id: str, user_ids: list[int], actor: Actor) -> None:
        """Record who may read a "fewer people" interview, as agreed with the person."""
        await self.app.storage.readers.agree(interview_id, user_ids, actor, self.app.clock())

    async def close_task(self, ref: str, note: str, actor: Actor) -> Task:
        """Record a task as done, if it is this person's (admins may close any)."""
        if not note.strip():
            raise FollowUpRefused("Say what was done, so the record shows it.")
        task = await self.app.storage.tasks.get(ref)
        member = actor.staff
        if (
            member is not None
            and member.role != "admin"
            and not await self.app.storage.tasks.is_owner(task, member)
        ):
            raise FollowUpRefused(f"Task {task.ref} is not yours. Send /tasks to see yours.")
        return await self.app.storage.tasks.close(ref, note.strip(), actor, self.app.clock())
