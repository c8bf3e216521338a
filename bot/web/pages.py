"""The web chat's pages, rendered on the server with Jinja2: every button is a form, so the
chat works in any phone browser with no script at all."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from bot.core.notices import notice
from bot.web.dial import dial_links
from bot.web.pictures import picture
from bot.web.view import NO_VIEW, WEB_CHAT, PageView, split
from bot.web.words import CHROME, Said, chrome_words, in_language
from flows.outputs import Message
from flows.text import Language
from storage.codec import decode_message

PAGE_KINDS = {"concern": "concern", "help": "help", "ending": "ending", "reminder": "reminder"}


@cache
def _environment() -> Environment:
    env = Environment(
        loader=PackageLoader("bot.web", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dial"] = dial_links
    env.filters["plain"] = without_symbol
    return env


def without_symbol(label: str) -> str:
    """A button's words without the emoji in front, where a picture stands beside them."""
    first, _, rest = label.partition(" ")
    return rest if rest and not any(ch.isalnum() for ch in first) else label


@dataclass(frozen=True)
class PageChrome:
    """What every page shows around the chat: its language (None where it is not known yet:
    then every word is in Welsh and in English, Welsh first) and the leave button."""

    language: Language | None
    csrf: str | None
    leave_url: str
    easy_read: bool = False


def words(language: Language | None, easy_read: bool = False) -> dict[str, str]:
    """The page's own words in the person's language (easy read where the interview is),
    or in both, Welsh first."""
    keys = (
        "web_title",
        "web_type_answer",
        "web_send",
        "web_leave",
        "web_leave_hint",
        "web_carry_on",
        "web_hidden",
        "web_left",
        "web_record",
        "web_send_recording",
    )
    if language is None:
        return {
            key.removeprefix("web_"): f"{notice(key, 'cy')} / {notice(key, 'en')}" for key in keys
        }
    said = {key.removeprefix("web_"): notice(key, language) for key in keys}
    return said | chrome_words(language, easy_read)


def render(template: str, chrome: PageChrome, **values: object) -> str:
    """One page, with the chrome every page has."""
    return (
        _environment()
        .get_template(template)
        .render(
            lang=chrome.language or "cy",
            csrf=chrome.csrf,
            leave_url=chrome.leave_url,
            t=words(chrome.language, chrome.easy_read),
            easy=chrome.easy_read,
            **values,
        )
    )


def chat_page(chrome: PageChrome, messages: list[Message], view: PageView = NO_VIEW) -> str:
    """The chat: the messages of the last step, answers apart from the controls, with the
    progress, the compact review and a typing box only where typing is an answer."""
    shown = [
        split(_as_this_channel_can(m, view))
        for m in messages
        if not (view.review and m.kind == "summary")
    ]
    unsure = [line for line in view.review if line.unsure]
    return render(
        "chat.html.j2",
        chrome,
        shown=shown,
        view=view,
        unsure=unsure,
        kinds=PAGE_KINDS,
        picture=picture,
    )


def _as_this_channel_can(message: Message, view: PageView) -> Message:
    """The flow's ending promises a reply in the chat; a channel that cannot write later
    says instead who will be in touch, and how."""
    if WEB_CHAT.can_write_later or message.kind != "ending" or message.text != view.ending:
        return message
    easy = "_easy" if view.easy_read else ""
    return replace(message, text=CHROME["finished"][view.language + easy])


def notice_page(chrome: PageChrome, text: str | list[Said], *, carry_on: bool = False) -> str:
    """A page with one thing to say (a link that does not work, a page closed), in one
    language or in both."""
    said = [Said(chrome.language or "cy", text)] if isinstance(text, str) else text
    return render("notice.html.j2", chrome, said=said, carry_on=carry_on)


def said_page(chrome: PageChrome, key: str) -> str:
    """A page with one of the web chat's fixed texts, in the page's language or in both."""
    return notice_page(chrome, in_language(key, chrome.language))


def start_page(chrome: PageChrome, action: str, start_token: str, *, again: bool = False) -> str:
    """What an invitation link opens: a Start button, so that a link preview or an e-mail
    scanner that fetches the link does not use it up; only the button's POST does."""
    said = in_language("start_intro", chrome.language)
    if again:
        said = in_language("start_again", chrome.language) + said
    button = " / ".join(s.text for s in in_language("start_button", chrome.language))
    return render(
        "start.html.j2", chrome, said=said, action=action, start_token=start_token, button=button
    )


def about_page(chrome: PageChrome) -> str:
    """Who made the chat and its pictures: OpenMoji's licence (CC BY-SA 4.0) asks for this
    credit wherever the pictures are shown."""
    return render("about.html.j2", chrome)


def left_page(chrome: PageChrome) -> str:
    """Straight on to the neutral site, with no script needed."""
    return render("left.html.j2", chrome)


def encode_page(payloads: list[str]) -> str:
    """The messages shown, as kept for a reload."""
    return json.dumps(payloads, ensure_ascii=False)


def decode_page(kept: str | None) -> list[Message]:
    """The messages last shown, from what was kept."""
    if not kept:
        return []
    return [decode_message(payload) for payload in json.loads(kept)]
