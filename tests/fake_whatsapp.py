"""A fake WhatsApp Cloud API on 127.0.0.1, for tests and benchmarks.

The channel talks to it with its real HTTP client. It records every message sent, refuses
what the real one refuses (more than 3 reply buttons, a button title over 20 characters,
more than 10 list rows, a row title over 24, a free-form message more than 24 hours after
the person last wrote: error 131047), serves voice notes, and posts webhooks to the app
signed with the app secret, as Meta does: messages, statuses, duplicates and forgeries.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import aiohttp
from aiohttp import web

TOKEN = "fake-cloud-api-token-for-local-tests-only"
APP_SECRET = "fake-app-secret-for-local-tests-only"
VERIFY_TOKEN = "fake-verify-token"
PHONE_NUMBER_ID = "100000000000001"
BUSINESS_NUMBER = "447700900000"
VERSION = "v21.0"
WINDOW = timedelta(hours=24)


@dataclass
class SentMessage:
    """A message the app sent to a number."""

    to: str
    id: str
    body: dict[str, Any]

    @property
    def kind(self) -> str:
        """text, button, list or template."""
        if self.body["type"] == "interactive":
            return str(self.body["interactive"]["type"])
        return str(self.body["type"])

    @property
    def text(self) -> str:
        """What the person reads (a template's name for a template)."""
        if self.kind == "text":
            return str(self.body["text"]["body"])
        if self.kind == "template":
            return str(self.body["template"]["name"])
        return str(self.body["interactive"]["body"]["text"])

    @property
    def choices(self) -> list[tuple[str, str]]:
        """Every button or list row, as (id, title)."""
        if self.kind == "button":
            return [
                (b["reply"]["id"], b["reply"]["title"])
                for b in self.body["interactive"]["action"]["buttons"]
            ]
        if self.kind == "list":
            return [
                (row["id"], row["title"])
                for section in self.body["interactive"]["action"]["sections"]
                for row in section["rows"]
            ]
        return []

    def choice(self, title_part: str) -> tuple[str, str]:
        """The button or row whose title contains `title_part`."""
        for found in self.choices:
            if title_part in found[1]:
                return found
        raise KeyError(f"no choice with {title_part!r} in {self.choices}")


def _limits(body: dict[str, Any]) -> str | None:
    """What the real Cloud API would say is wrong with an interactive message, if anything."""
    interactive = body["interactive"]
    action = interactive["action"]
    if interactive["type"] == "button":
        buttons = action["buttons"]
        if not 1 <= len(buttons) <= 3:
            return "buttons: between 1 and 3"
        if any(len(b["reply"]["title"]) > 20 for b in buttons):
            return "button title: at most 20 characters"
        if len(interactive["body"]["text"]) > 1024:
            return "body: at most 1024 characters"
        if len(interactive.get("footer", {}).get("text", "")) > 60:
            return "footer: at most 60 characters"
    elif interactive["type"] == "list":
        rows = [row for section in action["sections"] for row in section["rows"]]
        if not 1 <= len(rows) <= 10:
            return "rows: between 1 and 10"
        if any(len(row["title"]) > 24 for row in rows):
            return "row title: at most 24 characters"
        if any(len(row.get("description", "")) > 72 for row in rows):
            return "row description: at most 72 characters"
        if len(action["button"]) > 20:
            return "list button: at most 20 characters"
    else:
        return "unsupported interactive type"
    ids = [c[0] for c in SentMessage("", "", body).choices]
    if len(set(ids)) != len(ids) or any(len(i) > 200 for i in ids):
        return "ids: unique, at most 200 characters"
    return None


class FakeCloudApi:
    """The Cloud API's send, media and webhook sides, on one port of 127.0.0.1."""

    def __init__(self, clock: Callable[[], datetime]) -> None:
        self.clock = clock
        self.sent: dict[str, list[SentMessage]] = defaultdict(list)
        self.refused: list[tuple[str, int, str]] = []
        self.last_inbound: dict[str, datetime] = {}
        self.media_files: dict[str, tuple[bytes, str]] = {}
        self.media_fetches: defaultdict[str, int] = defaultdict(int)
        self.failing: list[tuple[int, int, str]] = []
        self.webhook_url = ""
        self._mark: dict[str, int] = {}
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self._session: aiohttp.ClientSession | None = None
        self.port = 0

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/{VERSION}"

    async def start(self) -> FakeCloudApi:
        app = web.Application()
        app.add_routes(
            [
                web.post(f"/{VERSION}/{{number}}/messages", self._send),
                web.get(f"/{VERSION}/{{media_id}}", self._media_info),
                web.get("/media/{media_id}", self._media_bytes),
            ]
        )
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = int(self._runner.addresses[0][1])
        self._session = aiohttp.ClientSession()
        return self

    async def stop(self) -> None:
        if self._session is not None:
            await self._session.close()
        if self._runner is not None:
            await self._runner.cleanup()

    # The send side --------------------------------------------------------------------------

    def fail_next(self, code: int, status: int = 400, title: str = "refused") -> None:
        """Refuse the next send with this error, as the real API would."""
        self.failing.append((code, status, title))

    @staticmethod
    def _error(status: int, code: int, message: str) -> web.Response:
        return web.json_response(
            {"error": {"message": message, "type": "OAuthException", "code": code}}, status=status
        )

    async def _send(self, request: web.Request) -> web.StreamResponse:
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return self._error(401, 190, "Invalid OAuth access token")
        if request.match_info["number"] != PHONE_NUMBER_ID:
            return self._error(400, 100, "Unknown phone number id")
        body = await request.json()
        to = str(body.get("to", ""))
        if self.failing:
            code, status, title = self.failing.pop(0)
            self.refused.append((to, code, title))
            return self._error(status, code, title)
        kind = body.get("type")
        problem: str | None = None
        if body.get("messaging_product") != "whatsapp":
            problem = "messaging_product must be whatsapp"
        elif kind == "interactive":
            problem = _limits(body)
        elif kind == "text":
            problem = "text: at most 4096" if len(body["text"]["body"]) > 4096 else None
        elif kind != "template":
            problem = f"unsupported type {kind}"
        if problem is not None:
            self.refused.append((to, 131009, problem))
            return self._error(400, 131009, f"Parameter value is not valid: {problem}")
        last = self.last_inbound.get(to)
        if kind != "template" and (last is None or self.clock() - last > WINDOW):
            self.refused.append((to, 131047, "Re-engagement message"))
            return self._error(400, 131047, "Re-engagement message")
        message_id = f"wamid.out{next(self._ids)}"
        self.sent[to].append(
            SentMessage(
                to,
                message_id,
                {k: v for k, v in body.items() if k in {"type", "text", "interactive", "template"}},
            )
        )
        return web.json_response(
            {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": message_id}],
            }
        )

    async def _media_info(self, request: web.Request) -> web.StreamResponse:
        media_id = request.match_info["media_id"]
        if media_id not in self.media_files:
            return self._error(404, 100, "Unknown media")
        data, mime = self.media_files[media_id]
        return web.json_response(
            {
                "url": f"http://127.0.0.1:{self.port}/media/{media_id}",
                "mime_type": mime,
                "file_size": len(data),
                "id": media_id,
            }
        )

    async def _media_bytes(self, request: web.Request) -> web.StreamResponse:
        media_id = request.match_info["media_id"]
        self.media_fetches[media_id] += 1
        data, mime = self.media_files[media_id]
        return web.Response(body=data, content_type=mime.split(";")[0])

    # Reading what was sent ----------------------------------------------------------------

    def texts(self, to: str) -> list[str]:
        return [m.text for m in self.sent[to]]

    def last(self, to: str) -> SentMessage:
        return self.sent[to][-1]

    def last_with_choices(self, to: str) -> SentMessage:
        return next(m for m in reversed(self.sent[to]) if m.choices)

    async def wait_for(self, predicate: Callable[[], bool], timeout: float = 10.0) -> None:
        """Wait until `predicate` holds (polling, no fixed sleep in the test itself)."""
        deadline = asyncio.get_running_loop().time() + timeout
        while not predicate():
            if asyncio.get_running_loop().time() > deadline:
                raise AssertionError("the fake Cloud API did not see what was expected")
            await asyncio.sleep(0.02)

    def since_last_written(self, to: str) -> list[SentMessage]:
        """What was sent to `to` since they last wrote or tapped."""
        return self.sent[to][self._mark.get(to, 0) :]

    async def wait_for_text(self, to: str, part: str, timeout: float = 10.0) -> SentMessage:
        """The first message with these words sent since the person last wrote or tapped."""
        await self.wait_for(
            lambda: any(part in m.text for m in self.since_last_written(to)), timeout
        )
        return next(m for m in self.since_last_written(to) if part in m.text)

    # The webhook side ---------------------------------------------------------------------

    def _envelope(self, value: dict[str, Any]) -> dict[str, Any]:
        value = {
            "messaging_product": "whatsapp",
            "metadata": {
                "display_phone_number": BUSINESS_NUMBER,
                "phone_number_id": PHONE_NUMBER_ID,
            },
            **value,
        }
        return {
            "object": "whatsapp_business_account",
            "entry": [
                {"id": "900000000000001", "changes": [{"field": "messages", "value": value}]}
            ],
        }

    async def post(
        self,
        payload: dict[str, Any],
        *,
        secret: str | None = APP_SECRET,
        signature: str | None = None,
    ) -> int:
        """Post a webhook to the app, signed with `secret` (None: unsigned) unless a
        signature is given; the status the app answered."""
        assert self._session is not None and self.webhook_url
        raw = json.dumps(payload).encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if signature is None and secret is not None:
            signature = "sha256=" + hmac.new(secret.encode(), raw, hashlib.sha256).hexdigest()
        if signature is not None:
            headers["X-Hub-Signature-256"] = signature
        async with self._session.post(self.webhook_url, data=raw, headers=headers) as response:
            return response.status

    def inbound(
        self, sender: str, message: dict[str, Any], message_id: str | None = None
    ) -> dict[str, Any]:
        """A webhook payload for a message from `sender`; the person has now written."""
        self.last_inbound[sender] = self.clock()
        self._mark[sender] = len(self.sent[sender])
        return self._envelope(
            {
                "contacts": [{"profile": {"name": "Invented Name"}, "wa_id": sender}],
                "messages": [
                    {
                        "from": sender,
                        "id": message_id or f"wamid.in{next(self._ids)}",
                        "timestamp": str(int(self.clock().timestamp())),
                        **message,
                    }
                ],
            }
        )

    async def write(self, sender: str, text: str, message_id: str | None = None) -> int:
        return await self.post(
            self.inbound(sender, {"type": "text", "text": {"body": text}}, message_id)
        )

    async def tap(self, sender: str, title_part: str) -> int:
        """Tap the button or list row with these words on the last message that had any."""
        choice_id, title = self.last_with_choices(sender).choice(title_part)
        kind = "button_reply" if self.last_with_choices(sender).kind == "button" else "list_reply"
        return await self.post(
            self.inbound(
                sender,
                {
                    "type": "interactive",
                    "interactive": {"type": kind, kind: {"id": choice_id, "title": title}},
                },
            )
        )

    async def voice(self, sender: str, audio: bytes, mime: str = "audio/ogg; codecs=opus") -> int:
        media_id = f"media{next(self._ids)}"
        self.media_files[media_id] = (audio, mime)
        return await self.post(
            self.inbound(
                sender,
                {"type": "audio", "audio": {"id": media_id, "mime_type": mime, "voice": True}},
            )
        )

    async def status(
        self, message_id: str, status: str, recipient: str, error_code: int | None = None
    ) -> int:
        """A status webhook for a message the app sent."""
        entry: dict[str, Any] = {
            "id": message_id,
            "status": status,
            "timestamp": str(int(self.clock().timestamp())),
            "recipient_id": recipient,
        }
        if error_code is not None:
            entry["errors"] = [{"code": error_code, "title": "Message undeliverable"}]
        return await self.post(self._envelope({"statuses": [entry]}))
