"""What the bot says to anyone it does not know, and how it slows down token guessing."""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import datetime, timedelta

from flows.help import HelpDirectory

STRANGER_HELP = ("emergency", "childline", "samaritans")


def stranger_text(directory: HelpDirectory) -> str:
    """Kind, short, and with help for anyone who found the bot by chance and needs it."""
    lines = [
        "Hello 👋 This bot runs exit interviews for people who have been invited.",
        "If you were sent a link, please tap it again.",
        "If you need to talk to someone now:",
    ]
    lines += [o.line("en") for o in (directory.get(i) for i in STRANGER_HELP) if o is not None]
    return "\n".join(lines)


INVITATION_PROBLEM = (
    "Sorry, this link does not work. It may have been used already, or it may be too old. "
    "Please ask the person who sent it to you for a new one."
)
TOO_MANY_TRIES = (
    "There have been too many tries from this chat. Please wait 15 minutes, then use the "
    "link you were sent."
)
GROUP_REPLY = "Sorry, I only work in a private chat. Please message me directly."
VOICE_REPLY = (
    "Sorry, I can't listen to voice messages yet. Please type your answer, or tap a button."
)
MEDIA_REPLY = (
    "Sorry, I can't open photos, stickers or files here. Please type your answer, or tap a button."
)
EDITED_REPLY = (
    "I saw you changed a message. I keep what you first sent. To change an answer, "
    "tap Back, or change it at the end when you see all your answers."
)
SLOW_DOWN = (
    "You are sending messages very fast, so I could not read them all. Please wait for my "
    "reply, then carry on. If you need help now, send /unsafe or call 999."
)
FORGED_BUTTON = "Sorry, that button does not work any more."
SOMETHING_WENT_WRONG = (
    "Sorry, something went wrong on our side. Your answers so far are saved. "
    "Please try again in a minute."
)


class TokenGuard:
    """Limits wrong invitation tokens per chat, so tokens cannot be guessed by trying many."""

    def __init__(self, limit: int = 5, window: timedelta = timedelta(minutes=15)) -> None:
        self.limit = limit
        self.window = window
        self._failures: defaultdict[int, deque[datetime]] = defaultdict(deque)

    def blocked(self, chat_id: int, now: datetime) -> bool:
        failures = self._failures[chat_id]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        if not failures:
            del self._failures[chat_id]
            return False
        return len(failures) >= self.limit

    def failed(self, chat_id: int, now: datetime) -> None:
        self._failures[chat_id].append(now)


class QuietPeriod:
    """Remembers when each chat was last answered, to answer it again only after a while.
    Forgets chats once their period is over, so it does not grow without end."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._last: dict[int, float] = {}

    def first_in_a_while(self, chat_id: int, now: float) -> bool:
        """True (and remembered) if this chat was not answered within the period."""
        if len(self._last) > 10_000:
            self._last = {c: t for c, t in self._last.items() if now - t < self.seconds}
        last = self._last.get(chat_id)
        if last is not None and now - last < self.seconds:
            return False
        self._last[chat_id] = now
        return True
