"""The web chat's pages, rendered on the server with Jinja2: every button is a form, so the
chat works in any phone browser with no script at all."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache

from jinja2 import Environment, PackageLoader, select_autoescape

from bot.core.notices import notice
from bot.web.dial import dial_links
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
    return env


@dataclass(frozen=True)
class PageChrome:
    """What every page shows around the chat: its language and the leave button."""

    language: Language
    csrf: str | None
    leave_url: str


def words(language: Language) -> dict[str, str]:
    """The page's own words in the person's language."""
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
    return {key.removeprefix("web_"): notice(key, language) for key in keys}


def render(template: str, chrome: PageChrome, **values: object) -> str:
    """One page, with the chrome every page has."""
    return (
        _environment()
        .get_template(template)
        .render(
            lang=chrome.language,
            csrf=chrome.csrf,
            leave_url=chrome.leave_url,
            t=words(chrome.language),
            **values,
        )
    )


def chat_page(chrome: PageChrome, messages: list[Message]) -> str:
    """The chat: the messages of the last step, the newest announced to screen readers."""
    return render("chat.html.j2", chrome, messages=messages, kinds=PAGE_KINDS)


def notice_page(chrome: PageChrome, text: str, *, carry_on: bool = False) -> str:
    """A page with one thing to say (a link that does not work, a page closed)."""
    return render("notice.html.j2", chrome, text=text, carry_on=carry_on)


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
