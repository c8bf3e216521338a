"""Staff features in the chat: invite, list, read transcripts, and acknowledge concerns."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ContextTypes

from bot.core.amber import DIGEST_HOW, AmberDesk, AmberRefused, amber_line
from bot.core.concerns import category_label, next_step
from bot.core.context import AppContext
from bot.core.invitations import InvitationRefused, create_invitation, reissue_invitation
from bot.core.logs import log_event
from bot.core.notices import stranger_text
from bot.core.prefixes import full_id, prefixes_of, shown
from bot.core.transcripts import read_transcript
from bot.documents.concern_view import question_words
from bot.telegram.keyboards import (
    ack_keyboard,
    answer_press,
    app_language,
    parse_ack,
    split_for_telegram,
)
from storage import AccessDenied, Actor, NotFound, StaffMember, StorageError

INVITE_USAGE = (
    "To invite someone, send:\n/invite FLOW; HOME OR SERVICE; NAME; LANGUAGE; SUPPORT\n"
    "for example:\n/invite children-home; Oak House; A.B.\n"
    "LANGUAGE is optional (en or cy). SUPPORT is optional: none, easy-read (the easy-read "
    "version) or worker (an adult helps). Flows: {flows}"
)
NO_SUCH_INTERVIEW = (
    "There is no interview {interview} that you can read. Send /interviews to see yours."
)
DECISION_USAGE = {
    "raise": "Send /raise CONCERN why, for example: /raise 12 an adult is hurting them. "
    "/concerns lists the open ones.",
    "closeconcern": "Send /closeconcern CONCERN why, for example: /closeconcern 12 read it, "
    "a sports injury, no risk. /concerns lists the open ones.",
}
CANNOT_ACKNOWLEDGE = "Sorry, that button does not work for you."
STATUS_MARKS = {
    "completed": "✅",
    "stopped": "⏹",
    "declined": "👋",
    "paused": "⏸",
    "in_progress": "💬",
    "consented": "💬",
    "invited": "✉",
    "expired": "⌛",
    "erased": "🗑",
}


class StaffGate:
    """Who may use the staff commands, and how a staff handler answers: shared by the staff
    handlers (composed, not inherited)."""

    def __init__(self, app: AppContext) -> None:
        self.app = app

    async def member(self, update: Update) -> StaffMember | None:
        """The member of staff behind an update, only in their own private chat with the
        bot: an update claiming to be from an admin but for another chat is refused."""
        user = update.effective_user
        chat = update.effective_chat
        if user is None or chat is None or chat.type != ChatType.PRIVATE or chat.id != user.id:
            return None
        return await self.app.storage.staff.get(user.id)

    async def refuse(self, update: Update) -> None:
        """Anyone who is not staff gets exactly what a stranger gets."""
        await self.app.storage.interviews.mark_update(update.update_id, self.app.clock())
        message = update.effective_message
        if message is not None:
            await message.reply_text(stranger_text(self.app.help, app_language(update)))

    async def say(self, update: Update, text: str) -> None:
        message = update.effective_message
        if message is not None:
            for piece in split_for_telegram(text):
                await message.reply_text(piece)


class StaffChat:
    """Handlers for registered staff: invite, list, read transcripts, concerns."""

    def __init__(self, app: AppContext, gate: StaffGate) -> None:
        self.app = app
        self.gate = gate

    async def on_whoami(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        user = update.effective_user
        if user is not None:
            await self.gate.say(
                update,
                f"Your Telegram user id is {user.id}. Staff are registered "
                "with: exit-interviews staff add USER_ID --name NAME --role ROLE",
            )

    async def on_invite(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        member = await self.gate.member(update)
        if member is None or member.role == "reviewer":
            await self.gate.refuse(update)
            return
        message = update.effective_message
        text = (message.text or "") if message else ""
        parts = [p.strip() for p in text.partition(" ")[2].split(";")]
        flows = ", ".join(self.app.flows)
        if len(parts) < 3 or parts[0] not in self.app.flows or not parts[2]:
            await self.gate.say(update, INVITE_USAGE.format(flows=flows))
            return
        flow_id, service, name = parts[0], parts[1] or None, parts[2]
        language = parts[3] if len(parts) > 3 and parts[3] else None
        support = parts[4] if len(parts) > 4 and parts[4] else "none"
        try:
            created = await create_invitation(
                self.app,
                flow_id=flow_id,
                name=name,
                service=service,
                language=language,
                actor=Actor.for_staff(member),
                bot_username=context.bot.username,
                support=support,
            )
        except (InvitationRefused, StorageError) as error:
            await self.gate.say(update, str(error))
            return
        lines = [
            f"Interview {created.invitation.interview_id} created for {name}. Send them this "
            f"link. It works once, for {self.app.settings.invitation_days} days:",
            created.link,
            *(
                ["or, in a web browser (no app needed):", created.web_link]
                if created.web_link
                else []
            ),
            *(["or, on WhatsApp:", created.whatsapp_link] if created.whatsapp_link else []),
            *(f"⚠ {warning}" for warning in created.warnings),
        ]
        await self.gate.say(update, "\n".join(lines))
        log_event(
            "invitation_created", interview=created.invitation.interview_id, staff=member.user_id
        )

    async def on_reissue(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A new link for the same interview; the old one stops working."""
        member = await self.gate.member(update)
        if member is None or member.role == "reviewer":
            await self.gate.refuse(update)
            return
        args = context.args or []
        if not args:
            await self.gate.say(update, "Send /reissue followed by the interview id.")
            return
        args = [await full_id(self.app.storage.db, "interview", args[0]), *args[1:]]
        try:
            created = await reissue_invitation(
                self.app, args[0], Actor.for_staff(member), context.bot.username
            )
        except (AccessDenied, NotFound):
            await self.gate.say(update, NO_SUCH_INTERVIEW.format(interview=args[0][:40]))
            return
        except StorageError as error:
            await self.gate.say(update, str(error))
            return
        lines = [
            f"Interview {args[0]} has a new link; the old one no longer works. "
            "Their answers so far are kept:",
            created.link,
            *(["or, in a web browser:", created.web_link] if created.web_link else []),
            *(["or, on WhatsApp:", created.whatsapp_link] if created.whatsapp_link else []),
        ]
        await self.gate.say(update, "\n".join(lines))

    async def on_interviews(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        member = await self.gate.member(update)
        if member is None:
            await self.gate.refuse(update)
            return
        found = await self.app.storage.interviews.find(Actor.for_staff(member), limit=20)
        if not found:
            await self.gate.say(update, "No interviews yet for your homes or services.")
            return
        short = await prefixes_of(self.app.storage.db, "interview")
        lines = ["Recent interviews (⚠ = open concern):"]
        for item in found:
            mark = "⚠ " if item.open_concerns else ""
            lines.append(
                f"{mark}{STATUS_MARKS.get(item.status, '')} {shown(item.id, short)} · "
                f"{item.display_name} · {item.service or '-'} · {item.status} · "
                f"{item.updated_at:%d %b %H:%M}"
            )
        await self.gate.say(update, "\n".join(lines))

    async def on_transcript(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        member = await self.gate.member(update)
        if member is None:
            await self.gate.refuse(update)
            return
        args = context.args or []
        if not args:
            await self.gate.say(
                update,
                "Send /transcript followed by the interview id, "
                "for example /transcript iv-0123456789.",
            )
            return
        args = [await full_id(self.app.storage.db, "interview", args[0]), *args[1:]]
        try:
            text = await read_transcript(self.app, args[0], Actor.for_staff(member))
        except (AccessDenied, NotFound):
            await self.gate.say(update, NO_SUCH_INTERVIEW.format(interview=args[0][:40]))
            return
        await self.gate.say(update, text)
        await self._send_voices(update, args[0], Actor.for_staff(member))

    async def _send_voices(self, update: Update, interview_id: str, actor: Actor) -> None:
        """The recordings of an interview's voice answers, into the reader's own chat;
        each one sent is audited and counts as listened to."""
        message = update.effective_message
        if message is None:
            return
        for voice in await self.app.storage.voices.for_interview(interview_id):
            audio = await self.app.storage.voices.listen(voice.id, actor, self.app.clock())
            caption = f"🎤 Voice answer from interview {interview_id}"
            if voice.mime == "audio/ogg":
                length = timedelta(seconds=voice.seconds) if voice.seconds else None
                await message.reply_voice(audio, duration=length, caption=caption)
            else:
                await message.reply_document(audio, filename=f"{voice.id}.audio", caption=caption)

    async def on_concerns(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Open concerns the reader may see: red first (each with its button), then amber
        (read today), each with what to do next; never the person's words."""
        member = await self.gate.member(update)
        if member is None:
            await self.gate.refuse(update)
            return
        concerns = await self.app.storage.concerns.open(Actor.for_staff(member))
        if not concerns:
            await self.gate.say(update, "There are no open concerns for your homes or services.")
            return
        message = update.effective_message
        assert message is not None
        red = [c for c in concerns if c.tier != "amber"]
        amber = [c for c in concerns if c.tier == "amber"]
        await self.gate.say(
            update,
            f"🔴 Red, act now: {len(red)} not yet acknowledged." if red else "🔴 Red: none open.",
        )
        for concern in red:
            words = question_words(self.app.flows.get(concern.flow_id or ""), concern.question_id)
            where = f"at the question “{words}”" if words else "in something they wrote"
            await message.reply_text(
                f"🔴 Concern {concern.id}: {category_label(concern.category)}, interview "
                f"{concern.interview_id} ({concern.service or '-'}), raised "
                f"{concern.raised_at:%d %b %H:%M}, {where}.\n"
                f"➡ What to do next: {next_step(concern.category)}",
                reply_markup=ack_keyboard(concern.id),
            )
        if amber:
            now = self.app.clock()
            lines = [
                f"🟠 Amber, read today: {len(amber)} possible concern(s) waiting for a decision.",
                *(amber_line(c, now) for c in amber),
                "",
                DIGEST_HOW,
            ]
            await self.gate.say(update, "\n".join(lines))

    async def on_acknowledge(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Acknowledge by name; the same refusal whatever the reason, so a button for another
        home's concern tells nothing about it."""
        query = update.callback_query
        if query is None:
            return
        member = await self.gate.member(update)
        concern_id = parse_ack(query.data or "")
        concern = await self.app.storage.concerns.get(concern_id) if concern_id else None
        if (
            member is None
            or concern is None
            or not Actor.for_staff(member).may_read(concern.readable_by)
        ):
            await answer_press(query, CANNOT_ACKNOWLEDGE)
            return
        done = await self.app.storage.concerns.acknowledge(
            concern.id, Actor.for_staff(member), self.app.clock()
        )
        concern = await self.app.storage.concerns.get(concern.id)
        if concern is None or concern.acknowledged_at is None:
            await answer_press(query, CANNOT_ACKNOWLEDGE)
            return
        who = await self.app.storage.staff.get(concern.acknowledged_by or 0)
        name = who.name if who else "a member of staff"
        if done:
            log_event("concern_acknowledged", concern=concern.id, staff=member.user_id)
            await answer_press(query, "Thank you. It is recorded that you are dealing with it.")
        else:
            await answer_press(query, f"Already acknowledged by {name}.")
        original = getattr(query.message, "text", None)
        if original:
            await query.edit_message_text(
                f"{original}\n\n✅ Acknowledged by {name} at {concern.acknowledged_at:%d %b %H:%M}."
            )


class StaffAmber:
    """Deciding on an amber concern from the chat: /raise makes it red (everyone is alerted
    at once), /closeconcern closes it with a reason. Both are recorded and audited."""

    def __init__(self, app: AppContext, gate: StaffGate, desk: AmberDesk) -> None:
        self.app = app
        self.gate = gate
        self.desk = desk

    async def _decision(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, command: str
    ) -> tuple[StaffMember, int, str] | None:
        member = await self.gate.member(update)
        if member is None:
            await self.gate.refuse(update)
            return None
        args = context.args or []
        if len(args) < 2 or not args[0].isdigit():
            await self.gate.say(update, DECISION_USAGE[command])
            return None
        return member, int(args[0]), " ".join(args[1:])

    async def on_raise(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        asked = await self._decision(update, context, "raise")
        if asked is None:
            return
        member, concern_id, reason = asked
        try:
            concern = await self.desk.raise_to_red(concern_id, reason, Actor.for_staff(member))
        except AmberRefused as error:
            await self.gate.say(update, str(error))
            return
        await self.gate.say(
            update,
            f"Concern {concern.id} is now red. Everyone who may read it has been alerted, "
            "and will be again until someone acknowledges it by name.",
        )

    async def on_close(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        asked = await self._decision(update, context, "closeconcern")
        if asked is None:
            return
        member, concern_id, reason = asked
        try:
            concern = await self.desk.close(concern_id, reason, Actor.for_staff(member))
        except AmberRefused as error:
            await self.gate.say(update, str(error))
            return
        await self.gate.say(
            update, f"Concern {concern.id} closed. Your reason is recorded with your name."
        )
