"""What the bot says to anyone it does not know, and how it slows down token guessing."""

from __future__ import annotations

from collections import defaultdict, deque
from datetime import datetime, timedelta

from flows.help import HelpDirectory
from flows.text import Language

STRANGER_HELP = ("emergency", "childline", "samaritans")

# Every fixed text the bot says outside a flow, in English and in Welsh. The Welsh was
# drafted by a non-native writer and must be checked (docs/welsh.md, docs/welsh-strings.md).
NOTICES: dict[str, dict[Language, str]] = {
    "stranger": {
        "en": "Hello 👋 This bot runs exit interviews for people who have been invited.\n"
        "If you were sent a link, please tap it again.\n"
        "If you need to talk to someone now:",
        "cy": "Helo 👋 Mae'r bot hwn yn cynnal cyfweliadau gadael i bobl sydd wedi cael "
        "gwahoddiad.\nOs cawsoch chi ddolen, tapiwch hi eto.\n"
        "Os oes angen i chi siarad â rhywun nawr:",
    },
    "invitation_problem": {
        "en": "Sorry, this link does not work. It may have been used already, or it may be too "
        "old. Please ask the person who sent it to you for a new one.",
        "cy": "Mae'n ddrwg gen i, dydy'r ddolen hon ddim yn gweithio. Efallai ei bod wedi'i "
        "defnyddio'n barod, neu ei bod yn rhy hen. Gofynnwch i'r person a'i hanfonodd atoch "
        "chi am un newydd.",
    },
    "too_many_tries": {
        "en": "There have been too many tries from this chat. Please wait 15 minutes, then use "
        "the link you were sent.",
        "cy": "Mae gormod o ymdrechion wedi bod o'r sgwrs hon. Arhoswch 15 munud, yna "
        "defnyddiwch y ddolen a anfonwyd atoch chi.",
    },
    "group": {
        "en": "Sorry, I only work in a private chat. Please message me directly.",
        "cy": "Mae'n ddrwg gen i, dim ond mewn sgwrs breifat rydw i'n gweithio. Anfonwch neges "
        "ata i'n uniongyrchol.",
    },
    "voice": {
        "en": "Sorry, I can only take a voice message as an answer during an interview, when "
        "I ask you to type. If you were sent a link, please tap it again.",
        "cy": "Mae'n ddrwg gen i, dim ond yn ystod cyfweliad, pan fydda i'n gofyn i chi "
        "deipio, y galla i gymryd neges llais fel ateb. Os cawsoch chi ddolen, tapiwch hi eto.",
    },
    "voice_too_big": {
        "en": "Sorry, that recording is too long for me to keep (more than 20 MB). Please send "
        "a shorter one, or type your answer.",
        "cy": "Mae'n ddrwg gen i, mae'r recordiad yna'n rhy hir i mi ei gadw (mwy nag 20 MB). "
        "Anfonwch un byrrach, neu teipiwch eich ateb.",
    },
    "voice_failed": {
        "en": "Sorry, I could not get that recording. Please send it again, or type your answer.",
        "cy": "Mae'n ddrwg gen i, allwn i ddim cael y recordiad yna. Anfonwch e eto, neu "
        "teipiwch eich ateb.",
    },
    "media": {
        "en": "Sorry, I can't open photos, stickers or files here. Please type your answer, or "
        "tap a button.",
        "cy": "Mae'n ddrwg gen i, alla i ddim agor lluniau, sticeri na ffeiliau yma. Teipiwch "
        "eich ateb, neu tapiwch fotwm.",
    },
    "edited": {
        "en": "I saw you changed a message. I keep what you first sent. To change an answer, "
        "tap Back, or change it at the end when you see all your answers.",
        "cy": "Gwelais i eich bod wedi newid neges. Rydw i'n cadw beth anfonoch chi gyntaf. I "
        "newid ateb, tapiwch Yn ôl, neu newidiwch ef ar y diwedd pan welwch eich holl atebion.",
    },
    "slow_down": {
        "en": "You are sending messages very fast, so I could not read them all. Please wait "
        "for my reply, then carry on. If you need help now, send /unsafe or call 999.",
        "cy": "Rydych chi'n anfon negeseuon yn gyflym iawn, felly allwn i ddim eu darllen i "
        "gyd. Arhoswch am fy ateb, yna ewch ymlaen. Os oes angen help arnoch chi nawr, "
        "anfonwch /unsafe neu ffoniwch 999.",
    },
    "forged_button": {
        "en": "Sorry, that button does not work any more.",
        "cy": "Mae'n ddrwg gen i, dydy'r botwm hwnnw ddim yn gweithio mwyach.",
    },
    "terminal_end_of_input": {"en": "End of input", "cy": "Diwedd y mewnbwn"},
    "terminal_ctrl_c": {"en": "Stopped with Ctrl-C", "cy": "Wedi stopio gyda Ctrl-C"},
    "terminal_paused": {
        "en": "{why}: the interview is paused and saved. To carry on, run:\n  {command}",
        "cy": "{why}: mae'r cyfweliad wedi'i oedi a'i gadw. I barhau, rhedwch:\n  {command}",
    },
    "terminal_over": {
        "en": "Interview {interview} is {status} (kept in the {where}).",
        "cy": "Cyfweliad {interview}: {status} (wedi'i gadw yn {where}).",
    },
    "terminal_where_practice": {
        "en": "practice database, apart from real interviews",
        "cy": "y gronfa ddata ymarfer, ar wahân i gyfweliadau go iawn",
    },
    "terminal_where_real": {"en": "database", "cy": "y gronfa ddata"},
    "status_completed": {"en": "completed", "cy": "wedi'i gwblhau"},
    "status_stopped": {"en": "stopped", "cy": "wedi stopio"},
    "status_declined": {"en": "declined", "cy": "wedi'i wrthod"},
    "status_expired": {"en": "expired", "cy": "wedi dod i ben"},
    "web_title": {"en": "Exit interview", "cy": "Cyfweliad gadael"},
    "web_type_answer": {"en": "Or type your answer", "cy": "Neu teipiwch eich ateb"},
    "web_send": {"en": "Send", "cy": "Anfon"},
    "web_leave": {"en": "Leave this page quickly", "cy": "Gadael y dudalen hon yn gyflym"},
    "web_leave_hint": {
        "en": "This takes you to another website at once. Your answers are saved.",
        "cy": "Mae hyn yn mynd â chi i wefan arall ar unwaith. Mae eich atebion wedi'u cadw.",
    },
    "web_open_link": {
        "en": "Please open the link you were sent. If it does not work, ask the person who "
        "sent it for a new one.",
        "cy": "Agorwch y ddolen a anfonwyd atoch chi. Os nad yw'n gweithio, gofynnwch i'r "
        "person a'i hanfonodd am un newydd.",
    },
    "web_closed_idle": {
        "en": "This page closed because it was not used for a while, to keep your answers "
        "safe. Your answers are saved. Open your link again to carry on.",
        "cy": "Caeodd y dudalen hon am nad oedd wedi'i defnyddio ers tro, i gadw eich atebion "
        "yn ddiogel. Mae eich atebion wedi'u cadw. Agorwch eich dolen eto i barhau.",
    },
    "web_ended": {
        "en": "This interview has ended. Thank you.",
        "cy": "Mae'r cyfweliad hwn wedi dod i ben. Diolch.",
    },
    "web_hidden": {"en": "Paused.", "cy": "Wedi oedi."},
    "web_record": {
        "en": "Or answer with a recording (a person will listen to it)",
        "cy": "Neu atebwch gyda recordiad (bydd person yn gwrando arno)",
    },
    "web_send_recording": {"en": "Send the recording", "cy": "Anfon y recordiad"},
    "web_carry_on": {"en": "Carry on", "cy": "Parhau"},
    "web_left": {"en": "Leaving…", "cy": "Yn gadael…"},
    "something_went_wrong": {
        "en": "Sorry, something went wrong on our side. Your answers so far are saved. Please "
        "try again in a minute.",
        "cy": "Mae'n ddrwg gen i, aeth rhywbeth o'i le ar ein hochr ni. Mae eich atebion hyd "
        "yma wedi'u cadw. Rhowch gynnig arall arni mewn munud.",
    },
}

COMMANDS: dict[Language, list[tuple[str, str]]] = {
    "en": [
        ("help", "People who can help"),
        ("unsafe", "I need help now / I don't feel safe"),
        ("talk", "Talk to a person"),
        ("skip", "Skip this question"),
        ("back", "Go back a question"),
        ("pause", "Take a break"),
        ("stop", "Stop the interview"),
    ],
    "cy": [
        ("help", "Pobl sy'n gallu helpu"),
        ("unsafe", "Mae angen help arna i nawr / Dydw i ddim yn teimlo'n ddiogel"),
        ("talk", "Siarad â pherson"),
        ("skip", "Hepgor y cwestiwn hwn"),
        ("back", "Mynd yn ôl cwestiwn"),
        ("pause", "Cymryd seibiant"),
        ("stop", "Stopio'r cyfweliad"),
    ],
}
"""The command menu Telegram shows, in the language of the person's Telegram app."""


def notice(key: str, language: Language = "en", **values: object) -> str:
    """A fixed text in the person's language (English if it has no Welsh)."""
    texts = NOTICES[key]
    text = texts.get(language) or texts["en"]
    return text.format(**values) if values else text


def stranger_text(directory: HelpDirectory, language: Language = "en") -> str:
    """Kind, short, and with help for anyone who found the bot by chance and needs it."""
    lines = [notice("stranger", language)]
    lines += [o.line(language) for o in (directory.get(i) for i in STRANGER_HELP) if o is not None]
    return "\n".join(lines)


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
