"""The Cloud API, as far as this channel uses it: send a message or a template, fetch a
voice note. Plain aiohttp: one kept-alive session, the base address a setting (so tests
talk to the fake on 127.0.0.1)."""

from __future__ import annotations

from typing import Any

import aiohttp

WINDOW_CLOSED = 131047
"""The Cloud API's code for a free-form message more than 24 hours after the person last wrote."""
RATE_LIMITED = frozenset({4, 80007, 130429, 131048, 131056})
"""Codes that mean "too many, try again later"."""


class CloudError(Exception):
    """The Cloud API did not take a message."""

    def __init__(self, code: int, title: str, status: int) -> None:
        super().__init__(f"{code} {title}")
        self.code = code
        self.title = title
        self.status = status

    @property
    def for_good(self) -> bool:
        """Whether sending the same message again can never work (as opposed to an outage
        or a rate limit, when the message waits in the outbox and is tried again)."""
        return 400 <= self.status < 500 and self.code not in RATE_LIMITED


class CloudApi:
    """A client for one business phone number."""

    def __init__(self, base_url: str, phone_number_id: str, token: str) -> None:
        self.base_url = base_url.rstrip("/")
        self.phone_number_id = phone_number_id
        self._headers = {"Authorization": f"Bearer {token}"}
        self._session: aiohttp.ClientSession | None = None

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(
                headers=self._headers, timeout=aiohttp.ClientTimeout(total=20)
            )
        return self._session

    async def close(self) -> None:
        """Close the kept-alive connections."""
        if self._session is not None:
            await self._session.close()

    async def send(self, to: str, body: dict[str, Any]) -> str:
        """Send one message; the Cloud API's id for it. CloudError if refused, and
        aiohttp.ClientError if it could not be reached."""
        payload = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": to}
        payload.update(body)
        url = f"{self.base_url}/{self.phone_number_id}/messages"
        async with self._client().post(url, json=payload) as response:
            data = await response.json(content_type=None)
            if response.status >= 400 or not isinstance(data, dict):
                error = data.get("error", {}) if isinstance(data, dict) else {}
                raise CloudError(
                    int(error.get("code", 0)), str(error.get("message", "")), response.status
                )
        return str(data["messages"][0]["id"])

    async def media(self, media_id: str, largest: int) -> tuple[bytes, str]:
        """A voice note's bytes and type, fetched once; CloudError if it is gone or larger
        than `largest` bytes."""
        async with self._client().get(f"{self.base_url}/{media_id}") as response:
            meta = await response.json(content_type=None)
            if response.status >= 400:
                raise CloudError(0, "media not found", response.status)
        if int(meta.get("file_size", 0)) > largest:
            raise CloudError(0, "media too large", 413)
        async with self._client().get(str(meta["url"])) as response:
            if response.status >= 400:
                raise CloudError(0, "media download failed", response.status)
            data = await response.content.read(largest + 1)
        if len(data) > largest:
            raise CloudError(0, "media too large", 413)
        return data, str(meta.get("mime_type", "audio/ogg"))
