"""Staff invite in their chat and get a WhatsApp link with a one-time start code; the code
works once, from one number."""

from __future__ import annotations

from tests.e2e.conftest import OPERATOR
from tests.fake_telegram import FakeBotApi
from tests.fake_whatsapp import BUSINESS_NUMBER, FakeCloudApi
from tests.whatsapp.conftest import PERSON, WhatsAppBot

ADMIN = 503
SOMEONE_ELSE = "447700900999"


async def test_an_invitation_has_a_whatsapp_link_whose_code_is_spent_once_used(
    wa_bot: WhatsAppBot, cloud: FakeCloudApi, api: FakeBotApi
) -> None:
    await wa_bot.app.storage.staff.add(ADMIN, "Admin", "admin", [], OPERATOR, wa_bot.clock())
    api.message(ADMIN, "/invite every-kind; Oak House; R.T.")
    prefix = f"https://wa.me/{BUSINESS_NUMBER}?text=START-"
    created = await api.wait_for_text(ADMIN, prefix)
    code = created.text.split(prefix, 1)[1].split()[0]
    assert await cloud.write(PERSON, f"START-{code}") == 200
    await cloud.wait_for_text(PERSON, "Do you want to start?")
    assert await cloud.write(SOMEONE_ELSE, f"START-{code}") == 200
    refused = await cloud.wait_for_text(SOMEONE_ELSE, "")
    assert "Do you want to start?" not in refused.text, "a spent code opens nothing"
    assert await cloud.write(PERSON, f"START-{code}") == 200, "the same number may reopen"
    await cloud.wait_for_text(PERSON, "Do you want to start?")
