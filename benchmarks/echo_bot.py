"""A bare python-telegram-bot echo bot: the baseline the real bot is measured against.

Run by benchmarks/bot.py as its own process, against the same fake Bot API server. With
ECHO_CLIENT=aiohttp it sends through the same HTTP client as exit-interviews
(`bot/telegram/request.py`), for a like-for-like comparison; by default it uses the library's
own (httpx), as a bare python-telegram-bot bot does.
"""

from __future__ import annotations

import os

from telegram import Update
from telegram.ext import AIORateLimiter, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.telegram.application import TELEGRAM_CONNECTIONS
from bot.telegram.request import AiohttpRequest


async def echo(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is not None and message.text:
        await message.reply_text(message.text)


def main() -> None:
    builder = ApplicationBuilder().token(os.environ["EXIT_TELEGRAM_TOKEN"])
    builder = builder.base_url(os.environ["EXIT_TELEGRAM_BASE_URL"]).concurrent_updates(True)
    if os.environ.get("ECHO_CLIENT") == "aiohttp":
        builder = builder.request(AiohttpRequest(TELEGRAM_CONNECTIONS))
    if os.environ.get("ECHO_RATE_LIMITER") == "1":
        builder = builder.rate_limiter(AIORateLimiter(max_retries=5))
    application = builder.build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    application.run_polling(timeout=10, poll_interval=0)


if __name__ == "__main__":
    main()
