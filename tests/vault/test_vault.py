"""Evidence vault and custody ledger (security note B.1, B.2, B.6 designs, fast subsets).

DALIL_SLOW=1 runs the long versions (thousands of bit flips, more kill -9 rounds).
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import inspect, select, text, update

from dalil.config import Settings
from dalil.errors import InvalidInput
from dalil.records.cases import create_case
from dalil.vault import keys, ledger
from dalil.vault.bundle import verify_bundle
from dalil.vault.crypto import TamperedError, decrypt_stream, encrypt_stream
from dalil.vault.service import Vault, recover
from dalil.vault.tables import LedgerEntry, LedgerNode, TreeHead, VaultBlob, VaultItem, VaultState
from dalil.workspace import Workspace

SLOW = bool(os.environ.get("DALIL_SLOW"))
PASS = "correct horse battery"
CANARY = "CANARY-Witness-Name-Qx7Z"
ROOT = Path(__file__).parents[2]


@pytest.fixture
def vault(ws: Workspace) -> Iterator[Vault]:
    yield Vault.create(ws, PASS, "tester")


@pytest.fixture
def case_id(ws: Workspace) -> str:
    with ws.session() as s:
        return create_case(s, "Vault case", actor="tester").id


def _files(folder: Path, n: int, rng: random.Random, big: bool = False) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(n):
        size = rng.choice([1, 17, 4096, 1_048_576 + 3, 2_500_000]) if big else rng.randint(1, 5000)
        path = folder / f"{CANARY}-{i}.bin"
        path.write_bytes(CANARY.encode() + rng.randbytes(size))
        out.append(path)
    return out


def test_chunked_encryption_round_trip_and_tamper() -> None:
    key = os.urandom(32)
    for size in (0, 1, 15, 16, 64, 65, 1000):
        data = os.urandom(size)
        blob = b"".join(encrypt_stream(key, io.BytesIO(data), chunk_size=64))
        assert b"".join(decrypt_stream(key, io.BytesIO(blob))) == data
        for cut in (len(blob) - 1, len(blob) - 17, 20):
            with pytest.raises(TamperedError, match=r"truncated|authentication|short chunk"):
                b"".join(decrypt_stream(key, io.BytesIO(blob[:cut])))
        with pytest.raises(TamperedError, match="authentication"):
            b"".join(decrypt_stream(key, io.BytesIO(blob + bytes(80))))


def test_ingest_read_dedupe_and_derive(
    ws: Workspace, vault: Vault, case_id: str, tmp_path: Path
) -> None:
    [a, b] = _files(tmp_path / "in", 2, random.Random(1))
    first = vault.add(case_id, a, "alice", source=f"handed over by {CANARY}", notes=CANARY)
    again = vault.add(case_id, a, "bob")
    other = vault.add(case_id, b, "alice", derived_from=first.item_id, derivation="redacted_copy")
    assert (
        again.duplicate
        and again.item_id == first.item_id
        and again.ledger_index > first.ledger_index
    )
    assert not other.duplicate
    out = tmp_path / "out.bin"
    vault.download(case_id, first.sha256[:16], out, "carol", purpose="court")
    assert out.read_bytes() == a.read_bytes()
    meta = vault.describe(case_id, first.item_id, "carol")
    assert meta["metadata"]["original_name"] == a.name and meta["metadata"]["source"].endswith(
        CANARY
    )
    actions = [e["action"] for e in vault.log(case_id)]
    assert actions == ["ingest", "reingest", "derive", "download", "view"]
    assert vault.verify().ok
    # the blob is stored once
    with ws.session() as s:
        assert len(s.scalars(select(VaultBlob)).all()) == 2
    # canary: the plaintext (content, file name, source, notes) is nowhere in the workspace
    for path in ws.home.rglob("*"):
        if path.is_file():
            assert CANARY.encode() not in path.read_bytes(), path


def test_canary_not_in_postgres(
    ws: Workspace, vault: Vault, case_id: str, tmp_path: Path, backend: str
) -> None:
    [a] = _files(tmp_path / "in", 1, random.Random(2))
    vault.add(case_id, a, "alice", notes=CANARY)
    with ws.engine.connect() as conn:
        for table in ("vault_item", "vault_blob", "ledger_entry", "record", "assertion"):
            rows = conn.execute(text(f"SELECT * FROM {table}")).all()
            assert CANARY not in repr(rows)


def test_media_types_and_embedded_metadata(vault: Vault, case_id: str, tmp_path: Path) -> None:
    from PIL import Image
    from pypdf import PdfWriter

    img = Image.new("RGB", (8, 6), "red")
    exif = Image.Exif()
    exif[0x010F] = "FictionalCam"
    gps = {1: "N", 2: (35.0, 10.0, 30.0), 3: "E", 4: (35.0, 57.0, 0.0)}
    exif[0x8825] = gps
    photo = tmp_path / "photo.txt"  # the extension lies; the bytes decide
    img.save(photo, format="JPEG", exif=exif)
    pdf = tmp_path / "report.pdf"
    writer = PdfWriter()
    writer.add_blank_page(100, 100)
    writer.add_metadata({"/Author": "Fictional NGO", "/Title": "Report"})
    with open(pdf, "wb") as fh:
        writer.write(fh)
    r1 = vault.add(case_id, photo, "a")
    r2 = vault.add(case_id, pdf, "a")
    assert r1.media_type == "image/jpeg" and r2.media_type == "application/pdf"
    m1 = vault.describe(case_id, r1.item_id, "a")["metadata"]["embedded"]
    assert m1["exif"]["Make"] == "FictionalCam"
    assert abs(m1["exif"]["gps_lat"] - 35.175) < 1e-6 and abs(m1["exif"]["gps_lon"] - 35.95) < 1e-6
    m2 = vault.describe(case_id, r2.item_id, "a")["metadata"]["embedded"]
    assert m2["pages"] == 1 and m2["info"]["Author"] == "Fictional NGO"


def test_bad_files_leave_nothing(ws: Workspace, vault: Vault, case_id: str, tmp_path: Path) -> None:
    empty = tmp_path / "empty.bin"
    empty.write_bytes(b"")
    cases = [(tmp_path / "missing.bin", "no such file"), (tmp_path, "directory"), (empty, "empty")]
    for path, message in cases:
        with pytest.raises(InvalidInput, match=message) as err:
            vault.add(case_id, path, "a")
        assert err.value.path == str(path)
    assert list(vault.store.tmp.iterdir()) == [] and list(vault.store.stored()) == []
    with ws.session() as s:
        assert ledger.size(s) == 1  # only the key-creation entry


def test_keys_drill(ws: Workspace, vault: Vault, case_id: str, tmp_path: Path) -> None:
    files = _files(tmp_path / "in", 3, random.Random(3))
    for f in files:
        vault.add(case_id, f, "a")
    shares = vault.shares(3, 5, "a")
    import itertools

    for combo in itertools.combinations(shares, 3):
        assert (
            __import__("dalil.vault.shamir", fromlist=["combine"]).combine(list(combo))
            == vault.ring.master
        )
    for combo in itertools.combinations(shares, 2):
        with pytest.raises(InvalidInput):
            __import__("dalil.vault.shamir", fromlist=["combine"]).combine(list(combo))
    blob_bytes = {sha: p.read_bytes() for sha, p in vault.store.stored()}
    vault.rotate(PASS, "a")
    assert {
        sha: p.read_bytes() for sha, p in vault.store.stored()
    } == blob_bytes  # nothing re-encrypted
    with ws.session() as s:
        assert {b.key_id for b in s.scalars(select(VaultBlob))} == {2}
    assert Vault.unlock(ws, PASS).verify().ok
    # lose the key file and the passphrase: recover from three shares of the *new* key
    new_shares = Vault.unlock(ws, PASS).shares(3, 5, "a")
    (ws.home / keys.KEYFILE).unlink()
    recovered = recover(ws, new_shares[1:4], "a brand new passphrase", "a")
    assert recovered.verify().ok
    with pytest.raises(keys.WrongPassphrase):
        Vault.unlock(ws, PASS)
    Vault.unlock(ws, "a brand new passphrase").change_passphrase("third passphrase!", "a")
    assert Vault.unlock(ws, "third passphrase!").verify().ok
    (ws.home / keys.KEYFILE).write_text("{ not json")
    with pytest.raises(keys.KeyFileError, match="damaged"):
        Vault.unlock(ws, "third passphrase!")


# -- tamper evidence ---------------------------------------------------------------------


# Database columns a bit flip may hit: target kind -> (table, column).
COLUMNS: dict[str, tuple[type[Any], str]] = {
    "blob_key": (VaultBlob, "wrapped_key"),
    "item_meta": (VaultItem, "metadata_sealed"),
    "entry": (LedgerEntry, "entry"),
    "leaf": (LedgerEntry, "leaf_hash"),
    "node": (LedgerNode, "hash"),
    "head_sig": (TreeHead, "signature"),
    "head_root": (TreeHead, "root_hash"),
}


def _targets(ws: Workspace, vault: Vault) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = [("file", p) for _, p in vault.store.stored()]
    with ws.session() as s:
        for kind, (table, _) in COLUMNS.items():
            out += [(kind, inspect(row).identity) for row in s.scalars(select(table))]
    return out


def _flip(data: bytes, rng: random.Random) -> bytes:
    b = bytearray(data)
    i = rng.randrange(len(b))
    b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def _flip_text(data: str, rng: random.Random) -> str:
    """Flip a bit of one character, keeping the text valid UTF-8 (ASCII stays ASCII)."""
    chars = list(data)
    i = rng.randrange(len(chars))
    chars[i] = chr(ord(chars[i]) ^ (1 << rng.randrange(6)) or 1)
    return "".join(chars)


def test_random_bit_flips_are_all_detected(
    ws: Workspace, vault: Vault, case_id: str, tmp_path: Path
) -> None:
    rng = random.Random(20251125)
    for f in _files(tmp_path / "in", 4, rng):
        vault.add(case_id, f, "a")
    vault.checkpoint()
    assert vault.verify().ok
    targets = _targets(ws, vault)
    trials = 2_000 if SLOW else 40
    missed = []
    for trial in range(trials):
        kind, key = targets[rng.randrange(len(targets))]
        with ws.session() as s:
            if kind == "file":
                original = key.read_bytes()
                key.write_bytes(_flip(original, rng))
            else:
                table, column = COLUMNS[kind]
                row = s.get_one(table, key)
                original = getattr(row, column)
                damaged = (
                    _flip_text(original, rng) if isinstance(original, str) else _flip(original, rng)
                )
                setattr(row, column, damaged)
        if vault.verify().ok:
            missed.append((trial, kind, key))
        with ws.session() as s:  # restore
            if kind == "file":
                key.write_bytes(original)
            else:
                setattr(s.get_one(table, key), column, original)
        if trial % 10 == 0:
            assert vault.verify().ok, "false alarm after restoring"
    assert missed == []


def test_raw_sql_rewrites_are_detected_and_never_signed(
    ws: Workspace, vault: Vault, case_id: str, tmp_path: Path
) -> None:
    for f in _files(tmp_path / "in", 5, random.Random(5)):
        vault.add(case_id, f, "a")
    head = vault.checkpoint()
    outside = tmp_path / "checkpoint.json"
    outside.write_text(json.dumps(head.to_dict()))
    from dalil.vault.service import read_checkpoint

    def rewrite(sql_kind: str) -> None:
        with ws.session() as s:
            if sql_kind == "actor":
                e = s.get_one(LedgerEntry, 2)
                data = json.loads(e.entry)
                data["actor"] = "someone-else"
                from dalil.vault.canonical import canonical_json
                from dalil.vault.merkle import leaf_hash

                e.entry = canonical_json(data).decode()
                e.leaf_hash = leaf_hash(e.entry.encode())
            elif sql_kind == "swap":
                a, b = s.get_one(LedgerEntry, 2), s.get_one(LedgerEntry, 3)
                a.entry, b.entry = b.entry, a.entry
                a.leaf_hash, b.leaf_hash = b.leaf_hash, a.leaf_hash
            elif sql_kind == "truncate":
                last = ledger.size(s) - 1
                s.execute(LedgerEntry.__table__.delete().where(LedgerEntry.idx == last))
                s.execute(update(VaultState).values(ledger_size=last))
                s.execute(TreeHead.__table__.delete())

    for kind in ("actor", "swap", "truncate"):
        snapshot = ws.home / "snap"
        _backup(ws, snapshot)
        rewrite(kind)
        report = vault.verify([read_checkpoint(outside)])
        assert not report.ok, kind
        with pytest.raises(ledger.LedgerTampered):
            vault.checkpoint()
        _restore(ws, snapshot)
        assert vault.verify().ok, kind
        assert vault.verify([read_checkpoint(outside)]).ok


def _backup(ws: Workspace, target: Path) -> None:
    """Copy every vault and ledger row (enough to undo a test's tampering)."""
    with ws.session() as s:
        data = {
            t.__tablename__: [dict(r._mapping) for r in s.execute(select(t.__table__))]  # type: ignore[attr-defined]
            for t in (LedgerEntry, LedgerNode, TreeHead, VaultState)
        }
    target.write_bytes(
        json.dumps(
            {
                k: [
                    {c: (v.hex() if isinstance(v, bytes) else v) for c, v in row.items()}
                    for row in rows
                ]
                for k, rows in data.items()
            },
            default=str,
        ).encode()
    )


def _restore(ws: Workspace, source: Path) -> None:
    data = json.loads(source.read_bytes())
    binary = {"leaf_hash", "hash", "root_hash", "signature", "public_key", "signing_key"}
    with ws.session() as s:
        for t in (LedgerEntry, LedgerNode, TreeHead):
            s.execute(t.__table__.delete())  # type: ignore[attr-defined]
        for t in (LedgerEntry, LedgerNode, TreeHead):
            rows = [
                {c: (bytes.fromhex(v) if c in binary else v) for c, v in row.items()}
                for row in data[t.__tablename__]
            ]
            if rows:
                s.execute(t.__table__.insert(), rows)  # type: ignore[attr-defined]
        st = data["vault_state"][0]
        s.execute(update(VaultState).values(ledger_size=st["ledger_size"]))


# -- bundles --------------------------------------------------------------------------


def test_bundle_verifies_and_every_tampering_is_caught(
    ws: Workspace, vault: Vault, case_id: str, tmp_path: Path
) -> None:
    for f in _files(tmp_path / "in", 3, random.Random(7)):
        vault.add(case_id, f, "a")
    bundle = tmp_path / "case.zip"
    head = vault.export_bundle(case_id, bundle, "a")
    faults, summary = verify_bundle(bundle)
    assert faults == [] and summary["items"] == 3 and summary["tree_size"] == head.tree_size
    assert verify_bundle(bundle, public_key=b"\x00" * 32)[0]
    standalone = [sys.executable, str(ROOT / "tools" / "verify_bundle.py")]
    assert (
        subprocess.run([*standalone, str(bundle)], capture_output=True, check=False).returncode == 0
    )
    with zipfile.ZipFile(bundle) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        contents = {n: zf.read(n) for n in zf.namelist()}

    def rebuild(name: str, files: dict[str, bytes], mutate_manifest: object = None) -> Path:
        m = json.loads(json.dumps(manifest))
        if callable(mutate_manifest):
            mutate_manifest(m)
        out = tmp_path / f"{name}.zip"
        with zipfile.ZipFile(out, "w") as zf:
            for n, data in files.items():
                zf.writestr(n, json.dumps(m) if n == "manifest.json" else data)
        return out

    evidence = [n for n in contents if n.startswith("evidence/")]
    flipped = dict(contents)
    flipped[evidence[0]] = _flip(contents[evidence[0]], random.Random(1))
    variants = {
        "content": rebuild("content", flipped),
        "entry": rebuild("entry", contents, lambda m: m["items"][0]["entry"].update(actor="x")),
        "proof": rebuild(
            "proof", contents, lambda m: m["items"][1]["inclusion_proof"].__setitem__(0, "00" * 32)
        ),
        "index": rebuild(
            "index",
            contents,
            lambda m: m["items"][1].update(ledger_index=m["items"][1]["ledger_index"] + 1),
        ),
        "root": rebuild("root", contents, lambda m: m["tree_head"].update(root_hash="11" * 32)),
        "size": rebuild(
            "size",
            contents,
            lambda m: m["tree_head"].update(tree_size=m["tree_head"]["tree_size"] + 1),
        ),
        "missing": rebuild("missing", {k: v for k, v in contents.items() if k != evidence[1]}),
        "extra": rebuild("extra", {**contents, "evidence/" + "a" * 64: b"x"}),
        "zipslip": rebuild("zipslip", {**contents, "../../etc/evil": b"x"}),
    }
    for name, path in variants.items():
        faults, _ = verify_bundle(path)
        assert faults, name
        if name not in ("zipslip", "extra", "missing"):
            done = subprocess.run([*standalone, str(path)], capture_output=True, check=False)
            assert done.returncode == 1, (name, done.stdout)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest))
        zf.writestr("evidence/" + "b" * 64, b"\x00" * (20 * 1024 * 1024))
    assert any("zip bomb" in f for f in verify_bundle(bomb)[0])
    link = tmp_path / "link.zip"
    with zipfile.ZipFile(link, "w") as zf:
        info = zipfile.ZipInfo("evidence/" + "c" * 64)
        info.external_attr = 0o120777 << 16
        zf.writestr(info, "/etc/passwd")
    assert any("symbolic link" in f for f in verify_bundle(link)[0])
    assert verify_bundle(tmp_path / "nothing.zip")[0]


# -- crashes and faults -------------------------------------------------------------------


def _env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DALIL_")}
    env |= {"DALIL_HOME": str(settings.home), "DALIL_PASSPHRASE": PASS, "DALIL_ACTOR": "proc"}
    if settings.database_url:
        env["DALIL_DATABASE_URL"] = settings.database_url
    return env | extra


DALIL = str(Path(sys.executable).with_name("dalil"))


@pytest.mark.parametrize(
    "point",
    [
        "after_temp_write",
        "before_fsync",
        "after_fsync_before_rename",
        "after_rename_before_dirsync",
        "before_commit",
        "after_commit_before_ack",
    ],
)
def test_failpoints_never_acknowledge_a_partial_item(
    ws: Workspace, vault: Vault, case_id: str, settings: Settings, tmp_path: Path, point: str
) -> None:
    files = _files(tmp_path / "in", 3, random.Random(11))
    committed = point == "after_commit_before_ack"  # stored, never acknowledged: allowed
    for n, (f, action) in enumerate(zip(files, ("crash", "enospc", "eio"), strict=True)):
        done = subprocess.run(
            [DALIL, "vault", "add", case_id, str(f)],
            capture_output=True,
            text=True,
            env=_env(settings, DALIL_FAILPOINTS=f"{point}={action}"),
            check=False,
        )
        assert done.returncode != 0, (point, action)
        assert "ledger" not in done.stdout, "no acknowledgement may be printed"
        if action != "crash":
            assert (
                done.stderr.strip().startswith("error [storage.error]")
                and "Traceback" not in done.stderr
            )
        report = vault.verify()
        assert report.ok, (point, action, report.faults)
        with ws.session() as s:
            items = s.scalars(select(VaultItem)).all()
        # each action ingests another file: a committed item stays (deleting its row is
        # tampering that `vault verify` reports)
        assert len(items) == (n + 1 if committed else 0), (point, action)
    assert list(vault.store.stored()) == [] or committed


def test_kill_9_during_concurrent_ingest_loses_no_acknowledged_item(
    ws: Workspace, vault: Vault, case_id: str, settings: Settings, tmp_path: Path
) -> None:
    rng = random.Random(99)
    rounds = 20 if SLOW else 2
    acknowledged: set[str] = set()
    for r in range(rounds):
        procs, outputs = [], []
        for p in range(3):
            files = _files(tmp_path / f"r{r}p{p}", 6, rng, big=True)
            out = tmp_path / f"acks-{r}-{p}.txt"
            outputs.append(out)
            with open(out, "w") as fh:
                procs.append(
                    subprocess.Popen(
                        [DALIL, "vault", "add", case_id, *map(str, files)],
                        stdout=fh,
                        stderr=subprocess.DEVNULL,
                        env=_env(settings),
                    )
                )
        deadline = time.time() + 30  # wait for the first acknowledgement, then kill at random
        while time.time() < deadline and not any(" ledger " in o.read_text() for o in outputs):
            time.sleep(0.05)
        time.sleep(rng.uniform(0.0, 1.5))
        for proc in procs:
            proc.send_signal(signal.SIGKILL)
        for proc in procs:
            proc.wait()
        for o in outputs:
            acknowledged |= {
                line.split()[0] for line in o.read_text().splitlines() if " ledger " in line
            }
    report = Vault.unlock(ws, PASS).verify()
    assert report.ok, report.faults
    with ws.session() as s:
        stored = {i.sha256 for i in s.scalars(select(VaultItem))}
    assert acknowledged <= stored
    assert acknowledged, "the kill came before any acknowledgement; lengthen the wait"


def test_sqlite_file_holds_no_plaintext_ledger_secrets(
    ws: Workspace, vault: Vault, case_id: str, tmp_path: Path, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("SQLite file check")
    [f] = _files(tmp_path / "in", 1, random.Random(12))
    vault.add(case_id, f, "a", source=CANARY)
    db = ws.home / "dalil.sqlite3"
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(FULL)")
    conn.close()
    assert CANARY.encode() not in db.read_bytes()


def test_vault_cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from dalil.cli import cli

    monkeypatch.delenv("DALIL_DATABASE_URL", raising=False)
    monkeypatch.setenv("DALIL_PASSPHRASE", PASS)
    monkeypatch.setenv("DALIL_OPERATOR", "amal")
    home = tmp_path / "ws"

    def run(*args: str, code: int = 0) -> str:
        result = CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
        assert result.exit_code == code, result.output
        return result.output

    run("init")
    case = run("case", "create", "CLI case").strip()
    [f] = _files(tmp_path / "in", 1, random.Random(21))
    out = run(
        "vault", "add", case, str(f), "--source", "phone", "--acquired-at", "2025-03-09T14:30"
    )
    sha = next(line.split()[0] for line in out.splitlines() if " ledger " in line)
    assert json.loads(run("vault", "list", case, "--json"))[0]["sha256"] == sha
    shown = json.loads(run("vault", "show", case, sha[:12]))
    assert shown["metadata"]["acquired_at"] == "2025-03-09T14:30:00.000000Z"
    run("vault", "get", case, sha, str(tmp_path / "copy.bin"))
    assert (tmp_path / "copy.bin").read_bytes() == f.read_bytes()
    run("vault", "checkpoint", "--out", str(tmp_path / "cp.json"))
    assert "OK" in run("vault", "verify", "--checkpoint", str(tmp_path / "cp.json"))
    run("vault", "export", case, str(tmp_path / "b.zip"))
    assert "OK" in run("verify-bundle", str(tmp_path / "b.zip"))
    assert [e["action"] for e in json.loads(run("vault", "log", case, "--json"))] == [
        "ingest",
        "view",
        "download",
        "export",
    ]
    assert len(run("keys", "shares", "-k", "2", "-n", "3").split()) == 3
    [blob] = list((home / "vault" / "blobs").glob("*/*/*"))
    blob.write_bytes(blob.read_bytes()[:-1])
    assert "FAULT" in run("vault", "verify", code=1)


def test_an_append_updates_the_size_this_transaction_sees(ws: Workspace, vault: Vault) -> None:
    """The append bypasses the ORM for speed; a vault state already loaded in the same
    transaction must still see the new size, or a tree head would be signed short."""
    with ws.session() as s:
        held = ledger.state(s)  # held, so the session keeps it
        before = held.ledger_size
        ledger.append(s, [ledger.make_entry("view", "tester", detail={"n": n}) for n in range(3)])
        assert held.ledger_size == ledger.size(s) == before + 3
        head = ledger.sign_head(s, vault.ring.signing, vault.ring.public_key)
        assert head.tree_size == before + 3
