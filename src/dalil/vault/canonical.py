"""RFC 8785 (JSON Canonicalization Scheme) for the values dalil puts in ledger entries.

Ledger entries and signed tree heads hold only strings, integers, booleans, null, lists
and objects, so the JCS number rules reduce to "integers as decimal"; floats are refused
rather than approximated. Keys are sorted by UTF-16 code units as RFC 8785 §3.2.3 requires
(this differs from plain code-point order only for characters beyond the BMP).
"""

from __future__ import annotations

import json
from typing import Any

_MAX_SAFE = 2**53 - 1  # I-JSON: integers beyond this do not survive other parsers


def _check(value: Any) -> Any:
    if isinstance(value, dict):
        for key in value:
            if not isinstance(key, str):
                raise TypeError("canonical JSON keys must be strings")
        return {k: _check(value[k]) for k in sorted(value, key=lambda k: k.encode("utf-16-be"))}
    if isinstance(value, list | tuple):
        return [_check(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, int):
        if abs(value) > _MAX_SAFE:
            raise ValueError("integer outside the I-JSON safe range")
        return value
    raise TypeError(f"{type(value).__name__} cannot be put in canonical JSON")


def canonical_json(value: Any) -> bytes:
    """The RFC 8785 bytes of ``value`` (UTF-8, no insignificant whitespace)."""
    ordered = _check(value)
    return json.dumps(ordered, ensure_ascii=False, separators=(",", ":"), sort_keys=False).encode(
        "utf-8"
    )
