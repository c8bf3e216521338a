"""Checking in Telegram that a new member of staff can receive alerts: send them a short
welcome, which fails if they never opened the bot or blocked it."""

from __future__ import annotations

from telegram import Bot
from telegram.error import BadRequest, Forbidden, TelegramError

from bot.core.config import Settings
from bot.core.reach import Reach

WELCOME = (
    "You are registered as staff for exit interviews. Safeguarding alerts will come to this "
    "chat: please keep it, and do not mute or block the bot."
)


async def telegram_reach(settings: Settings, user_id: int) -> Reach:
    """Send the welcome; say plainly what to do if it cannot be delivered."""
    token = settings.telegram_token.get_secret_value() if settings.telegram_token else ""
    if not token:
        return Reach(None, "EXIT_TELEGRAM_TOKEN is not set, so Telegram could not be asked")
    bot = Bot(token, base_url=settings.telegram_base_url)
    try:
        async with bot:
            await bot.send_message(user_id, WELCOME)
    except (Forbidden, BadRequest):
        return Reach(
            False,
            "Telegram will not deliver to them: they must open the bot in Telegram and press "
            "Start (and not block it), then run 'exit-interviews staff check USER_ID'",
        )
    except TelegramError as error:
        return Reach(None, f"Telegram could not be asked ({type(error).__name__}); try again")
    return Reach(True, "a welcome message reached them in Telegram")
