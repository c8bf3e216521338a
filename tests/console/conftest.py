"""The staff console served as in production (mounted in the web chat's application), on
127.0.0.1 with a port the system chooses, a mail sink for sign-in codes, a clock the test
moves, and three members of staff: an admin, a reviewer at Oak House and one at Elm House.

Cookies: the console sets Secure on every cookie unless EXIT_WEB_URL is plain http on this
machine; these tests serve http://127.0.0.1, so their cookies lack Secure (one test checks
that an https address gets it)."""

from __future__ import annotations

import re
import shutil
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import aiohttp
import pyotp
import pytest
from aiohttp.test_utils import TestServer
from pydantic import SecretStr

from bot.core.after_reply import AfterReply
from bot.core.concerns import alerter_for
from bot.core.config import Settings
from bot.core.context import AppContext, open_context
from bot.core.delivery import NoDelivery
from bot.core.tasks import TaskDesk
from bot.web.server import make_web_app
from flows.inputs import Choice
from flows.loader import DEFINITIONS, flow_files
from storage import Actor, StaffMember
from storage.console_accounts import ConsoleAccounts
from storage.records import Role
from tests.conftest import FakeClock
from tests.fake_smtp import MailSink
from tests.flows.helpers import FIXTURES

OPERATOR = Actor.for_operator("console-test")
ADMIN = (1001, "admin@example.org")
OAK = (2002, "oak.reviewer@example.org")
ELM = (3003, "elm.reviewer@example.org")
IVY = (4004, "ivy.interviewer@example.org")


@dataclass
class Console:
    """The running console and what tests need to reach it."""

    app: AppContext
    base: str
    mail: MailSink
    clock: FakeClock
    after: AfterReply

    async def interview_with_concern(self, service: str = "Oak House") -> tuple[str, int]:
        """Someone at `service` answers 'no' to 'Did you feel safe?': a red concern."""
        invitation = await self.app.storage.interviews.invite(
            flow_id="every-kind",
            flow_version=self.app.flows["every-kind"].version,
            display_name="Test Person A",
            service=service,
            language=None,
            expires_at=self.clock() + timedelta(days=28),
            actor=OPERATOR,
            at=self.clock(),
        )
        chat = 5000 + len(await self.app.storage.interviews.find(OPERATOR))
        reply = await self.app.service.open_invitation(invitation.token, chat)
        await self.after.handle(reply)
        for value in ("yes", "no"):
            state = await self.app.storage.interviews.state(invitation.interview_id)
            reply = await self.app.service.handle(
                invitation.interview_id,
                Choice(at=self.clock(), value=value, prompt=state.prompt),
            )
            await self.after.handle(reply)
        [concern] = await self.app.storage.concerns.for_interview(invitation.interview_id)
        return invitation.interview_id, concern.id


class Browser:
    """A browser without script: keeps cookies, follows redirects, fills in forms."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))
        self.page = ""
        self.status = 0
        self.url = ""
        self.headers: dict[str, str] = {}

    async def _keep(self, response: aiohttp.ClientResponse) -> str:
        self.page, self.status, self.url = await response.text(), response.status, str(response.url)
        self.headers = dict(response.headers)
        return self.page

    async def get(self, path: str) -> str:
        async with self.session.get(self.base + path) as response:
            return await self._keep(response)

    def csrf(self) -> str:
        found = re.search(r'name="csrf" value="([^"]+)"', self.page)
        assert found, "every form carries a CSRF token"
        return found.group(1)

    async def post(self, path: str, data: dict[str, str], *, csrf: bool = True) -> str:
        form = {"csrf": self.csrf(), **data} if csrf else data
        async with self.session.post(self.base + path, data=form) as response:
            return await self._keep(response)

    async def raw(
        self, method: str, path: str, data: dict[str, str] | None = None
    ) -> tuple[int, str]:
        """One request without following redirects."""
        async with self.session.request(
            method, self.base + path, data=data, allow_redirects=False
        ) as response:
            return response.status, await response.text()

    async def sign_in(self, console: Console, who: tuple[int, str]) -> str:
        """Sign in by e-mailed code; the page reached."""
        await self.get("/staff/sign-in")
        already = len(console.mail.to(who[1]))
        await self.post("/staff/sign-in", {"email": who[1]})
        code = await console.mail.code_for(who[1], already)
        return await self.post("/staff/sign-in/code", {"code": code})

    async def sign_in_admin(self, console: Console) -> str:
        """Sign the admin in: e-mailed code, then setting up the authenticator app."""
        await self.sign_in(console, ADMIN)
        found = re.search(r"<code>([A-Z2-7 ]+)</code>", await self.get("/staff/enrol"))
        assert found, "the enrolment page shows the key"
        code = pyotp.TOTP(found.group(1).replace(" ", "")).at(console.clock())
        await self.post("/staff/enrol", {"code": code})
        return await self.get("/staff/today")

    async def close(self) -> None:
        await self.session.close()


def console_settings(tmp_path: Path, key: str, mail: MailSink) -> Settings:
    flows_dir = tmp_path / "flows"
    flows_dir.mkdir(exist_ok=True)
    for path in [*flow_files(DEFINITIONS), FIXTURES / "every-kind.yaml"]:
        shutil.copy(path, flows_dir / path.name)
    values: dict[str, object] = {
        "database": tmp_path / "console.sqlite3",
        "data_key": SecretStr(key),
        "flows_dir": flows_dir,
        "smtp_host": "127.0.0.1",
        "smtp_port": mail.port,
        "smtp_starttls": False,
        "smtp_from": "console@example.org",
    }
    return Settings(_env_file=None, **values)  # type: ignore[arg-type]


async def add_staff(app: AppContext, clock: FakeClock) -> dict[int, StaffMember]:
    accounts = ConsoleAccounts(app.storage.db)
    made = {}
    staff: list[tuple[tuple[int, str], str, Role, list[str]]] = [
        (ADMIN, "Ada Admin", "admin", []),
        (OAK, "Olu Oak", "reviewer", ["Oak House"]),
        (ELM, "Eli Elm", "reviewer", ["Elm House"]),
        (IVY, "Ivy Interviewer", "interviewer", ["Oak House"]),
    ]
    for (user_id, email), name, role, services in staff:
        made[user_id] = await app.storage.staff.add(
            user_id, name, role, services, OPERATOR, clock()
        )
        await accounts.set_email(user_id, email, OPERATOR, clock())
    return made


@pytest.fixture
async def console(tmp_path: Path, key: str, clock: FakeClock) -> AsyncIterator[Console]:
    mail = await MailSink().start()
    settings = console_settings(tmp_path, key, mail)
    async with open_context(settings, clock) as app:
        for home in ("Oak House", "Elm House"):
            await app.storage.services.add(home, OPERATOR, clock())
        await add_staff(app, clock)
        sender = NoDelivery()
        alerter = alerter_for(app.storage, app.flows, sender, clock, settings)
        after = AfterReply(alerter, TaskDesk(app.storage, app.flows, sender, settings), clock)
        server = TestServer(make_web_app(app, after), host="127.0.0.1", port=0)
        await server.start_server()
        base = f"http://127.0.0.1:{server.port}"
        settings.web_url = base
        try:
            yield Console(app, base, mail, clock, after)
        finally:
            await server.close()
            await mail.stop()


@pytest.fixture
async def new_browser(console: Console) -> AsyncIterator[Callable[[], Browser]]:
    """Makes independent browsers; each is closed after the test."""
    made: list[Browser] = []

    def make() -> Browser:
        browser = Browser(console.base)
        made.append(browser)
        return browser

    yield make
    for browser in made:
        await browser.close()
