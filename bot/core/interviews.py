"""Finding interviews to list: never their answers, only what staff need to pick one."""

from __future__ import annotations

from typing import Any

from bot.core.context import AppContext
from bot.documents.transcript import interview_row
from flows.status import Status
from storage import Actor


class UnknownStatusError(ValueError):
    """A status filter that no interview can have."""


def checked_status(status: str | None) -> Status | None:
    """The status to filter by; UnknownStatusError lists the valid ones for a typo."""
    if status is None:
        return None
    try:
        return Status(status)
    except ValueError:
        valid = ", ".join(s.value for s in Status)
        raise UnknownStatusError(f"No status '{status}'. Use one of: {valid}.") from None


async def find_interviews(
    app: AppContext,
    actor: Actor,
    *,
    status: str | None = None,
    service: str | None = None,
    concerns_only: bool = False,
    limit: int | None = None,
) -> list[dict[str, Any]]:
    """Interviews this reader may see, newest first, as rows for a list or JSON."""
    wanted = checked_status(status)
    found = await app.storage.interviews.find(
        actor,
        status=None if wanted is None else wanted.value,
        service=service,
        concerns_only=concerns_only,
        limit=limit,
    )
    return [interview_row(summary) for summary in found]
