"""The console's pages, rendered on the server with Jinja2: every action is a form, so the
desk works with no script, with the keyboard alone, and on a phone."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from aiohttp import web
from jinja2 import Environment, PackageLoader, select_autoescape

REFUSAL = (
    "This page is not here, or it is not yours to see. If you were signed in, you may have "
    "been signed out: sign in again with your work e-mail address."
)
"""The one answer to anyone who may not see a page: a stranger, staff of another service,
a session that has ended. Saying more would tell a stranger what exists."""


@cache
def _environment() -> Environment:
    return Environment(
        loader=PackageLoader("bot.console", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )


@dataclass(frozen=True)
class Chrome:
    """What every page shows around its content: who is signed in, and the form token."""

    csrf: str | None = None
    name: str | None = None
    here: str = ""
    inviter: bool = False
    admin: bool = False


def page(template: str, chrome: Chrome, status: int = 200, **values: object) -> web.Response:
    """One page as a response, with the chrome every page has."""
    html = (
        _environment()
        .get_template(template)
        .render(
            csrf=chrome.csrf,
            name=chrome.name,
            here=chrome.here,
            inviter=chrome.inviter,
            admin_menu=chrome.admin,
            **values,
        )
    )
    return web.Response(text=html, status=status, content_type="text/html", charset="utf-8")


def notice(title: str, text: str, chrome: Chrome | None = None, status: int = 200) -> web.Response:
    """A page with one thing to say, and the way on."""
    return page("notice.html.j2", chrome or Chrome(), status, title=title, text=text)


def see_other(location: str) -> web.Response:
    """A redirect that is returned, not raised, so the cookies set on it reach the browser
    (the web server's middleware rebuilds a raised redirect without them)."""
    return web.Response(status=303, headers={"Location": location})


def refusal() -> web.Response:
    """The same refusal for everyone who may not see a page, whatever the reason."""
    return notice("Not available", REFUSAL, status=404)


def body_of(document: str) -> str:
    """A rendered document's body, to sit inside a console page (whose style is the
    console's stylesheet: the pages allow no inline style)."""
    start = document.find("<body>")
    end = document.rfind("</body>")
    if start == -1 or end == -1:
        return ""
    return document[start + len("<body>") : end]
