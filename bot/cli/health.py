"""`exit-interviews health`: whether this installation can do its work, for monitoring."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import typer

from bot.cli.common import app, out, settings
from storage.leader import Health, probe
from storage.postgres.address import postgres_url
from storage.postgres.database import redacted


def health_lines(health: Health, now: datetime) -> list[str]:
    """One line per check, each starting 'ok' or 'NOT OK' and saying what to do when not,
    so a monitoring script and a person on call read the same thing."""
    if not health.reachable:
        return [
            f"NOT OK  database: cannot be reached ({health.problem}); check EXIT_DATABASE and "
            "that the server is running",
            "NOT OK  migrations: unknown while the database cannot be reached",
            "NOT OK  scheduler leader: unknown while the database cannot be reached",
        ]
    lines = ["ok      database: reachable"]
    if health.migrated:
        lines.append(f"ok      migrations: at the latest version ({health.latest_version})")
    else:
        lines.append(
            f"NOT OK  migrations: at version {health.schema_version}, this program's latest is "
            f"{health.latest_version}; start `exit-interviews run` once to apply them"
        )
    lease = health.lease
    if not lease.leader_id or lease.renewed_at is None:
        lines.append(
            "NOT OK  scheduler leader: none yet; re-alerts and reminders wait until "
            "`exit-interviews run` is started"
        )
    else:
        age = max(0, round((now - lease.renewed_at).total_seconds()))
        if health.led_at(now):
            lines.append(f"ok      scheduler leader: {lease.leader_id}, lease renewed {age} s ago")
        else:
            lines.append(
                f"NOT OK  scheduler leader: {lease.leader_id} last renewed {age} s ago and its "
                "lease has run out; re-alerts and reminders are waiting. Check that a worker "
                "is running"
            )
    return lines


@app.command("health")
def health() -> None:
    """Check the database, its migrations and the scheduler's leader; exit 0 if all are
    well, 1 if not. Reads nothing about people and changes nothing."""
    config = settings()
    result = asyncio.run(probe(config.database))
    url = postgres_url(config.database)
    out.print(f"Database: {redacted(url) if url else config.database}", highlight=False)
    for line in health_lines(result, datetime.now(UTC)):
        out.print(line, highlight=False)
    if not result.healthy_at(datetime.now(UTC)):
        raise typer.Exit(1)
