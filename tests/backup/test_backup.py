"""Backup and restore: everything comes back, the ledger verifies, damage is refused."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from dalil import backup
from dalil.access import accounts
from dalil.cli import cli
from dalil.config import Settings
from dalil.errors import InvalidInput, WorkspaceExists
from dalil.model.tables import Assertion
from dalil.records import cases
from dalil.vault.service import Vault, read_checkpoint
from dalil.workspace import Workspace
from tests_support import drop_schema, make_settings

PASS = "backup test passphrase"


def test_backup_restores_everything_and_verifies(
    ws: Workspace, settings: Settings, tmp_path: Path, backend: str
) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Backed-up case", actor="t")
        accounts.add_user(s, "keeper", "a long enough password")
    vault = Vault.create(ws, PASS, "t")
    evidence = tmp_path / "photo.bin"
    evidence.write_bytes(b"evidence bytes " * 100)
    vault.add(case.id, evidence, "t")
    vault.checkpoint()
    out = tmp_path / "ws.zip"
    manifest = backup.backup(ws, out)
    assert manifest["rows"]["vault_item"] == 1 and manifest["rows"]["app_user"] == 1

    target, schema = make_settings(tmp_path / "restored", backend)
    try:
        report = backup.restore(out, target)
        assert report.ok, report.faults
        assert report.heads_checked >= 1 and report.blobs_checked == 1 and report.tree_size >= 2
        restored = Workspace.open(target)
        with restored.session() as s:
            assert cases.find_case(s, "Backed-up case").id == case.id
            assert accounts.authenticate(s, "keeper", "a long enough password")
            assert s.scalar(select(func.count()).select_from(Assertion)) is not None
        # the restored vault opens with the same passphrase and verifies fully
        report_full = Vault.unlock(restored, PASS).verify()
        assert not report_full.faults
        restored.close()
        with pytest.raises(WorkspaceExists):
            backup.restore(out, target)
    finally:
        if schema:
            drop_schema(schema)


def test_damaged_or_foreign_backups_are_refused(ws: Workspace, tmp_path: Path) -> None:
    out = tmp_path / "ws.zip"
    backup.backup(ws, out)
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(out) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "database/case_file.jsonl":
                data += b'{"id": "forged"}\n'
            dst.writestr(item, data)
    target, _ = make_settings(tmp_path / "r1", "sqlite")
    with pytest.raises(InvalidInput, match="damaged"):
        backup.restore(damaged, target)
    assert not (tmp_path / "r1" / "workspace.toml").exists()
    not_backup = tmp_path / "x.zip"
    with zipfile.ZipFile(not_backup, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(InvalidInput, match="not a dalil backup"):
        backup.restore(not_backup, target)


def test_restore_checks_a_checkpoint_kept_outside_the_backup(ws: Workspace, tmp_path: Path) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Checkpointed", actor="t")
    vault = Vault.create(ws, PASS, "t")
    for n in range(3):
        (tmp_path / f"e{n}.bin").write_bytes(f"evidence {n}".encode())
        vault.add(case.id, tmp_path / f"e{n}.bin", "t")
    early = tmp_path / "early.zip"
    backup.backup(ws, early)  # taken before the checkpoint: a rolled-back copy later
    (tmp_path / "e3.bin").write_bytes(b"evidence 3")
    vault.add(case.id, tmp_path / "e3.bin", "t")
    kept = tmp_path / "checkpoint.json"  # e.g. e-mailed to a partner, printed, notarised
    kept.write_text(json.dumps(vault.checkpoint().to_dict()), "utf-8")
    later = tmp_path / "later.zip"
    backup.backup(ws, later)
    # a wholesale forgery: the same story told by a new vault with its own key
    forged_home, _ = make_settings(tmp_path / "forger", "sqlite")
    forger = Workspace.create(forged_home)
    with forger.session() as s:
        forged_case = cases.create_case(s, "Checkpointed", actor="t")
    fv = Vault.create(forger, PASS, "t")
    for n in range(5):
        fv.add(forged_case.id, tmp_path / f"e{min(n, 3)}.bin", "t")
    fv.checkpoint()
    forged = tmp_path / "forged.zip"
    backup.backup(forger, forged)
    forger.close()
    head = read_checkpoint(kept)

    def restored(archive: Path, name: str) -> list[str]:
        target, _ = make_settings(tmp_path / name, "sqlite")
        return backup.restore(archive, target, checkpoints=[head]).faults

    assert restored(later, "ok") == []
    rolled_back = restored(early, "early")
    assert any("beyond the ledger" in f and "entries were removed" in f for f in rolled_back)
    faked = restored(forged, "forged")
    assert any("signed by another key" in f for f in faked), faked
    assert any("no longer hash to it" in f for f in faked), faked
    # the same through the command line
    out = CliRunner().invoke(cli, ["--home", str(tmp_path / "cli"), "restore", str(later),
                                   "--checkpoint", str(kept)])  # fmt: skip
    assert out.exit_code == 0 and "extends the 1 outside checkpoint" in out.output, out.output
    bad = CliRunner().invoke(cli, ["--home", str(tmp_path / "cli2"), "restore", str(forged),
                                   "--checkpoint", str(kept)])  # fmt: skip
    assert bad.exit_code == 1 and "signed by another key" in bad.output


def test_backup_carries_only_what_restore_accepts(
    ws: Workspace, settings: Settings, tmp_path: Path, backend: str
) -> None:
    """A write in progress (a blob temp file) and a stray file under vault/ stay out of the
    backup, so a genuine backup always passes restore's allow-list; the quarantine comes
    along (files a crash left without a row are evidence of that crash)."""
    with ws.session() as s:
        case = cases.create_case(s, "Quarantine", actor="t")
    vault = Vault.create(ws, PASS, "t")
    (tmp_path / "e.bin").write_bytes(b"evidence")
    vault.add(case.id, tmp_path / "e.bin", "t")
    (ws.home / "vault" / "tmp" / ("ab" * 16 + ".part")).write_bytes(b"half written")
    (ws.home / "vault" / "notes.txt").write_bytes(b"not the vault's")
    quarantined = "vault/quarantine/" + "cd" * 32 + ".0123abcd"
    (ws.home / quarantined).write_bytes(b"found without a row")
    out = tmp_path / "ws.zip"
    members = backup.backup(ws, out)["members"]
    assert quarantined in members and "keys/keyfile.json" in members
    assert not any(m.startswith("vault/tmp/") or m == "vault/notes.txt" for m in members)
    target, schema = make_settings(tmp_path / "restored", backend)
    try:
        assert backup.restore(out, target).ok
        assert (target.home / quarantined).read_bytes() == b"found without a row"
        assert oct((target.home / "keys" / "keyfile.json").stat().st_mode & 0o777) == "0o600"
    finally:
        if schema:
            drop_schema(schema)
