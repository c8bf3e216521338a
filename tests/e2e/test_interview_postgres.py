"""Every interview test of test_interview.py again, on PostgreSQL."""

from tests.e2e.on_postgres import bot  # noqa: F401 - the fixture these tests take
from tests.e2e.test_interview import *  # noqa: F403 - collected again here, on PostgreSQL
