"""API v1 for evidence: items, sealed metadata, custody log, inclusion proofs, downloads,
uploads and offline-verifiable bundles.

Reads of an item's metadata or bytes are custody events (``view``, ``download``,
``export``) appended by the vault itself; listing items and reading the custody log need
only the ``read`` permission, uploading needs ``write``. Uploaded file names are reduced
to a plain base name (no directories, no control characters) before they are sealed into
the item's metadata; an upload larger than ``max_import_bytes`` is refused while it
streams in, and nothing is stored.
"""

from __future__ import annotations

import shutil
import unicodedata
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel
from sqlalchemy import select
from starlette.background import BackgroundTask

from dalil.access import audit
from dalil.errors import InvalidInput, NotFound, UserError
from dalil.model.tables import Record
from dalil.vault import ledger
from dalil.vault.service import Vault
from dalil.vault.tables import VaultItem
from dalil.web import auth
from dalil.web.deps import MAX_INDEX, Access, CaseRead, CaseWrite, SessionDep, VaultDep

router = APIRouter(prefix="/api/v1/cases/{case_id}", tags=["evidence"])


class TooLarge(UserError):
    code = "input.too_large"


class ItemOut(BaseModel):
    id: str
    sha256: str
    size: int
    media_type: str
    ledger_index: int
    derived_from: str | None
    derivation: str | None
    created_at: str
    created_by: str


class ProofOut(BaseModel):
    """An RFC 9162 inclusion proof of the item's ingest entry in the latest signed head."""

    leaf_index: int
    entry: dict[str, Any]
    tree_head: dict[str, Any]
    inclusion_proof: list[str]


def _item_out(it: VaultItem) -> ItemOut:
    return ItemOut(
        id=it.id, sha256=it.sha256, size=it.size, media_type=it.media_type,
        ledger_index=it.ingest_index, derived_from=it.derived_from_id, derivation=it.derivation,
        created_at=it.created_at.isoformat(), created_by=it.created_by,
    )  # fmt: skip


@contextmanager
def _scratch(vault: Vault) -> Iterator[Path]:
    """A private directory beside the vault's temp files, removed afterwards."""
    path = vault.store.tmp / f"web-{uuid.uuid4().hex}"
    path.mkdir(mode=0o700)
    try:
        yield path
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise


def _remove(path: Path) -> BackgroundTask:
    return BackgroundTask(shutil.rmtree, path, ignore_errors=True)


def safe_name(name: str | None) -> str:
    """A plain base name for an uploaded file: no directories (either slash), no control
    or bidi-override characters, at most 200 characters; refused if nothing is left."""
    base = PurePosixPath((name or "").replace("\\", "/")).name
    base = "".join(c for c in base if unicodedata.category(c) not in ("Cc", "Cf"))
    base = base.strip().lstrip(".")
    if not base:
        raise InvalidInput("the file needs a name", path="file")
    return base[:200]


@router.get("/evidence")
def list_items(
    case_id: str,
    s: SessionDep,
    access: CaseRead,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    offset: Annotated[int, Query(ge=0, le=MAX_INDEX)] = 0,
) -> list[ItemOut]:
    rows = s.scalars(
        select(VaultItem)
        .where(VaultItem.case_id == case_id)
        .order_by(VaultItem.ingest_index)
        .limit(limit)
        .offset(offset)
    )
    return [_item_out(it) for it in rows]


@dataclass(frozen=True)
class Upload:
    """One file sent for the vault (multipart field ``file``) with what the sender says of
    it, once the form's CSRF token has been checked: the API and the evidence page take
    the same form (:data:`UploadForm`)."""

    file: UploadFile
    source: str | None
    notes: str | None
    #: a record of the case the new item supports (attached once the item is durable)
    record_id: str | None = None


def _upload_form(
    request: Request,
    access: CaseWrite,
    file: Annotated[UploadFile, File()],
    source: Annotated[str | None, Form(max_length=2000)] = None,
    notes: Annotated[str | None, Form(max_length=10_000)] = None,
    record_id: Annotated[str | None, Form(max_length=80)] = None,
    csrf: Annotated[str, Form(max_length=200)] = "",
) -> Upload:
    auth.check_csrf(request, access.who, csrf)
    return Upload(file, source or None, notes or None, record_id or None)


#: the upload form of a route that ingests evidence, its CSRF token checked
UploadForm = Annotated[Upload, Depends(_upload_form)]


@router.post("/evidence", status_code=201)
def upload(
    case_id: str, request: Request, access: CaseWrite, vault: VaultDep, form: UploadForm
) -> ItemOut:
    """Ingest one file (multipart form field ``file``); answers once it is durable."""
    return _item_out(ingest(request, access, vault, form))


@contextmanager
def received(request: Request, vault: Vault, file: UploadFile) -> Iterator[Path]:
    """The upload streamed to a private scratch file (refused past the size limit), under
    its plain base name; the scratch copy is removed afterwards, whatever happens."""
    limit: int = request.app.state.max_upload
    with _scratch(vault) as tmp:
        target = tmp / safe_name(file.filename)
        try:
            size = 0
            with open(target, "wb") as out:
                while chunk := file.file.read(1 << 20):
                    size += len(chunk)
                    if size > limit:
                        raise TooLarge(
                            f"the file is larger than the limit of {limit} bytes", path="file"
                        )
                    out.write(chunk)
            yield target
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def ingest(request: Request, access: Access, vault: Vault, form: Upload) -> VaultItem:
    """Seal an upload into the vault and return the new item, attached to ``record_id``
    when one was chosen. A record that is not the case's is refused before anything is
    stored."""
    case_id = access.case.id
    if form.record_id is not None:
        with request.app.state.workspace.session() as s:
            found = s.get(Record, form.record_id)
            if found is None or found.case_id != case_id:
                raise NotFound(f"no record {form.record_id} in this case", path="record_id")
    with received(request, vault, form.file) as target:
        done = vault.add(case_id, target, access.actor, source=form.source, notes=form.notes)
    if form.record_id is not None:
        vault.attach(case_id, done.item_id, form.record_id, access.actor)
    with request.app.state.workspace.session() as s:
        item = Vault.item(s, case_id, done.item_id)
        s.expunge(item)  # still readable after the session ends
        return item


@router.get("/evidence/{item}")
def describe(case_id: str, item: str, access: CaseRead, vault: VaultDep) -> dict[str, Any]:
    """The item with its sealed metadata (original name, source, notes); a ``view`` event."""
    return vault.describe(case_id, item, access.actor)


@router.get("/evidence/{item}/custody")
def custody(case_id: str, item: str, s: SessionDep, access: CaseRead) -> list[dict[str, Any]]:
    """Every custody event of the item, oldest first."""
    it = Vault.item(s, case_id, item)
    query = audit.Query(case=case_id, items=frozenset({it.sha256}), limit=None)
    return audit.entries(s, query)[::-1]


@router.get("/evidence/{item}/proof")
def proof(case_id: str, item: str, s: SessionDep, access: CaseRead) -> ProofOut:
    it = Vault.item(s, case_id, item)
    head = ledger.latest_head(s)
    if head is None or head.tree_size <= it.ingest_index:
        raise InvalidInput(
            "no signed tree head covers this item yet; run `dalil vault checkpoint`", path="item"
        )
    path = ledger.inclusion_proof(s, it.ingest_index, head.tree_size)
    return ProofOut(
        leaf_index=it.ingest_index, entry=ledger.entry(s, it.ingest_index),
        tree_head=head.to_dict(), inclusion_proof=[p.hex() for p in path],
    )  # fmt: skip


@router.get("/evidence/{item}/download")
def download(
    case_id: str,
    item: str,
    access: CaseRead,
    vault: VaultDep,
    purpose: Annotated[str, Query(max_length=200)] = "download",
) -> FileResponse:
    """The original bytes (checked against the hash before they are sent)."""
    with _scratch(vault) as tmp:
        out = tmp / "item"
        sha = vault.download(case_id, item, out, access.actor, purpose=purpose)
    return FileResponse(
        out, filename=f"{sha}", media_type="application/octet-stream", background=_remove(tmp)
    )


@router.get("/bundle")
def bundle(case_id: str, access: CaseRead, vault: VaultDep) -> FileResponse:
    """The case's evidence bundle (zip): originals, manifest, signed tree head and proofs;
    check it offline with ``dalil verify-bundle``."""
    with _scratch(vault) as tmp:
        out = tmp / "bundle.zip"
        vault.export_bundle(case_id, out, access.actor)
    return FileResponse(
        out, filename=f"dalil-bundle-{case_id[:8]}.zip", media_type="application/zip",
        background=_remove(tmp),
    )  # fmt: skip
