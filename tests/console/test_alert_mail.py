"""E-mail alerts (EXIT_ALERT_EMAIL): a red concern and a call-back each send one message
to the staff who would be alerted (by their console address) and to a shared mailbox,
saying only that something needs attention, with the console's link: never a name, an
answer, a category or an interview. Sent once, across restarts; retried if the mail server
did not take it; nothing at all when the setting is off."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from bot.console.alert_mail import AlertMailer, AlertMailSettings
from flows.safeguarding import Category
from storage.tasks import NewTask
from tests.console.conftest import ADMIN, ELM, IVY, OAK, OPERATOR, Console


def body(message: Any) -> str:
    return str(message.get_payload(decode=True).decode("utf-8"))


async def test_a_red_concern_and_a_call_back_are_mailed_once_saying_nothing_more(
    console: Console,
) -> None:
    interview_id, _ = await console.interview_with_concern("Oak House")
    mailer = AlertMailer(console.app, AlertMailSettings(alert_email="duty@example.org"))
    before = len(console.mail.messages)
    assert await mailer.run_once() == 1
    mailed = console.mail.messages[before:]
    assert {m["To"] for m in mailed} == {OAK[1], IVY[1], ADMIN[1], "duty@example.org"}
    assert not console.mail.to(ELM[1]), "not another home's staff"
    for message in mailed:
        text = body(message) + message["Subject"]
        assert f"{console.base}/staff/today" in text
        assert interview_id not in text and "Test Person" not in text
        assert Category("feeling_unsafe").label.lower() not in text.lower()
        assert "safe" not in text.lower().replace("not a safe place", "")
    assert await mailer.run_once() == 0, "once only"
    again = AlertMailer(console.app, AlertMailSettings(alert_email="on"))
    assert await again.run_once() == 0, "once only, after a restart too"
    now = console.clock()
    await console.app.storage.tasks.create(
        NewTask("call_back", now + timedelta(hours=4), interview_id, "Oak House", OAK[0]),
        now,
        OPERATOR,
    )
    before = len(console.mail.messages)
    assert await again.run_once() == 1
    assert [m["To"] for m in console.mail.messages[before:]] == [OAK[1]]


async def test_nothing_is_mailed_when_off_and_a_refused_mail_is_tried_again(
    console: Console,
) -> None:
    await console.interview_with_concern("Oak House")
    before = len(console.mail.messages)
    assert await AlertMailer(console.app, AlertMailSettings()).run_once() == 0
    assert await AlertMailer(console.app, AlertMailSettings(alert_email="off")).run_once() == 0
    assert len(console.mail.messages) == before
    port = console.app.settings.smtp_port
    console.app.settings.smtp_port = 1
    mailer = AlertMailer(console.app, AlertMailSettings(alert_email="on"))
    try:
        assert await mailer.run_once() == 0
    finally:
        console.app.settings.smtp_port = port
    assert len(console.mail.messages) == before
    assert await mailer.run_once() == 1, "the claim was released, so it goes now"
    assert {m["To"] for m in console.mail.messages[before:]} == {OAK[1], IVY[1], ADMIN[1]}
