"""The bot's HTTP client for the Bot API: python-telegram-bot's calls carried by aiohttp, with
the library's own errors and timeouts, file uploads and downloads, and urgent calls first."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator

import pytest
from telegram import Bot
from telegram.error import NetworkError, RetryAfter, TimedOut

from bot.telegram.request import AiohttpRequest, CallGate, environment_proxy
from tests.fake_telegram import TOKEN, FakeBotApi, Faults

CHAT = 7001


@pytest.fixture
async def api() -> AsyncIterator[FakeBotApi]:
    server = await FakeBotApi().start()
    yield server
    await server.stop()


def bot_on(api: FakeBotApi, request: AiohttpRequest) -> Bot:
    return Bot(TOKEN, base_url=api.base_url, base_file_url=api.base_file_url, request=request)


async def test_messages_files_and_downloads_go_through_it(api: FakeBotApi) -> None:
    bot = bot_on(api, AiohttpRequest(2))
    async with bot:
        sent = await bot.send_message(CHAT, "Hello — a question? ✓")
        await bot.send_document(CHAT, b"%PDF transcript", filename="transcript.pdf", caption="c")
        file_id = f"voice{api.raw_message(CHAT, {})}"
        api.files[file_id] = b"OggS recording"
        telegram_file = await bot.get_file(file_id)
        downloaded = bytes(await telegram_file.download_as_bytearray())
    assert sent.text == "Hello — a question? ✓"
    assert api.texts(CHAT)[0] == "Hello — a question? ✓"
    assert api.documents[CHAT] == [("transcript.pdf", b"%PDF transcript", "c")]
    assert downloaded == b"OggS recording"


async def test_telegram_refusals_come_back_as_the_librarys_errors(
    api: FakeBotApi, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PTB_TIMEDELTA", "1")
    api.faults = Faults(rate=1.0, kinds=("429",), retry_after=3)
    bot = bot_on(api, AiohttpRequest(2))
    async with bot:
        with pytest.raises(RetryAfter) as refused:
            await bot.send_message(CHAT, "too fast")
    assert refused.value.retry_after.total_seconds() == 3  # type: ignore[union-attr]


async def test_a_call_that_takes_too_long_times_out(api: FakeBotApi) -> None:
    api.faults = Faults(rate=1.0, kinds=("slow",))
    bot = bot_on(api, AiohttpRequest(2, read_timeout=0.1))
    async with bot:
        with pytest.raises(TimedOut):
            await bot.send_message(CHAT, "slow")


async def test_a_dropped_connection_is_a_network_error(api: FakeBotApi) -> None:
    api.faults = Faults(rate=1.0, kinds=("drop",))
    bot = bot_on(api, AiohttpRequest(2))
    async with bot:
        with pytest.raises(NetworkError):
            await bot.send_message(CHAT, "dropped")


async def test_nobody_listening_is_a_network_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    request = AiohttpRequest(1, connect_timeout=1.0)
    await request.initialize()
    try:
        with pytest.raises(NetworkError):
            await request.post(f"http://127.0.0.1:{port}/bot{TOKEN}/getMe")
    finally:
        await request.shutdown()


@pytest.mark.parametrize("base", ["ftp://127.0.0.1/bot", "http:///bot"])
async def test_a_wrong_address_fails_without_showing_the_token(base: str) -> None:
    request = AiohttpRequest(1)
    await request.initialize()
    try:
        with pytest.raises(NetworkError) as failed:
            await request.post(f"{base}{TOKEN}/getMe")
    finally:
        await request.shutdown()
    assert TOKEN not in str(failed.value)
    assert TOKEN.split(":")[1] not in str(failed.value)


async def test_a_call_that_cannot_get_a_connection_in_time_is_not_sent(api: FakeBotApi) -> None:
    api.faults = Faults(rate=1.0, kinds=("slow",), methods=frozenset({"sendMessage"}))
    bot = bot_on(api, AiohttpRequest(1, pool_timeout=0.05))
    async with bot:
        first = asyncio.create_task(bot.send_message(CHAT, "holds the only connection"))
        await asyncio.sleep(0.1)
        with pytest.raises(TimedOut, match="not sent"):
            await bot.send_message(CHAT + 1, "waits too long")
        await first
    assert CHAT + 1 not in api.sent


async def test_urgent_callers_go_first_and_others_keep_their_order() -> None:
    gate = CallGate(1)
    await gate.enter()
    order: list[str] = []

    async def caller(name: str, urgent: bool) -> None:
        await gate.enter(urgent)
        order.append(name)
        gate.leave()

    waiting = [
        asyncio.create_task(caller("reply 1", False)),
        asyncio.create_task(caller("reply 2", False)),
        asyncio.create_task(caller("concern alert", True)),
    ]
    await asyncio.sleep(0)  # each new task runs up to its wait
    assert gate.waiting == 3
    gate.leave()
    await asyncio.gather(*waiting)
    assert order == ["concern alert", "reply 1", "reply 2"]
    assert gate.free == 1


async def test_a_caller_who_gives_up_leaves_the_line_without_losing_a_place() -> None:
    gate = CallGate(1)
    await gate.enter()
    impatient = asyncio.create_task(gate.enter())
    await asyncio.sleep(0)
    assert gate.waiting == 1
    impatient.cancel()
    with pytest.raises(asyncio.CancelledError):
        await impatient
    assert gate.waiting == 0
    gate.leave()
    assert gate.free == 1

    await gate.enter()
    unlucky = asyncio.create_task(gate.enter())
    await asyncio.sleep(0)
    assert gate.waiting == 1
    gate.leave()  # the place is handed to the waiter...
    unlucky.cancel()  # ...just as it gives up: the place must not be lost
    with pytest.raises(asyncio.CancelledError):
        await unlucky
    assert gate.free == 1


def test_a_proxy_named_in_the_environment_is_used_unless_the_address_is_left_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    assert environment_proxy("https://api.telegram.org/bot1:x/getMe") is None
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.council.example:3128")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    assert (
        environment_proxy("https://api.telegram.org/bot1:x/getMe")
        == "http://proxy.council.example:3128"
    )
    assert environment_proxy("http://127.0.0.1:8081/bot1:x/getMe") is None
