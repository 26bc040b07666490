"""The vault's read API for other packages (dalil.vault.holdings)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dalil.records.cases import create_case
from dalil.vault.holdings import (
    EvidenceItem,
    evidence_item,
    evidence_items,
    stored_blob_digests,
)
from dalil.vault.service import Vault
from dalil.workspace import Workspace


def test_items_of_a_case_in_ingest_order_one_by_id_and_blob_digests(
    ws: Workspace, tmp_path: Path
) -> None:
    vault = Vault.create(ws, "correct horse battery", "tester")
    with ws.session() as s:
        a = create_case(s, "A", actor="tester").id
        b = create_case(s, "B", actor="tester").id
    files = []
    for n, body in enumerate([b"first", b"second", b"first"]):
        f = tmp_path / f"f{n}.txt"
        f.write_bytes(body)
        files.append(f)
    one = vault.add(a, files[0], "tester")
    two = vault.add(a, files[1], "tester")
    other = vault.add(b, files[2], "tester")  # same bytes as `one`, another case
    with ws.session() as s:
        held = evidence_items(s, a)
        assert [i.id for i in held] == [one.item_id, two.item_id]
        assert [i.ingest_index for i in held] == sorted(i.ingest_index for i in held)
        first = held[0]
        assert isinstance(first, EvidenceItem)
        assert (first.case_id, first.sha256, first.size) == (a, one.sha256, 5)
        assert first.created_by == "tester" and first.derivation is None
        with pytest.raises(dataclasses.FrozenInstanceError):
            first.size = 0  # type: ignore[misc]
        assert evidence_item(s, two.item_id) == held[1]
        assert evidence_item(s, two.item_id, case_id=a) == held[1]
        assert evidence_item(s, other.item_id, case_id=a) is None  # another case's item
        assert evidence_item(s, "no-such-item") is None
        assert [i.id for i in evidence_items(s, b)] == [other.item_id]
        assert stored_blob_digests(s) == sorted({one.sha256, two.sha256})
