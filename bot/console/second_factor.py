"""The second factor: a time-based code from an authenticator app (pyotp, the RFC 6238
implementation most Python projects use), enrolled by scanning a QR code (segno, drawn as
inline SVG so the page needs nothing from elsewhere), with one-time recovery codes."""

from __future__ import annotations

import hmac
import secrets
from datetime import datetime

import pyotp
import segno

ISSUER = "Exit interviews"
RECOVERY_CODES = 10


def new_secret() -> str:
    """A fresh authenticator secret."""
    return pyotp.random_base32()


def qr_svg(secret: str, account: str) -> str:
    """The QR code an authenticator app scans, as SVG to put straight in the page."""
    uri = pyotp.TOTP(secret).provisioning_uri(name=account, issuer_name=ISSUER)
    return str(segno.make(uri, error="m").svg_inline(scale=4, title="QR code to scan"))


def spaced(secret: str) -> str:
    """The key in groups of four, for typing into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step whose code this is (now, or one step either side for a slow phone
    clock), or None if it matches none."""
    typed = "".join(code.split())
    if len(typed) != 6 or not typed.isdigit():
        return None
    totp = pyotp.TOTP(secret)
    current = totp.timecode(now)
    for step in (current, current - 1, current + 1):
        if hmac.compare_digest(totp.generate_otp(step), typed):
            return int(step)
    return None


def new_recovery_codes() -> list[str]:
    """Codes to sign in once each without the phone: 50 random bits apiece."""
    return [
        "-".join((part[:5], part[5:]))
        for part in (secrets.token_hex(5) for _ in range(RECOVERY_CODES))
    ]
