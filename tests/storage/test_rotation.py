"""Rotating the data key re-encrypts everything; afterwards the old key is not needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage import Cipher, Storage, WrongKeyError, new_key
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import OPERATOR, invite, start_and_consent, tap, type_text


async def test_rotation_moves_every_value_to_the_new_key(tmp_path: Path, clock: FakeClock) -> None:
    path = tmp_path / "rotate.sqlite3"
    old, new = new_key(), new_key()
    flow = every_kind()
    storage = await Storage.open(path, Cipher(old))
    interview_id, _ = await invite(storage, flow, clock(), name="Rotated Person")
    await start_and_consent(storage, flow, interview_id, clock())
    await tap(storage, flow, interview_id, "no", clock())
    await type_text(storage, flow, interview_id, "words to keep", clock())
    await storage.staff.add(77, "Staff Name", "admin", [], OPERATOR, clock())
    await storage.close()

    with pytest.raises(WrongKeyError):
        await Storage.open(path, Cipher(new))
    during = await Storage.open(path, Cipher(new, old))
    changed = await during.rotate_key(OPERATOR, clock())
    assert changed > 10
    assert await during.rotate_key(OPERATOR, clock()) == 0, "a second run has nothing to do"
    await during.close()

    after = await Storage.open(path, Cipher(new))
    try:
        record = await after.transcripts.load(interview_id)
        assert record.interview.display_name == "Rotated Person"
        assert (await after.interviews.state(interview_id)).draft_text == ["words to keep"]
        assert (await after.staff.get(77)) is not None
        assert any(a.action == "data_key_rotated" for a in await after.audit.entries())
    finally:
        await after.close()
    with pytest.raises(WrongKeyError):
        await Storage.open(path, Cipher(old))


async def test_every_encrypted_column_is_rotated(storage: Storage) -> None:
    """Every BLOB column in the schema holds sealed values, so a rotation must cover it;
    a new table with one cannot be forgotten."""
    from storage.rotation import SEALED_COLUMNS

    blobs = set()
    if storage.on_postgres:
        for row in await storage.db.fetch_all(
            "SELECT table_name, column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type = 'bytea'"
        ):
            blobs.add((row[0], row[1]))
    tables = (
        []
        if storage.on_postgres
        else [
            row[0]
            for row in await storage.db.fetch_all(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
    )
    for table in tables:
        for column in await storage.db.fetch_all(f"PRAGMA table_info({table})"):
            if str(column[2]).upper() == "BLOB":
                blobs.add((table, column[1]))
    assert blobs, "the schema has sealed columns"
    rotated = {(table, column) for table, _, column in SEALED_COLUMNS}
    assert blobs - rotated == set(), "sealed columns a key rotation would leave behind"
