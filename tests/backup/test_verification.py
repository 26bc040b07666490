"""The checks of a restored workspace (:mod:`dalil.backup.verification`), run on a
workspace directly: each kind of fault is reported, none is raised."""

from __future__ import annotations

from pathlib import Path

from dalil import backup
from dalil.config import load_settings
from dalil.records import cases
from dalil.vault.service import Vault
from dalil.workspace import Workspace


def test_a_sound_workspace_has_no_faults(ws: Workspace, vault: Vault, tmp_path: Path) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Verified", actor="t")
    (tmp_path / "e.bin").write_bytes(b"evidence " * 10)
    vault.add(case.id, tmp_path / "e.bin", "t")
    head = vault.checkpoint()
    report = backup.verify_restored(ws, {"vault_item": 1}, checkpoints=[head])
    assert report.ok, report.faults
    assert report.blobs_checked == 1 and report.heads_checked >= 2 and report.tree_size >= 2
    assert report.rows["vault_item"] == 1 and report.rows["record"] >= 0


def test_row_counts_and_missing_blobs_are_faults(
    ws: Workspace, vault: Vault, tmp_path: Path
) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Damaged", actor="t")
    for n in range(2):
        (tmp_path / f"e{n}.bin").write_bytes(f"evidence {n}".encode())
        vault.add(case.id, tmp_path / f"e{n}.bin", "t")
    blobs = sorted(p for p in (ws.home / "vault" / "blobs").rglob("*") if p.is_file())
    assert len(blobs) == 2
    blobs[0].unlink()
    report = backup.verify_restored(ws, {"vault_item": 3})
    assert not report.ok and report.blobs_checked == 2
    assert "table vault_item: 2 rows, the backup has 3" in report.faults
    assert [f for f in report.faults if f.endswith(": missing")] == [
        f"blob {blobs[0].name[:16]}: missing"
    ]


def test_checkpoints_without_a_ledger_are_a_fault(vault: Vault, tmp_path: Path) -> None:
    head = vault.checkpoint()
    bare = Workspace.create(load_settings(tmp_path / "bare"))
    try:
        report = backup.verify_restored(bare, {}, checkpoints=[head])
        assert report.faults == [
            "the backup has no custody ledger to check the checkpoints against"
        ]
        assert report.tree_size == 0 and report.blobs_checked == 0
        assert backup.verify_restored(bare, {}).ok
    finally:
        bare.close()
