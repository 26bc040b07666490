"""Tables of the evidence vault and the custody ledger (same metadata as the case tables).

Plain columns hold only what verification needs (hashes, sizes, media types, ledger
entries). Everything that could identify a person — original file names, who handed an
item over, notes, embedded metadata — is in ``metadata_sealed``, encrypted under the
master key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, LargeBinary, SmallInteger, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dalil.model.tables import ID, Base


class VaultState(Base):
    """One row: the vault's keys (sealed) and the ledger size, which doubles as the ledger's
    write lock (every append first updates this row)."""

    __tablename__ = "vault_state"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    key_id: Mapped[int] = mapped_column(Integer)
    signing_key: Mapped[bytes] = mapped_column(LargeBinary)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    ledger_size: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    #: the identity vault's key (dalil.access.identities), sealed under the master key;
    #: created on first use
    identity_key: Mapped[bytes | None] = mapped_column(LargeBinary)


class VaultBlob(Base):
    """Encrypted content, stored once per SHA-256 of the original bytes."""

    __tablename__ = "vault_blob"
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    wrapped_key: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[int] = mapped_column(Integer)
    stored_at: Mapped[datetime]


class VaultItem(Base):
    """A blob as evidence in one case, with its (sealed) Berkeley Protocol metadata."""

    __tablename__ = "vault_item"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    sha256: Mapped[str] = mapped_column(ForeignKey("vault_blob.sha256"), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
    media_type: Mapped[str] = mapped_column(String(120))
    metadata_sealed: Mapped[bytes] = mapped_column(LargeBinary)
    key_id: Mapped[int] = mapped_column(Integer)
    derived_from_id: Mapped[str | None] = mapped_column(ForeignKey("vault_item.id"))
    derivation: Mapped[str | None] = mapped_column(String(40))
    ingest_index: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))


class LedgerEntry(Base):
    """One custody event: its RFC 8785 canonical JSON and its RFC 9162 leaf hash."""

    __tablename__ = "ledger_entry"
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    entry: Mapped[str] = mapped_column(Text)
    leaf_hash: Mapped[bytes] = mapped_column(LargeBinary)


class LedgerNode(Base):
    """Cached root of the aligned perfect subtree of 2**level leaves number ``idx``."""

    __tablename__ = "ledger_node"
    level: Mapped[int] = mapped_column(SmallInteger, primary_key=True, autoincrement=False)
    idx: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[bytes] = mapped_column(LargeBinary)


class TreeHead(Base):
    """A signed tree head (checkpoint) issued by this workspace."""

    __tablename__ = "tree_head"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    tree_size: Mapped[int] = mapped_column(BigInteger)
    root_hash: Mapped[bytes] = mapped_column(LargeBinary)
    timestamp_ms: Mapped[int] = mapped_column(BigInteger)
    signature: Mapped[bytes] = mapped_column(LargeBinary)
    public_key: Mapped[bytes] = mapped_column(LargeBinary)


class EvidenceLink(Base):
    """An evidence item supporting a record of the same case (issue 22).

    Plain data like the item row: which item supports which record says nothing about
    what the item shows. Every link and unlink is also a custody-ledger event
    (``attached`` / ``detached``), so the ledger holds who linked what and when.
    """

    __tablename__ = "evidence_link"
    item_id: Mapped[str] = mapped_column(ForeignKey("vault_item.id"), primary_key=True)
    record_id: Mapped[str] = mapped_column(ForeignKey("record.id"), primary_key=True, index=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))


class VaultThumbnail(Base):
    """A thumbnail (or text excerpt) derived from a blob, or why it has none.

    Keyed by the original's SHA-256: a thumbnail is a function of the bytes, so the items
    that share a blob share it. ``status`` is ``ready`` (``sha256`` is the thumbnail's own
    SHA-256; its encrypted file sits in the derived-data store at the original's address,
    with its own random data key in ``wrapped_key``, sealed under the *original's* data key
    so that key rotation, which re-wraps those without changing them, needs nothing
    here), ``excerpt`` (``excerpt_sealed`` holds the first characters of a text item,
    sealed the same way), or ``none`` (``reason`` says why, in English: no decoder
    installed, a kind with no picture, a file that could not be decoded).
    """

    __tablename__ = "vault_thumbnail"
    blob_sha256: Mapped[str] = mapped_column(ForeignKey("vault_blob.sha256"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(300))
    sha256: Mapped[str | None] = mapped_column(String(64))
    media_type: Mapped[str | None] = mapped_column(String(40))
    wrapped_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    excerpt_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    made_at: Mapped[datetime]
