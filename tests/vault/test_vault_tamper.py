"""Evidence items held to the custody ledger (review finding H2).

Each test makes one of the review's direct database edits with plain SQL through the
workspace's own engine (what someone with the database file or server account can do),
then checks that ``Vault.verify`` fails naming the item, and that the edited item is not
handed out (``vault get``, the library read, the bundle export). Runs on SQLite and, with
DALIL_TEST_POSTGRES_URL, on PostgreSQL.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from sqlalchemy import text

from dalil.records.cases import create_case
from dalil.vault import ledger
from dalil.vault.service import Ingested, Vault
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE


def _sql(ws: Workspace, *statements: str, foreign_keys: bool = True, **params: Any) -> None:
    """Run statements in one transaction of the workspace's engine, optionally with
    foreign-key checks off (SQLite: the pragma; PostgreSQL: replica mode, as a superuser)."""
    sqlite = ws.engine.dialect.name == "sqlite"
    with ws.engine.connect() as conn:
        if not foreign_keys and sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # outside any transaction
            conn.commit()
        with conn.begin():
            if not foreign_keys and not sqlite:
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            for statement in statements:
                conn.execute(text(statement), params)
        if not foreign_keys and sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()


class Setup:
    """Two cases; case B holds three items, case A one whose bytes equal B's first item's
    (so the two items share one blob)."""

    def __init__(self, ws: Workspace, vault: Vault, tmp: Path) -> None:
        rng = random.Random(20)
        with ws.session() as s:
            self.a = create_case(s, "Case A", actor="tester").id
            self.b = create_case(s, "Case B secret", actor="tester").id
        self.files = []
        for n in range(3):
            f = tmp / f"b{n}.bin"
            f.write_bytes(b"evidence %d " % n + rng.randbytes(300 + n))
            self.files.append(f)
        self.items: list[Ingested] = [vault.add(self.b, f, "bob") for f in self.files]
        self.shared = vault.add(self.a, self.files[0], "alice")
        vault.checkpoint()  # the items are inside a signed head, as in the review
        assert vault.verify().ok


@pytest.fixture
def world(ws: Workspace, tmp_path: Path) -> tuple[Workspace, Vault, Setup]:
    vault = Vault.create(ws, DEMO_PASSPHRASE, "tester")
    return ws, vault, Setup(ws, vault, tmp_path)


def _refused(vault: Vault, case: str, item: str, out: Path) -> None:
    with pytest.raises(ledger.LedgerTampered, match=item):
        vault.download(case, item, out, "mallory")
    assert not out.exists()


def test_sha_swap_is_a_fault_and_get_refuses_the_other_file(
    world: tuple[Workspace, Vault, Setup], tmp_path: Path
) -> None:
    ws, vault, w = world
    victim, other = w.items[1], w.items[2]
    _sql(
        ws,
        "update vault_item set sha256 = :sha, size = :size where id = :id",
        sha=other.sha256, size=other.size, id=victim.item_id,
    )  # fmt: skip
    report = vault.verify()
    assert not report.ok
    [fault] = [f for f in report.faults if victim.item_id in f]
    assert w.b in fault and "sha256" in fault and "size" in fault
    _refused(vault, w.b, victim.item_id, tmp_path / "out.bin")
    with ws.session() as s, pytest.raises(ledger.LedgerTampered):
        vault.read(s, w.b, victim.item_id, "mallory", "look")
    with pytest.raises(ledger.LedgerTampered):
        vault.export_bundle(w.b, tmp_path / "b.zip", "mallory")
    assert not (tmp_path / "b.zip").exists()
    # the untouched items still come out
    vault.download(w.b, w.items[0].item_id, tmp_path / "ok.bin", "bob")
    assert (tmp_path / "ok.bin").read_bytes() == w.files[0].read_bytes()


def test_item_moved_to_another_case_is_a_fault_and_not_handed_out(
    world: tuple[Workspace, Vault, Setup], tmp_path: Path
) -> None:
    ws, vault, w = world
    moved = w.items[1]
    _sql(ws, "update vault_item set case_id = :a where id = :id", a=w.a, id=moved.item_id)
    report = vault.verify()
    [fault] = [f for f in report.faults if moved.item_id in f]
    assert f"case {w.a}" in fault and f"the ledger records {w.b}" in fault
    _refused(vault, w.a, moved.item_id, tmp_path / "out.bin")
    with pytest.raises(ledger.LedgerTampered):
        vault.describe(w.a, moved.item_id, "alice")


@pytest.mark.parametrize("with_blob", [False, True], ids=["row", "row-and-blob"])
def test_deleted_item_is_a_fault_naming_it(
    world: tuple[Workspace, Vault, Setup], with_blob: bool
) -> None:
    ws, vault, w = world
    gone = w.items[0]  # shares its blob with case A's item
    if with_blob:
        _sql(
            ws,
            "delete from vault_item where id = :id",
            "delete from vault_blob where sha256 = :sha",
            foreign_keys=False, id=gone.item_id, sha=gone.sha256,
        )  # fmt: skip
        vault.store.path(gone.sha256).unlink()
    else:
        _sql(ws, "delete from vault_item where id = :id", id=gone.item_id)
    report = vault.verify()
    assert not report.ok
    [fault] = [f for f in report.faults if gone.item_id in f]
    assert f"ledger entry {gone.ledger_index}" in fault and w.b in fault and "deleted" in fault
    if with_blob:  # the item of case A that shared the blob now points at nothing
        [orphan] = [f for f in report.faults if w.shared.item_id in f]
        assert "no row in vault_blob" in orphan and w.a in orphan
    else:
        assert not [f for f in report.faults if w.shared.item_id in f]


def test_blob_file_missing_names_every_item_on_it(
    world: tuple[Workspace, Vault, Setup],
) -> None:
    _ws, vault, w = world
    vault.store.path(w.items[0].sha256).unlink()
    faults = vault.verify().faults
    assert any(w.items[0].item_id in f and "missing" in f for f in faults)
    assert any(w.shared.item_id in f and "missing" in f for f in faults)


def test_relabelled_media_type_and_creator_are_faults(
    world: tuple[Workspace, Vault, Setup], tmp_path: Path
) -> None:
    ws, vault, w = world
    item = w.items[2]
    _sql(
        ws,
        "update vault_item set media_type = 'image/jpeg', created_by = 'mallory' where id = :id",
        id=item.item_id,
    )
    [fault] = [f for f in vault.verify().faults if item.item_id in f]
    assert "media type" in fault and "creator (the ledger records bob)" in fault
    _refused(vault, w.b, item.item_id, tmp_path / "out.bin")


def test_index_beyond_the_ledger_and_a_claimed_entry_are_faults(
    world: tuple[Workspace, Vault, Setup],
) -> None:
    ws, vault, w = world
    first, second = w.items[0], w.items[1]
    _sql(ws, "update vault_item set ingest_index = 100000 where id = :id", id=first.item_id)
    _sql(
        ws,
        "update vault_item set ingest_index = :idx where id = :id",
        idx=w.items[2].ledger_index, id=second.item_id,
    )  # fmt: skip
    faults = vault.verify().faults
    assert any(first.item_id in f and "beyond the ledger" in f for f in faults)
    assert any(second.item_id in f for f in faults)
    # the entries that lost their items are reported too
    assert any(f"ledger entry {first.ledger_index}:" in f for f in faults)


def test_cli_vault_verify_and_get_on_a_swap(
    world: tuple[Workspace, Vault, Setup],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    ws, _vault, w = world
    if ws.engine.dialect.name != "sqlite":
        pytest.skip("the CLI opens the workspace from its folder (SQLite)")
    from dalil.cli import cli, main

    monkeypatch.delenv("DALIL_DATABASE_URL", raising=False)
    monkeypatch.setenv("DALIL_PASSPHRASE", DEMO_PASSPHRASE)
    monkeypatch.setenv("DALIL_OPERATOR", "tester")  # custody events name a dalil user
    monkeypatch.delenv("DALIL_DEBUG", raising=False)
    victim, other = w.items[1], w.items[2]
    _sql(
        ws,
        "update vault_item set sha256 = :sha, size = :size where id = :id",
        sha=other.sha256, size=other.size, id=victim.item_id,
    )  # fmt: skip
    home = ["--home", str(ws.home)]
    done = CliRunner().invoke(cli, [*home, "vault", "verify"])
    assert done.exit_code == 1 and victim.item_id in done.output, done.output
    out = tmp_path / "out.bin"
    with pytest.raises(SystemExit) as exit_info:
        main([*home, "vault", "get", w.b, victim.item_id, str(out)])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"error [vault.tampered] item {victim.item_id}"), err
    assert "Traceback" not in err and not out.exists()


def test_web_download_refuses_a_swapped_item(ws: Workspace, tmp_path: Path) -> None:
    """The web download goes through the same check: never the other file's bytes."""
    from tests_support import open_world

    vault = Vault.create(ws, DEMO_PASSPHRASE, "tester")
    with open_world(ws, vault) as w:
        files = []
        for n in range(2):
            files.append(tmp_path / f"f{n}.bin")
            files[-1].write_bytes(b"web item %d" % n)
        first, second = (vault.add(w.a, f, "investigator") for f in files)
        url = f"/api/v1/cases/{w.a}/evidence/{first.item_id}/download"
        assert w.client.get(url, headers=w.h("investigator")).content == b"web item 0"
        _sql(
            ws,
            "update vault_item set sha256 = :sha, size = :size where id = :id",
            sha=second.sha256, size=second.size, id=first.item_id,
        )  # fmt: skip
        got = w.client.get(url, headers=w.h("investigator"))
        assert got.status_code != 200 and b"web item 1" not in got.content, got.status_code
        assert got.json()["error"]["code"] == "vault.tampered"
