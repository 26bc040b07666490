"""The archive's format (:mod:`dalil.backup.archive`): which members it may hold and how
row values are written as JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import pytest

from dalil.backup.archive import (
    FILE_MEMBER,
    SKIPPED_MEMBER,
    decode_value,
    encode_value,
    table_members,
)
from dalil.model.registry import load_tables

SHA = "ab" * 32


@pytest.mark.parametrize(
    "value",
    [
        b"",
        b"\x00\xffbytes",
        bytearray(b"ba"),
        memoryview(b"mv"),
        datetime(2026, 12, 6, 22, 30, tzinfo=UTC),
        "text",
        7,
        1.5,
        None,
        True,
        {"a": [1, "b"]},
        ["x"],
    ],
)
def test_values_survive_json(value: object) -> None:
    back = decode_value(json.loads(json.dumps(encode_value(value))))
    expected = bytes(value) if isinstance(value, bytearray | memoryview) else value
    assert back == expected and type(back) is type(expected)


def test_datetimes_are_written_in_utc() -> None:
    east = datetime(2026, 1, 1, 3, 0, tzinfo=timezone(timedelta(hours=3)))
    assert encode_value(east) == {"$dt": "2026-01-01T00:00:00+00:00"}
    assert decode_value(encode_value(east)) == east


def test_damaged_bytes_are_a_value_error() -> None:
    with pytest.raises(ValueError):
        decode_value({"$b64": "not base64!"})
    # a dict that merely looks like one of ours, with a second key, is left as it is
    assert decode_value({"$b64": "AA==", "other": 1}) == {"$b64": "AA==", "other": 1}


def test_every_table_of_a_workspace_is_a_member() -> None:
    members = table_members()
    assert sorted(t.name for t in members.values()) == sorted(load_tables().tables)
    assert all(name == f"database/{t.name}.jsonl" for name, t in members.items())


@pytest.mark.parametrize(
    ("name", "carried"),
    [
        (f"vault/blobs/ab/ab/{SHA}", True),
        (f"vault/quarantine/{SHA}.0123abcd", True),
        ("vault/last_head.json", True),
        ("keys/keyfile.json", True),
        (f"vault/blobs/ab/ab/{SHA}.part", False),
        (f"vault/blobs/AB/AB/{SHA.upper()}", False),
        ("vault/tmp/" + "0" * 32 + ".part", False),
        ("keys/keyfile.tmp", False),
        ("dalil.sqlite3", False),
    ],
)
def test_only_the_vault_and_key_files_are_carried(name: str, carried: bool) -> None:
    assert bool(FILE_MEMBER.fullmatch(name)) is carried


def test_temp_files_of_earlier_backups_are_known() -> None:
    for name in ("vault/tmp/" + "0" * 32 + ".part", "vault/last_head.tmp", "keys/keyfile.tmp"):
        assert SKIPPED_MEMBER.fullmatch(name)
    assert not SKIPPED_MEMBER.fullmatch("vault/tmp/evil.part")
