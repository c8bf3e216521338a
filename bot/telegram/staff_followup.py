"""Follow-up in the staff chat: recommend, respond, mark the young person thanked, overdue."""

from __future__ import annotations

import re
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import ContextTypes

from bot.core.context import AppContext
from bot.telegram.keyboards import answer_press
from bot.telegram.staff import NO_SUCH_INTERVIEW, StaffGate
from storage import AccessDenied, Actor, NotFound

THANKED_PREFIX = "thanked"
RECOMMEND_USAGE = (
    "To record a recommendation, send:\n/recommend INTERVIEW; TO WHOM; DUE DATE; WHAT\n"
    "for example:\n/recommend iv-0123456789; CSM Residential Services; 2026-05-01; "
    "Review night staffing"
)
NO_SUCH_RECOMMENDATION = (
    "There is no recommendation {ref} that you can respond to. Send /overdue to see yours."
)
RESPOND_USAGE = (
    "To record a response, send:\n/respond REFERENCE what will be done\n"
    "for example: /respond r-1a2b3c4d The rota changed in June"
)
REF_SHAPE = re.compile(r"^r-[0-9a-f]{8}$")


def thanked_keyboard(interview_id: str) -> InlineKeyboardMarkup:
    """The button under a transcript: the young person has been written to."""
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    "✉ Young person thanked and told of recommendations",
                    callback_data=f"{THANKED_PREFIX}|{interview_id}",
                )
            ]
        ]
    )


class StaffFollowUp:
    """Recording what happens after an interview, from the chat."""

    def __init__(self, app: AppContext, gate: StaffGate) -> None:
        self.app = app
        self.gate = gate

    async def on_recommend(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        member = await self.gate.member(update)
        if member is None:
            await self.gate.refuse(update)
            return
        message = update.effective_message
        parts = [
            p.strip()
            for p in ((message.text or "") if message else "").partition(" ")[2].split(";", 3)
        ]
        try:
            interview_id, to, due, text = parts
            due_on = date.fromisoformat(due)
        except ValueError:
            await self.gate.say(update, RECOMMEND_USAGE)
            return
        try:
            ref = await self.app.storage.followup.recommend(
                interview_id, text, to, due_on, Actor.for_staff(member), self.app.clock()
            )
        except (AccessDenied, NotFound):
            await self.gate.say(update, NO_SUCH_INTERVIEW.format(interview=interview_id[:40]))
            return
        await self.gate.say(
            update,
            f"Recommendation {ref} recorded for {to}, due "
            f"{due_on:%d %B %Y}. You will be reminded if there is no response by then.",
        )

    async def on_respond(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        member = await self.gate.member(update)
        if member is None:
            await self.gate.refuse(update)
            return
        args = context.args or []
        ref = args[0].lower() if args and REF_SHAPE.match(args[0].lower()) else None
        if len(args) < 2 or ref is None:
            await self.gate.say(update, RESPOND_USAGE)
            return
        try:
            await self.app.storage.followup.respond(
                ref, " ".join(args[1:]), Actor.for_staff(member), self.app.clock()
            )
        except (AccessDenied, NotFound):
            await self.gate.say(update, NO_SUCH_RECOMMENDATION.format(ref=ref))
            return
        await self.gate.say(update, f"Response to recommendation {ref} recorded.")

    async def on_overdue(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        member = await self.gate.member(update)
        if member is None:
            await self.gate.refuse(update)
            return
        today = self.app.clock().date()
        found = [
            r
            for r in await self.app.storage.followup.visible(Actor.for_staff(member))
            if r.overdue(today)
        ]
        if not found:
            await self.gate.say(update, "No recommendation is overdue for your homes or services.")
            return
        await self.gate.say(
            update,
            "\n".join(
                f"{r.ref} · {r.interview_id} · to {r.addressed_to} · due {r.due_on:%d %b %Y}"
                for r in found
            )
            + "\nRecord a response with /respond REFERENCE what will be done",
        )

    async def offer_thanked(self, update: Update, interview_id: str) -> None:
        message = update.effective_message
        if message is not None:
            await message.reply_text(
                "When the young person has been written to:",
                reply_markup=thanked_keyboard(interview_id),
            )

    async def on_thanked(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        member = await self.gate.member(update)
        if query is None:
            return
        interview_id = (query.data or "").partition("|")[2]
        if member is None or not interview_id:
            await answer_press(query, "Sorry, that button does not work any more.")
            return
        try:
            await self.app.storage.followup.thanked(
                interview_id, Actor.for_staff(member), self.app.clock()
            )
        except (AccessDenied, NotFound) as error:
            await answer_press(query, str(error)[:190])
            return
        await answer_press(query, "Recorded. Thank you.")
        original = getattr(query.message, "text", None)
        if original:
            await query.edit_message_text(f"{original}\n✅ Recorded as thanked.")
