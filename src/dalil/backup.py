"""Whole-workspace backup and restore, verified by the custody ledger after restore.

A backup is one zip (``dalil-backup/1``): every table as JSON lines (a consistent snapshot
read in one transaction, backend-neutral, so a SQLite workspace can be restored onto
PostgreSQL and back), the vault's files (encrypted blobs, the kept tree head) and the key
file (still protected by its passphrase), with a manifest of SHA-256 per member. Nothing
is decrypted: a backup is as safe as the workspace itself.

Restore refuses an existing workspace and a backup from another schema revision, loads
everything in one transaction, then checks what can be checked without the passphrase:
every ledger entry re-hashes to its leaf, every stored node recomputes, the root at every
signed tree head equals the head, every head's Ed25519 signature verifies, and every blob
the database names is present with its size. Those checks use only what the backup
holds; a checkpoint kept elsewhere (``dalil vault checkpoint --out``, given to
``dalil restore --checkpoint``) is what shows the restored ledger is the one that existed
then: its signing key must be the restored ledger's and its root must be the restored
ledger's root at its size. ``dalil vault verify`` with the passphrase then checks the
blob contents too.
"""

from __future__ import annotations

import base64
import hashlib
import json
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from dalil.config import Settings
from dalil.errors import InvalidInput, WorkspaceExists
from dalil.model.tables import Base
from dalil.vault.ledger import SignedHead
from dalil.workspace import Workspace, current_revision, head_revision

FORMAT = "dalil-backup/1"
FILE_DIRS = ("vault", "keys")


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"$b64": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, datetime):
        return {"$dt": value.astimezone(UTC).isoformat()}
    return value


def _decode(value: Any) -> Any:
    if isinstance(value, dict) and len(value) == 1:
        if "$b64" in value:
            return base64.b64decode(value["$b64"])
        if "$dt" in value:
            return datetime.fromisoformat(value["$dt"])
    return value


def backup(
    ws: Workspace, out: Path, say: Callable[[str], None] = lambda _m: None
) -> dict[str, Any]:
    """Write the workspace to ``out`` (a zip); returns the manifest."""
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
                data = path.read_bytes()
                zf.writestr(name, data)
                members[name] = hashlib.sha256(data).hexdigest()
        manifest = {
            "format": FORMAT,
            "schema": revision,
            "created_at": datetime.now(UTC).isoformat(),
            "rows": counts,
            "members": members,
        }
        zf.writestr("manifest.json", json.dumps(manifest, indent=1, sort_keys=True))
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


def restore(
    archive: Path,
    settings: Settings,
    say: Callable[[str], None] = lambda _m: None,
    checkpoints: Sequence[SignedHead] = (),
) -> RestoreReport:
    """Restore ``archive`` into a new workspace at ``settings.home`` and verify it (against
    ``checkpoints`` kept outside the backup too, see :func:`verify_restored`)."""
    with zipfile.ZipFile(archive) as zf:
        try:
            manifest = json.loads(zf.read("manifest.json"))
        except KeyError:
            raise InvalidInput("not a dalil backup (no manifest.json)", path=archive.name) from None
        if manifest.get("format") != FORMAT:
            raise InvalidInput("unknown backup format", path=f"{archive.name}:manifest.json")
        if manifest.get("schema") != head_revision():
            raise InvalidInput(
                f"backup is from schema {manifest.get('schema')}, this dalil writes "
                f"{head_revision()}: restore with the matching dalil version",
                path=f"{archive.name}:manifest.json",
            )
        for name, digest in manifest["members"].items():
            if hashlib.sha256(zf.read(name)).hexdigest() != digest:
                raise InvalidInput(
                    "a member of the backup is damaged", path=f"{archive.name}:{name}"
                )
        if (settings.home / "workspace.toml").exists():
            raise WorkspaceExists("restore needs an empty place: a workspace exists there",
                                  path=str(settings.home))  # fmt: skip
        ws = Workspace.create(settings)
        try:
            with ws.session() as s:
                _clear_seeded(s)
                for table in Base.metadata.sorted_tables:
                    say(f"table {table.name}")
                    raw = zf.read(f"database/{table.name}.jsonl").decode("utf-8")
                    rows = [{k: _decode(v) for k, v in json.loads(line).items()}
                            for line in raw.splitlines() if line]  # fmt: skip
                    for start in range(0, len(rows), 5000):
                        s.execute(insert(table), rows[start : start + 5000])
                _reset_sequences(s)
            for name in manifest["members"]:
                if name.split("/", 1)[0] in FILE_DIRS:
                    target = ws.home / name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    target.write_bytes(zf.read(name))
            report = verify_restored(ws, manifest["rows"], checkpoints)
        finally:
            ws.close()
    return report


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
    from dalil.vault import ledger
    from dalil.vault.blobs import BlobStore
    from dalil.vault.service import check_heads, verify_ledger
    from dalil.vault.tables import VaultBlob

    faults: list[str] = []
    with ws.session() as s:
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
        store = BlobStore(ws.home / "vault")
        for blob in blobs:
            if not store.path(blob.sha256).exists():
                faults.append(f"blob {blob.sha256[:16]}: missing")
    return RestoreReport(rows, size, len(heads) + len(outside), len(blobs), faults)
