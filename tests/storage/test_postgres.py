"""What only the PostgreSQL store has: its address, its migrations under a lock, its dialect."""

from __future__ import annotations

import asyncio
from pathlib import Path

import psycopg
import pytest

from storage import Cipher, Storage, WrongKeyError, new_key
from storage import migrate as sqlite_migrations
from storage.postgres import migrate as postgres_migrations
from storage.postgres.address import postgres_url, sqlite_path
from storage.postgres.database import DatabaseUnreachable, redacted
from storage.postgres.dialect import UnsupportedStatement, translate
from tests import postgres


def test_exit_database_names_the_store() -> None:
    """Settings read EXIT_DATABASE as a path, which folds '//'; the address survives."""
    assert postgres_url(Path("postgresql://exit@db.internal:5432/exits")) == (
        "postgresql://exit@db.internal:5432/exits"
    )
    assert postgres_url("postgres://exit@db/exits") == "postgresql://exit@db/exits"
    assert postgres_url(Path("data/exit-interviews.sqlite3")) is None
    assert sqlite_path("sqlite:data/x.sqlite3") == Path("data/x.sqlite3")
    assert sqlite_path(Path("sqlite:///srv/x.sqlite3")) == Path("/srv/x.sqlite3")


def test_a_password_never_reaches_a_message() -> None:
    url = "postgresql://exit:hunter-invented-9@127.0.0.1:5/exits"
    assert "hunter-invented-9" not in redacted(url)
    assert "hunter-invented-9" not in str(DatabaseUnreachable(url, "OperationalError"))


def test_sqlite_words_become_postgresql_words() -> None:
    assert translate("SELECT a FROM t WHERE b = ? AND c LIKE 'x:%'", want_id=False) == (
        "SELECT a FROM t WHERE b = %s AND c LIKE 'x:%%'"
    )
    assert translate("INSERT OR IGNORE INTO meta (key) VALUES (?)", want_id=True) == (
        "INSERT INTO meta (key) VALUES (%s) ON CONFLICT DO NOTHING"
    )
    assert translate("INSERT INTO answers (a) VALUES (?)", want_id=True).endswith("RETURNING id")
    assert "string_agg" in translate("SELECT group_concat(x.user_id) FROM r x", want_id=False)
    with pytest.raises(UnsupportedStatement, match="dialect"):
        translate("INSERT OR REPLACE INTO meta (key) VALUES (?)", want_id=False)


def test_migrations_are_numbered_alike_on_both_stores() -> None:
    """A migration added for SQLite without its PostgreSQL twin fails here."""
    assert postgres_migrations.latest_version() == sqlite_migrations.latest_version()


async def test_two_workers_starting_together_migrate_once_and_share_the_key() -> None:
    key = new_key()
    async with postgres.fresh_database(migrated=False) as url:
        first, second = await asyncio.gather(
            Storage.open(url, Cipher(key)), Storage.open(url, Cipher(key))
        )
        try:
            assert first.on_postgres and second.on_postgres
            rows = await first.db.fetch_all("SELECT version FROM schema_version")
            assert [row[0] for row in rows] == [postgres_migrations.latest_version()]
            checks = await second.db.fetch_all("SELECT key FROM meta WHERE key = 'key_check'")
            assert len(checks) == 1
        finally:
            await first.close()
            await second.close()
        with pytest.raises(WrongKeyError):
            await Storage.open(url, Cipher(new_key()))


async def test_nothing_is_kept_in_the_session_so_a_transaction_pooler_is_safe() -> None:
    """PgBouncer in transaction mode hands each transaction any server connection: no
    prepared statement or session lock may outlive a transaction."""
    async with postgres.fresh_database() as url:
        storage = await Storage.open(url, Cipher(new_key()))
        try:
            for _ in range(8):
                await storage.db.fetch_all("SELECT key FROM meta WHERE key = ?", ("key_check",))
            async with await psycopg.AsyncConnection.connect(url, autocommit=True) as spy:
                cursor = await spy.execute(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                )
                locks = await cursor.fetchone()
            async with storage.db.transaction() as connection:
                cursor = await connection.execute("SELECT count(*) FROM pg_prepared_statements")
                prepared = await cursor.fetchone()
        finally:
            await storage.close()
    assert locks is not None and locks[0] == 0
    assert prepared is not None and prepared[0] == 0


async def test_an_unreachable_server_says_what_to_check() -> None:
    with pytest.raises(DatabaseUnreachable, match="server is running"):
        await Storage.open(
            "postgresql://nobody@127.0.0.1:9/none?connect_timeout=1", Cipher(new_key())
        )


def test_local_files_of_a_postgresql_store_sit_in_the_data_folder() -> None:
    """The safety journal and the running lock are files of this machine; an address must
    never turn into folder names."""
    from storage.running import lock_path
    from storage.safety import journal_path

    database = Path("postgresql://exit@db.internal:5432/exits")
    assert journal_path(database) == Path("data/exits.safety.postgres")
    assert lock_path(database) == Path("data/exits.postgres.running")
    assert journal_path(Path("srv/x.sqlite3")) == Path("srv/x.safety.sqlite3")


async def test_two_workers_answering_for_one_person_at_once_apply_one_answer() -> None:
    """Two processes on one database both build a step from the same state (as the answer
    use case does, through state_to_step): the second to commit finds the state changed
    under it and is refused (the use case then reads again), so nothing is doubled."""
    from flows import step
    from flows.inputs import Choice
    from storage.errors import StaleStateError
    from tests.conftest import FakeClock
    from tests.flows.helpers import every_kind
    from tests.storage.helpers import invite, start_and_consent

    key, clock, flow = new_key(), FakeClock(), every_kind()
    async with postgres.fresh_database() as url:
        first, second = Storage.open(url, Cipher(key)), Storage.open(url, Cipher(key))
        one, two = await first, await second
        try:
            interview_id, _ = await invite(one, flow, clock(), service=None)
            await start_and_consent(one, flow, interview_id, clock())
            starts = [
                await one.interviews.state_to_step(interview_id),
                await two.interviews.state_to_step(interview_id),
            ]
            results = [
                step(flow, known.state, Choice(at=clock(), value="yes", prompt=known.state.prompt))
                for known in starts
            ]
            await one.steps.save_step(
                interview_id, results[0], at=clock(), incoming="yes", started_from=starts[0]
            )
            with pytest.raises(StaleStateError):
                await two.steps.save_step(
                    interview_id, results[1], at=clock(), incoming="yes", started_from=starts[1]
                )
            record = await two.transcripts.load(interview_id)
            assert [c.value for c in record.history if c.kind == "answered"] == ["yes"]
        finally:
            await one.close()
            await two.close()
