"""A fake Telegram Bot API server on 127.0.0.1, for tests and benchmarks.

python-telegram-bot talks to it with its real HTTP client. It hands out queued updates
through getUpdates, records every message the bot sends per chat, and can be told to fail
(429 with retry_after, 500, 502, slow answers, dropped connections) to test resilience.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_ID = 4242
BOT_USERNAME = "exit_interviews_test_bot"
TOKEN = "123456:TEST-fake-token-for-local-tests-only"


@dataclass
class Sent:
    """A message the bot sent (or edited) in a chat."""

    chat_id: int
    message_id: int
    text: str
    buttons: list[list[dict[str, str]]] = field(default_factory=list)
    edits: int = 0
    first_text: str = ""

    def __post_init__(self) -> None:
        self.first_text = self.first_text or self.text

    def button_data(self, label_part: str) -> str:
        """The callback data of the button whose label contains `label_part`."""
        for row in self.buttons:
            for button in row:
                if label_part in button["text"]:
                    return button["callback_data"]
        raise KeyError(f"no button with {label_part!r} in {self.buttons}")


@dataclass
class Faults:
    """What share of calls to fail, and how."""

    rate: float = 0.0
    kinds: tuple[str, ...] = ("429", "500", "502", "slow", "drop", "timeout")
    timeout_seconds: float = 1.5
    methods: frozenset[str] = frozenset(
        {"sendMessage", "editMessageText", "answerCallbackQuery", "sendChatAction"}
    )
    retry_after: int = 1
    seed: int = 7


def _decode(form: dict[str, str]) -> dict[str, Any]:
    decoded: dict[str, Any] = {}
    for key, value in form.items():
        if key in {
            "reply_markup",
            "commands",
            "allowed_updates",
            "scope",
            "link_preview_options",
            "entities",
        }:
            decoded[key] = json.loads(value)
        elif key in {"chat_id", "message_id", "offset", "limit", "timeout"}:
            decoded[key] = int(value)
        else:
            decoded[key] = value
    return decoded


class FakeBotApi:
    """Start with `await FakeBotApi().start()`; stop with `await api.stop()`."""

    def __init__(self) -> None:
        self.updates: list[dict[str, Any]] = []
        self.update_ids = itertools.count(1)
        self.message_ids = itertools.count(1000)
        self.sent: dict[int, list[Sent]] = defaultdict(list)
        # Files people sent, by file id, and voice notes the bot sent, by chat.
        self.files: dict[str, bytes] = {}
        self.voices_sent: dict[int, list[bytes]] = defaultdict(list)
        # Documents sent, by chat: (file name, content, caption).
        self.documents: dict[int, list[tuple[str, bytes, str]]] = defaultdict(list)
        self.calls: list[tuple[str, float]] = []
        self.commands: list[dict[str, str]] = []
        self.commands_by_language: dict[str, list[dict[str, str]]] = {}
        # Chats whose person has their Telegram app set to a language (a language_code).
        self.app_languages: dict[int, str] = {}
        self.callback_answers: list[dict[str, Any]] = []
        self.faults = Faults()
        self._random = random.Random(self.faults.seed)
        self._new_update = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.delivered_offset = 0
        self.faults_served: list[str] = []
        self._chat_events: dict[int, asyncio.Event] = defaultdict(asyncio.Event)
        self.blocked: set[int] = set()
        # A running bot's own "nothing left to do", and the calls being answered right now.
        self.settled: Callable[[], Awaitable[bool]] | None = None
        self.in_flight = 0
        self.webhook: dict[str, Any] = {}
        """Chats whose person has blocked the bot: sending to them gets 403 Forbidden."""

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self) -> FakeBotApi:
        app = web.Application()
        app.router.add_post("/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None
        self.port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        return self

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    # What a person does -----------------------------------------------------------------

    def _user(self, chat_id: int) -> dict[str, Any]:
        user: dict[str, Any] = {"id": chat_id, "is_bot": False, "first_name": f"Person{chat_id}"}
        if chat_id in self.app_languages:
            user["language_code"] = self.app_languages[chat_id]
        return user

    def push(self, update: dict[str, Any]) -> int:
        update_id = update.setdefault("update_id", next(self.update_ids))
        self.updates.append(update)
        self._new_update.set()
        return int(update_id)

    def message(self, chat_id: int, text: str, chat_type: str = "private") -> int:
        """The person sends a text message (or a command such as '/start TOKEN')."""
        entities = []
        if text.startswith("/"):
            entities = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        return self.push(
            {
                "message": {
                    "message_id": next(self.message_ids),
                    "date": int(time.time()),
                    "chat": {"id": chat_id, "type": chat_type, "first_name": "P"},
                    "from": self._user(chat_id),
                    "text": text,
                    "entities": entities,
                }
            }
        )

    def voice(self, chat_id: int, audio: bytes, duration: int, size: int | None = None) -> int:
        """The person sends a voice note; its bytes are served as Telegram serves files."""
        file_id = f"voice{next(self.message_ids)}"
        self.files[file_id] = audio
        voice = {
            "file_id": file_id,
            "file_unique_id": file_id,
            "duration": duration,
            "mime_type": "audio/ogg",
            "file_size": len(audio) if size is None else size,
        }
        return self.raw_message(chat_id, {"voice": voice})

    def raw_message(
        self, chat_id: int, extra: dict[str, Any], key: str = "message", chat_type: str = "private"
    ) -> int:
        """Any other kind of message: a photo, sticker, voice note, an edit, a channel post."""
        body = {
            "message_id": next(self.message_ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": chat_type, "first_name": "P"},
            **extra,
        }
        if key != "channel_post":
            body["from"] = self._user(chat_id)
        return self.push({key: body})

    def press(self, chat_id: int, data: str, message: Sent | None = None) -> int:
        """The person taps an inline button carrying `data`."""
        target = message or self.last(chat_id)
        return self.push(
            {
                "callback_query": {
                    "id": str(next(self.message_ids)),
                    "from": self._user(chat_id),
                    "chat_instance": str(chat_id),
                    "data": data,
                    "message": self._message_json(target, chat_id),
                }
            }
        )

    def tap(self, chat_id: int, label_part: str) -> int:
        """Tap the button whose label contains `label_part` on the newest prompt with buttons."""
        prompt = self.last_with_buttons(chat_id)
        return self.press(chat_id, prompt.button_data(label_part), prompt)

    # What the bot did -------------------------------------------------------------------

    def last(self, chat_id: int) -> Sent:
        return self.sent[chat_id][-1]

    def last_with_buttons(self, chat_id: int) -> Sent:
        return next(m for m in reversed(self.sent[chat_id]) if m.buttons)

    def texts(self, chat_id: int) -> list[str]:
        return [m.text for m in self.sent[chat_id]]

    async def wait_for(self, predicate: Any, timeout: float = 10.0) -> None:
        """Wait until `predicate()` is true, failing the test after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError("timed out waiting for the bot")
            await asyncio.sleep(0.01)

    async def wait_for_text(self, chat_id: int, part: str, timeout: float = 10.0) -> Sent:
        await self.wait_for(lambda: any(part in m.text for m in self.sent[chat_id]), timeout)
        return next(m for m in reversed(self.sent[chat_id]) if part in m.text)

    async def next_message(
        self, chat_id: int, after: int, with_buttons: bool = False, timeout: float = 60.0
    ) -> Sent:
        """The first message in a chat beyond the first `after`, waiting without polling."""
        event = self._chat_events[chat_id]
        deadline = time.monotonic() + timeout
        while True:
            for sent in self.sent[chat_id][after:]:
                if sent.buttons or not with_buttons:
                    return sent
            event.clear()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"chat {chat_id}: no reply within {timeout} s")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), timeout=remaining)

    async def wait_until_idle(self, timeout: float = 10.0) -> None:
        """Until the bot has fetched every queued update and handled it, with nothing left
        to send: the running bot says so (`settled`, set by RunningBot.watch), and no call
        is being answered. Never a quiet moment taken for done."""
        assert self.settled is not None, "no running bot to ask: watch(api) it, or wait for a reply"
        await self.wait_for(lambda: self.delivered_offset >= len(self.updates), timeout)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            calls = len(self.calls)
            if self.in_flight == 0 and await self.settled():
                await asyncio.sleep(0)
                if len(self.calls) == calls and self.in_flight == 0 and await self.settled():
                    return
            await asyncio.sleep(0.01)
        raise AssertionError("the bot was still busy after the timeout")

    # The Bot API ------------------------------------------------------------------------

    def _message_json(self, sent: Sent, chat_id: int) -> dict[str, Any]:
        body: dict[str, Any] = {
            "message_id": sent.message_id,
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": "private", "first_name": "P"},
            "from": {
                "id": BOT_ID,
                "is_bot": True,
                "first_name": "Exit interviews",
                "username": BOT_USERNAME,
            },
            "text": sent.text,
        }
        if sent.buttons:
            body["reply_markup"] = {"inline_keyboard": sent.buttons}
        return body

    async def _fault(self, method: str, request: web.Request) -> web.Response | None:
        if self.faults.rate <= 0 or method not in self.faults.methods:
            return None
        if self._random.random() >= self.faults.rate:
            return None
        kind = self._random.choice(self.faults.kinds)
        self.faults_served.append(kind)
        if kind == "429":
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": "Too Many Requests: retry later",
                    "parameters": {"retry_after": self.faults.retry_after},
                },
                status=429,
            )
        if kind in {"500", "502"}:
            return web.json_response(
                {"ok": False, "error_code": int(kind), "description": "Internal Server Error"},
                status=int(kind),
            )
        if kind == "slow":
            await asyncio.sleep(0.5)
            return None
        if kind == "timeout":
            await asyncio.sleep(self.faults.timeout_seconds)
        if request.transport is not None:
            request.transport.abort()
        raise ConnectionResetError("dropped by the fake server")

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        """Answer a call; calls other than the long poll count as in flight meanwhile."""
        counted = request.match_info["method"] != "getUpdates"
        self.in_flight += counted
        try:
            return await self._answer(request)
        finally:
            self.in_flight -= counted

    async def _answer(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        self.calls.append((method, time.monotonic()))
        files: dict[str, bytes] = {}
        if request.content_type == "application/json":
            params = await request.json()
        else:
            form = await request.post()
            for name, value in form.items():
                if isinstance(value, web.FileField):
                    files[name] = value.file.read()
                    files[f"{name}_filename"] = (value.filename or "").encode()
            params = _decode(
                {k: str(v) for k, v in form.items() if not isinstance(v, web.FileField)}
            )
            params.update(files)
        if request.match_info["token"] != TOKEN:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        fault = await self._fault(method, request)
        if fault is not None:
            return fault
        handler = getattr(self, f"api_{method}", None)
        if handler is None:
            return web.json_response({"ok": True, "result": True})
        result = await handler(params)
        return web.json_response({"ok": True, "result": result})

    async def api_getMe(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": BOT_ID,
            "is_bot": True,
            "first_name": "Exit interviews",
            "username": BOT_USERNAME,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def api_getUpdates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset", 0) or 0)
        timeout = float(params.get("timeout", 0) or 0)
        deadline = time.monotonic() + timeout
        while True:
            ready = [u for u in self.updates if u["update_id"] >= offset]
            if offset:
                self.delivered_offset = max(
                    self.delivered_offset, sum(1 for u in self.updates if u["update_id"] < offset)
                )
            if ready or time.monotonic() >= deadline:
                return ready[:100]
            self._new_update.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(
                    self._new_update.wait(), timeout=max(0.01, deadline - time.monotonic())
                )

    @staticmethod
    def _too_long(text: str) -> web.HTTPBadRequest | None:
        """Telegram counts a message's length in UTF-16 code units and refuses past 4,096."""
        if len(text.encode("utf-16-le")) // 2 <= 4096:
            return None
        return web.HTTPBadRequest(
            text=json.dumps(
                {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}
            ),
            content_type="application/json",
        )

    async def api_sendMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        too_long = self._too_long(params["text"])
        if too_long is not None:
            raise too_long
        if chat_id in self.blocked:
            raise web.HTTPForbidden(
                text=json.dumps(
                    {
                        "ok": False,
                        "error_code": 403,
                        "description": "Forbidden: bot was blocked by the user",
                    }
                ),
                content_type="application/json",
            )
        markup = params.get("reply_markup") or {}
        sent = Sent(
            chat_id, next(self.message_ids), params["text"], markup.get("inline_keyboard", [])
        )
        self.sent[chat_id].append(sent)
        self._chat_events[chat_id].set()
        return self._message_json(sent, chat_id)

    async def api_getFile(self, params: dict[str, Any]) -> dict[str, Any]:
        file_id = str(params["file_id"])
        if file_id not in self.files:
            raise web.HTTPBadRequest(
                text=json.dumps(
                    {"ok": False, "error_code": 400, "description": "Bad Request: invalid file_id"}
                ),
                content_type="application/json",
            )
        return {
            "file_id": file_id,
            "file_unique_id": file_id,
            "file_size": len(self.files.get(file_id, b"")),
            "file_path": f"voice/{file_id}.oga",
        }

    async def _file(self, request: web.Request) -> web.StreamResponse:
        file_id = request.match_info["path"].rsplit("/", 1)[-1].removesuffix(".oga")
        if request.match_info["token"] != TOKEN or file_id not in self.files:
            raise web.HTTPNotFound()
        return web.Response(body=self.files[file_id])

    async def api_sendVoice(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        self.voices_sent[chat_id].append(params.get("voice", b""))
        sent = Sent(chat_id, next(self.message_ids), str(params.get("caption", "")), [])
        self.sent[chat_id].append(sent)
        self._chat_events[chat_id].set()
        body = self._message_json(sent, chat_id)
        body["voice"] = {"file_id": "sent", "file_unique_id": "s", "duration": 1}
        return body

    async def api_sendDocument(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        document = params.get("document", b"")
        name = params.get("document_filename", b"").decode()
        caption = str(params.get("caption", ""))
        self.documents[chat_id].append((name, document, caption))
        sent = Sent(chat_id, next(self.message_ids), caption, [])
        self.sent[chat_id].append(sent)
        self._chat_events[chat_id].set()
        body = self._message_json(sent, chat_id)
        body["document"] = {"file_id": f"doc{sent.message_id}", "file_unique_id": "u"}
        return body

    async def api_editMessageText(self, params: dict[str, Any]) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        too_long = self._too_long(params["text"])
        if too_long is not None:
            raise too_long
        message_id = int(params["message_id"])
        for sent in self.sent[chat_id]:
            if sent.message_id == message_id:
                sent.text = params["text"]
                sent.buttons = (params.get("reply_markup") or {}).get("inline_keyboard", [])
                sent.edits += 1
                return self._message_json(sent, chat_id)
        raise web.HTTPBadRequest(
            text=json.dumps(
                {"ok": False, "error_code": 400, "description": "Bad Request: message not found"}
            ),
            content_type="application/json",
        )

    async def api_answerCallbackQuery(self, params: dict[str, Any]) -> bool:
        self.callback_answers.append(params)
        return True

    async def api_setMyCommands(self, params: dict[str, Any]) -> bool:
        language = params.get("language_code") or ""
        self.commands_by_language[language] = params.get("commands", [])
        if not language:
            self.commands = self.commands_by_language[language]
        return True

    async def api_sendChatAction(self, params: dict[str, Any]) -> bool:
        return True

    async def api_setWebhook(self, params: dict[str, Any]) -> bool:
        self.webhook = params
        return True

    async def api_deleteWebhook(self, params: dict[str, Any]) -> bool:
        return True
