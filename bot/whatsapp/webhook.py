"""The Cloud API's webhook: the verification handshake, then signed posts turned into
engine inputs for the same service every channel uses.

Every post's X-Hub-Signature-256 is checked with the app secret before a byte of it is
parsed: a post without a good signature is refused (403), counted, and nothing of it is
stored. A post is answered 200 only once all it holds is committed, so if the database is
down the Cloud API delivers it again later (it retries for days) and nothing is lost; a
message delivered twice is applied once, by its id, as Telegram's updates are.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import re
from collections.abc import Coroutine
from datetime import UTC, datetime
from typing import Any

import aiohttp
from aiohttp import web
from pywa.utils import HUB_CH, HUB_SIG, HUB_VT, webhook_updates_validator

from bot.core.after_reply import AfterReply
from bot.core.context import AppContext
from bot.core.logs import log_error, log_event, person
from bot.core.notices import TokenGuard, notice, stranger_text
from bot.whatsapp.cloud import CloudError
from bot.whatsapp.delivery import WhatsAppSender
from bot.whatsapp.rendering import MORE_ID, more_list, parse_button_id, tappable
from bot.whatsapp.updates import InboundMessage, MalformedPost, StatusUpdate, parse_post
from flows.inputs import Choice, Input, Text, Voice
from flows.text import Language
from flows.voice import voice_marker
from storage import InvitationError
from storage.errors import StorageUnavailable
from storage.voices import MAX_VOICE_BYTES

HUB_MODE = "hub.mode"
MAX_POST_BYTES = 512 * 1024
MAX_TEXT = 4000
START_CODE = re.compile(r"^\s*START-([A-Za-z0-9_-]{8,100})\s*$")
REMEMBERED_MESSAGES = 10_000
FAILED_NOTICE = (
    "📵 A WhatsApp message for interview {interview} was not delivered ({reason}). "
    "The transcript has it; contact the person another way if it mattered."
)


def update_number(message_id: str) -> int:
    """A Cloud API message id as a processed-update number: negative, so it never meets
    Telegram's update ids (which are positive) in the same table."""
    return -1 - int.from_bytes(hashlib.sha256(message_id.encode("utf-8")).digest()[:7], "big")


class WhatsAppWebhook:
    """The webhook's two handlers, and what they do with a post."""

    def __init__(
        self,
        app: AppContext,
        after: AfterReply,
        sender: WhatsAppSender,
        app_secret: str,
        verify_token: str,
        phone_number_id: str,
    ) -> None:
        self.app = app
        self.after = after
        self.sender = sender
        self.app_secret = app_secret
        self.verify_token = verify_token
        self.phone_number_id = phone_number_id
        self.refused_signatures = 0
        self.guard = TokenGuard()
        self._seen: dict[str, None] = {}
        self._tasks: set[asyncio.Task[Any]] = set()

    async def verify(self, request: web.Request) -> web.StreamResponse:
        """Meta's handshake when the webhook is set up: echo the challenge to the holder of
        the verify token, and to nobody else."""
        query = request.query
        if query.get(HUB_MODE) == "subscribe" and hmac.compare_digest(
            query.get(HUB_VT, ""), self.verify_token
        ):
            return web.Response(text=query.get(HUB_CH, ""))
        log_event("whatsapp_verification_refused")
        raise web.HTTPForbidden()

    async def receive(self, request: web.Request) -> web.StreamResponse:
        """One signed post: check the signature, then apply every status and message in it."""
        body = await request.read()
        signature = request.headers.get(HUB_SIG, "")
        if not signature or not webhook_updates_validator(self.app_secret, body, signature):
            self.refused_signatures += 1
            log_event("whatsapp_signature_refused", refused=self.refused_signatures)
            raise web.HTTPForbidden()
        try:
            post = parse_post(body)
        except MalformedPost:
            log_event("whatsapp_post_malformed")
            raise web.HTTPBadRequest() from None
        try:
            for value in post.for_number(self.phone_number_id):
                for status in value.statuses:
                    await self._status(status)
                for message in value.messages:
                    await self._message(message)
        except StorageUnavailable as error:
            log_error("whatsapp_post_deferred", problem=error.problem, action="see SECURITY.md")
            raise web.HTTPServiceUnavailable() from None
        return web.Response(text="ok")

    async def _status(self, status: StatusUpdate) -> None:
        receipt = await self.sender.receipts.update(
            status.id, status.status, self.app.clock(), status.failure
        )
        if receipt is None or receipt.status != "failed":
            return
        log_event("whatsapp_delivery_failed", chat=person(receipt.chat_id), reason=receipt.failure)
        if receipt.interview_id is not None:
            await self.sender.tell_staff(
                receipt.interview_id,
                FAILED_NOTICE.format(interview=receipt.interview_id, reason=receipt.failure),
            )

    async def _message(self, incoming: InboundMessage) -> None:
        if incoming.id in self._seen:
            log_event("duplicate_update", channel="whatsapp")
            return
        written = self._written_at(incoming)
        chat_id = await self.sender.chats.find(incoming.sender, written)
        if chat_id is None:
            if incoming.text is None or not START_CODE.match(incoming.text.body):
                await self._stranger(incoming.sender)
                self._remember(incoming.id)
                return
            chat_id = await self.sender.chats.heard_from(incoming.sender, written)
        update_id = update_number(incoming.id)
        made = await self._input(chat_id, incoming, update_id)
        if made is None:
            self._remember(incoming.id)
            self._background(self.sender.flush_chat(chat_id))
            return
        inp, label, pressed_in = made
        reply = await self.app.service.answer_in_chat(
            chat_id, inp, incoming=label, update_id=update_id, pressed_in=pressed_in
        )
        self._remember(incoming.id)  # only once committed: a post refused 503 comes again
        if reply is None:
            await self.sender.send_direct(chat_id, stranger_text(self.app.help))
            return
        if reply.not_this_interview:
            await self.sender.send_direct(
                chat_id, notice("forged_button", await self._lang(chat_id))
            )
            return
        await self.after.handle(reply)
        self._background(self.sender.flush_chat(chat_id))

    async def _input(
        self, chat_id: int, incoming: InboundMessage, update_id: int
    ) -> tuple[Input, str, str | None] | None:
        """The engine input a message holds, its words for the transcript, and the
        interview a tapped answer belongs to; None if the message was dealt with here."""
        now = self.app.clock()
        if incoming.type == "text" and incoming.text is not None:
            code = START_CODE.match(incoming.text.body)
            if code is not None:
                await self._open(chat_id, code.group(1), update_id)
                return None
            words = incoming.text.body[:MAX_TEXT]
            return Text(at=now, text=words), words, None
        if incoming.type == "interactive" and incoming.interactive is not None:
            chosen = incoming.interactive.reply
            if chosen is None:
                return None
            if chosen.id.startswith(MORE_ID + "|"):
                _, interview_id, prompt = [*chosen.id.split("|", 2), "", ""][:3]
                language = await self._lang(chat_id)
                number = int(prompt) if prompt.isdigit() else None
                await self._send_now(chat_id, more_list(interview_id, number, language).body)
                return None
            press = parse_button_id(chosen.id)
            if press is None:
                await self.sender.send_direct(
                    chat_id, notice("forged_button", await self._lang(chat_id))
                )
                return None
            label = chosen.title or press.value
            return Choice(at=now, value=press.value, prompt=press.prompt), label, press.interview_id
        if incoming.type == "audio" and incoming.audio is not None:
            return await self._voice(chat_id, incoming.audio.id)
        await self.sender.send_direct(chat_id, notice("media", await self._lang(chat_id)))
        return None

    async def _voice(self, chat_id: int, media_id: str) -> tuple[Input, str, str | None] | None:
        """A voice note: fetched once from the Cloud API and kept encrypted, then given to
        the engine, which takes it at a free-text question (and deletes it anywhere else)."""
        ref = await self.app.storage.interviews.ref_for_chat(chat_id)
        if ref is None or ref.finished:
            await self.sender.send_direct(chat_id, stranger_text(self.app.help))
            return None
        try:
            audio, mime = await self.sender.api.media(media_id, MAX_VOICE_BYTES)
        except CloudError as error:
            key = "voice_too_big" if error.status == 413 else "voice_failed"
            await self.sender.send_direct(chat_id, notice(key, await self._lang(chat_id)))
            return None
        except (aiohttp.ClientError, TimeoutError):
            await self.sender.send_direct(
                chat_id, notice("voice_failed", await self._lang(chat_id))
            )
            return None
        now = self.app.clock()
        voice_id = await self.app.storage.voices.keep(ref.id, audio, None, mime, now)
        return Voice(at=now, voice_id=voice_id, seconds=None), voice_marker(voice_id, None), None

    async def _open(self, chat_id: int, token: str, update_id: int) -> None:
        """A start code: the chat is linked to its interview, which starts (or shows again
        where it is). A wrong code is refused, and guessing is slowed down."""
        now = self.app.clock()
        if self.guard.blocked(chat_id, now):
            await self.sender.send_direct(chat_id, notice("too_many_tries", "en"))
            return
        try:
            reply = await self.app.service.open_invitation(token, chat_id, update_id=update_id)
        except InvitationError as error:
            self.guard.failed(chat_id, now)
            log_event("invitation_refused", channel="whatsapp", reason=error.reason)
            await self.sender.send_direct(chat_id, notice("invitation_problem", "en"))
            await self.sender.chats.forget_unused(chat_id)
            return
        log_event("invitation_opened", channel="whatsapp", interview=reply.interview_id)
        await self.after.handle(reply)
        self._background(self.sender.flush_chat(chat_id))

    async def _stranger(self, address: str) -> None:
        """Someone who is taking no interview: a kind word and help, and nothing kept."""
        text = stranger_text(self.app.help)
        try:
            await self.sender.api.send(address, {"type": "text", "text": {"body": tappable(text)}})
        except (CloudError, aiohttp.ClientError, TimeoutError) as error:
            log_event("direct_send_failed", reason=type(error).__name__)

    async def _send_now(self, chat_id: int, body: dict[str, Any]) -> None:
        address = await self.sender.chats.address(chat_id)
        if address is None:
            return
        try:
            await self.sender.api.send(address, body)
        except (CloudError, aiohttp.ClientError, TimeoutError) as error:
            log_event("direct_send_failed", chat=person(chat_id), reason=type(error).__name__)

    def _written_at(self, incoming: InboundMessage) -> datetime:
        """When the person wrote, which starts WhatsApp's day: the message's own time (a
        post delivered again later must not stretch the day), never later than now."""
        now = self.app.clock()
        if not incoming.timestamp.isdigit():
            return now
        return min(now, datetime.fromtimestamp(int(incoming.timestamp), UTC))

    async def _lang(self, chat_id: int) -> Language:
        ref = await self.app.storage.interviews.ref_for_chat(chat_id)
        return "cy" if ref is not None and ref.language == "cy" else "en"

    def _remember(self, message_id: str) -> None:
        self._seen[message_id] = None
        if len(self._seen) > REMEMBERED_MESSAGES:
            del self._seen[next(iter(self._seen))]

    def _background(self, work: Coroutine[Any, Any, object]) -> None:
        """Send after the post is answered, so the Cloud API is not kept waiting; a failure
        is logged, and what was not sent waits in the outbox for the delivery loop."""
        task = asyncio.create_task(_guarded(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @property
    def busy(self) -> bool:
        """Whether replies are still being sent."""
        return bool(self._tasks)

    async def drain(self) -> None:
        """Wait for the replies being sent."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks), return_exceptions=True)


async def _guarded(work: Coroutine[Any, Any, object]) -> None:
    try:
        await work
    except Exception as error:  # the reply waits in the outbox; the loop sends it later
        log_error("whatsapp_send_failed", error=type(error).__name__)


def make_whatsapp_app(webhook: WhatsAppWebhook, path: str = "/whatsapp/webhook") -> web.Application:
    """The webhook as an aiohttp application."""
    application = web.Application(client_max_size=MAX_POST_BYTES)
    application.add_routes([web.get(path, webhook.verify), web.post(path, webhook.receive)])
    return application
