"""Time-based one-time passwords (RFC 6238 over RFC 4226), the second sign-in factor.

SHA-1, 30-second steps, 6 digits: what every authenticator app implements. A code is
accepted for the current step and one step either side (clock drift), compared in constant
time. The secret is 160 random bits, shown once as an ``otpauth://`` URI.

A code may be used once: :func:`accepted_step` returns the time step a code matched, the
caller stores it per account and passes it back as ``after``, and a code of that step or an
earlier one is refused (RFC 6238 section 5.2). So within its 90-second window a code
overheard or replayed from a form is useless once its owner has signed in with it.
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


def step(at: float | None = None) -> int:
    """The time step (number of 30-second periods since 1970-01-01 UTC) at ``at``."""
    return int((time.time() if at is None else at) // STEP)


def accepted_step(
    secret: str, given: str, at: float | None = None, after: int | None = None
) -> int | None:
    """The time step ``given`` is the code of (the current one or one either side), or
    None; steps at or before ``after`` (the last one this account used) are refused.

    Every candidate is compared, in constant time, whether or not an earlier one matched.
    """
    now = time.time() if at is None else at
    sent = given.strip().replace(" ", "").encode("utf-8", "replace")  # any text; unequal if odd
    found: int | None = None
    for drift in (-STEP, 0, STEP):
        matched = hmac.compare_digest(code(secret, now + drift).encode(), sent)
        candidate = step(now + drift)
        if matched and (after is None or candidate > after):
            found = candidate
    return found


def verify(secret: str, given: str, at: float | None = None) -> bool:
    """Whether ``given`` is a code of the current step or one either side (no replay
    check: sign-in uses :func:`accepted_step` with the account's last step)."""
    return accepted_step(secret, given, at) is not None


def uri(secret: str, user: str) -> str:
    return f"otpauth://totp/dalil:{quote(user)}?secret={secret}&issuer=dalil&digits={DIGITS}&period={STEP}"
