"""The backup archive (``dalil-backup/1``): what it holds, and writing one.

A backup is one zip: every table as JSON lines (a consistent snapshot read in one
transaction, backend-neutral, so a SQLite workspace can be restored onto PostgreSQL and
back), the vault's files (encrypted blobs, the kept tree head) and the key file (still
protected by its passphrase), with a manifest of SHA-256 per member. Nothing is
decrypted: a backup is as safe as the workspace itself.

This module says which members an archive may hold (:data:`FILE_MEMBER`, the table
members of :func:`table_members`, :data:`MANIFEST`) and how a row's values are written
as JSON (:func:`encode_value`, :func:`decode_value`); reading one back is
:mod:`dalil.backup.validation`, restoring it :mod:`dalil.backup.restoration`.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

from dalil.model.registry import load_tables
from dalil.vault import keys
from dalil.workspace import Workspace, current_revision

FORMAT = "dalil-backup/1"
#: The folders of the workspace home whose files a backup carries.
FILE_DIRS = ("vault", "keys")
#: A SHA-256 digest as the manifest and the blob store write it (lowercase hex).
HEX64 = "[0-9a-f]{64}"
#: Files of the vault and keys folders a backup carries, and restore writes back, under
#: the workspace home: blobs at their content address, quarantined blobs (found without
#: a database row after a crash), the kept tree head and the key file. Nothing else.
FILE_MEMBER = re.compile(
    rf"vault/blobs/(?P<a>[0-9a-f]{{2}})/(?P<b>[0-9a-f]{{2}})/(?P<sha>{HEX64})"
    rf"|vault/quarantine/{HEX64}\.[0-9a-f]{{8}}"
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


def encode_value(value: Any) -> Any:
    """A column value as JSON: bytes as ``{"$b64": ...}``, datetimes as ``{"$dt": ...}``
    in UTC ISO 8601; anything else is already JSON (text, numbers, JSON columns)."""
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, datetime):
        return {"$dt": value.astimezone(UTC).isoformat()}
    return value


def decode_value(value: Any) -> Any:
    """The inverse of :func:`encode_value` (a malformed ``$b64`` raises ``ValueError``)."""
    if isinstance(value, dict) and len(value) == 1:
        if "$b64" in value:
            return base64.b64decode(str(value["$b64"]), validate=True)
        if "$dt" in value:
            return datetime.fromisoformat(str(value["$dt"]))
    return value


def table_members() -> dict[str, Any]:
    """``database/<table>.jsonl`` -> its table, for every table of a workspace."""
    return {f"database/{t.name}.jsonl": t for t in load_tables().sorted_tables}


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
            for table in load_tables().sorted_tables:
                say(f"table {table.name}")
                lines = []
                for row in s.execute(select(table)).mappings():
                    lines.append(json.dumps({k: encode_value(v) for k, v in row.items()},
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
