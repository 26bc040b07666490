"""RFC 8785 canonical JSON under Hypothesis (issue 21, item 4).

Ledger entries and tree heads are hashed and signed as ``canonical_json`` bytes, so two
properties matter more than any example: the same data always gives the same bytes (key
order, tuple or list, a parse and re-serialisation change nothing), and the bytes are
exactly those of RFC 8785, checked here against a small reference serialiser written from
the RFC's text (§3.2.2.2 strings, §3.2.3 key order by UTF-16 code units) rather than from
the code under test. What is refused (floats, unsafe integers, non-string keys, lone
surrogates) is refused with ``TypeError`` or ``ValueError``, never written.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dalil.vault.canonical import canonical_json

SAFE = 2**53 - 1
_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
_SCALARS = st.none() | st.booleans() | st.integers(-SAFE, SAFE) | _TEXT
# JSON data as dalil's ledger holds it: no floats; objects keyed by any text
_DATA = st.recursive(
    _SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(_TEXT, inner, max_size=4),
    max_leaves=20,
)

_ESCAPES = {
    '"': '\\"',
    "\\": "\\\\",
    "\b": "\\b",
    "\t": "\\t",
    "\n": "\\n",
    "\f": "\\f",
    "\r": "\\r",
}


def _reference(value: Any) -> str:
    """RFC 8785 serialisation of integer-only JSON data, from the RFC's rules."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        out = []
        for ch in value:
            if ch in _ESCAPES:
                out.append(_ESCAPES[ch])
            elif ch < " ":
                out.append(f"\\u{ord(ch):04x}")
            else:
                out.append(ch)
        return '"' + "".join(out) + '"'
    if isinstance(value, list | tuple):
        return "[" + ",".join(_reference(v) for v in value) + "]"
    keys = sorted(value, key=lambda k: [u for u in k.encode("utf-16-be")])
    return "{" + ",".join(f"{_reference(k)}:{_reference(value[k])}" for k in keys) + "}"


def _tuples(value: Any) -> Any:
    """The same data with every list a tuple (ledger code passes both)."""
    if isinstance(value, list):
        return tuple(_tuples(v) for v in value)
    if isinstance(value, dict):
        return {k: _tuples(v) for k, v in value.items()}
    return value


def _reversed_keys(value: Any) -> Any:
    """The same data with every object's keys inserted in the opposite order."""
    if isinstance(value, list):
        return [_reversed_keys(v) for v in value]
    if isinstance(value, dict):
        return {k: _reversed_keys(value[k]) for k in reversed(list(value))}
    return value


@settings(max_examples=300)
@given(_DATA)
def test_bytes_are_the_rfc_8785_serialisation(value: Any) -> None:
    assert canonical_json(value) == _reference(value).encode("utf-8")


@settings(max_examples=300)
@given(_DATA)
def test_same_data_same_bytes(value: Any) -> None:
    """Insertion order, tuples for lists, and a parse and re-serialisation change nothing;
    the bytes parse back to the data."""
    data = canonical_json(value)
    assert canonical_json(_reversed_keys(value)) == data
    assert canonical_json(_tuples(value)) == data
    assert json.loads(data) == value
    assert canonical_json(json.loads(data)) == data


@settings(max_examples=200)
@given(st.dictionaries(_TEXT, st.none(), min_size=2, max_size=8))
def test_keys_are_in_utf16_code_unit_order(value: dict[str, None]) -> None:
    pairs = json.loads(canonical_json(value), object_pairs_hook=list)
    keys = [k for k, _ in pairs]
    units = [k.encode("utf-16-be") for k in keys]
    assert units == sorted(units)


@settings(max_examples=100)
@given(
    st.one_of(
        st.floats(allow_nan=True),
        st.integers().filter(lambda n: abs(n) > SAFE),
        st.dictionaries(st.integers() | st.none(), st.none(), min_size=1, max_size=2),
        st.text(st.characters(categories=("Cs",)), min_size=1, max_size=3),
        st.binary(max_size=4),
    ),
    st.sampled_from(["bare", "in_list", "in_object"]),
)
def test_what_json_cannot_hold_exactly_is_refused(bad: Any, where: str) -> None:
    value = {"bare": bad, "in_list": [1, bad], "in_object": {"k": [bad]}}[where]
    with pytest.raises((TypeError, ValueError)):
        canonical_json(value)
