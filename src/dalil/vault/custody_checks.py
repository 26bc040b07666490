"""Checks of the custody record, from what the ledger's entries say (not from cached hashes).

- :func:`ledger_disagreements` and :func:`items_against_ledger`: each evidence item's row
  against its ingest entry (review finding H2);
- :func:`verify_ledger`: every entry canonical and hashing to its leaf, every cached node
  recomputed, and the roots at given tree sizes from the entry text;
- :func:`check_heads`: the workspace's signed tree heads and outside checkpoints against
  those roots; :func:`read_checkpoint` reads a checkpoint file.

Used by the vault's verification, by every read of an item (the row must agree with its
entry) and by backup's check of a restore.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput
from dalil.vault import ledger, merkle
from dalil.vault.tables import LedgerEntry, LedgerNode, VaultItem

#: the ledger actions that bring an evidence item into being (one entry per item)
INGEST_ACTIONS = ("ingest", "derive")


def ledger_disagreements(it: VaultItem, entry: Mapping[str, Any]) -> list[str]:
    """What an item's row says that its ingest entry does not record, as short phrases.

    The ``vault_item`` row is plain data anyone with write access to the database can
    edit (point it at another blob, move it to another case, relabel it); its ingest entry
    is under the signed Merkle tree. So the entry is the reference and the row must agree
    with it field by field. Entries written before ingest entries carried ``item_id`` are
    checked on every other field."""
    detail = entry.get("detail")
    if not isinstance(detail, dict):
        detail = {}
    action = entry.get("action")
    if action not in INGEST_ACTIONS:
        return [f"the entry is a {action!r}, not an ingest"]
    out = []
    if "item_id" in detail and detail["item_id"] != it.id:
        out.append(f"the entry is the ingest of item {detail['item_id']}")
    if entry.get("item") != it.sha256:
        out.append(f"sha256 (the ledger records {entry.get('item')})")
    if entry.get("case") != it.case_id:
        out.append(f"case (the ledger records {entry.get('case')})")
    if detail.get("size") != it.size:
        out.append(f"size (the ledger records {detail.get('size')})")
    if detail.get("media_type") != it.media_type:
        out.append(f"media type (the ledger records {detail.get('media_type')})")
    if entry.get("actor") != it.created_by:
        out.append(f"creator (the ledger records {entry.get('actor')})")
    if detail.get("derived_from") != it.derived_from_id or (
        detail.get("derivation") != it.derivation
    ):
        out.append("derivation")
    if (action == "derive") != (it.derived_from_id is not None):
        out.append(f"kind (the ledger records a {action!r})")
    return out


def items_against_ledger(
    session: Session, size: int, blobs: Mapping[str, str | None], batch: int = 2_000
) -> list[str]:
    """Faults of the evidence items held to the custody ledger (review finding H2).

    Each ``vault_item`` row must agree with its ingest entry at ``ingest_index`` (see
    :func:`ledger_disagreements`), that index must be inside the ledger's ``size`` entries
    and claimed by no other item, and the item's blob row and file must be there
    (``blobs``: every blob row's sha256 and its fault, from the blob pass). Every ingest
    entry must still have its item: a deleted row is named by the item id its entry
    records (entries from before ``item_id`` was recorded: by case and sha256). One pass
    over the items, their entries by primary key, and one scan of the ledger for entries
    that begin with an ingest action (no JSON parsing of the rest); memory O(items)."""
    faults: list[str] = []
    claimed: dict[int, str] = {}
    items = list(session.scalars(select(VaultItem).order_by(VaultItem.ingest_index)))
    entries: dict[int, str] = {}
    wanted = sorted({it.ingest_index for it in items if 0 <= it.ingest_index < size})
    for start in range(0, len(wanted), batch):
        chunk = wanted[start : start + batch]
        for idx, text in session.execute(
            select(LedgerEntry.idx, LedgerEntry.entry).where(LedgerEntry.idx.in_(chunk))
        ).tuples():
            entries[idx] = text
    for it in items:
        where = f"item {it.id} (case {it.case_id})"
        idx = it.ingest_index
        if not 0 <= idx < size:
            faults.append(f"{where}: its ingest index {idx} is beyond the ledger's {size} entries")
        elif idx in claimed:
            faults.append(f"{where}: claims ingest entry {idx}, which is item {claimed[idx]}'s")
        elif idx not in entries:
            faults.append(f"{where}: its ingest entry {idx} is missing from the ledger")
        else:
            claimed[idx] = it.id
            try:
                entry = json.loads(entries[idx])
            except ValueError:
                entry = None
            wrong = ledger_disagreements(it, entry) if isinstance(entry, dict) else ["not JSON"]
            if wrong:
                faults.append(f"{where}: disagrees with its ingest entry {idx}: {'; '.join(wrong)}")
        if it.sha256 not in blobs:
            faults.append(f"{where}: its blob {it.sha256} has no row in vault_blob")
        elif blobs[it.sha256] is not None:
            faults.append(f"{where}: its blob {it.sha256} is missing or damaged")
    ingests = session.execute(
        select(LedgerEntry.idx, LedgerEntry.entry)
        .where(or_(*(LedgerEntry.entry.startswith(f'{{"action":"{a}",') for a in INGEST_ACTIONS)))
        .order_by(LedgerEntry.idx)
    ).tuples()
    indexes = {it.ingest_index for it in items}
    for idx, text in ingests:  # canonical JSON: "action" is the first key
        if idx in indexes:
            continue  # claimed by an item; one that disagrees with it is reported above
        try:
            entry = json.loads(text)
            detail = entry.get("detail") or {}
            case, sha, item_id = entry.get("case"), entry.get("item"), detail.get("item_id")
        except (ValueError, AttributeError):
            continue  # the ledger pass reports an entry that is not JSON
        name = f"item {item_id}" if item_id else f"the item with sha256 {sha}"
        faults.append(
            f"ledger entry {idx}: {name} (case {case}) was ingested but is no longer in the "
            "vault (its row was deleted)"
        )
    return faults


class _Recomputed:
    """A :class:`~dalil.vault.merkle.HashSource` over hashes recomputed from entry text."""

    def __init__(self, levels: dict[int, dict[int, bytes]]) -> None:
        self.levels = levels

    def leaf(self, index: int) -> bytes:
        return self.levels[0][index]

    def perfect(self, level: int, index: int) -> bytes | None:
        return self.levels.get(level, {}).get(index)


def verify_ledger(
    session: Session, size: int, heads: Iterable[int] = (), batch: int = 20_000
) -> tuple[list[str], dict[int, bytes]]:
    """Every entry canonical and hashing to its leaf; every stored node recomputed.

    Also returns the roots at the tree sizes in ``heads``, computed in the same pass from
    the entry text (never from stored hashes); empty if any entry is missing.
    """
    faults: list[str] = []
    missing = False
    levels: dict[int, dict[int, bytes]] = {0: {}}
    expected = 0
    for start in range(0, max(size, 1), batch):
        rows = session.execute(
            select(LedgerEntry.idx, LedgerEntry.entry, LedgerEntry.leaf_hash)
            .where(LedgerEntry.idx >= start, LedgerEntry.idx < start + batch)
            .order_by(LedgerEntry.idx)
        ).all()
        for idx, text, leaf in rows:
            while expected < idx:
                faults.append(f"ledger entry {expected}: missing")
                expected += 1
                missing = True
            expected = idx + 1
            data = text.encode("utf-8")
            try:  # RFC 8785 for entries with ASCII keys and no floats, at C speed
                parsed = json.loads(text)
                if dumps_sorted(parsed) != text or _has_float(parsed):
                    faults.append(f"ledger entry {idx}: not in canonical form")
            except ValueError:
                faults.append(f"ledger entry {idx}: not valid JSON")
            actual = merkle.leaf_hash(data)
            if actual != leaf:
                faults.append(f"ledger entry {idx}: does not match its leaf hash")
            levels[0][idx] = actual
    while expected < size:
        faults.append(f"ledger entry {expected}: missing")
        expected += 1
        missing = True
    extra = session.scalar(select(LedgerEntry.idx).where(LedgerEntry.idx >= size).limit(1))
    if extra is not None:
        faults.append(f"ledger entry {extra}: beyond the recorded ledger size {size}")
    stored = {
        (lv, i): h
        for lv, i, h in session.execute(select(LedgerNode.level, LedgerNode.idx, LedgerNode.hash))
    }
    level = 0
    while len(levels[level]) > 1 or (level == 0 and levels[0]):
        nxt: dict[int, bytes] = {}
        current = levels[level]
        for i in range((max(current) + 1 if current else 0) // 2):
            left, right = current.get(2 * i), current.get(2 * i + 1)
            if left is None or right is None:
                continue
            h = merkle.node_hash(left, right)
            nxt[i] = h
            if stored.pop((level + 1, i), None) != h:
                faults.append(f"ledger node ({level + 1}, {i}): missing or altered")
        level += 1
        levels[level] = nxt
        if not nxt:
            break
    for level_idx in sorted(stored):
        faults.append(f"ledger node {level_idx}: not part of the ledger")
    src = _Recomputed(levels)
    roots = {} if missing else {n: merkle.root(src, n) for n in heads if n <= size}
    return faults, roots


def dumps_sorted(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _has_float(value: Any) -> bool:
    if isinstance(value, float):
        return True
    if isinstance(value, dict):
        return any(_has_float(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_float(v) for v in value)
    return False


def check_heads(
    heads: list[ledger.SignedHead], checkpoints: list[ledger.SignedHead], public_key: bytes,
    size: int, roots: dict[int, bytes],
) -> list[str]:  # fmt: skip
    """Faults of the workspace's own signed tree heads and of checkpoints kept outside it,
    against the ledger of ``size`` entries whose roots at each head's size are ``roots``
    (from :func:`verify_ledger`): another signing key, a bad signature, a head beyond the
    ledger (entries removed), a root the ledger no longer gives (entries changed), and own
    heads that shrink."""
    faults: list[str] = []
    previous = 0
    for head, outside in [(h, False) for h in heads] + [(h, True) for h in checkpoints]:
        label = f"{'checkpoint' if outside else 'tree head'} at size {head.tree_size}"
        if head.public_key != public_key:
            faults.append(f"{label}: signed by another key ({ledger.fingerprint(head.public_key)})")
        elif not head.signature_valid():
            faults.append(f"{label}: signature invalid")
        if head.tree_size > size:
            faults.append(f"{label}: beyond the ledger's {size} entries: entries were removed")
        elif roots and roots.get(head.tree_size) != head.root_hash:
            faults.append(
                f"{label}: the ledger's first {head.tree_size} entries no longer hash to it"
            )
        if not outside:
            if head.tree_size < previous:
                faults.append(f"{label}: smaller than an earlier head")
            previous = max(previous, head.tree_size)
    return faults


def read_checkpoint(path: Path) -> ledger.SignedHead:
    try:
        return ledger.SignedHead.from_dict(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise InvalidInput(
            f"not a dalil checkpoint ({err.__class__.__name__})", path=str(path)
        ) from None
