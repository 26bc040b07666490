"""Whole-workspace backup and restore, verified by the custody ledger after restore.

A backup is one zip (``dalil-backup/1``): every table as JSON lines (a consistent snapshot
read in one transaction, backend-neutral, so a SQLite workspace can be restored onto
PostgreSQL and back), the vault's files (encrypted blobs, the kept tree head) and the key
file (still protected by its passphrase), with a manifest of SHA-256 per member. Nothing
is decrypted: a backup is as safe as the workspace itself.

A backup is input like any other: partners pass them around and restore them to check
them, so restore trusts nothing in one, its manifest included (the attacker writes that
too). It refuses an existing workspace and a backup from another schema revision, and
checks the whole archive before writing anything (:func:`check_archive`: names against an
allow-list, sizes and compression ratios from the zip directory, the manifest, every
member streamed with its digest, every table line parsed). It then builds the workspace
in a temporary folder beside the target, loads everything in one transaction (with the
migrations, so PostgreSQL keeps nothing of a refused restore), then checks what can be
checked without the passphrase: every ledger entry re-hashes to its leaf, every stored
node recomputes, the root at every signed tree head equals the head, every head's Ed25519
signature verifies, and every blob the database names is present. Those checks use only
what the backup holds; a checkpoint kept elsewhere (``dalil vault checkpoint --out``, given to
``dalil restore --checkpoint``) is what shows the restored ledger is the one that existed
then: its signing key must be the restored ledger's and its root must be the restored
ledger's root at its size. ``dalil vault verify`` with the passphrase then checks the
blob contents too. The folder is renamed into place only after the commit.
"""

from __future__ import annotations

import base64
import glob
import hashlib
import json
import os
import re
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Generator, Iterator, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import IO, Any

from alembic import command
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, inspect, select, text
from sqlalchemy.exc import (
    DBAPIError,
    InterfaceError,
    InternalError,
    OperationalError,
    SQLAlchemyError,
    StatementError,
)
from sqlalchemy.orm import Session

from dalil.config import Settings
from dalil.errors import InvalidInput, StorageError, WorkspaceExists
from dalil.model.tables import Base
from dalil.vault import failpoints, keys
from dalil.vault.ledger import SignedHead
from dalil.workspace import (
    MARKER,
    Workspace,
    _alembic_config,
    current_revision,
    head_revision,
    make_engine,
    make_private,
)

FORMAT = "dalil-backup/1"
FILE_DIRS = ("vault", "keys")
_HEX64 = "[0-9a-f]{64}"
#: Files of the vault and keys folders a backup carries, and restore writes back, under
#: the workspace home: blobs at their content address, quarantined blobs (found without
#: a database row after a crash), the kept tree head and the key file. Nothing else.
FILE_MEMBER = re.compile(
    rf"vault/blobs/(?P<a>[0-9a-f]{{2}})/(?P<b>[0-9a-f]{{2}})/(?P<sha>{_HEX64})"
    rf"|vault/quarantine/{_HEX64}\.[0-9a-f]{{8}}"
    r"|vault/last_head\.json"
    r"|keys/keyfile\.json"
)
#: Files a backup taken by an earlier dalil may carry while a write was in progress (a
#: blob temp file, a half-written head or key file): checked like the others, not written.
SKIPPED_MEMBER = re.compile(r"vault/tmp/[0-9a-f]{32}\.part|vault/last_head\.tmp|keys/keyfile\.tmp")
#: The kept tree head and the key file are a few hundred bytes.
SMALL_MEMBERS = {"vault/last_head.json": 64 * 1024, "keys/keyfile.json": keys.MAX_KEYFILE_BYTES}
MANIFEST = "manifest.json"
#: Members written as they are read, one piece at a time (bytes).
PIECE = 1024 * 1024
#: Names a restore puts in the workspace home; a place already holding one is refused.
PLACED = (MARKER, "dalil.sqlite3", "dalil.sqlite3-wal", "dalil.sqlite3-shm", *FILE_DIRS)
#: What zipfile and zlib raise on a damaged archive (bad headers, CRC, truncation).
ZIP_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    ValueError,
    struct.error,
    OverflowError,
    NotImplementedError,
)


@dataclass(frozen=True)
class Limits:
    """What restore accepts, all checked from the archive's directory before a member is
    read, then again while reading (a member that inflates beyond its declared size is
    refused at that point). A genuine backup is far inside every bound.

    ``max_ratio`` bounds uncompressed/compressed size for database members over
    ``ratio_floor`` bytes (JSON lines of real workspaces compress 2 to 25 times);
    ``max_file_ratio`` does the same for vault and key files, which are ciphertext and do
    not compress at all. ``max_total_bytes`` bounds the sum of declared sizes; the files
    restore writes must also fit in the free space where the workspace is made.
    """

    max_entries: int = 1_000_000
    max_member_bytes: int = 1 << 40  # 1 TiB
    max_total_bytes: int = 4 << 40  # 4 TiB
    max_manifest_bytes: int = 256 * 1024 * 1024
    max_line_bytes: int = 64 * 1024 * 1024
    max_ratio: float = 200.0
    max_file_ratio: float = 2.0
    ratio_floor: int = 1 << 20


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, datetime):
        return {"$dt": value.astimezone(UTC).isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        if "$b64" in value:
            return base64.b64decode(str(value["$b64"]), validate=True)
        if "$dt" in value:
            return datetime.fromisoformat(str(value["$dt"]))
    return value


def backup(
    ws: Workspace, out: Path, say: Callable[[str], None] = lambda _m: None
) -> dict[str, Any]:
    """Write the workspace to ``out`` (a zip); returns the manifest.

    Of the vault and keys folders only the files restore accepts are written
    (:data:`FILE_MEMBER`): temp files of writes in progress are left out. Files are
    streamed, never read whole into memory.
    """
    members: dict[str, str] = {}
    counts: dict[str, int] = {}
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        with ws.session() as s:
            if s.bind is not None and s.bind.dialect.name == "postgresql":
                s.execute(text("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ"))
            for table in Base.metadata.sorted_tables:
                say(f"table {table.name}")
                lines = []
                for row in s.execute(select(table)).mappings():
                    lines.append(json.dumps({k: _encode(v) for k, v in row.items()},
                                            ensure_ascii=False, sort_keys=True))  # fmt: skip
                data = ("\n".join(lines) + ("\n" if lines else "")).encode("utf-8")
                name = f"database/{table.name}.jsonl"
                zf.writestr(name, data)
                members[name] = hashlib.sha256(data).hexdigest()
                counts[table.name] = len(lines)
            revision = current_revision(s.get_bind().engine)
        for folder in FILE_DIRS:
            root = ws.home / folder
            for path in sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []:
                name = path.relative_to(ws.home).as_posix()
                if not FILE_MEMBER.fullmatch(name):
                    continue
                digest = hashlib.sha256()
                with open(path, "rb") as fh:
                    while piece := fh.read(PIECE):
                        digest.update(piece)
                zf.write(path, name)
                members[name] = digest.hexdigest()
        manifest = {
            "format": FORMAT,
            "schema": revision,
            "created_at": datetime.now(UTC).isoformat(),
            "rows": counts,
            "members": members,
        }
        zf.writestr(MANIFEST, json.dumps(manifest, indent=1, sort_keys=True))
    return manifest


@dataclass
class RestoreReport:
    rows: dict[str, int]
    tree_size: int
    heads_checked: int
    blobs_checked: int
    faults: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.faults


def _table_members() -> dict[str, Any]:
    return {f"database/{t.name}.jsonl": t for t in Base.metadata.sorted_tables}


def _shown(name: str) -> str:
    """A member name as quoted in messages (repr, cut short: names are attacker-made)."""
    return repr(name if len(name) <= 100 else name[:100] + "...")


def _name_fault(name: str, tables: dict[str, Any]) -> str | None:
    """Why ``name`` is not a member of a genuine backup, or None if it may be one."""
    parts = name.split("/")
    if (
        name.startswith("/")
        or "\\" in name
        or ".." in parts
        or "." in parts
        or "" in parts
        or re.match(r"^[A-Za-z]:", name)
        or "\x00" in name
    ):
        return (
            f"member {_shown(name)} points outside the workspace (an absolute path, '..', "
            "a backslash or a drive): refused"
        )
    if name == MANIFEST or name in tables or SKIPPED_MEMBER.fullmatch(name):
        return None
    found = FILE_MEMBER.fullmatch(name)
    if found and (found["sha"] is None or found["sha"][:4] == found["a"] + found["b"]):
        return None
    return (
        f"member {_shown(name)} is not part of a dalil backup (only manifest.json, "
        "database/<table>.jsonl, vault/blobs/xx/yy/<sha256>, vault/quarantine/..., "
        "vault/last_head.json and keys/keyfile.json): refused"
    )


def _check_directory(
    zf: zipfile.ZipFile, where: str, limits: Limits, free_bytes: int
) -> dict[str, zipfile.ZipInfo]:
    """Names, kinds, declared sizes and ratios of every entry, from the zip directory
    alone (nothing is decompressed yet)."""
    infos = zf.infolist()
    if len(infos) > limits.max_entries:
        raise InvalidInput(
            f"the archive has {len(infos)} entries; more than {limits.max_entries} is refused",
            path=where,
        )
    if not any(info.filename == MANIFEST for info in infos):
        raise InvalidInput("not a dalil backup (no manifest.json)", path=where)
    tables = _table_members()
    names: dict[str, zipfile.ZipInfo] = {}
    total = written = 0
    for info in infos:
        name = info.filename
        fault = _name_fault(name, tables)
        if fault:
            raise InvalidInput(fault, path=where)
        if name in names:
            raise InvalidInput(f"member {_shown(name)} appears twice in the archive", path=where)
        names[name] = info
        kind = stat.S_IFMT(info.external_attr >> 16)  # 0: not given (zipfile's writestr)
        if kind not in (0, stat.S_IFREG) or info.is_dir():
            raise InvalidInput(
                f"member {_shown(name)} is not a plain file (a link, folder or device): refused",
                path=where,
            )
        if info.flag_bits & 0x1 or info.compress_type not in (
            zipfile.ZIP_STORED,
            zipfile.ZIP_DEFLATED,
        ):
            raise InvalidInput(
                f"member {_shown(name)} is encrypted or compressed in a way dalil does not "
                "write: refused",
                path=where,
            )
        cap = SMALL_MEMBERS.get(name, limits.max_manifest_bytes if name == MANIFEST else 0)
        cap = cap or limits.max_member_bytes
        if info.file_size > cap:
            raise InvalidInput(
                f"member {_shown(name)} declares {info.file_size} bytes; more than {cap} "
                "is refused",
                path=where,
            )
        ratio = limits.max_ratio if name in tables or name == MANIFEST else limits.max_file_ratio
        if info.file_size > limits.ratio_floor and (
            info.compress_size == 0 or info.file_size / info.compress_size > ratio
        ):
            raise InvalidInput(
                f"member {_shown(name)} inflates {info.file_size} bytes from "
                f"{info.compress_size}: a ratio above {ratio:g} is refused as a zip bomb",
                path=where,
            )
        total += info.file_size
        if name.split("/", 1)[0] in FILE_DIRS:
            written += info.file_size
    if total > limits.max_total_bytes:
        raise InvalidInput(
            f"the archive declares {total} bytes in all; more than {limits.max_total_bytes} "
            "is refused",
            path=where,
        )
    if written > free_bytes:
        raise InvalidInput(
            f"the archive's vault and key files need {written} bytes; the disk where the "
            f"workspace goes has {free_bytes} free",
            path=where,
        )
    return names


def _pieces(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> Generator[bytes, None, None]:
    """The member's bytes, a piece at a time, never more than its declared size; zip
    damage (bad CRC, truncated or invalid deflate data) becomes :class:`InvalidInput`."""
    seen = 0
    try:
        with zf.open(info) as fh:
            while piece := fh.read(PIECE):
                seen += len(piece)
                if seen > info.file_size:
                    raise InvalidInput(
                        "the member inflates beyond its declared size: refused", path=where
                    )
                yield piece
    except ZIP_ERRORS as err:
        raise InvalidInput(
            f"the member cannot be read ({err.__class__.__name__}): the archive is damaged",
            path=where,
        ) from None
    if seen != info.file_size:
        raise InvalidInput("the member is shorter than declared: damaged", path=where)


def _lines(
    pieces: Generator[bytes, None, None], max_line: int, where: str
) -> Iterator[tuple[int, bytes]]:
    """Numbered (from 1) non-empty lines of a stream, none longer than ``max_line``. The
    stream is closed on the way out, refused or not, so its zip member is released."""
    rest = b""
    number = 0
    with closing(pieces):
        for piece in pieces:
            *whole, tail = piece.split(b"\n")
            if whole:
                whole[0] = rest + whole[0]
                rest = b""
            for line in whole:
                number += 1
                if len(line) > max_line:
                    raise InvalidInput(f"line {number} is longer than {max_line} bytes", path=where)
                if line:
                    yield number, line
            rest += tail
            if len(rest) > max_line:
                raise InvalidInput(f"line {number + 1} is longer than {max_line} bytes", path=where)
    if rest:
        yield number + 1, rest


def _rows(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, table: Any, digest: str, limits: Limits,
    where: str,
) -> Generator[dict[str, Any], None, None]:  # fmt: skip
    """The table member's rows, decoded and checked (every line a JSON object with exactly
    the table's columns); its SHA-256 is checked against the manifest at the end."""
    columns = {c.name for c in table.columns}
    sha = hashlib.sha256()

    def hashed() -> Generator[bytes, None, None]:
        for piece in _pieces(zf, info, where):
            sha.update(piece)
            yield piece

    for number, line in _lines(hashed(), limits.max_line_bytes, where):
        try:
            raw = json.loads(line.decode("utf-8"))
            if not isinstance(raw, dict):
                raise ValueError("not an object")
            row = {k: _decode(v) for k, v in raw.items()}
        except (ValueError, TypeError, RecursionError) as err:
            raise InvalidInput(
                f"line {number} is not a row ({err.__class__.__name__})", path=where
            ) from None
        if set(row) != columns:
            raise InvalidInput(
                f"line {number} does not have the columns of table {table.name}", path=where
            )
        yield row
    if sha.hexdigest() != digest:
        raise InvalidInput("a member of the backup is damaged (SHA-256 differs)", path=where)


def _file_bytes(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, digest: str, where: str, out: IO[bytes] | None
) -> bytes:
    """Stream a vault or key file into ``out`` (or nowhere), checking its SHA-256; the
    small members (kept head, key file) are also returned whole for their own checks."""
    sha = hashlib.sha256()
    small = info.filename in SMALL_MEMBERS
    kept = bytearray()
    with closing(_pieces(zf, info, where)) as pieces:
        for piece in pieces:
            sha.update(piece)
            if out is not None:
                out.write(piece)
            if small:
                kept += piece
    if sha.hexdigest() != digest:
        raise InvalidInput("a member of the backup is damaged (SHA-256 differs)", path=where)
    return bytes(kept)


def _read_manifest(
    zf: zipfile.ZipFile, names: dict[str, zipfile.ZipInfo], where: str
) -> dict[str, Any]:
    """The manifest, checked: format, schema, a digest for every member and no other, every
    table and its row count."""
    mwhere = f"{where}:{MANIFEST}"
    if MANIFEST not in names:
        raise InvalidInput("not a dalil backup (no manifest.json)", path=where)
    raw = b"".join(_pieces(zf, names[MANIFEST], mwhere))
    try:
        manifest = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError) as err:
        raise InvalidInput(f"not JSON ({err.__class__.__name__})", path=mwhere) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise InvalidInput("unknown backup format", path=mwhere)
    if manifest.get("schema") != head_revision():
        raise InvalidInput(
            f"backup is from schema {str(manifest.get('schema'))[:40]}, this dalil writes "
            f"{head_revision()}: restore with the matching dalil version",
            path=mwhere,
        )
    members, rows = manifest.get("members"), manifest.get("rows")
    if not isinstance(members, dict) or not all(
        isinstance(d, str) and re.fullmatch(_HEX64, d) for d in members.values()
    ):
        raise InvalidInput("'members' must map each member to its SHA-256", path=mwhere)
    tables = _table_members()
    if (
        not isinstance(rows, dict)
        or set(rows) != {t.name for t in tables.values()}
        or not all(isinstance(n, int) and not isinstance(n, bool) and n >= 0 for n in rows.values())
    ):
        raise InvalidInput("'rows' must give the row count of every table", path=mwhere)
    for name in members:
        if name not in names:
            raise InvalidInput(
                f"member {_shown(name)} is listed in the manifest but missing from the archive",
                path=where,
            )
    for name in names:
        if name != MANIFEST and name not in members:
            raise InvalidInput(
                f"member {_shown(name)} is in the archive but not listed in the manifest",
                path=where,
            )
    for name in tables:
        if name not in members:
            raise InvalidInput(f"member {_shown(name)} (a table) is missing", path=where)
    return manifest


def check_archive(
    zf: zipfile.ZipFile, where: str, limits: Limits = Limits(), free_bytes: int = 1 << 62
) -> dict[str, Any]:
    """Everything restore checks before writing: the directory (names, kinds, sizes,
    ratios), the manifest, and every member read once (digest; tables parsed row by row
    and counted; the key file's fields and KDF bounds). Returns the manifest."""
    names = _check_directory(zf, where, limits, free_bytes)
    manifest = _read_manifest(zf, names, where)
    tables = _table_members()
    for name, digest in manifest["members"].items():
        mwhere = f"{where}:{name}"
        if name in tables:
            count = sum(1 for _ in _rows(zf, names[name], tables[name], digest, limits, mwhere))
            expected = manifest["rows"][tables[name].name]
            if count != expected:
                raise InvalidInput(f"holds {count} rows, the manifest says {expected}", path=mwhere)
        else:
            data = _file_bytes(zf, names[name], digest, mwhere, None)
            _check_small(name, data, mwhere)
    return manifest


def _check_small(name: str, data: bytes, where: str) -> None:
    if name == "keys/keyfile.json":
        try:
            keys.parse_keyfile(data, "keys/keyfile.json")
        except keys.KeyFileError as err:
            raise InvalidInput(err.message, path=where) from None
    elif name == "vault/last_head.json":
        try:
            SignedHead.from_dict(json.loads(data.decode("utf-8")))
        except (ValueError, KeyError, TypeError, RecursionError) as err:
            raise InvalidInput(
                f"not a signed tree head ({err.__class__.__name__})", path=where
            ) from None


def _free_bytes(home: Path) -> int:
    place = home.absolute()
    while not place.exists() and place != place.parent:
        place = place.parent
    return shutil.disk_usage(place).free


def _refuse_occupied(home: Path) -> None:
    taken = [n for n in PLACED if (home / n).exists()] if home.is_dir() else []
    if home.exists() and not home.is_dir():
        taken = [home.name]
    if taken:
        raise WorkspaceExists(
            f"restore needs an empty place: {', '.join(taken)} "
            f"{'is' if len(taken) == 1 else 'are'} there",
            path=str(home),
        )


def restore(
    archive: Path,
    settings: Settings,
    say: Callable[[str], None] = lambda _m: None,
    checkpoints: Sequence[SignedHead] = (),
    limits: Limits = Limits(),
) -> RestoreReport:
    """Restore ``archive`` into a new workspace at ``settings.home`` and verify it (against
    ``checkpoints`` kept outside the backup too, see :func:`verify_restored`).

    All or nothing. The whole archive is checked first (:func:`check_archive`), writing
    nothing; then the workspace is built in a temporary folder beside ``settings.home``
    (same file system) and renamed into place only once the database transaction has
    committed. A damaged or hostile archive gives :class:`InvalidInput` and leaves no
    folder, no SQLite file and, on PostgreSQL, no table or row (migrations and rows are one
    transaction). A PostgreSQL database that already holds a dalil schema is refused.
    """
    where = archive.name
    home = settings.home
    _refuse_occupied(home)
    try:
        zf = zipfile.ZipFile(archive)
    except ZIP_ERRORS as err:
        raise InvalidInput(
            f"not a readable zip archive ({err.__class__.__name__})", path=where
        ) from None
    with zf:
        manifest = check_archive(zf, where, limits, _free_bytes(home))
        home.absolute().parent.mkdir(parents=True, exist_ok=True)
        if _finish_abandoned(home):
            raise WorkspaceExists(
                "an earlier restore into this place had committed when it was stopped; it "
                "is now in place (check it with `dalil vault verify`)",
                path=str(home),
            )
        temp = Path(
            tempfile.mkdtemp(
                prefix=f".{home.name}.restoring-{os.getpid()}-", dir=home.absolute().parent
            )
        )
        try:
            staged = settings.model_copy(update={"home": temp})
            report = _load(zf, where, manifest, staged, say, checkpoints, limits)
            (temp / MARKER).write_text(
                "# dalil workspace marker; settings go in dalil.toml\nformat = 1\n",
                encoding="utf-8",
            )
            _refuse_occupied(home)
            failpoints.hit("restore_before_rename")
            _place(temp, home)
        except BaseException:
            shutil.rmtree(temp, ignore_errors=True)
            raise
    return report


def _finish_abandoned(home: Path) -> bool:
    """Deal with the temporary folders of earlier restores into ``home`` whose process is
    gone (their names carry the pid); True if one of them was put in place.

    A folder holding the workspace marker was stopped after its database had committed
    and before the rename: on PostgreSQL its rows are already in the database, so the
    folder is the only way to open them, and it is renamed into place. Any other folder
    never became a workspace and is removed."""
    prefix = f".{home.name}.restoring-"
    for left in sorted(home.absolute().parent.glob(f"{glob.escape(prefix)}*")):
        pid = left.name[len(prefix) :].split("-", 1)[0]
        if not pid.isdigit() or int(pid) == os.getpid():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            if (left / MARKER).is_file():
                _place(left, home)
                return True
            shutil.rmtree(left, ignore_errors=True)
        except OSError:
            pass  # alive (another user's process): leave it
    return False


def _place(temp: Path, home: Path) -> None:
    """Move the finished workspace from ``temp`` to ``home``: one rename when ``home`` is
    absent or an empty folder; otherwise entry by entry with the marker last, so a crash
    midway leaves no workspace that opens."""
    if not home.exists() or (home.is_dir() and not any(home.iterdir())):
        if home.exists():
            home.rmdir()
        os.rename(temp, home)
    else:
        for entry in sorted(temp.iterdir(), key=lambda p: p.name == MARKER):
            os.rename(entry, home / entry.name)
        temp.rmdir()
    fd = os.open(home.absolute().parent, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _load(
    zf: zipfile.ZipFile,
    where: str,
    manifest: dict[str, Any],
    staged: Settings,
    say: Callable[[str], None],
    checkpoints: Sequence[SignedHead],
    limits: Limits,
) -> RestoreReport:
    """Migrate, load every table and write the files in one database transaction, verify
    in it, and commit only if nothing was refused."""
    make_private(staged)
    engine = make_engine(staged)
    tables = _table_members()
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names()) & {
                *Base.metadata.tables,
                "alembic_version",
            }
            if present or MigrationContext.configure(conn).get_current_revision() is not None:
                raise WorkspaceExists(
                    "restore needs an empty database: the one at DALIL_DATABASE_URL "
                    f"already holds dalil tables ({', '.join(sorted(present)[:3])}, ...)"
                )
            conn.rollback()
            with conn.begin():
                cfg = _alembic_config()
                cfg.attributes["connection"] = conn
                command.upgrade(cfg, "head")
                with Session(bind=conn) as s:
                    _clear_seeded(s)
                    for name, table in tables.items():
                        say(f"table {table.name}")
                        digest = manifest["members"][name]
                        _load_table(s, zf, name, table, digest, limits, f"{where}:{name}")
                        failpoints.hit("restore_table_loaded")
                    _reset_sequences(s)
                    s.flush()
                    _write_files(zf, where, manifest, staged.home)
                    report = _verified(s, where, staged.home, manifest["rows"], checkpoints)
    except SQLAlchemyError as err:  # rows it refuses are InvalidInput, raised in _insert
        raise StorageError(
            f"the database failed during restore ({err.__class__.__name__}); nothing was kept"
        ) from err
    finally:
        engine.dispose()
    return report


def _load_table(
    s: Session, zf: zipfile.ZipFile, name: str, table: Any, digest: str, limits: Limits,
    where: str,
) -> None:  # fmt: skip
    """Insert one table member's rows in batches of 5,000 (memory stays bounded)."""
    batch: list[dict[str, Any]] = []
    with closing(_rows(zf, zf.getinfo(name), table, digest, limits, where)) as rows:
        for row in rows:
            batch.append(row)
            if len(batch) == 5000:
                _insert(s, table, batch, where)
                batch = []
    if batch:
        _insert(s, table, batch, where)


def _insert(s: Session, table: Any, batch: list[dict[str, Any]], where: str) -> None:
    try:
        s.execute(insert(table), batch)
    except (OperationalError, InterfaceError, InternalError):
        raise
    except (DBAPIError, StatementError, OverflowError, ValueError, TypeError) as err:
        # A value the driver cannot even bind (an integer beyond 64 bits, a list where
        # text belongs) is as much a damaged backup as one the database refuses.
        raise InvalidInput(
            f"rows the database refuses ({err.__class__.__name__}): the backup is damaged",
            path=where,
        ) from None


def _write_files(zf: zipfile.ZipFile, where: str, manifest: dict[str, Any], home: Path) -> None:
    """The vault and key files, streamed into ``home`` (owner-only) with their digests
    checked again as they are written."""
    for name, digest in manifest["members"].items():
        if not FILE_MEMBER.fullmatch(name):
            continue
        target = home.joinpath(*name.split("/"))
        target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            _file_bytes(zf, zf.getinfo(name), digest, f"{where}:{name}", out)
            out.flush()
            os.fsync(out.fileno())
        failpoints.hit("restore_member_written")


def _clear_seeded(s: Session) -> None:
    """A new workspace seeds vocabularies and the gazetteer; the backup brings its own."""
    for table in reversed(Base.metadata.sorted_tables):
        s.execute(table.delete())


def _reset_sequences(s: Session) -> None:
    """PostgreSQL keeps serial counters apart from the rows: move them past restored ids."""
    bind = s.get_bind()
    if bind.dialect.name != "postgresql":
        return
    for table in Base.metadata.sorted_tables:
        single = len(table.primary_key.columns) == 1
        for col in table.primary_key.columns:
            automatic = col.autoincrement is True or col.autoincrement == "auto"
            if automatic and single and col.type.python_type is int:
                seq = s.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"),
                               {"t": table.name, "c": col.name})  # fmt: skip
                if seq:
                    s.execute(text(f"SELECT setval('{seq}', COALESCE((SELECT MAX({col.name}) "
                                   f"FROM {table.name}), 0) + 1, false)"))  # fmt: skip


def verify_restored(
    ws: Workspace, expected_rows: dict[str, int], checkpoints: Sequence[SignedHead] = ()
) -> RestoreReport:
    """Checks needing no passphrase (see the module docstring); ``checkpoints`` are
    signed tree heads kept outside the backup (``dalil vault checkpoint --out``), which
    the restored ledger must extend: a backup rewritten wholesale, even with its own
    heads re-signed, fails them."""
    with ws.session() as s:
        return _verify(s, ws.home, expected_rows, checkpoints)


def _verified(
    s: Session, where: str, home: Path, expected_rows: dict[str, int],
    checkpoints: Sequence[SignedHead],
) -> RestoreReport:  # fmt: skip
    """:func:`_verify` inside the restore's transaction; ledger rows the checks cannot
    even read (wrong types, a state row missing) are a damaged backup, not a crash."""
    try:
        return _verify(s, home, expected_rows, checkpoints)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, OverflowError) as err:
        raise InvalidInput(
            f"the restored custody ledger cannot be read ({err.__class__.__name__}): "
            "the backup is damaged",
            path=where,
        ) from None


def _verify(
    s: Session, home: Path, expected_rows: dict[str, int], checkpoints: Sequence[SignedHead]
) -> RestoreReport:
    from dalil.vault import ledger
    from dalil.vault.blobs import BlobStore
    from dalil.vault.service import check_heads, verify_ledger
    from dalil.vault.tables import VaultBlob

    faults: list[str] = []
    rows = {t.name: s.scalar(select(text("count(*)")).select_from(t)) or 0
            for t in Base.metadata.sorted_tables}  # fmt: skip
    for name, count in expected_rows.items():
        if rows.get(name) != count:
            faults.append(f"table {name}: {rows.get(name)} rows, the backup has {count}")
    heads = list(ledger.all_heads(s))
    size = ledger.size(s) if rows.get("vault_state") else 0
    outside = list(checkpoints)
    ledger_faults, roots = verify_ledger(s, size, {h.tree_size for h in heads + outside})
    faults += ledger_faults
    if rows.get("vault_state"):
        key = ledger.state(s).public_key
        faults += check_heads(heads, outside, key, size, roots)
    elif outside:
        faults.append("the backup has no custody ledger to check the checkpoints against")
    blobs = list(s.scalars(select(VaultBlob)))
    store = BlobStore(home / "vault")
    for blob in blobs:
        if not store.path(blob.sha256).exists():
            faults.append(f"blob {blob.sha256[:16]}: missing")
    return RestoreReport(rows, size, len(heads) + len(outside), len(blobs), faults)
