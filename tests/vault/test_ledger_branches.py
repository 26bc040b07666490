"""Ledger reads refuse a missing vault or a missing entry, and signing refuses a ledger
whose cached hashes no longer agree with its entries."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from dalil.records.cases import create_case
from dalil.vault import ledger, merkle
from dalil.vault.service import Vault
from dalil.workspace import Workspace


@pytest.fixture
def size(ws: Workspace, vault: Vault, tmp_path: Path) -> int:
    with ws.session() as s:
        case = create_case(s, "Ledger reads", actor="tester").id
    for n in range(2):
        f = tmp_path / f"e{n}.txt"
        f.write_bytes(b"statement %d" % n)
        vault.add(case, f, "tester")
    with ws.session() as s:
        return ledger.size(s)


def _sql(ws: Workspace, statement: str, **params: object) -> None:
    with ws.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_a_workspace_without_a_vault_has_no_ledger(ws: Workspace) -> None:
    with ws.session() as s:
        assert not ledger.exists(s)
        with pytest.raises(ledger.LedgerTampered, match="has not been created"):
            ledger.state(s)


def test_appending_nothing_writes_nothing(ws: Workspace, size: int) -> None:
    with ws.session() as s:
        assert ledger.append(s, []) == []
        assert ledger.size(s) == size


def test_reading_an_entry_past_the_end_is_refused(ws: Workspace, size: int) -> None:
    with ws.session() as s:
        assert ledger.entry(s, size - 1)["action"] == "ingest"
        with pytest.raises(ledger.LedgerTampered, match=f"ledger entry {size} is missing"):
            ledger.entry(s, size)


def test_entry_roots_of_the_empty_tree(ws: Workspace, size: int) -> None:
    with ws.session() as s:
        roots = ledger.entry_roots(s, {0, size})
    assert roots[0] == merkle.EMPTY_ROOT
    with ws.session() as s:
        assert roots[size] == ledger.root(s, size)


@pytest.mark.parametrize("gap", ["middle", "last"])
def test_entry_roots_refuse_a_deleted_entry(ws: Workspace, size: int, gap: str) -> None:
    gone = size - 2 if gap == "middle" else size - 1
    _sql(ws, "DELETE FROM ledger_entry WHERE idx = :i", i=gone)
    with ws.session() as s, pytest.raises(ledger.LedgerTampered, match=f"entry {gone} is"):
        ledger.entry_roots(s, {size})


def test_checkpoint_refuses_cached_hashes_that_disagree(
    ws: Workspace, vault: Vault, size: int
) -> None:
    _sql(ws, "UPDATE ledger_entry SET leaf_hash = :h WHERE idx = :i", h=bytes(32), i=size - 1)
    with pytest.raises(ledger.LedgerTampered, match="cached hashes disagree"):
        vault.checkpoint()
