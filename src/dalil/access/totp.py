"""Time-based one-time passwords (RFC 6238 over RFC 4226), the second sign-in factor.

SHA-1, 30-second steps, 6 digits: what every authenticator app implements. A code is
accepted for the current step and one step either side (clock drift), compared in constant
time. The secret is 160 random bits, shown once as an ``otpauth://`` URI.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote

STEP, DIGITS = 30, 6


def new_secret() -> str:
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")


def code(secret: str, at: float | None = None) -> str:
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // STEP)
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    value = struct.unpack(">I", mac[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**DIGITS).zfill(DIGITS)


def verify(secret: str, given: str, at: float | None = None) -> bool:
    now = time.time() if at is None else at
    sent = given.strip().replace(" ", "").encode("utf-8", "replace")  # any text; unequal if odd
    ok = False
    for drift in (-STEP, 0, STEP):
        ok |= hmac.compare_digest(code(secret, now + drift).encode(), sent)
    return ok


def uri(secret: str, user: str) -> str:
    return f"otpauth://totp/dalil:{quote(user)}?secret={secret}&issuer=dalil&digits={DIGITS}&period={STEP}"
