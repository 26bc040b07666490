"""Reading a backup archive and checking it whole before a restore writes anything.

A backup is input like any other: partners pass them around and restore them to check
them, so restore trusts nothing in one, its manifest included (the attacker writes that
too). :func:`check_archive` checks the whole archive first: names against an allow-list,
kinds, sizes and compression ratios from the zip directory alone (:class:`Limits`), then
the manifest (format, schema revision, a digest for every member and no other), then
every member streamed with its digest, every table line parsed against its table's
columns and counted, and the key file and kept head parsed. Restore reads the members a
second time through the same readers (:func:`table_rows`, :func:`file_bytes`), which
check the digests again as the bytes go into the new workspace.
"""

from __future__ import annotations

import hashlib
import json
import re
import stat
import struct
import zipfile
import zlib
from collections.abc import Generator, Iterator
from contextlib import closing
from dataclasses import dataclass
from typing import IO, Any

from dalil.backup.archive import (
    FILE_DIRS,
    FILE_MEMBER,
    FORMAT,
    HEX64,
    MANIFEST,
    PIECE,
    SKIPPED_MEMBER,
    SMALL_MEMBERS,
    decode_value,
    table_members,
)
from dalil.errors import InvalidInput
from dalil.vault import keys
from dalil.vault.ledger import SignedHead
from dalil.workspace import head_revision

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


#: The limits restore applies unless told otherwise.
DEFAULT_LIMITS = Limits()


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
    tables = table_members()
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


def table_rows(
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
            row = {k: decode_value(v) for k, v in raw.items()}
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


def file_bytes(
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
        isinstance(d, str) and re.fullmatch(HEX64, d) for d in members.values()
    ):
        raise InvalidInput("'members' must map each member to its SHA-256", path=mwhere)
    tables = table_members()
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
    zf: zipfile.ZipFile, where: str, limits: Limits = DEFAULT_LIMITS, free_bytes: int = 1 << 62
) -> dict[str, Any]:
    """Everything restore checks before writing: the directory (names, kinds, sizes,
    ratios), the manifest, and every member read once (digest; tables parsed row by row
    and counted; the key file's fields and KDF bounds). Returns the manifest."""
    names = _check_directory(zf, where, limits, free_bytes)
    manifest = _read_manifest(zf, names, where)
    tables = table_members()
    for name, digest in manifest["members"].items():
        mwhere = f"{where}:{name}"
        if name in tables:
            count = sum(
                1 for _ in table_rows(zf, names[name], tables[name], digest, limits, mwhere)
            )
            expected = manifest["rows"][tables[name].name]
            if count != expected:
                raise InvalidInput(f"holds {count} rows, the manifest says {expected}", path=mwhere)
        else:
            data = file_bytes(zf, names[name], digest, mwhere, None)
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
