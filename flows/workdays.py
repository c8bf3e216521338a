"""Working days, for due dates staff must meet: weekends do not count."""

from __future__ import annotations

from datetime import datetime, timedelta


def add_working_days(moment: datetime, days: int) -> datetime:
    """The same time of day `days` working days (Monday to Friday) later. A moment at a
    weekend counts from the Monday after it. Bank holidays are not known here."""
    result = moment
    while result.weekday() >= 5:
        result += timedelta(days=1)
    added = 0
    while added < days:
        result += timedelta(days=1)
        if result.weekday() < 5:
            added += 1
    return result
