"""Encryption of free text at rest: AES-256-GCM from the cryptography package.

Each value is sealed as: a format byte, the first 4 bytes of the key's fingerprint (so the
right key is found at once during a rotation), a 12-byte random nonce, then the ciphertext
with its 16-byte tag. That is 33 bytes over the text, where Fernet's base64 costs about
twice as much, and answers and transcripts are most of the database.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from collections import deque

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from storage.errors import MissingKeyError, WrongKeyError

FORMAT = b"\x01"
NONCE_BYTES = 12


def new_key() -> str:
    """A fresh data key, to be kept in EXIT_DATA_KEY."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


_KEY_SHAPE = re.compile(r"^[A-Za-z0-9_-]{43}=$")


def key_problem(key: str) -> str | None:
    """What is wrong with a data key's text, or None if it is a key keygen could make."""
    if not _KEY_SHAPE.match(key.strip()):
        return "is not a key made by 'exit-interviews keygen' (44 characters ending in =)"
    try:
        raw = base64.urlsafe_b64decode(key.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        return "is not valid base64"
    return None if len(raw) == 32 else "is not 32 bytes long"


def _key_bytes(key: str, name: str) -> bytes:
    problem = key_problem(key)
    if problem is not None:
        raise ValueError(f"{name} {problem}. Run 'exit-interviews keygen' for a new one.")
    return base64.urlsafe_b64decode(key.strip().encode("ascii"))


class NoncePool:
    """Fresh random nonces, read from the operating system a block at a time: one call for
    hundreds of nonces instead of one each. Each nonce is still 96 random bits, never
    reused: taking one is a single atomic `popleft`, safe from any thread without a lock."""

    PER_BLOCK = 512

    def __init__(self) -> None:
        self._ready: deque[bytes] = deque()

    def take(self) -> bytes:
        try:
            return self._ready.popleft()
        except IndexError:
            block = os.urandom(NONCE_BYTES * self.PER_BLOCK)
            self._ready.extend(
                block[start : start + NONCE_BYTES] for start in range(0, len(block), NONCE_BYTES)
            )
            return self._ready.popleft()


class Cipher:
    """Encrypts with the first key; decrypts with whichever key sealed the value."""

    def __init__(self, *keys: str) -> None:
        if not keys or not keys[0]:
            raise MissingKeyError()
        self._nonces = NoncePool()
        self._keys: dict[bytes, AESGCM] = {}
        self._order: list[bytes] = []
        for position, key in enumerate(keys):
            if not key:
                continue
            name = "EXIT_DATA_KEY" if position == 0 else f"EXIT_PREVIOUS_DATA_KEYS entry {position}"
            raw = _key_bytes(key, name)
            key_id = hashlib.sha256(raw).digest()[:4]
            self._keys[key_id] = AESGCM(raw)
            self._order.append(key_id)
        self._sealer = self._keys[self._order[0]]
        self._header = FORMAT + self._order[0]

    @property
    def key_id(self) -> bytes:
        """The fingerprint of the key new values are sealed with."""
        return self._order[0]

    def encrypt(self, text: str) -> bytes:
        return self.encrypt_bytes(text.encode("utf-8"))

    def decrypt(self, blob: bytes) -> str:
        return self.decrypt_bytes(blob).decode("utf-8")

    def encrypt_bytes(self, data: bytes) -> bytes:
        """Seal raw bytes (audio) the same way as text."""
        nonce = self._nonces.take()
        return self._header + nonce + self._sealer.encrypt(nonce, data, self._header)

    def decrypt_bytes(self, blob: bytes) -> bytes:
        """Open a sealed value as raw bytes; WrongKeyError if no key here sealed it."""
        if len(blob) < 1 + 4 + NONCE_BYTES + 16 or blob[:1] != FORMAT:
            raise WrongKeyError()
        key_id, nonce, sealed = blob[1:5], blob[5 : 5 + NONCE_BYTES], blob[5 + NONCE_BYTES :]
        aead = self._keys.get(key_id)
        if aead is None:
            raise WrongKeyError()
        try:
            return aead.decrypt(nonce, sealed, FORMAT + key_id)
        except InvalidTag as error:
            raise WrongKeyError() from error

    def sealed_with_current_key(self, blob: bytes) -> bool:
        return blob[1:5] == self.key_id

    def rotate(self, blob: bytes) -> bytes:
        """The same text, sealed again under the first (newest) key."""
        if self.sealed_with_current_key(blob):
            return blob
        return self.encrypt_bytes(self.decrypt_bytes(blob))
