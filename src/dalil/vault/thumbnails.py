"""Thumbnails and excerpts of evidence items: derived data, encrypted like the original.

- **What** a preview is: :mod:`dalil.vault.previews` (a JPEG of an image, a PDF's first
  page, a video frame where ffmpeg is installed, a text excerpt; otherwise why not).
- **Where** it is kept: a second content-addressed blob store, ``<home>/vault/derived``
  (:class:`~dalil.vault.blobs.BlobStore`: encrypted in chunks, fsynced, renamed into
  place), at the address of the *original's* SHA-256, since a preview is a function of the
  bytes and items sharing a blob share it. Each preview has its own random data key,
  sealed under the original's data key (a text excerpt is sealed the same way into its
  row), so anyone who cannot read the original cannot read its preview, and key rotation
  (which re-wraps data keys without changing them) needs nothing here.
- **When** it is made: never while a person waits. The web app makes it after the
  response is sent (Starlette background task: after an upload, and for items a gallery
  page found without one); ``dalil vault thumbnails CASE`` makes the missing ones of a
  case. Decoding runs outside any transaction, so the ledger's write lock is held only
  for the row and its entry.
- **Custody**: making one is a ``thumbnail`` entry (the item, the preview's hash or why
  there is none); every read of a preview or excerpt is a ``view`` entry with its purpose.
- **Backups** carry the rows, not the derived files: a row whose file is missing is
  dropped on first read and made again.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.model.tables import utcnow
from dalil.vault import ledger, previews
from dalil.vault.blobs import BlobStore
from dalil.vault.crypto import TamperedError, new_key, open_sealed, seal
from dalil.vault.reading import Reading
from dalil.vault.tables import VaultItem, VaultThumbnail

_PICTURE = b"dalil-thumbnail:"
_EXCERPT = b"dalil-excerpt:"


@dataclass(frozen=True)
class PreviewState:
    """Whether an item's preview exists: ``status`` is ``ready``, ``excerpt``, ``none`` (with
    ``reason``) or ``pending`` (not made yet). Reveals nothing of the item's content."""

    status: str
    reason: str | None = None


def preview_states(session: Session, shas: Iterable[str]) -> dict[str, PreviewState]:
    """Preview state per original SHA-256 (``pending`` when none was made); writes nothing."""
    wanted = list(dict.fromkeys(shas))
    found: dict[str, PreviewState] = {sha: PreviewState("pending") for sha in wanted}
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(VaultThumbnail.blob_sha256, VaultThumbnail.status, VaultThumbnail.reason)
            .where(VaultThumbnail.blob_sha256.in_(wanted[start : start + 500]))
        )  # fmt: skip
        for sha, status, reason in rows:
            found[sha] = PreviewState(status, reason)
    return found


class Thumbnailing(Reading):
    """Previews (a part of :class:`~dalil.vault.service.Vault`)."""

    @property
    def derived(self) -> BlobStore:
        """The derived-data store (previews), beside the originals' blobs."""
        return BlobStore(self.store.root / "derived")

    def make_thumbnail(self, case_id: str, item_id: str, actor: str) -> str:
        """Make the preview of an item unless its blob has one; returns its status."""
        with self.ws.session() as s:
            it = self.item(s, case_id, item_id)
            if (done := s.get(VaultThumbnail, it.sha256)) is not None:
                return done.status
            self.held_to_ledger(s, it)
            sha, media_type, dek = it.sha256, it.media_type, self._dek(s, it.sha256)
        derived = self.derived
        work = derived.tmp / f"make-{uuid.uuid4().hex}"
        work.mkdir(mode=0o700)
        try:
            original = work / "original"
            digest = hashlib.sha256()
            with open(original, "wb") as fh:
                for chunk in self.store.read(sha, dek):
                    digest.update(chunk)
                    fh.write(chunk)
            if digest.hexdigest() != sha:
                made = previews.Rendered(reason="the original does not match its hash")
            else:
                made = previews.render(original, media_type, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        row = VaultThumbnail(blob_sha256=sha, status=made.status, reason=made.reason,
                             made_at=utcnow())  # fmt: skip
        written = None
        if made.picture is not None:
            key = new_key()
            written = derived.write_temp(io.BytesIO(made.picture), key)
            row.sha256, row.media_type = written.sha256, "image/jpeg"
            row.wrapped_key = seal(dek, key, _PICTURE + sha.encode())
        elif made.excerpt is not None:
            text = made.excerpt.encode("utf-8")
            row.excerpt_sealed = seal(dek, text, _EXCERPT + sha.encode())
        try:
            with self.ws.session() as s:
                ledger.lock(s)
                if s.get(VaultThumbnail, sha) is not None:  # made meanwhile by another
                    if written is not None:
                        derived.discard(written)
                    return made.status
                if written is not None:
                    derived.place(replace(written, sha256=sha))  # at the original's address
                s.add(row)
                detail: dict[str, Any] = {"item_id": item_id, "status": made.status}
                if row.sha256:
                    detail["thumbnail_sha256"] = row.sha256
                ledger.append(s, [ledger.make_entry("thumbnail", actor, case=case_id,
                                                    item=sha, detail=detail)])  # fmt: skip
        except BaseException:
            if written is not None:
                derived.discard(written)
            raise
        return made.status

    def missing_thumbnails(self, case_id: str) -> list[str]:
        """Ids of the case's items whose blob has no preview yet (one per blob)."""
        with self.ws.session() as s:
            rows = s.execute(
                select(VaultItem.id, VaultItem.sha256)
                .outerjoin(VaultThumbnail, VaultThumbnail.blob_sha256 == VaultItem.sha256)
                .where(VaultItem.case_id == case_id, VaultThumbnail.blob_sha256.is_(None))
                .order_by(VaultItem.ingest_index)
            ).all()
        return list({sha: item_id for item_id, sha in reversed(rows)}.values())[::-1]

    def make_missing_thumbnails(self, case_id: str, actor: str) -> int:
        """Make every missing preview of a case; returns how many were made."""
        todo = self.missing_thumbnails(case_id)
        for item_id in todo:
            self.make_thumbnail(case_id, item_id, actor)
        return len(todo)

    def thumbnail(self, case_id: str, item_id: str, actor: str) -> bytes | None:
        """The item's thumbnail (JPEG bytes, checked against its hash), recorded as a
        ``view`` with purpose ``thumbnail``; ``None`` when it has no picture (yet). A row
        whose file is gone (a restored backup carries no previews) is dropped, so the
        next :meth:`make_thumbnail` makes it again."""
        with self.ws.session() as s:
            ledger.lock(s)
            it = self.item(s, case_id, item_id)
            row = s.get(VaultThumbnail, it.sha256)
            if row is None or row.status != "ready" or row.wrapped_key is None:
                return None
            path = self.derived.path(it.sha256)
            if not path.is_file():
                s.delete(row)
                return None
            self.held_to_ledger(s, it)
            dek = self._dek(s, it.sha256)
            key = open_sealed(dek, row.wrapped_key, _PICTURE + it.sha256.encode())
            try:
                data = b"".join(self.derived.read(it.sha256, key))
            except TamperedError:
                data = b""
            if hashlib.sha256(data).hexdigest() != row.sha256:
                s.delete(row)  # damaged derived data: made again, the original untouched
                return None
            entry = ledger.make_entry("view", actor, case=case_id, item=it.sha256,
                                      detail={"purpose": "thumbnail"})  # fmt: skip
            ledger.append(s, [entry])
            return data

    def describe_many(
        self, case_id: str, item_ids: Iterable[str], actor: str, purpose: str = "metadata"
    ) -> dict[str, dict[str, Any]]:
        """Sealed metadata of several items of a case (original name, source, notes,
        acquisition) with the text excerpt where there is one (``excerpt``), in one
        transaction; one ``view`` entry per item, with ``purpose``. Items of another case
        are left out."""
        out: dict[str, dict[str, Any]] = {}
        with self.ws.session() as s:
            ledger.lock(s)
            entries = []
            for item_id in dict.fromkeys(item_ids):
                it = s.get(VaultItem, item_id)
                if it is None or it.case_id != case_id:
                    continue
                self.held_to_ledger(s, it)
                meta = json.loads(open_sealed(self.ring.master, it.metadata_sealed,
                                              it.id.encode()))  # fmt: skip
                row = s.get(VaultThumbnail, it.sha256)
                if row is not None and row.excerpt_sealed is not None:
                    dek = self._dek(s, it.sha256)
                    text = open_sealed(dek, row.excerpt_sealed, _EXCERPT + it.sha256.encode())
                    meta["excerpt"] = text.decode("utf-8")
                out[it.id] = meta
                entries.append(ledger.make_entry("view", actor, case=case_id, item=it.sha256,
                                                 detail={"purpose": purpose[:200]}))  # fmt: skip
            ledger.append(s, entries)
        return out
