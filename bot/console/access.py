"""Letting a member of staff into the console: their sign-in address, and for an admin a
first sign-in link (the first admin has nobody else to let them in). Used by the command
line's `staff add` and by the console's own staff admin."""

from __future__ import annotations

import secrets

from bot.console.sign_in import WELCOME_LASTS
from bot.core.context import AppContext
from storage import Actor
from storage.console_accounts import ConsoleAccounts
from storage.console_sessions import ConsoleSessions

PREFIX = "/staff"


async def first_sign_in_link(app: AppContext, user_id: int) -> str:
    """A link that signs this member of staff in once, within a day, with no e-mail: for
    the first admin, before anyone can sign in otherwise. Only its hash is kept."""
    token = secrets.token_urlsafe(32)
    await ConsoleSessions(app.storage.db).new_code(
        None, user_id, "welcome", token, app.clock(), WELCOME_LASTS
    )
    base = (app.settings.web_url or "https://YOUR-SERVER").rstrip("/")
    return f"{base}{PREFIX}/welcome/{token}"


async def console_access(
    app: AppContext, user_id: int, email: str, role: str, actor: Actor
) -> list[str]:
    """Give a member of staff their sign-in address, and what to tell them: an admin gets
    a first sign-in link (the first admin has nobody else to let them in)."""
    accounts = ConsoleAccounts(app.storage.db)
    await accounts.set_email(user_id, email, actor, app.clock())
    base = (app.settings.web_url or "https://YOUR-SERVER").rstrip("/")
    lines = [f"They sign in to the staff console at {base}{PREFIX} with {email.strip()}."]
    if role == "admin":
        link = await first_sign_in_link(app, user_id)
        lines.append("First sign-in link (one use, within 24 hours; give it only to them): " + link)
    return lines
