"""A home or service that does not use WhatsApp: its invitations carry no WhatsApp link,
while other services' still do."""

from __future__ import annotations

from tests.e2e.conftest import OPERATOR
from tests.fake_telegram import FakeBotApi
from tests.fake_whatsapp import BUSINESS_NUMBER
from tests.whatsapp.conftest import WhatsAppBot

ADMIN = 504
LINK = f"https://wa.me/{BUSINESS_NUMBER}?text=START-"


async def test_a_service_with_whatsapp_off_gets_no_whatsapp_link(
    wa_bot: WhatsAppBot, api: FakeBotApi
) -> None:
    wa_bot.app.settings.whatsapp_off_services = ["Oak House"]
    await wa_bot.app.storage.staff.add(ADMIN, "Admin", "admin", [], OPERATOR, wa_bot.clock())
    api.message(ADMIN, "/invite every-kind; Oak House; R.T.")
    oak = await api.wait_for_text(ADMIN, "https://t.me/")
    assert LINK not in oak.text and "WhatsApp" not in oak.text
    api.message(ADMIN, "/invite every-kind; Elm House; S.U.")
    await api.wait_for_text(ADMIN, LINK)  # Elm House keeps WhatsApp
