"""The custody ledger: an append-only RFC 9162 Merkle log of custody events in the database.

Every append first updates the single ``vault_state`` row (allocating indexes and taking
the write lock on both SQLite and PostgreSQL), then writes each entry's canonical JSON and
leaf hash, and the roots of any perfect subtrees the new leaves complete. Roots and proofs
are then O(log² n) lookups. Tree heads are signed with the workspace's Ed25519 key, and a
new head is signed only if the log still agrees with the last head signed (the
append-only check): a rewritten history is refused, not re-signed. What an entry holds
is :mod:`dalil.vault.custody_entry`'s (re-exported here).
"""

from __future__ import annotations

import base64
import hashlib
import json
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, cast

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import Integer, Table, bindparam, insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.orm.util import identity_key

from dalil.errors import DalilError
from dalil.vault import merkle
from dalil.vault.canonical import canonical_json
from dalil.vault.custody_entry import ACTIONS as ACTIONS
from dalil.vault.custody_entry import make_entry as make_entry
from dalil.vault.custody_entry import utc_stamp as utc_stamp
from dalil.vault.tables import LedgerEntry, LedgerNode, TreeHead, VaultState


class LedgerTampered(DalilError):
    """The ledger no longer matches what was signed: refuse to sign over it."""

    code = "vault.tampered"


class DbSource:
    """A :class:`~dalil.vault.merkle.HashSource` over the ledger tables, with a small cache."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.leaves: dict[int, bytes] = {}
        self.nodes: dict[tuple[int, int], bytes] = {}

    def leaf(self, index: int) -> bytes:
        if index not in self.leaves:
            found = self.session.connection().execute(_LEAF, {"idx": index}).scalar()
            if found is None:
                raise LedgerTampered(f"ledger entry {index} is missing")
            self.leaves[index] = found
        return self.leaves[index]

    def perfect(self, level: int, index: int) -> bytes | None:
        if (level, index) not in self.nodes:
            found = self.session.connection().execute(_NODE, {"level": level, "idx": index})
            node: bytes | None = found.scalar()
            if node is None:
                return None
            self.nodes[(level, index)] = node
        return self.nodes[(level, index)]


# The statements of an append, built once: every web request appends its audit trail, and
# building SQLAlchemy statements costs more than running these on SQLite.
_STATE, _ENTRIES, _NODES = (cast(Table, t.__table__) for t in (VaultState, LedgerEntry, LedgerNode))
_LEAF = select(_ENTRIES.c.leaf_hash).where(_ENTRIES.c.idx == bindparam("idx"))
_NODE = select(_NODES.c.hash).where(
    _NODES.c.level == bindparam("level"), _NODES.c.idx == bindparam("idx")
)
_LOCK = update(_STATE).where(_STATE.c.id == 1).values(ledger_size=_STATE.c.ledger_size)
_GROW = (
    update(_STATE)
    .where(_STATE.c.id == 1)
    .values(ledger_size=_STATE.c.ledger_size + bindparam("count", type_=Integer))
    .returning(_STATE.c.ledger_size)
)


def state(session: Session) -> VaultState:
    found = session.get(VaultState, 1)
    if found is None:
        raise LedgerTampered("the vault has not been created in this workspace")
    return found


def exists(session: Session) -> bool:
    """Whether the ledger exists (it is made with the vault: ``dalil vault init``)."""
    return session.get(VaultState, 1) is not None


def lock(session: Session) -> None:
    """Take the ledger's write lock as the transaction's first write (see :func:`append`).

    On SQLite a transaction that read before its first write cannot wait for the lock (its
    snapshot may be stale), so writers call this before reading anything they will act on.
    """
    session.connection().execute(_LOCK)


def append(session: Session, entries: list[dict[str, Any]]) -> list[int]:
    """Append entries in the caller's transaction; returns their ledger indexes."""
    if not entries:
        return []
    db = session.connection()
    new_size: int = db.execute(_GROW, {"count": len(entries)}).scalar_one()
    # a VaultState this session already holds learns the new size (the statement above
    # bypasses the ORM), so a later size() or tree head in this transaction is not stale
    held = session.identity_map.get(identity_key(VaultState, 1))
    if held is not None:
        set_committed_value(held, "ledger_size", new_size)
    start = new_size - len(entries)
    src = DbSource(session)
    rows: list[dict[str, Any]] = []
    nodes: list[dict[str, Any]] = []
    for offset, entry in enumerate(entries):
        index = start + offset
        data = canonical_json(entry)
        leaf = merkle.leaf_hash(data)
        src.leaves[index] = leaf
        rows.append({"idx": index, "entry": data.decode("utf-8"), "leaf_hash": leaf})
        level, count = 0, index + 1
        while count % 2 == 0:
            level += 1
            count //= 2
            pos = count - 1
            if level == 1:
                left, right = src.leaf(2 * pos), src.leaf(2 * pos + 1)
            else:
                found_left, found_right = (
                    src.perfect(level - 1, 2 * pos),
                    src.perfect(level - 1, 2 * pos + 1),
                )
                if found_left is None or found_right is None:
                    raise LedgerTampered(f"ledger node ({level - 1}, {2 * pos}) is missing")
                left, right = found_left, found_right
            h = merkle.node_hash(left, right)
            src.nodes[(level, pos)] = h
            nodes.append({"level": level, "idx": pos, "hash": h})
    db.execute(insert(_ENTRIES), rows)
    if nodes:
        db.execute(insert(_NODES), nodes)
    return list(range(start, new_size))


def size(session: Session) -> int:
    return state(session).ledger_size


class _Recorder:
    """A stand-in source that notes which hashes a computation asks for."""

    DUMMY = bytes(32)

    def __init__(self) -> None:
        self.leaves: set[int] = set()
        self.nodes: set[tuple[int, int]] = set()

    def leaf(self, index: int) -> bytes:
        self.leaves.add(index)
        return self.DUMMY

    def perfect(self, level: int, index: int) -> bytes | None:
        self.nodes.add((level, index))
        return self.DUMMY


def _prefetched(session: Session, plan: Callable[[merkle.HashSource], object]) -> DbSource:
    """A DbSource preloaded, in two queries, with every hash ``plan`` will read."""
    rec = _Recorder()
    plan(rec)
    src = DbSource(session)
    if rec.leaves:
        for idx, leaf in session.execute(
            select(LedgerEntry.idx, LedgerEntry.leaf_hash).where(
                LedgerEntry.idx.in_(sorted(rec.leaves))
            )
        ):
            src.leaves[idx] = leaf
    if rec.nodes:
        levels = sorted({lv for lv, _ in rec.nodes})
        ids = sorted({i for _, i in rec.nodes})
        for level, idx, h in session.execute(
            select(LedgerNode.level, LedgerNode.idx, LedgerNode.hash).where(
                LedgerNode.level.in_(levels), LedgerNode.idx.in_(ids)
            )
        ):
            if (level, idx) in rec.nodes:
                src.nodes[(level, idx)] = h
    return src


def root(session: Session, tree_size: int | None = None) -> bytes:
    n = size(session) if tree_size is None else tree_size
    return merkle.root(_prefetched(session, lambda src: merkle.root(src, n)), n)


def inclusion_proof(session: Session, index: int, tree_size: int) -> list[bytes]:
    def plan(src: merkle.HashSource) -> list[bytes]:
        return merkle.inclusion_proof(src, index, tree_size)

    return plan(_prefetched(session, plan))


def consistency_proof(session: Session, first: int, second: int) -> list[bytes]:
    def plan(src: merkle.HashSource) -> list[bytes]:
        return merkle.consistency_proof(src, first, second)

    return plan(_prefetched(session, plan))


def entry(session: Session, index: int) -> dict[str, Any]:
    row = session.get(LedgerEntry, index)
    if row is None:
        raise LedgerTampered(f"ledger entry {index} is missing")
    return dict(json.loads(row.entry))


# -- signed tree heads ------------------------------------------------------------------


@dataclass(frozen=True)
class SignedHead:
    """A signed tree head, as written in checkpoints and bundle manifests."""

    tree_size: int
    root_hash: bytes
    timestamp: int  # milliseconds since 1970-01-01 UTC
    signature: bytes
    public_key: bytes

    def signed_bytes(self) -> bytes:
        return head_bytes(self.tree_size, self.root_hash, self.timestamp)

    def to_dict(self) -> dict[str, Any]:
        return {
            "tree_size": self.tree_size,
            "root_hash": self.root_hash.hex(),
            "timestamp": self.timestamp,
            "signature": base64.b64encode(self.signature).decode(),
            "public_key": base64.b64encode(self.public_key).decode(),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> SignedHead:
        return cls(
            tree_size=int(data["tree_size"]),
            root_hash=bytes.fromhex(str(data["root_hash"])),
            timestamp=int(data["timestamp"]),
            signature=base64.b64decode(str(data["signature"]), validate=True),
            public_key=base64.b64decode(str(data["public_key"]), validate=True),
        )

    def signature_valid(self) -> bool:
        try:
            Ed25519PublicKey.from_public_bytes(self.public_key).verify(
                self.signature, self.signed_bytes()
            )
        except (InvalidSignature, ValueError):
            return False
        return len(self.root_hash) == 32 and self.tree_size >= 0


def head_bytes(tree_size: int, root_hash: bytes, timestamp: int) -> bytes:
    """What a tree-head signature covers: canonical JSON of size, hex root and timestamp."""
    return canonical_json(
        {"tree_size": tree_size, "root_hash": root_hash.hex(), "timestamp": timestamp}
    )


def latest_head(session: Session) -> SignedHead | None:
    row = session.scalars(select(TreeHead).order_by(TreeHead.id.desc()).limit(1)).first()
    return None if row is None else _head(row)


def all_heads(session: Session) -> Iterator[SignedHead]:
    for row in session.scalars(select(TreeHead).order_by(TreeHead.id)):
        yield _head(row)


def _head(row: TreeHead) -> SignedHead:
    return SignedHead(row.tree_size, row.root_hash, row.timestamp_ms, row.signature, row.public_key)


def entry_roots(session: Session, sizes: set[int], batch: int = 20_000) -> dict[int, bytes]:
    """Roots at the given tree sizes, recomputed from the stored entry *text* (not from the
    cached leaf hashes or nodes, which an attacker could leave untouched while editing an
    entry). One streaming pass, O(log n) memory. A missing entry raises LedgerTampered."""
    wanted = sorted(sizes)
    out: dict[int, bytes] = {}
    if wanted and wanted[0] == 0:
        out[0] = merkle.EMPTY_ROOT
    stack: list[tuple[int, bytes]] = []  # perfect subtrees, left to right: (leaf count, hash)
    position = 0
    top = wanted[-1] if wanted else 0
    for start in range(0, top, batch):
        rows = session.execute(
            select(LedgerEntry.idx, LedgerEntry.entry)
            .where(LedgerEntry.idx >= start, LedgerEntry.idx < min(start + batch, top))
            .order_by(LedgerEntry.idx)
        ).all()
        for idx, text in rows:
            if idx != position:
                raise LedgerTampered(f"ledger entry {position} is missing")
            node = (1, merkle.leaf_hash(text.encode("utf-8")))
            while stack and stack[-1][0] == node[0]:
                left = stack.pop()
                node = (left[0] * 2, merkle.node_hash(left[1], node[1]))
            stack.append(node)
            position += 1
            if position in sizes:
                h = stack[-1][1]
                for _, left_hash in reversed(stack[:-1]):
                    h = merkle.node_hash(left_hash, h)
                out[position] = h
    if position < top:
        raise LedgerTampered(f"ledger entry {position} is missing")
    return out


def sign_head(
    session: Session, key: Ed25519PrivateKey, public_key: bytes, also: SignedHead | None = None
) -> SignedHead:
    """Sign the current tree, after checking it extends the last signed heads.

    The last head in the database and ``also`` (the copy kept outside it, see
    :mod:`dalil.vault.export`) must both be prefixes of the current tree. Roots are
    recomputed from the entries themselves, so an edited entry can neither slip under a
    new signature nor hide behind stale cached hashes.
    """
    n = size(session)
    earlier = [h for h in (latest_head(session), also) if h is not None]
    roots = entry_roots(session, {n} | {h.tree_size for h in earlier if h.tree_size <= n})
    for last in earlier:
        if last.tree_size > n or roots[last.tree_size] != last.root_hash:
            raise LedgerTampered(
                f"the ledger no longer matches the tree head signed at size {last.tree_size}; "
                "refusing to sign over a rewritten history (run `dalil vault verify`)"
            )
    stamp = max([int(time.time() * 1000), *(h.timestamp for h in earlier)])
    root_hash = roots[n]
    if root_hash != root(session, n):
        raise LedgerTampered(
            "the ledger's cached hashes disagree with its entries (run `dalil vault verify`)"
        )
    signature = key.sign(head_bytes(n, root_hash, stamp))
    session.add(
        TreeHead(
            tree_size=n,
            root_hash=root_hash,
            timestamp_ms=stamp,
            signature=signature,
            public_key=public_key,
        )
    )
    session.flush()
    return SignedHead(n, root_hash, stamp, signature, public_key)


def fingerprint(public_key: bytes) -> str:
    """Short fingerprint of a public key for people to compare (SHA-256, first 16 hex)."""
    return hashlib.sha256(public_key).hexdigest()[:16]
