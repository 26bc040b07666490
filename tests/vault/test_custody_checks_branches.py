"""The ledger check names each kind of damage to the custody ledger's rows: a row deleted
(in the middle or at the end), a row added past the recorded size, a row rewritten in a
non-canonical form or with a float (which RFC 8785 hashing of the entry cannot pin)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from dalil.records.cases import create_case
from dalil.vault.custody_checks import dumps_sorted
from dalil.vault.service import Vault
from dalil.vault.tables import LedgerEntry
from dalil.workspace import Workspace


@pytest.fixture
def ledger_size(ws: Workspace, vault: Vault, tmp_path: Path) -> int:
    with ws.session() as s:
        case = create_case(s, "Ledger case", actor="tester").id
    for n in range(3):
        f = tmp_path / f"e{n}.txt"
        f.write_bytes(b"witness statement %d" % n)
        vault.add(case, f, "tester")
    assert vault.verify().ok
    with ws.session() as s:
        size = s.scalar(select(func.count()).select_from(LedgerEntry))
    assert size is not None and size >= 4
    return size


def _sql(ws: Workspace, statement: str, **params: object) -> None:
    with ws.engine.begin() as conn:
        conn.execute(text(statement), params)


def _entry(ws: Workspace, idx: int) -> str:
    with ws.session() as s:
        value = s.scalar(select(LedgerEntry.entry).where(LedgerEntry.idx == idx))
    assert value is not None
    return value


def test_a_deleted_middle_entry_is_missing(ws: Workspace, vault: Vault, ledger_size: int) -> None:
    _sql(ws, "DELETE FROM ledger_entry WHERE idx = :i", i=ledger_size - 2)
    faults = vault.verify().faults
    assert f"ledger entry {ledger_size - 2}: missing" in faults
    # and the item whose ingest that entry recorded is named too
    suffix = f"its ingest entry {ledger_size - 2} is missing from the ledger"
    assert [f for f in faults if f.endswith(suffix)]


def test_a_deleted_last_entry_is_missing(ws: Workspace, vault: Vault, ledger_size: int) -> None:
    _sql(ws, "DELETE FROM ledger_entry WHERE idx = :i", i=ledger_size - 1)
    faults = vault.verify().faults
    assert f"ledger entry {ledger_size - 1}: missing" in faults


def test_an_entry_past_the_recorded_size_is_reported(
    ws: Workspace, vault: Vault, ledger_size: int
) -> None:
    last = _entry(ws, ledger_size - 1)
    _sql(
        ws,
        "INSERT INTO ledger_entry (idx, entry, leaf_hash) VALUES (:i, :e, :h)",
        i=ledger_size,
        e=last,
        h=b"\x00" * 32,
    )
    faults = vault.verify().faults
    assert f"ledger entry {ledger_size}: beyond the recorded ledger size {ledger_size}" in faults


def test_a_non_canonical_entry_is_reported(ws: Workspace, vault: Vault, ledger_size: int) -> None:
    idx = ledger_size - 1
    spaced = json.dumps(json.loads(_entry(ws, idx)), indent=1)  # same data, other bytes
    _sql(ws, "UPDATE ledger_entry SET entry = :e WHERE idx = :i", e=spaced, i=idx)
    faults = vault.verify().faults
    assert f"ledger entry {idx}: not in canonical form" in faults
    assert f"ledger entry {idx}: does not match its leaf hash" in faults


def test_an_entry_with_a_float_is_not_canonical(
    ws: Workspace, vault: Vault, ledger_size: int
) -> None:
    idx = ledger_size - 1
    body = json.loads(_entry(ws, idx))
    body["detail"] = {"scores": [1, 0.5]}  # floats have no single RFC 8785 form here
    _sql(ws, "UPDATE ledger_entry SET entry = :e WHERE idx = :i", e=dumps_sorted(body), i=idx)
    faults = vault.verify().faults
    assert f"ledger entry {idx}: not in canonical form" in faults


def test_an_entry_that_is_not_json_is_reported(
    ws: Workspace, vault: Vault, ledger_size: int
) -> None:
    idx = ledger_size - 1
    _sql(ws, "UPDATE ledger_entry SET entry = :e WHERE idx = :i", e="{not json", i=idx)
    faults = vault.verify().faults
    assert f"ledger entry {idx}: not valid JSON" in faults
