"""The command line for operators and staff on the server: one module per command group,
each calling bot/core. Importing the package registers every group on `app`."""

from bot.cli import (
    concerns,
    flows,
    followup,
    health,
    interviews,
    invitations,
    reports,
    server,
    services,
    staff,
    store,
    tasks,
)
from bot.cli.common import app

__all__ = [
    "app",
    "concerns",
    "flows",
    "followup",
    "health",
    "interviews",
    "invitations",
    "reports",
    "server",
    "services",
    "staff",
    "store",
    "tasks",
]
