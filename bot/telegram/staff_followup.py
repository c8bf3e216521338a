"""Follow-up in the staff chat: tasks, decisions, recommendations and responses, writing to
the person, and agreeing who may read a "fewer people" interview. Each handler only turns
the chat into a call to bot/core/followup.py and its answer back into words."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Coroutine
from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import ContextTypes

from bot.core.context import AppContext
from bot.core.followup import FollowUpDesk, FollowUpRefused
from bot.core.prefixes import full_id, prefixes_of, shown
from bot.core.reports import monitoring_report, report_file_name
from bot.core.tasks import NO_ACTION_PREFIX, OPEN_PREFIX, TaskDesk
from bot.core.transcripts import read_transcript
from bot.telegram.keyboards import answer_press
from bot.telegram.staff import NO_SUCH_INTERVIEW, StaffGate
from storage import AccessDenied, Actor, NotFound, StaffMember, StorageError

RECOMMEND_USAGE = (
    "To record a recommendation, send:\n/recommend INTERVIEW; TO WHOM; DUE DATE; WHAT\n"
    "TO WHOM is a registered member of staff (their name or user id), or a role at a home, "
    "such as 'reviewer at Oak House'. For example:\n/recommend iv-0123456789; "
    "reviewer at Oak House; 2026-05-01; Review night staffing"
)
NO_SUCH_RECOMMENDATION = (
    "There is no recommendation {ref} that you can respond to. Send /tasks to see yours."
)
RESPOND_USAGE = (
    "To record a response, send:\n/respond REFERENCE what will be done\n"
    "for example: /respond r-1a2b3c4d The rota changed in June"
)
WRITE_USAGE = (
    "To write to the person in their chat, send:\n/{command} INTERVIEW; your message\n"
    "Send /{command} INTERVIEW alone to see a starting text in their language."
)
READERS_USAGE = (
    "To record who may read a 'fewer people' interview (besides admins and its assigned "
    "reviewer), send:\n/readers INTERVIEW USER_ID USER_ID ...\nor /readers INTERVIEW none"
)
DONE_USAGE = "To close a task, send:\n/done TASK what you did\nfor example: /done t-1a2b3c4d Called on Monday"
REF_SHAPE = re.compile(r"^[rt]-[0-9a-f]{8}$")
NO_ACTION_NOTE = "Read; no action needed."

Handler = Callable[[Update, ContextTypes.DEFAULT_TYPE, StaffMember], Awaitable[None]]


def _after_command(update: Update) -> str:
    message = update.effective_message
    return ((message.text or "") if message else "").partition(" ")[2].strip()


class StaffFollowUp:
    """Recording what happens after an interview, from the chat."""

    def __init__(
        self, app: AppContext, gate: StaffGate, desk: FollowUpDesk, tasks: TaskDesk
    ) -> None:
        self.app = app
        self.gate = gate
        self.desk = desk
        self.tasks = tasks

    def staff_only(
        self, handler: Handler
    ) -> Callable[[Update, ContextTypes.DEFAULT_TYPE], Coroutine[Any, Any, None]]:
        """The handler for registered staff; anyone else gets what a stranger gets, and any
        refusal from the core is said in plain words."""

        async def guarded(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
            member = await self.gate.member(update)
            if member is None:
                await self.gate.refuse(update)
                return
            try:
                await handler(update, context, member)
            except FollowUpRefused as error:
                await self.gate.say(update, str(error))
            except (AccessDenied, NotFound, StorageError) as error:
                await self.gate.say(update, str(error))

        return guarded

    async def on_tasks(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, member: StaffMember
    ) -> None:
        now = self.app.clock()
        mine = await self.app.storage.tasks.mine(member)
        if not mine:
            await self.gate.say(update, "You have no open tasks. Thank you.")
            return
        short = await prefixes_of(self.app.storage.db, "task")
        lines = ["Your open tasks, soonest due first:"]
        for task in mine:
            words = await self.tasks.words(task, now)
            late = "⏰ OVERDUE · " if task.overdue(now) else ""
            lines.append(
                f"\n{late}{shown(task.ref, short)} · due {task.due_at:%d %b %Y}\n{words.text}"
            )
        await self.gate.say(update, "\n".join(lines))

    async def on_done(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, member: StaffMember
    ) -> None:
        args = context.args or []
        if args:
            args = [await full_id(self.app.storage.db, "task", args[0]), *args[1:]]
        if len(args) < 2 or not REF_SHAPE.match(args[0].lower()):
            await self.gate.say(update, DONE_USAGE)
            return
        task = await self.desk.close_task(
            args[0].lower(), " ".join(args[1:]), Actor.for_staff(member)
        )
        await self.gate.say(update, f"Task {task.ref} closed. Thank you.")

    async def on_recommend(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, member: StaffMember
    ) -> None:
        parts = [p.strip() for p in _after_command(update).split(";", 3)]
        try:
            interview_id, to, due, text = parts
            due_on = date.fromisoformat(due)
        except ValueError:
            await self.gate.say(update, RECOMMEND_USAGE)
            return
        try:
            made = await self.desk.recommend(
                await full_id(self.app.storage.db, "interview", interview_id),
                to,
                due_on,
                text,
                Actor.for_staff(member),
            )
        except (AccessDenied, NotFound):
            await self.gate.say(update, NO_SUCH_INTERVIEW.format(interview=interview_id[:40]))
            return
        if made.registered:
            after = f"It has been sent to {to}; you will be told of their response."
        else:
            after = (
                f"“{to}” is not registered with the bot, so please send it to them yourself; "
                "a task reminds you."
            )
        await self.gate.say(
            update, f"Recommendation {made.ref} recorded, due {due_on:%d %B %Y}. {after}"
        )

    async def on_respond(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, member: StaffMember
    ) -> None:
        args = context.args or []
        if args:
            args = [await full_id(self.app.storage.db, "recommendation", args[0]), *args[1:]]
        ref = args[0].lower() if args and REF_SHAPE.match(args[0].lower()) else None
        if len(args) < 2 or ref is None:
            await self.gate.say(update, RESPOND_USAGE)
            return
        try:
            done = await self.desk.respond(ref, " ".join(args[1:]), Actor.for_staff(member))
        except (AccessDenied, NotFound):
            await self.gate.say(update, NO_SUCH_RECOMMENDATION.format(ref=ref))
            return
        told = f" {done.told} has been sent it." if done.told else ""
        await self.gate.say(update, f"Response to recommendation {ref} recorded.{told}")

    async def on_thank(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, member: StaffMember
    ) -> None:
        await self._write(update, member, "thanks", "thank")

    async def on_message(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, member: StaffMember
    ) -> None:
        await self._write(update, member, "message", "message")

    async def _write(self, update: Update, member: StaffMember, purpose: str, command: str) -> None:
        interview_id, _, text = (p.strip() for p in _after_command(update).partition(";"))
        if not interview_id:
            await self.gate.say(update, WRITE_USAGE.format(command=command))
            return
        actor = Actor.for_staff(member)
        try:
            interview = await self.app.storage.interviews.require_access(
                interview_id, actor, self.app.clock(), "thank_you"
            )
        except (AccessDenied, NotFound):
            await self.gate.say(update, NO_SUCH_INTERVIEW.format(interview=interview_id[:40]))
            return
        if not text:
            template = self.desk.thank_you_template(interview.flow_id, interview.language)
            await self.gate.say(
                update,
                f"A starting text in their language ({interview.language}); change it, then "
                f"send it with /{command} {interview_id}; followed by your message:",
            )
            await self.gate.say(update, template)
            return
        queued = await self.desk.write_to_person(interview_id, text, actor, purpose)
        if queued.message is None:
            await self.gate.say(
                update,
                "Their chat cannot be reached (they never opened the link, or their answers "
                "were erased), so it was not sent. A task reminds you to reach them another way.",
            )
            return
        await self.gate.say(
            update, f"Sent to {interview.display_name}'s chat. Its delivery is recorded."
        )

    async def on_readers(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, member: StaffMember
    ) -> None:
        args = context.args or []
        none = len(args) == 2 and args[1].lower() == "none"
        if len(args) < 2 or (not none and not all(a.isdigit() for a in args[1:])):
            await self.gate.say(update, READERS_USAGE)
            return
        ids = [] if none else [int(a) for a in args[1:]]
        args = [await full_id(self.app.storage.db, "interview", args[0]), *args[1:]]
        try:
            await self.desk.agree_readers(args[0], ids, Actor.for_staff(member))
        except (AccessDenied, NotFound):
            await self.gate.say(update, NO_SUCH_INTERVIEW.format(interview=args[0][:40]))
            return
        names = await self.app.storage.staff.names()
        who = ", ".join(names.get(i, str(i)) for i in ids) or "nobody else"
        await self.gate.say(update, f"Recorded. Besides admins and its assigned reviewer: {who}.")

    async def on_no_action(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, member: StaffMember
    ) -> None:
        args = context.args or []
        if not args:
            await self.gate.say(update, "Send /noaction INTERVIEW, and a note if you wish.")
            return
        args = [await full_id(self.app.storage.db, "interview", args[0]), *args[1:]]
        try:
            await self.desk.no_action(
                args[0], " ".join(args[1:]) or NO_ACTION_NOTE, Actor.for_staff(member)
            )
        except (AccessDenied, NotFound):
            await self.gate.say(update, NO_SUCH_INTERVIEW.format(interview=args[0][:40]))
            return
        await self.gate.say(update, f"Recorded: interview {args[0]} was read and needs no action.")

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """The buttons under a finished-interview notice: read it, or record no action."""
        query = update.callback_query
        if query is None:
            return
        member = await self.gate.member(update)
        kind, _, interview_id = (query.data or "").partition("|")
        if member is None or not interview_id:
            await answer_press(query, "Sorry, that button does not work for you.")
            return
        actor = Actor.for_staff(member)
        try:
            if kind == OPEN_PREFIX:
                text = await read_transcript(self.app, interview_id, actor)
                await answer_press(query)
                await self.gate.say(update, text)
                return
            if kind == NO_ACTION_PREFIX:
                await self.desk.no_action(interview_id, NO_ACTION_NOTE, actor)
        except (AccessDenied, NotFound):
            await answer_press(query, "Sorry, that button does not work for you.")
            return
        await answer_press(query, "Recorded. Thank you.")
        original = getattr(query.message, "text", None)
        if original:
            await query.edit_message_text(f"{original}\n\n✔ Read; no action needed (recorded).")


REPORT_USAGE = (
    "To get the monitoring report as a file, send:\n/report FLOW FROM TO\n"
    "for example: /report children-home 2025-04-01 2026-03-31\nFlows: {flows}"
)


class StaffReports:
    """/report in the staff chat: the monitoring report for the reader's homes or services,
    sent back as an HTML file. The read is audited like any other report."""

    def __init__(self, app: AppContext, gate: StaffGate) -> None:
        self.app = app
        self.gate = gate

    async def on_report(
        self, update: Update, context: ContextTypes.DEFAULT_TYPE, member: StaffMember
    ) -> None:
        args = context.args or []
        usage = REPORT_USAGE.format(flows=", ".join(self.app.flows))
        try:
            flow_id, start, end = args[0], date.fromisoformat(args[1]), date.fromisoformat(args[2])
        except (IndexError, ValueError):
            await self.gate.say(update, usage)
            return
        if flow_id not in self.app.flows or end < start:
            await self.gate.say(update, usage)
            return
        await self.gate.say(update, "Making the report; it takes a moment.")
        html = await monitoring_report(
            self.app, flow_id, Actor.for_staff(member), start=start, end=end
        )
        message = update.effective_message
        if message is not None:
            await message.reply_document(
                html.encode("utf-8"),
                filename=report_file_name(flow_id, start, end),
                caption=f"Monitoring report, {start:%d %B %Y} to {end:%d %B %Y}",
            )
