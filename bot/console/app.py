"""The console as an aiohttp sub-application, mounted under /staff by the web chat's
server, so it shares the process, the security headers and the no-store rule."""

from __future__ import annotations

from pathlib import Path

from aiohttp import web

from bot.console.access import PREFIX, console_access, first_sign_in_link
from bot.console.alert_mail import AlertMailSettings, alert_mail_context
from bot.console.audit_log import AuditPages
from bot.console.desk import Desk
from bot.console.door import Door
from bot.console.follow_up import FollowUpForms
from bot.console.invitation_actions import InvitationActions
from bot.console.invitations import Invitations
from bot.console.oidc import OidcClient, OidcSettings, load_oidc_settings
from bot.console.people import People
from bot.console.report import Reports
from bot.console.sign_in import SignIn
from bot.console.sso import SingleSignOn
from bot.console.tasks import TaskPages
from bot.console.tiers import AmberDecisions
from bot.core.after_reply import AfterReply
from bot.core.amber import AmberDesk
from bot.core.config import env_file
from bot.core.context import AppContext
from bot.core.followup import FollowUpDesk
from bot.core.logs import log_event
from bot.core.tasks import TaskDesk

STATIC = Path(__file__).parent / "static"
__all__ = ["PREFIX", "console_access", "first_sign_in_link", "make_console_app"]


def make_console_app(
    app: AppContext, after: AfterReply, oidc: OidcSettings | None = None
) -> web.Application:
    """The staff console's routes; mount it at /staff. Single sign-on is offered when
    EXIT_OIDC_* are set (or `oidc` is given)."""
    door = Door(app)
    sign_in = SignIn(app, door)
    oidc = oidc or load_oidc_settings()
    sender = after.alerter.sender
    tasks = after.tasks or TaskDesk(app.storage, app.flows, sender, app.settings)
    followup = FollowUpDesk(app, sender, tasks)
    desk = Desk(app, door, followup)
    forms = FollowUpForms(app, door, followup)
    task_pages = TaskPages(app, door, followup)
    people, audit = People(app, door), AuditPages(app, door)
    invited = InvitationActions(app, door)
    invitations = Invitations(app, door)
    reports = Reports(app, door)
    amber = AmberDecisions(app, door, AmberDesk(app.storage, after.alerter, sender))
    console = web.Application()
    console.add_routes(
        [
            web.get("", sign_in.start),
            web.get("/", sign_in.start),
            web.get("/sign-in", sign_in.ask_address),
            web.post("/sign-in", sign_in.send),
            web.get("/sign-in/code", sign_in.ask_code),
            web.post("/sign-in/code", sign_in.check_code),
            web.get("/sign-in/second", sign_in.ask_second),
            web.post("/sign-in/second", sign_in.check_second),
            web.get("/enrol", sign_in.ask_enrol),
            web.post("/enrol", sign_in.confirm_enrol),
            web.get("/welcome/{token}", sign_in.welcome),
            web.post("/sign-out", sign_in.sign_out),
            web.get("/today", desk.today),
            web.get("/concerns", desk.concerns),
            web.post("/concerns/{concern}/acknowledge", desk.acknowledge),
            web.post("/concerns/{concern}/raise", amber.raise_to_red),
            web.post("/concerns/{concern}/close", amber.close),
            web.get("/interviews", desk.interviews),
            web.get("/interviews/{interview}", desk.transcript),
            web.get("/interviews/{interview}/download.{kind:html|json}", desk.download),
            web.post("/interviews/{interview}/no-action", desk.no_action),
            web.get("/interviews/{interview}/recommend", forms.recommend_form),
            web.post("/interviews/{interview}/recommend", forms.recommend),
            web.get("/interviews/{interview}/write/{purpose:thanks|message}", forms.write_form),
            web.post("/interviews/{interview}/write/{purpose:thanks|message}", forms.write),
            web.get("/interviews/{interview}/erase", forms.erase_form),
            web.post("/interviews/{interview}/erase", forms.erase),
            web.get("/tasks", task_pages.show),
            web.post("/tasks/{task}/close", task_pages.close),
            web.post("/recommendations/{recommendation}/respond", task_pages.respond),
            web.get("/people", people.show),
            web.post("/people", people.save),
            web.post("/people/{user}/remove", people.remove),
            web.get("/audit", audit.show),
            web.get("/audit.csv", audit.export),
            web.get("/report", reports.form),
            web.post("/report", reports.download),
            web.post("/report/show", reports.show),
            web.get("/report/charts/{key}.png", reports.chart),
            web.get("/invitations", invitations.form),
            web.post("/invitations", invitations.create),
            web.post("/invitations/{interview}/letter", invited.letter),
            web.post("/invitations/{interview}/reissue", invited.reissue),
            web.post("/invitations/{interview}/withdraw", invited.withdraw),
            web.static("/static", STATIC, show_index=False),
        ]
    )
    mail = AlertMailSettings(_env_file=env_file())
    if mail.on:
        console.cleanup_ctx.append(alert_mail_context(app, mail))
        log_event("console_alert_email_on", shared_mailbox=mail.mailbox is not None)
    if oidc.ready:
        sso = SingleSignOn(app, door, sign_in, OidcClient(oidc, app.clock))
        sign_in.sso_label = oidc.label
        console.add_routes(
            [web.get("/sign-in/sso", sso.begin), web.get("/sign-in/sso/return", sso.back)]
        )
        log_event("console_sso_on", redirect_uri=sso.redirect_uri())
    return console
