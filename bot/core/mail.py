"""E-mail to the duty address: the last resort when no member of staff could be reached in
Telegram about a concern. Holds no words of the person, only where to look."""

from __future__ import annotations

from dataclasses import dataclass
from email.message import EmailMessage

import aiosmtplib

from bot.core.config import Settings


@dataclass(frozen=True)
class DutyMailer:
    """Sends to EXIT_DUTY_EMAIL through EXIT_SMTP_*; present only when both are set."""

    settings: Settings

    @classmethod
    def from_settings(cls, settings: Settings) -> DutyMailer | None:
        """A mailer if a duty address and a mail server are configured, else None."""
        if settings.duty_email and settings.smtp_host:
            return cls(settings)
        return None

    async def send(self, subject: str, body: str) -> None:
        """Hand the message to the mail server; raises aiosmtplib.SMTPException (or OSError)
        if it will not take it."""
        assert self.settings.duty_email is not None
        await send_mail(self.settings, self.settings.duty_email, subject, body)


async def send_mail(settings: Settings, to: str, subject: str, body: str) -> None:
    """One plain-text message through the mail server in EXIT_SMTP_*, for every sender of
    the product (the duty address, console sign-in codes, console alerts); raises
    aiosmtplib.SMTPException or OSError if the server will not take it."""
    assert settings.smtp_host is not None
    message = EmailMessage()
    message["From"] = settings.smtp_from
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    password = settings.smtp_password.get_secret_value() if settings.smtp_password else None
    await aiosmtplib.send(
        message,
        hostname=settings.smtp_host,
        port=settings.smtp_port,
        username=settings.smtp_username,
        password=password,
        start_tls=settings.smtp_starttls,
        timeout=settings.smtp_timeout_seconds,
    )
