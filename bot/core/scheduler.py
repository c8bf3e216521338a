"""The clock-driven work: reminders and closing, concern reminders, retries, daily purge.

Due times are in the database. This only wakes up, asks storage what is due, and feeds
it back through the service, so a restart loses nothing and sends nothing twice.
"""

from __future__ import annotations

import contextlib
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import datetime, time

from bot.core.amber import AmberDesk
from bot.core.concerns import ConcernAlerter
from bot.core.context import AppContext
from bot.core.delivery import Delivery
from bot.core.failsafe import SafetyNet
from bot.core.logs import log_error, log_event
from bot.core.reports import YearlyReports
from bot.core.tasks import TaskDesk
from storage import Actor, StorageError
from storage.leader import SchedulerLeader

SCHEDULER = Actor.for_operator("scheduler")


def in_quiet_hours(moment: datetime, start: time, end: time) -> bool:
    """Whether a local time falls in the quiet hours, which may run past midnight."""
    now = moment.timetz().replace(tzinfo=None)
    if start <= end:
        return start <= now < end
    return now >= start or now < end


Job = Callable[[], Awaitable[None]]

EVERY_WORKER = frozenset({"parked"})
"""Jobs every worker runs: replaying the inputs it parked itself (its own memory), which
also renews or claims the lease; every other job is the leader's alone."""


def worker_name() -> str:
    """A name for this worker, unique across machines and restarts, that says where it runs
    (for `exit-interviews health`)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


class Scheduler:
    """The clock-driven jobs, each on its own so that one failing never stops another; within
    a job, each item (an interview, a concern, a task) is handled on its own too.
    Concern re-alerts run first, in their own job. Every job is safe to repeat."""

    def __init__(
        self,
        app: AppContext,
        sender: Delivery,
        alerter: ConcernAlerter,
        net: SafetyNet | None = None,
        tasks: TaskDesk | None = None,
        leader: SchedulerLeader | None = None,
    ) -> None:
        self.app = app
        self.sender = sender
        self.alerter = alerter
        self.net = net
        self.tasks = tasks
        self.last_purge: datetime | None = None
        self.leader = leader or SchedulerLeader(app.storage.db)
        self.me = worker_name()
        self.leads_until: datetime | None = None

    async def leading(self) -> bool:
        """Whether this worker leads the scheduled work, renewing its lease once a third of
        it has passed (so a leader that stops renewing is replaced within one lease)."""
        now = self.app.clock()
        renew_after = self.leader.lease.total_seconds() * 2 / 3
        if self.leads_until is not None and (self.leads_until - now).total_seconds() > renew_after:
            return True
        if await self.leader.claim(self.me, now):
            if self.leads_until is None:
                log_event("scheduler_leader", worker=self.me)
            self.leads_until = now + self.leader.lease
            return True
        if self.leads_until is not None:
            log_event("scheduler_leader_lost", worker=self.me)
        self.leads_until = None
        return False

    def led(self, job: Job) -> Job:
        """The job, run only while this worker leads."""

        async def run() -> None:
            if await self.leading():
                await job()

        return run

    def quiet(self, now: datetime) -> bool:
        settings = self.app.settings
        return in_quiet_hours(
            now.astimezone(settings.zone), settings.quiet_start, settings.quiet_end
        )

    def jobs(self) -> dict[str, Job]:
        """The jobs by name, in the order they should run; concerns first. Each but the
        parked inputs runs only on the leader (see storage/leader.py)."""
        jobs: dict[str, Job] = {
            "concerns": self.concerns,
            "amber_digest": self.amber_digest,
            "parked": self.parked,
            "outbox": self.sender.flush_all,
            "reminders": self.reminders,
            "follow_up": self.follow_up,
            "yearly_report": self.yearly_report,
            "purge": self.purge_daily,
        }
        return {name: job if name in EVERY_WORKER else self.led(job) for name, job in jobs.items()}

    async def tick(self) -> None:
        """Run every job once, each guarded so a failure is logged and the rest still run."""
        for name, job in self.jobs().items():
            await run_guarded(name, job)

    async def concerns(self) -> None:
        """Re-send unacknowledged concerns and escalate any nobody received."""
        await self.alerter.realert_due(self.app.clock())

    async def amber_digest(self) -> None:
        """Once a day at the configured local time, the digest of open amber concerns."""
        await AmberDesk(self.app.storage, self.alerter, self.sender).send_digest_due(
            self.app.clock()
        )

    async def parked(self) -> None:
        """Apply inputs parked while the database was down, in order, once it is back.
        Every worker runs this every few seconds (EXIT_REPLAY_INTERVAL_SECONDS), so it also
        keeps this worker's lease on the scheduled work renewed, or takes it over once the
        leader's has run out; the jobs' own, slower ticks could let it lapse."""
        with contextlib.suppress(StorageError):  # the database is down: replay below waits
            await self.leading()
        if self.net is not None:
            await self.net.replay_all()

    async def reminders(self) -> None:
        """Reminders and closing for quiet interviews, never in quiet hours."""
        now = self.app.clock()
        if self.quiet(now):
            return
        for reply in await self.app.service.fire_due(now):
            if reply.messages and reply.messages[0].chat_id:
                await self.sender.flush_chat(reply.messages[0].chat_id)
            for event in reply.events:
                if event.type in {"reminder_sent", "expired"}:
                    log_event(event.type, interview=reply.interview_id)

    async def follow_up(self) -> None:
        """Announce new tasks (a read task for each newly finished interview first), then
        remind owners of overdue ones and escalate, never in quiet hours."""
        if self.tasks is None:
            return
        now = self.app.clock()
        await self.tasks.announce_new(now)
        await self.tasks.remind_overdue(now, self.quiet(now))

    async def yearly_report(self) -> None:
        """On the configured day, send each flow's report for the past year to the named
        admins (see YearlyReports)."""
        await YearlyReports(self.app, self.sender).send_due(self.app.clock())

    async def purge_daily(self) -> None:
        """Apply the retention period once a day."""
        now = self.app.clock()
        if self.last_purge is None or (now - self.last_purge).total_seconds() >= 24 * 3600:
            await self.purge(now)

    async def purge(self, now: datetime) -> None:
        report = await self.app.storage.retention.purge(
            now,
            SCHEDULER,
            keep_finished_days=self.app.settings.keep_finished_days,
            invitation_days=self.app.settings.invitation_days,
        )
        self.last_purge = now
        log_event(
            "purge",
            erased=report.erased,
            expired_invitations=report.expired_invitations,
            failed=len(report.failed),
        )


async def run_guarded(name: str, job: Job) -> None:
    """Run one job; a failure is logged at ERROR with what to do, never raised."""
    try:
        await job()
    except Exception as error:  # a failed job must never stop the others
        log_error("job_failed", job=name, error=type(error).__name__)
