"""Every human-loop test of test_human_loop.py again, on PostgreSQL."""

from tests.e2e.on_postgres import bot  # noqa: F401 - the fixture these tests take
from tests.e2e.test_human_loop import *  # noqa: F403 - collected again here, on PostgreSQL
