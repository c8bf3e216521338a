"""Encryption of free text at rest, with the cryptography package's Fernet (AES + HMAC)."""

from __future__ import annotations

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from storage.errors import MissingKeyError, WrongKeyError


def new_key() -> str:
    """A fresh data key, to be kept in EXIT_DATA_KEY."""
    return Fernet.generate_key().decode("ascii")


class Cipher:
    """Encrypts with the first key; decrypts with any, so keys can be rotated."""

    def __init__(self, *keys: str) -> None:
        if not keys or not keys[0]:
            raise MissingKeyError()
        try:
            self._fernet = MultiFernet([Fernet(k.encode("ascii")) for k in keys if k])
        except (ValueError, UnicodeEncodeError) as error:
            raise ValueError(
                "EXIT_DATA_KEY is not a valid key. Run 'exit-interviews keygen' for a new one."
            ) from error

    def encrypt(self, text: str) -> bytes:
        return self._fernet.encrypt(text.encode("utf-8"))

    def decrypt(self, blob: bytes) -> str:
        try:
            return self._fernet.decrypt(blob).decode("utf-8")
        except InvalidToken as error:
            raise WrongKeyError() from error

    def rotate(self, blob: bytes) -> bytes:
        """The same text, encrypted again under the first (newest) key."""
        try:
            return self._fernet.rotate(blob)
        except InvalidToken as error:
            raise WrongKeyError() from error
