"""Restore against hostile and damaged backups (review 2026-12-06: H1, M3, M8, L4).

Every refused archive must give :class:`InvalidInput` (CLI: ``error [input.invalid]``,
exit 2) before anything is written: no file outside or inside the target, no temporary
folder left beside it, no table or row on PostgreSQL; and a genuine restore into the same
place must work afterwards.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import struct
import subprocess
import sys
import warnings
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st
from sqlalchemy import text

from dalil import backup
from dalil.cli import main
from dalil.config import Settings
from dalil.errors import InvalidInput, WorkspaceExists
from dalil.records import cases
from dalil.vault.service import Vault
from dalil.workspace import Workspace, make_engine
from tests_support import drop_schema, make_settings

PASS = "hostile backup passphrase"
BLOB = "vault/blobs/{a}/{b}/{sha}"


@pytest.fixture(scope="module")
def genuine(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A genuine backup (SQLite source; backups are backend-neutral): a case, one vault
    item, a signed head, the key file."""
    home = tmp_path_factory.mktemp("genuine")
    settings, _ = make_settings(home / "ws", "sqlite")
    ws = Workspace.create(settings)
    with ws.session() as s:
        case = cases.create_case(s, "Genuine case", actor="t")
    vault = Vault.create(ws, PASS, "t")
    (home / "photo.bin").write_bytes(b"evidence bytes " * 200)
    vault.add(case.id, home / "photo.bin", "t")
    vault.checkpoint()
    backup.backup(ws, home / "backup.zip")
    ws.close()
    return (home / "backup.zip").read_bytes()


def rebuild(
    genuine: bytes,
    out: Path,
    edit: Callable[[str, bytes], bytes | None] = lambda _n, d: d,
    extra: tuple[tuple[zipfile.ZipInfo | str, bytes], ...] = (),
    manifest_edit: Callable[[dict[str, object]], object] | None = None,
    fix_digests: bool = True,
) -> Path:
    """A copy of the genuine backup with members edited (None drops one), extra members
    added, digests recomputed into the manifest (the attacker writes the manifest too)."""
    src = out.with_suffix(".src.zip")
    src.write_bytes(genuine)
    with zipfile.ZipFile(src) as zin:
        manifest = json.loads(zin.read("manifest.json"))
        members: dict[str, str] = manifest["members"]
        with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                if info.filename == "manifest.json":
                    continue
                data = edit(info.filename, zin.read(info))
                if data is None:
                    members.pop(info.filename, None)
                    continue
                zout.writestr(info.filename, data)
                if fix_digests:
                    members[info.filename] = hashlib.sha256(data).hexdigest()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # duplicate names are on purpose
                for name, data in extra:
                    zout.writestr(name, data)
                    key = name.filename if isinstance(name, zipfile.ZipInfo) else name
                    members[key] = hashlib.sha256(data).hexdigest()
            body: object = manifest
            if manifest_edit is not None:
                body = manifest_edit(manifest)
            zout.writestr("manifest.json", body if isinstance(body, str) else json.dumps(body))
    src.unlink()
    return out


def table_count(settings: Settings) -> int:
    """Tables in the target database (PostgreSQL: the test's schema; SQLite: 0 if the file
    does not exist, which the file checks cover)."""
    if settings.is_sqlite:
        return 0
    engine = make_engine(settings)
    try:
        with engine.connect() as conn:
            return int(
                conn.scalar(
                    text(
                        "SELECT count(*) FROM information_schema.tables "
                        "WHERE table_schema = current_schema()"
                    )
                )
                or 0
            )
    finally:
        engine.dispose()


def assert_nothing_written(settings: Settings, before: set[str]) -> None:
    home = settings.home
    assert not home.exists() or not any(home.iterdir()), sorted(home.rglob("*"))
    assert {p.name for p in home.parent.iterdir()} <= before, "a temporary folder was left"
    assert table_count(settings) == 0


def refused(archive: Path, settings: Settings, match: str, **kw: object) -> InvalidInput:
    before = {p.name for p in settings.home.parent.iterdir()}
    with pytest.raises(InvalidInput, match=match) as caught:
        backup.restore(archive, settings, **kw)  # type: ignore[arg-type]
    assert_nothing_written(settings, before)
    return caught.value


@pytest.fixture
def target(tmp_path: Path, backend: str) -> Iterator[Settings]:
    """An empty place to restore into (and an empty PostgreSQL schema)."""
    settings, schema = make_settings(tmp_path / "target" / "ws", backend)
    settings.home.parent.mkdir()
    yield settings
    if schema:
        drop_schema(schema)


# -- H1: names -------------------------------------------------------------------------

SLIPS = [
    "vault/../../outside.txt",
    "keys/../../outside.txt",
    "vault/blobs/ab/cd/../../../../../outside.txt",
    "vault/./last_head.json",
    "vault\\..\\..\\outside.txt",
    "C:/outside.txt",
    "vault//last_head.json",
]


def test_zip_slip_and_unlisted_names_are_refused_before_writing(
    genuine: bytes, target: Settings, tmp_path: Path
) -> None:
    outside = target.home.parent.parent / "outside.txt"  # where ../../ from the home lands
    absolute = tmp_path / "absolute.txt"
    names = [
        *SLIPS,
        str(absolute),
        "vault/bomb",
        "vault/tmp/x.txt",
        "database/extra.jsonl",
        "keys/other.json",
        "vault/blobs/00/11/" + "ab" * 32,
    ]
    for n, name in enumerate(names):
        evil = rebuild(genuine, tmp_path / f"evil{n}.zip", extra=((name, b"written\n"),))
        err = refused(evil, target, "member")
        assert err.path == evil.name and repr(name)[:30] in err.message
        assert not outside.exists() and not absolute.exists()


def test_the_reviews_evil_backup_through_the_cli(
    genuine: bytes, target: Settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    evil = rebuild(
        genuine,
        tmp_path / "evil.zip",
        extra=(("vault/../../../outside.txt", b"written by dalil restore\n"),),
    )
    before = {p.name for p in target.home.parent.iterdir()}
    args = ["--home", str(target.home), "restore", str(evil)]
    with pytest.MonkeyPatch.context() as mp:
        if target.database_url:
            mp.setenv("DALIL_DATABASE_URL", target.database_url)
        with pytest.raises(SystemExit) as code:
            main(args)
    err = capsys.readouterr().err
    assert code.value.code == 2
    assert err.startswith("error [input.invalid] evil.zip: member 'vault/../../../outside.txt'")
    assert "Traceback" not in err
    assert not (target.home.parent.parent.parent / "outside.txt").exists()
    assert_nothing_written(target, before)


def test_links_folders_duplicates_and_encrypted_entries_are_refused(
    genuine: bytes, target: Settings, tmp_path: Path
) -> None:
    sha = "ab" * 32
    blob = BLOB.format(a="ab", b="ab", sha=sha)
    link = zipfile.ZipInfo(blob)
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    refused(
        rebuild(genuine, tmp_path / "link.zip", extra=((link, b"/etc/passwd"),)),
        target,
        "not a plain file",
    )
    folder = zipfile.ZipInfo(blob)
    folder.external_attr = (stat.S_IFDIR | 0o755) << 16
    refused(
        rebuild(genuine, tmp_path / "dir.zip", extra=((folder, b""),)), target, "not a plain file"
    )
    twice = rebuild(genuine, tmp_path / "twice.zip", extra=(("keys/keyfile.json", b"{}"),))
    refused(twice, target, "appears twice")
    # an entry flagged encrypted (traditional PKWARE encryption bit)
    enc = tmp_path / "enc.zip"
    enc.write_bytes(
        set_central_field(
            rebuild(genuine, tmp_path / "e.zip").read_bytes(), "keys/keyfile.json", 8, "<H", 0x1
        )
    )
    refused(enc, target, "encrypted")


# -- M3: limits ------------------------------------------------------------------------


def set_central_field(data: bytes, name: str, offset: int, fmt: str, value: int) -> bytes:
    """``data`` with one field of ``name``'s central directory record set (offsets from
    the record's signature: 8 flags, 20 compressed size, 24 uncompressed size)."""
    at = data.index(b"PK\x01\x02")
    while True:
        (name_len,) = struct.unpack_from("<H", data, at + 28)
        if data[at + 46 : at + 46 + name_len].decode() == name:
            break
        at = data.index(b"PK\x01\x02", at + 4)
    out = bytearray(data)
    struct.pack_into(fmt, out, at + offset, value)
    return bytes(out)


def test_bombs_are_refused_from_the_directory_before_reading(
    genuine: bytes, target: Settings, tmp_path: Path
) -> None:
    # a blob-shaped member of 8 MiB of zeros (about 8 KiB deflated): ciphertext never
    # compresses, so the ratio alone refuses it at the default limits
    zeros = b"\0" * (8 << 20)
    sha = hashlib.sha256(zeros).hexdigest()
    bomb = rebuild(
        genuine,
        tmp_path / "bomb.zip",
        extra=((BLOB.format(a=sha[:2], b=sha[2:4], sha=sha), zeros),),
    )
    refused(bomb, target, "zip bomb")
    # a table inflating 16 MiB of blank lines from about 16 KiB
    lines = rebuild(
        genuine,
        tmp_path / "lines.zip",
        edit=lambda n, d: d + b"\n" * (16 << 20) if n.endswith("/case_file.jsonl") else d,
    )
    refused(lines, target, "zip bomb")
    # the review's 2 GiB member, declared in the directory of a small archive
    two_gib = tmp_path / "2gib.zip"
    two_gib.write_bytes(
        set_central_field(
            bomb.read_bytes(), BLOB.format(a=sha[:2], b=sha[2:4], sha=sha), 24, "<I", 2**31
        )
    )
    refused(two_gib, target, "bytes")
    # limits lowered for the test: a member, or the whole, declaring more than allowed
    plain = rebuild(genuine, tmp_path / "plain.zip")
    refused(plain, target, "declares", limits=backup.Limits(max_member_bytes=2000))
    refused(plain, target, "in all", limits=backup.Limits(max_total_bytes=10_000))
    refused(plain, target, "entries", limits=backup.Limits(max_entries=5))
    refused(plain, target, "longer than 100 bytes", limits=backup.Limits(max_line_bytes=100))


def test_a_member_larger_than_it_declares_is_refused(
    genuine: bytes, target: Settings, tmp_path: Path
) -> None:
    plain = rebuild(genuine, tmp_path / "plain.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "plain.zip") as z:
        info = z.getinfo("database/gazetteer_name.jsonl")
    liar = tmp_path / "liar.zip"
    liar.write_bytes(set_central_field(plain, info.filename, 24, "<I", info.file_size // 2))
    refused(liar, target, "damaged|declared")


def with_(part: str, key: str, value: object) -> Callable[[dict[str, object]], object]:
    """A manifest edit: ``manifest[part][key] = value``."""

    def edit(manifest: dict[str, object]) -> object:
        inner = manifest[part]
        assert isinstance(inner, dict)
        inner[key] = value
        return manifest

    return edit


# -- M8: damaged archives --------------------------------------------------------------


def test_damaged_archives_give_one_error_and_leave_nothing(
    genuine: bytes, target: Settings, tmp_path: Path
) -> None:
    def case_line(name: str, data: bytes) -> bytes:
        return data + b"{not json\n" if name == "database/case_file.jsonl" else data

    def drop(member: str) -> Callable[[str, bytes], bytes | None]:
        return lambda n, d: None if n == member else d

    garbage = tmp_path / "notzip.zip"
    garbage.write_bytes(b"garbage")
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(genuine[: len(genuine) // 2])
    cases_ = {
        "notzip": (garbage, "not a readable zip"),
        "truncated": (truncated, "not a readable zip"),
        "not json": (
            rebuild(genuine, tmp_path / "m1.zip", manifest_edit=lambda m: "{not json"),
            "not JSON",
        ),
        "no members": (
            rebuild(
                genuine,
                tmp_path / "m2.zip",
                manifest_edit=lambda m: {k: v for k, v in m.items() if k != "members"},
            ),
            "members",
        ),
        "a list": (
            rebuild(genuine, tmp_path / "m3.zip", manifest_edit=lambda m: []),
            "unknown backup format",
        ),
        "listed, missing": (
            rebuild(
                genuine,
                tmp_path / "m4.zip",
                fix_digests=False,
                edit=lambda n, d: None if n == "keys/keyfile.json" else d,
                manifest_edit=with_("members", "keys/keyfile.json", "0" * 64),
            ),
            "missing",
        ),
        "table missing": (
            rebuild(genuine, tmp_path / "m5.zip", edit=drop("database/case_file.jsonl")),
            "a table",
        ),
        "bad json line": (
            rebuild(genuine, tmp_path / "m6.zip", edit=case_line),
            "line 2 is not a row",
        ),
        "rows miscounted": (
            rebuild(genuine, tmp_path / "m7.zip", manifest_edit=with_("rows", "case_file", 5)),
            "manifest says 5",
        ),
        "digest wrong": (
            rebuild(
                genuine,
                tmp_path / "m8.zip",
                fix_digests=False,
                edit=lambda n, d: d + b" " if n.startswith("vault/blobs") else d,
            ),
            "SHA-256 differs",
        ),
    }
    for label, (archive, match) in cases_.items():
        try:
            refused(archive, target, match)
        except AssertionError as err:
            raise AssertionError(f"{label}: {err}") from None
    # a genuine restore into the same place then works, and removes what a restore killed
    # midway left (its temporary folder, named with its process id, no longer running)
    abandoned = target.home.parent / f".{target.home.name}.restoring-999999999-x"
    (abandoned / "vault").mkdir(parents=True)
    good = tmp_path / "good.zip"
    good.write_bytes(genuine)
    assert backup.restore(good, target).ok
    assert not abandoned.exists()


def test_rows_the_database_refuses_roll_everything_back(
    genuine: bytes, target: Settings, tmp_path: Path
) -> None:
    """The archive checks pass (digests and counts fixed) but the database refuses a row
    (a duplicate primary key) after migrations ran: on PostgreSQL no table stays, on
    SQLite no file; a second, genuine restore into the same place succeeds."""

    def twice(name: str, data: bytes) -> bytes:
        return data + data if name == "database/case_file.jsonl" else data

    dup = rebuild(
        genuine, tmp_path / "dup.zip", edit=twice, manifest_edit=with_("rows", "case_file", 2)
    )
    refused(dup, target, "database refuses")
    good = tmp_path / "good.zip"
    good.write_bytes(genuine)
    report = backup.restore(good, target)
    assert report.ok and report.blobs_checked == 1, report.faults
    restored = Workspace.open(target)
    with restored.session() as s:
        assert cases.find_case(s, "Genuine case")
    assert Vault.unlock(restored, PASS).verify().ok
    restored.close()


def test_a_hostile_key_file_in_a_backup_is_refused(
    genuine: bytes, target: Settings, tmp_path: Path
) -> None:
    def huge(name: str, data: bytes) -> bytes:
        if name != "keys/keyfile.json":
            return data
        body = json.loads(data)
        body["kdf"]["memory_kib"] = 65_536_000_000
        return json.dumps(body).encode()

    refused(rebuild(genuine, tmp_path / "kdf.zip", edit=huge), target, "kdf.memory_kib")


# -- any damage: a verified restore or one InvalidInput, never anything else -----------


@st.composite
def mutations(draw: st.DrawFn, size: int) -> tuple[str, int, bytes]:
    kind = draw(st.sampled_from(["flip", "truncate", "insert"]))
    at = draw(st.integers(0, size - 1))
    data = draw(st.binary(min_size=1, max_size=8))
    return kind, at, data


def mutate(genuine: bytes, kind: str, at: int, data: bytes) -> bytes:
    if kind == "flip":
        out = bytearray(genuine)
        for i, b in enumerate(data):
            if at + i < len(out):
                out[at + i] ^= b or 0x01
        return bytes(out)
    if kind == "truncate":
        return genuine[:at]
    return genuine[:at] + data + genuine[at:]


def test_random_damage_gives_a_verified_restore_or_invalid_input(
    genuine: bytes, tmp_path: Path, backend: str
) -> None:
    runs = iter(range(10_000))

    @hsettings(
        max_examples=40 if backend == "sqlite" else 15,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(change=mutations(len(genuine)))
    def check(change: tuple[str, int, bytes]) -> None:
        n = next(runs)
        place = tmp_path / f"run{n}"
        place.mkdir()
        archive = place / "backup.zip"
        archive.write_bytes(mutate(genuine, *change))
        settings, schema = make_settings(place / "ws", backend)
        try:
            try:
                report = backup.restore(archive, settings)
            except InvalidInput:
                assert not settings.home.exists()
                assert {p.name for p in place.iterdir()} == {"backup.zip"}
                assert table_count(settings) == 0
            else:
                assert report.ok, (change, report.faults)
                assert (settings.home / "workspace.toml").exists()
        finally:
            if schema:
                drop_schema(schema)

    check()


def test_a_database_already_holding_dalil_tables_is_refused_and_kept(
    genuine: bytes, target: Settings, tmp_path: Path
) -> None:
    """On PostgreSQL the target database is outside the folder: one that holds dalil
    tables (a live workspace, or tables left by an older dalil's failed restore) is
    refused, untouched, instead of being emptied into the restore."""
    if target.is_sqlite:
        pytest.skip("the SQLite database lives in the target folder")
    engine = make_engine(target)
    with engine.begin() as conn:
        conn.execute(text("CREATE TABLE case_file (id text primary key)"))
        conn.execute(text("INSERT INTO case_file VALUES ('kept')"))
    good = tmp_path / "good.zip"
    good.write_bytes(genuine)
    with pytest.raises(WorkspaceExists, match="case_file"):
        backup.restore(good, target)
    with engine.connect() as conn:
        assert conn.scalar(text("SELECT id FROM case_file")) == "kept"
    engine.dispose()
    assert not target.home.exists()
    assert [p.name for p in target.home.parent.iterdir()] == []


def test_a_restore_stopped_between_commit_and_rename_is_finished_by_the_next(
    genuine: bytes, target: Settings, tmp_path: Path
) -> None:
    """A restore killed after its database committed and before its folder was renamed
    into place: on PostgreSQL the rows are already in the database, so the next restore
    puts the folder in place (and says so) instead of deleting it and being refused."""
    archive = tmp_path / "backup.zip"
    archive.write_bytes(genuine)
    killed = (
        "import os, sys; from pathlib import Path\n"
        "from dalil.backup import restoration; from dalil.config import load_settings\n"
        "restoration._place = lambda temp, home: os._exit(137)  # the kill, before the rename\n"
        "restoration.restore(Path(sys.argv[1]), load_settings(Path(sys.argv[2])))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("DALIL_")}
    if target.database_url:
        env["DALIL_DATABASE_URL"] = target.database_url
    done = subprocess.run(
        [sys.executable, "-c", killed, str(archive), str(target.home)], env=env, timeout=300
    )
    assert done.returncode == 137 and not target.home.exists()
    with pytest.raises(WorkspaceExists, match="had committed"):
        backup.restore(archive, target)
    assert [p.name for p in target.home.parent.iterdir()] == [target.home.name]
    ws = Workspace.open(target)
    try:
        assert Vault.unlock(ws, PASS).verify().ok
    finally:
        ws.close()


def test_a_restored_workspace_is_private_whatever_the_umask(
    genuine: bytes, target: Settings, tmp_path: Path
) -> None:
    """The folder, its vault folder and (SQLite) the database are made 0700 / 0600 by the
    restore itself, not loosened by the umask and tightened only on a later open."""
    archive = tmp_path / "backup.zip"
    archive.write_bytes(genuine)
    old = os.umask(0)
    try:
        assert backup.restore(archive, target).ok
    finally:
        os.umask(old)
    for folder in (target.home, target.home / "vault"):  # what lies inside vault/ is shut
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    if not target.database_url:
        assert stat.S_IMODE((target.home / "dalil.sqlite3").stat().st_mode) == 0o600
