"""The running bot and the fake Bot API, as in the end-to-end tests."""

from tests.e2e.conftest import api, bot

__all__ = ["api", "bot"]
