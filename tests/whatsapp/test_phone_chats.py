"""The WhatsApp number is personal data: sealed, found by a keyed hash, kept through a key
rotation, and forgotten with the interview."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from storage import Cipher, Storage, new_key
from storage.delivery_receipts import DeliveryReceipts
from storage.phone_chats import PhoneChats, is_phone_chat
from storage.web_sessions import is_web_chat, new_web_chat_id
from tests.conftest import FakeClock
from tests.flows.helpers import every_kind
from tests.storage.helpers import OPERATOR, invite
from tests.whatsapp.conftest import PERSON

OTHER = "447700900456"


async def test_a_number_is_one_chat_kept_only_sealed_and_hashed(
    storage: Storage, clock: FakeClock
) -> None:
    chats = PhoneChats(storage.db)
    first = await chats.heard_from(PERSON, clock())
    assert await chats.heard_from(PERSON, clock()) == first
    assert await chats.heard_from(OTHER, clock()) != first
    assert is_phone_chat(first) and not is_web_chat(first)
    assert not is_phone_chat(new_web_chat_id()) and not is_phone_chat(123456789)
    assert await chats.address(first) == PERSON
    rows = await storage.db.fetch_all("SELECT * FROM phone_chats")
    assert all(PERSON not in str(value) for row in rows for value in tuple(row))
    assert all(PERSON.encode() not in bytes(row["address"]) for row in rows)


async def test_the_number_still_finds_its_chat_after_a_key_rotation(
    tmp_path: Path, key: str, clock: FakeClock
) -> None:
    path = tmp_path / "rotate.sqlite3"
    before = await Storage.open(path, Cipher(key))
    chat_id = await PhoneChats(before.db).heard_from(PERSON, clock())
    await before.close()
    new = new_key()
    during = await Storage.open(path, Cipher(new, key))
    await during.rotate_key(OPERATOR, clock())
    await during.close()
    after = await Storage.open(path, Cipher(new))
    try:
        chats = PhoneChats(after.db)
        assert await chats.address(chat_id) == PERSON
        assert await chats.heard_from(PERSON, clock()) == chat_id
    finally:
        await after.close()


async def test_one_template_per_quiet_spell(storage: Storage, clock: FakeClock) -> None:
    chats = PhoneChats(storage.db)
    chat_id = await chats.heard_from(PERSON, clock())
    assert await chats.claim_template(chat_id, clock())
    assert not await chats.claim_template(chat_id, clock() + timedelta(hours=1))
    await chats.heard_from(PERSON, clock() + timedelta(hours=2))
    assert await chats.last_inbound(chat_id) == clock() + timedelta(hours=2)
    assert await chats.claim_template(chat_id, clock() + timedelta(days=2))


async def test_erasure_forgets_the_number_and_what_became_of_its_messages(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    chats = PhoneChats(storage.db)
    chat_id = await chats.heard_from(PERSON, clock())
    interview_id, token = await invite(storage, flow, clock())
    await storage.interviews.redeem(token, chat_id, clock())
    await DeliveryReceipts(storage.db).accepted("wamid.1", chat_id, 1, interview_id, clock())
    await storage.retention.erase(interview_id, OPERATOR, clock(), "asked to")
    assert await chats.address(chat_id) is None
    assert await DeliveryReceipts(storage.db).get("wamid.1") is None
    assert await chats.heard_from(PERSON, clock()) != chat_id, "a new chat, nothing to link"


async def test_a_number_no_interview_uses_any_more_is_forgotten_after_an_hour(
    storage: Storage, clock: FakeClock
) -> None:
    flow = every_kind()
    chats = PhoneChats(storage.db)
    old = await chats.heard_from(PERSON, clock())
    interview_id, token = await invite(storage, flow, clock())
    await storage.interviews.redeem(token, old, clock())
    again = await storage.interviews.reissue(
        interview_id, clock() + timedelta(days=28), OPERATOR, clock()
    )
    new = await chats.heard_from(OTHER, clock())
    await storage.interviews.redeem(again.token, new, clock())
    opening = await chats.heard_from("447700900321", clock() + timedelta(minutes=59))
    assert await chats.forget_unlinked(clock() + timedelta(minutes=30)) == 1
    assert await chats.address(old) is None, "the number the link was reissued from"
    assert await chats.address(new) == OTHER
    assert await chats.address(opening) is not None, "one opening its invitation just now"
