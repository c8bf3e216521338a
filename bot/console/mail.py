"""Sending a sign-in code by e-mail, through the same mail server settings (EXIT_SMTP_*)
the duty e-mail uses. The message holds the code and nothing about anyone's interview."""

from __future__ import annotations

from bot.core.config import Settings
from bot.core.mail import send_mail

SUBJECT = "Your sign-in code for the exit interviews staff console"


def mail_ready(settings: Settings) -> bool:
    """Whether this server can send sign-in codes at all."""
    return settings.smtp_host is not None


async def send_code(settings: Settings, to: str, code: str, minutes: int) -> None:
    """Hand the code to the mail server; raises aiosmtplib.SMTPException or OSError if it
    will not take it."""
    await send_mail(
        settings,
        to,
        SUBJECT,
        f"Your sign-in code is {code}\n\n"
        f"It works once, for {minutes} minutes. Type it on the sign-in page.\n\n"
        "If you did not ask for it, you can ignore this message: nobody can sign in "
        "without the code. Never give it to anyone, including people who say they are "
        "from IT.\n",
    )
