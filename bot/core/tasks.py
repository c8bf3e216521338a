"""Tasks reaching people: a new task is announced to its owners at once, an overdue one is
reminded once a day (never in quiet hours) and escalated to the admins when it stays
overdue. Every message goes through the outbox, so a restart or an outage loses none and
the claims in storage mean none is sent twice.

A finished interview is where most tasks begin: its read task is made here (the step that
finished it only changed the interview), so an interview that finished while the bot was
down still gets one on the next tick. One with free-text answers also gets a "read the free
text" task for its interviewer, due in two working days: the safeguarding detector helps a
person, it never replaces one. A stopped interview's read task says it was stopped and
what was answered.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.core.concerns import category_label, next_step
from bot.core.config import Settings
from bot.core.delivery import Delivery
from bot.core.logs import log_error, log_event
from bot.documents.concern_view import WHEN_WORDS
from flows import Flow
from flows.outputs import Button, Message
from flows.text import pick
from flows.workdays import add_working_days
from storage import Storage
from storage.codec import encode_message
from storage.records import InterviewSummary, Role, StaffMember, Transcript, staff_id_of
from storage.tasks import NewTask, Task

DAY_SECONDS = 24 * 3600
FREE_TEXT_WITHIN_WORKING_DAYS = 2
NOT_REMINDED: frozenset[str] = frozenset({"read_today"})
"""Kinds whose daily reminder is something else (the amber digest lists them every day)."""
OPEN_PREFIX = "open"
NO_ACTION_PREFIX = "noaction"


@dataclass(frozen=True)
class TaskWords:
    """What a task says to its owner: a headline, what to do, and any buttons."""

    text: str
    buttons: tuple[tuple[Button, ...], ...] = ()


def read_buttons(interview_id: str) -> tuple[tuple[Button, ...], ...]:
    """Under a finished-interview notice: open the transcript, or record no action."""
    return (
        (Button("📄 Read the transcript", f"{OPEN_PREFIX}|{interview_id}"),),
        (Button("✔ Read, no action needed", f"{NO_ACTION_PREFIX}|{interview_id}"),),
    )


class TaskDesk:
    """Makes read tasks for finished interviews, and tells owners and admins of tasks."""

    def __init__(
        self,
        storage: Storage,
        flows: Mapping[str, Flow],
        sender: Delivery,
        settings: Settings,
    ) -> None:
        self.storage = storage
        self.flows = flows
        self.sender = sender
        self.settings = settings
        self._announcing = False
        self._asked_again = False

    async def read_tasks_for_finished(self, now: datetime) -> int:
        """A read task for every interview that has finished without one; how many."""
        made = 0
        for interview_id in await self.storage.tasks.finished_without_read_task():
            interview = await self.storage.interviews.get(interview_id)
            owner_role: Role = "admin" if interview.limited_circulation else "reviewer"
            task = NewTask(
                "read",
                add_working_days(now, self.settings.read_within_working_days),
                interview.id,
                interview.service,
                interview.assigned_reviewer,
                owner_role,
            )
            if await self.storage.tasks.create(task, now, "bot") is not None:
                made += 1
                await self._free_text_task(interview, now)
        return made

    async def _free_text_task(self, interview: InterviewSummary, now: datetime) -> None:
        """Every free-text answer is read by a person: the interviewer (or, if the person
        asked for fewer people to see their answers, its assigned reviewer, else the
        admins), within two working days."""
        flow = self.flows.get(interview.flow_id)
        if flow is None:
            return
        record = await self.storage.transcripts.load(interview.id)
        count = len(free_text_answers(record, flow))
        if not count:
            return
        limited = interview.limited_circulation
        owner = interview.assigned_reviewer if limited else staff_id_of(interview.created_by)
        role: Role = "admin" if limited else "interviewer"
        task = NewTask(
            "read_free_text",
            add_working_days(now, FREE_TEXT_WITHIN_WORKING_DAYS),
            interview.id,
            interview.service,
            owner,
            role,
            detail={"answers": str(count)},
        )
        await self.storage.tasks.create(task, now, "bot")

    async def announce_new(self, now: datetime) -> None:
        """Tell owners of every task not yet announced (finished interviews first made
        into read tasks). Asked again while it runs (many people finishing at once), it
        runs once more afterwards instead of alongside, so the work is not done hundreds of
        times over."""
        if self._announcing:
            self._asked_again = True
            return
        self._announcing = True
        try:
            while True:
                self._asked_again = False
                await self._announce(now)
                if not self._asked_again:
                    return
        finally:
            self._announcing = False

    async def _announce(self, now: datetime) -> None:
        """Each task on its own: one failing never stops the others."""
        await self.read_tasks_for_finished(now)
        for task in await self.storage.tasks.unannounced():
            try:
                if not await self.storage.tasks.claim(task.id, "announced_at", now, DAY_SECONDS):
                    continue
                owners = await self.storage.tasks.owners(task)
                words = await self.words(task, now)
                await self._send(owners, words, now, task.interview_id)
                log_event("task_announced", task=task.ref, kind=task.kind, staff=len(owners))
            except Exception as error:  # one task must never stop the others
                log_error("task_announce_failed", task=task.ref, error=type(error).__name__)

    async def remind_overdue(self, now: datetime, quiet: bool) -> None:
        """Once a day, remind owners of overdue tasks; tell the admins of those overdue
        longer than the escalation period. Nothing is sent in quiet hours."""
        if quiet:
            return
        escalate_after = timedelta(days=self.settings.task_escalate_after_days)
        for task in await self.storage.tasks.overdue(now):
            try:
                if task.kind not in NOT_REMINDED:
                    await self._remind(task, now)
                if now - task.due_at >= escalate_after:
                    await self._escalate(task, now)
            except Exception as error:  # one task must never stop the others
                log_error("task_reminder_failed", task=task.ref, error=type(error).__name__)

    async def _remind(self, task: Task, now: datetime) -> None:
        if not await self.storage.tasks.claim(task.id, "last_reminded_at", now, DAY_SECONDS):
            return
        words = await self.words(task, now)
        text = f"⏰ Reminder: this was due on {task.due_at:%d %B %Y} and is not done yet.\n\n"
        owners = await self.storage.tasks.owners(task)
        await self._send(
            owners, TaskWords(text + words.text, words.buttons), now, task.interview_id
        )
        log_event("task_reminded", task=task.ref, kind=task.kind)

    async def _escalate(self, task: Task, now: datetime) -> None:
        if task.escalated_at is not None:
            return
        if not await self.storage.tasks.claim(task.id, "escalated_at", now, 365 * DAY_SECONDS):
            return
        owners = await self.storage.tasks.owners(task)
        admins = await self.storage.staff.with_role("admin", None)
        names = ", ".join(o.name for o in owners) or "nobody registered"
        words = await self.words(task, now)
        days = (now - task.due_at).days
        text = (
            f"⚠ Overdue by {days} day{'s' if days != 1 else ''}: task {task.ref}, owned by "
            f"{names}. Please make sure it is done.\n\n{words.text}"
        )
        await self._send(admins, TaskWords(text), now, task.interview_id)
        log_event("task_escalated", task=task.ref, kind=task.kind, admins=len(admins))

    async def _send(
        self, members: list[StaffMember], words: TaskWords, now: datetime, about: str | None
    ) -> None:
        payload = encode_message(Message(words.text, "info", words.buttons), staff_buttons=True)
        for member in members:
            await self.storage.outbox.add(member.user_id, payload, now, about=about)
        for member in members:
            await self.sender.flush_chat(member.user_id)

    async def words(self, task: Task, now: datetime) -> TaskWords:
        """The task in the words its owner reads: names and question wording, never ids
        alone; the person's own answers never."""
        interview = (
            await self.storage.interviews.get(task.interview_id) if task.interview_id else None
        )
        about = self._about(interview)
        due = f"{task.due_at:%d %B %Y}"
        done = f"When it is done: /done {task.ref} what you did"
        if task.kind == "read" and interview is not None and interview.status == "stopped":
            return TaskWords(
                f"⏹ Interview stopped before the end: {about}\n"
                f"{await self._answered(interview)}\n{self._concerns(interview)}\n"
                f"Please read what they did answer and record a decision by {due}: no "
                f"action needed, or /recommend {interview.id}; TO WHOM; DUE DATE; WHAT",
                read_buttons(interview.id),
            )
        if task.kind == "read_free_text":
            return TaskWords(
                f"📝 Free text to read: {about}\n"
                f"{task.detail.get('answers', 'Some')} answer(s) in their own words. The "
                "safeguarding detector helps but never replaces a person: please read every "
                f"one by {due} (/transcript {task.interview_id}).\n"
                f"When you have: /done {task.ref} read"
            )
        if task.kind == "read_today":
            concern = task.detail.get("concern", "?")
            return TaskWords(
                f"🟠 Read today, possible concern (amber) {concern}: "
                f"{category_label(task.detail.get('category', 'feeling_unsafe'))}, {about}\n"
                f"➡ {next_step(task.detail.get('category', 'feeling_unsafe'))}\n"
                f"Read it with /transcript {task.interview_id}, then /raise {concern} why "
                f"(it becomes red: staff are alerted at once) or /closeconcern {concern} why."
            )
        if task.kind == "read" and interview is not None:
            return TaskWords(
                f"✅ Interview finished: {about}\n{self._concerns(interview)}\n"
                f"Please read it and record a decision by {due}: no action needed, or "
                f"recommendations with /recommend {interview.id}; TO WHOM; DUE DATE; WHAT",
                read_buttons(interview.id),
            )
        if task.kind == "call_back":
            return TaskWords(
                f"🙋 Asked to talk to a person: {about}\n{self._how(task)}\n"
                f"Please contact them by {due}. To write to them in their chat: "
                f"/message {task.interview_id}; your message\n{done}"
            )
        if task.kind == "agree_readers":
            return TaskWords(
                f"🔒 Asked for fewer people to see their answers: {about}\n"
                "Until you record who may read it, only admins and its assigned reviewer can. "
                f"Please talk with them about who needs to see it by {due}, then send "
                f"/readers {task.interview_id} USER_ID ... (or /readers {task.interview_id} "
                "none)."
            )
        if task.kind == "respond" and task.recommendation_id is not None:
            return await self._respond_words(task, about, due)
        if task.kind == "send_by_hand":
            return TaskWords(
                f"✉ A recommendation on {about} is for {task.detail.get('to', 'someone')}, "
                "who is not registered with the bot. Please send it to them yourself and "
                f"ask them to reply to you.\n{done}"
            )
        if task.kind == "listen":
            return TaskWords(
                f"🎤 A voice answer to listen to: {about}\nNothing checks audio for signs of "
                f"risk, so a person must listen by {due}. Send /transcript "
                f"{task.interview_id} and the bot sends the recording to you."
            )
        if task.kind == "thanks_undelivered":
            return TaskWords(
                f"✉ Your message could not be delivered in their chat "
                f"({task.detail.get('reason', 'unknown reason')}): {about}\n"
                f"Please reach them another way, for example by letter.\n{done}"
            )
        return TaskWords(f"📋 Task {task.ref} ({task.kind}) due {due}: {about}\n{done}")

    async def _respond_words(self, task: Task, about: str, due: str) -> TaskWords:
        assert task.recommendation_id is not None
        recommendation = await self.storage.followup.get(task.recommendation_id)
        names = await self.storage.staff.names()
        by = staff_name(recommendation.created_by, names)
        return TaskWords(
            f"📌 A recommendation for you from {by}, about {about}\n"
            f"“{recommendation.text}”\n"
            f"Please say what action, if any, will be taken, by {due}:\n"
            f"/respond {recommendation.ref} what will be done"
        )

    def _about(self, interview: InterviewSummary | None) -> str:
        if interview is None:
            return "(no interview)"
        flow = self.flows.get(interview.flow_id)
        title = pick(flow.title, "en") if flow else interview.flow_id
        when = f", finished {interview.finished_at:%d %B %Y}" if interview.finished_at else ""
        return (
            f"{interview.display_name}, {interview.service or 'no home or service'}, "
            f"“{title}”{when} ({interview.id})"
        )

    async def _answered(self, interview: InterviewSummary) -> str:
        """What a stopped interview holds: which questions were answered, in their
        wording; never the answers themselves."""
        flow = self.flows.get(interview.flow_id)
        record = await self.storage.transcripts.load(interview.id)
        if flow is None or not record.answers:
            return "They answered no questions, or asked for their answers to be deleted."
        answered = [q for q in flow.questions() if q.id in record.answers]
        total = len(flow.questions())
        names = "; ".join(f"“{pick(q.text, 'en')}”" for q in answered[:8])
        more = f" and {len(answered) - 8} more" if len(answered) > 8 else ""
        return f"They answered {len(answered)} of {total} questions: {names}{more}."

    @staticmethod
    def _concerns(interview: InterviewSummary) -> str:
        if not interview.concerns:
            return "No safeguarding concerns were raised."
        still = (
            f", {interview.open_concerns} not yet acknowledged" if interview.open_concerns else ""
        )
        plural = "s" if interview.concerns != 1 else ""
        return f"⚠ {interview.concerns} safeguarding concern{plural} raised{still}."

    @staticmethod
    def _how(task: Task) -> str:
        how = task.detail.get("how", "chat")
        when = WHEN_WORDS.get(task.detail.get("when", "any"), "at any time")
        if how == "phone":
            number = task.detail.get("number") or "the number you have for them"
            return f"They would like a phone call ({number}), {when}."
        return f"They would like a message in their chat, {when}."


def free_text_answers(record: Transcript, flow: Flow) -> list[str]:
    """The answers given in the person's own words (free-text questions), which a person
    must read."""
    found = []
    for question in flow.questions():
        value = record.answers.get(question.id)
        if question.kind == "text" and isinstance(value, str) and value.strip():
            found.append(value)
    return found


def staff_name(label: str, names: Mapping[int, str]) -> str:
    """An actor label ("staff:123", "operator:alex") in words a person recognises."""
    user_id = staff_id_of(label)
    if user_id is not None:
        return names.get(user_id, "a former member of staff")
    kind, _, rest = label.partition(":")
    if kind == "operator":
        return f"{rest} (command line)" if rest else "the command line"
    return {"person": "the person", "bot": "the bot", "scheduler": "the bot"}.get(label, label)
