"""Helpline numbers a person can tap, and when a "read today" task falls due."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.core.concerns import read_today_due
from bot.core.dialling import with_international_numbers
from bot.web.dial import dial_links

LONDON = ZoneInfo("Europe/London")


def test_numbers_become_tel_and_sms_links_and_the_rest_is_escaped() -> None:
    line = "• Meic: call 080880 23456 or text 84001, 8am to midnight <b>"
    html = str(dial_links(line))
    assert '<a href="tel:08088023456" class="dial">080880 23456</a>' in html
    assert '<a href="sms:84001" class="dial">84001</a>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_times_ages_and_years_are_not_numbers_to_call() -> None:
    for line in ("weekdays 9.30 to 12.30", "up to age 19", "in 2026", "9 to 5", "8am"):
        assert "<a " not in str(dial_links(line)), line
    assert 'href="tel:999"' in str(dial_links("In danger now: call 999."))
    assert 'href="tel:116123"' in str(dial_links("Samaritans: call 116 123 any time"))


def test_telegram_gets_the_international_form_of_national_numbers_only() -> None:
    text = "call 0800 1111 any time, 999 now, or text 84001"
    assert with_international_numbers(text) == (
        "call 0800 1111 (+44 800 1111) any time, 999 now, or text 84001"
    )


def test_read_today_is_due_at_the_end_of_this_working_day_or_the_next() -> None:
    monday_morning = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    assert read_today_due(monday_morning, LONDON) == datetime(2026, 3, 2, 17, 30, tzinfo=LONDON)
    monday_evening = datetime(2026, 3, 2, 19, 0, tzinfo=UTC)
    assert read_today_due(monday_evening, LONDON) == datetime(2026, 3, 3, 17, 30, tzinfo=LONDON)
    saturday = datetime(2026, 3, 7, 11, 0, tzinfo=UTC)
    assert read_today_due(saturday, LONDON) == datetime(2026, 3, 9, 17, 30, tzinfo=LONDON)
