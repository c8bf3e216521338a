"""What the console keeps follows the rest of the database: a note on a concern goes when
its interview is erased, and a key rotation carries e-mail addresses, authenticator
secrets and notes to the new key."""

from __future__ import annotations

from pathlib import Path

from storage import Cipher, Storage, new_key
from storage.console_accounts import ConsoleAccounts
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import OPERATOR, invite, start_and_consent, tap


async def test_erasing_an_interview_takes_the_notes_on_its_concerns(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    interview_id, _ = await invite(storage, flow, clock())
    await start_and_consent(storage, flow, interview_id, clock())
    await tap(storage, flow, interview_id, "no", clock())
    [concern] = await storage.concerns.for_interview(interview_id)
    accounts = ConsoleAccounts(storage.db)
    await accounts.add_note(concern.id, 77, "Visited the home today", clock())
    assert [n.note for n in await accounts.notes(concern.id)] == ["Visited the home today"]
    await storage.retention.erase(interview_id, OPERATOR, clock(), "asked to be forgotten")
    assert await accounts.notes(concern.id) == []
    left = await storage.db.fetch_one("SELECT COUNT(*) FROM console_concern_notes")
    assert left is not None and left[0] == 0


async def test_a_key_rotation_carries_console_secrets_to_the_new_key(
    tmp_path: Path, clock: FakeClock
) -> None:
    path = tmp_path / "rotate.sqlite3"
    old, new = new_key(), new_key()
    storage = await Storage.open(path, Cipher(old))
    await storage.staff.add(77, "Staff Name", "admin", [], OPERATOR, clock())
    accounts = ConsoleAccounts(storage.db)
    await accounts.set_email(77, "staff.name@example.org", OPERATOR, clock())
    await accounts.begin_enrolment(77, "JBSWY3DPEHPK3PXP")
    await storage.close()
    during = await Storage.open(path, Cipher(new, old))
    await during.rotate_key(OPERATOR, clock())
    await during.close()
    after = await Storage.open(path, Cipher(new))
    try:
        accounts = ConsoleAccounts(after.db)
        assert await accounts.email_of(77) == "staff.name@example.org"
        assert await accounts.staff_with_email(" Staff.Name@example.org ") == 77
        found = await accounts.authenticator(77)
        assert found is not None and found.secret == "JBSWY3DPEHPK3PXP"
    finally:
        await after.close()
