"""Shamir secret sharing over GF(256), written here for recovering the master key.

Each byte of the secret is the constant term of its own random polynomial of degree k-1
over GF(2^8) (the AES field, reduction polynomial x^8 + x^4 + x^3 + x + 1); share x holds
the polynomial values at x = 1..n. Any k shares give the secret back by Lagrange
interpolation at 0; k-1 shares are consistent with every possible secret, so they reveal
nothing (Shamir, "How to share a secret", CACM 1979).

A share is text: ``dalil-share-1-<k>-<x>-<hex>-<check>``, where ``check`` is the first
4 bytes (hex) of SHA-256 over the secret's fingerprint, so that a mistyped share, or
shares of two different keys, are reported instead of yielding a wrong key.
"""

from __future__ import annotations

import hashlib
import secrets

from dalil.errors import InvalidInput

_EXP = [0] * 512
_LOG = [0] * 256
_x = 1
for _i in range(255):
    _EXP[_i] = _x
    _LOG[_x] = _i
    _x ^= (_x << 1) ^ (0x11B if _x & 0x80 else 0)  # multiply by 3, the field generator
    _x &= 0xFF
for _i in range(255, 512):
    _EXP[_i] = _EXP[_i - 255]


def _mul(a: int, b: int) -> int:
    if a == 0 or b == 0:
        return 0
    return _EXP[_LOG[a] + _LOG[b]]


def _div(a: int, b: int) -> int:
    if b == 0:
        raise ZeroDivisionError
    if a == 0:
        return 0
    return _EXP[(_LOG[a] - _LOG[b]) % 255]


def _fingerprint(secret: bytes) -> str:
    return hashlib.sha256(b"dalil-share-check" + secret).hexdigest()[:8]


def split(secret: bytes, k: int, n: int) -> list[str]:
    """``n`` shares of which any ``k`` recover ``secret`` (2 <= k <= n <= 255)."""
    if not 2 <= k <= n <= 255:
        raise InvalidInput("need 2 <= k <= n <= 255 shares")
    coefficients = [[b, *secrets.token_bytes(k - 1)] for b in secret]
    check = _fingerprint(secret)
    shares = []
    for x in range(1, n + 1):
        ys = bytearray()
        for coef in coefficients:
            y = 0
            for c in reversed(coef):  # Horner
                y = _mul(y, x) ^ c
            ys.append(y)
        shares.append(f"dalil-share-1-{k}-{x}-{ys.hex()}-{check}")
    return shares


def _parse(share: str) -> tuple[int, int, bytes, str]:
    parts = share.strip().split("-")
    if len(parts) != 7 or parts[:3] != ["dalil", "share", "1"]:
        raise InvalidInput("not a dalil recovery share (expected dalil-share-1-k-x-hex-check)")
    try:
        return int(parts[3]), int(parts[4]), bytes.fromhex(parts[5]), parts[6]
    except ValueError:
        raise InvalidInput("a recovery share is damaged (not hexadecimal)") from None


def combine(shares: list[str]) -> bytes:
    """The secret from at least k distinct shares; refuses too few, mixed or damaged ones."""
    parsed = [_parse(s) for s in shares]
    ks = {p[0] for p in parsed}
    checks = {p[3] for p in parsed}
    if len(ks) != 1 or len(checks) != 1 or len({len(p[2]) for p in parsed}) != 1:
        raise InvalidInput("these shares do not belong to the same key")
    k = ks.pop()
    points = {p[1]: p[2] for p in parsed}
    if len(points) < k:
        raise InvalidInput(f"{len(points)} distinct shares given; this key needs {k}")
    xs = sorted(points)[:k]
    if any(not 1 <= x <= 255 for x in xs):
        raise InvalidInput("a recovery share has an invalid number")
    length = len(points[xs[0]])
    secret = bytearray(length)
    for i, xi in enumerate(xs):
        # Lagrange basis polynomial at 0: prod x_j / (x_j - x_i); subtraction is XOR.
        basis = 1
        for j, xj in enumerate(xs):
            if i != j:
                basis = _mul(basis, _div(xj, xj ^ xi))
        for b in range(length):
            secret[b] ^= _mul(points[xi][b], basis)
    result = bytes(secret)
    if _fingerprint(result) != checks.pop():
        raise InvalidInput(
            "the shares do not fit together (a share is mistyped or from another key)"
        )
    return result
