"""Guards on what strangers can make the bot do: guessing invitation tokens, and being
answered again and again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.core.notices import QuietPeriod, TokenGuard

NOW = datetime(2026, 3, 2, 10, 0, tzinfo=UTC)


def test_five_wrong_tokens_in_a_quarter_of_an_hour_stop_a_chat_from_trying() -> None:
    guard = TokenGuard()
    for minute in range(5):
        assert not guard.blocked(1, NOW + timedelta(minutes=minute))
        guard.failed(1, NOW + timedelta(minutes=minute))
    assert guard.blocked(1, NOW + timedelta(minutes=5))
    assert not guard.blocked(2, NOW + timedelta(minutes=5))  # other chats are not held up
    assert guard.blocked(1, NOW + timedelta(minutes=14))
    assert not guard.blocked(1, NOW + timedelta(minutes=15, seconds=1))


def test_wrong_tokens_spread_over_time_never_block() -> None:
    guard = TokenGuard()
    for n in range(20):
        moment = NOW + timedelta(minutes=4 * n)
        assert not guard.blocked(3, moment)
        guard.failed(3, moment)


def test_a_stranger_is_answered_once_then_not_again_for_a_while() -> None:
    quiet = QuietPeriod(600)
    assert quiet.first_in_a_while(9, 0.0)
    assert not quiet.first_in_a_while(9, 30.0)
    assert not quiet.first_in_a_while(9, 599.0)
    assert quiet.first_in_a_while(9, 600.0)
    assert quiet.first_in_a_while(10, 30.0)
