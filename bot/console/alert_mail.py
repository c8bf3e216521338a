"""E-mail alerts beside Telegram (optional: EXIT_ALERT_EMAIL). A red concern or a call-back
sends a message that says only that something needs attention, with a link to the console:
never a name, an answer, a category or an interview, because e-mail leaves the building.

EXIT_ALERT_EMAIL=on mails each member of staff who would be alerted and has a console
sign-in address; an address instead (a team's shared mailbox) mails that address too.
Each concern or call-back is mailed once, across restarts (storage/console_alert_mail.py).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable

import aiosmtplib
from aiohttp import web
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.console.access import PREFIX
from bot.core.context import AppContext
from bot.core.logs import log_error, log_event
from bot.core.mail import send_mail
from storage.console_accounts import ConsoleAccounts
from storage.console_alert_mail import ConsoleAlertMail, MailKind

SUBJECT = "Exit interviews: something needs your attention"
ON = {"1", "on", "true", "yes"}


class AlertMailSettings(BaseSettings):
    """EXIT_ALERT_EMAIL: on, or a shared mailbox's address; unset or off: no e-mail."""

    model_config = SettingsConfigDict(env_prefix="EXIT_", env_file=None, extra="ignore")

    alert_email: str | None = None

    @property
    def on(self) -> bool:
        value = (self.alert_email or "").strip().lower()
        return value in ON or "@" in value

    @property
    def mailbox(self) -> str | None:
        value = (self.alert_email or "").strip()
        return value if "@" in value else None


def alert_text(console_url: str) -> str:
    """The whole message: nothing about anyone, only where to look."""
    return (
        "Something in the exit interviews staff console needs attention.\n\n"
        f"Sign in to see it: {console_url}\n\n"
        "This message says nothing more on purpose: e-mail is not a safe place for it.\n"
    )


class AlertMailer:
    """Looks for red concerns and call-backs not yet mailed, and mails them once."""

    def __init__(self, app: AppContext, settings: AlertMailSettings) -> None:
        self.app = app
        self.settings = settings
        self.marks = ConsoleAlertMail(app.storage.db)
        self.accounts = ConsoleAccounts(app.storage.db)

    async def run_once(self) -> int:
        """Mail whatever is new; how many concerns and call-backs were mailed."""
        if not self.settings.on or self.app.settings.smtp_host is None:
            return 0
        done = 0
        for concern in await self.app.storage.concerns.open_everywhere():
            people = await self.app.storage.staff.to_alert(concern.readable_by)
            done += await self._mail("concern", str(concern.id), [m.user_id for m in people])
        for task in await self.app.storage.tasks.open_tasks():
            if task.kind == "call_back":
                owners = await self.app.storage.tasks.owners(task)
                done += await self._mail("call_back", task.ref, [m.user_id for m in owners])
        return done

    async def _mail(self, kind: MailKind, ref: str, user_ids: list[int]) -> int:
        addresses = [a for a in [await self.accounts.email_of(i) for i in user_ids] if a]
        if self.settings.mailbox:
            addresses.append(self.settings.mailbox)
        if not addresses or not await self.marks.claim(kind, ref, self.app.clock()):
            return 0
        try:
            for address in sorted(set(addresses)):
                await self._send(address)
        except (aiosmtplib.SMTPException, OSError) as error:
            log_error("alert_email_failed", kind=kind, error=type(error).__name__)
            await self.marks.release(kind, ref)
            return 0
        await self.marks.sent(kind, ref, self.app.clock())
        log_event("alert_emailed", kind=kind, recipients=len(set(addresses)))
        return 1

    async def _send(self, to: str) -> None:
        settings = self.app.settings
        base = (settings.web_url or "https://YOUR-SERVER").rstrip("/")
        await send_mail(settings, to, SUBJECT, alert_text(f"{base}{PREFIX}/today"))


def alert_mail_context(
    app: AppContext, settings: AlertMailSettings
) -> Callable[[web.Application], AsyncIterator[None]]:
    """A cleanup context for the console: the mailer runs beside it while it serves."""
    mailer = AlertMailer(app, settings)

    async def loop() -> None:
        while True:
            try:
                await mailer.run_once()
            except Exception as error:  # a fault here must never stop the console
                log_error("alert_email_round_failed", error=type(error).__name__)
            await asyncio.sleep(app.settings.scheduler_interval_seconds)

    async def context(_: web.Application) -> AsyncIterator[None]:
        task = asyncio.create_task(loop())
        yield
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return context
