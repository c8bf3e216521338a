"""`exit-interviews run` serves WhatsApp only when every EXIT_WHATSAPP_* setting is present,
beside the web chat when that is asked for too."""

from __future__ import annotations

from pydantic import SecretStr

from bot.core.after_reply import AfterReply, Stopper
from bot.core.config import Settings
from bot.launch import alongside
from bot.whatsapp.run import whatsapp_configured

FULL = {
    "whatsapp_token": SecretStr("t"),
    "whatsapp_phone_number_id": "1",
    "whatsapp_app_secret": SecretStr("s"),
    "whatsapp_verify_token": SecretStr("v"),
    "whatsapp_business_number": "447700900000",
}


def test_whatsapp_is_served_only_when_every_setting_is_present() -> None:
    assert whatsapp_configured(Settings(_env_file=None, **FULL))  # type: ignore[arg-type]
    for missing in FULL:
        partial = {k: v for k, v in FULL.items() if k != missing}
        assert not whatsapp_configured(Settings(_env_file=None, **partial))  # type: ignore[arg-type]


async def test_two_channels_beside_the_bot_start_in_order_and_stop_in_reverse() -> None:
    happened: list[str] = []

    def channel(name: str):  # type: ignore[no-untyped-def]
        async def start(after: AfterReply) -> Stopper:
            happened.append(f"start {name}")

            async def stop() -> None:
                happened.append(f"stop {name}")

            return stop

        return start

    both = alongside(channel("web"), channel("whatsapp"))
    stop = await both(None)  # type: ignore[arg-type]
    await stop()
    assert happened == ["start web", "start whatsapp", "stop whatsapp", "stop web"]
    assert alongside(None, channel("whatsapp")) is not None
