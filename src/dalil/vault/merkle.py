"""RFC 9162 (Certificate Transparency v2) Merkle tree hashing, proofs and verification.

leaf hash = SHA-256(0x00 || entry), node hash = SHA-256(0x01 || left || right); a tree of n
leaves splits at the largest power of two smaller than n; the empty tree's root is
SHA-256(""). Proof *generation* follows the recursive definitions of RFC 9162 §2.1.3.1
(PATH) and §2.1.4.1 (PROOF/SUBPROOF); *verification* follows the iterative algorithms of
§2.1.3.2 and §2.1.4.2, written independently of the generators so that each checks the
other.

Generation reads hashes through a :class:`HashSource`: leaf hashes by index and, when it
has them, cached roots of aligned perfect subtrees (2^level leaves starting at a multiple
of 2^level). With the cache, a root or a proof costs O(log² n) hash operations.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Protocol

EMPTY_ROOT = hashlib.sha256(b"").digest()


def leaf_hash(entry: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + entry).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


class HashSource(Protocol):
    def leaf(self, index: int) -> bytes: ...

    def perfect(self, level: int, index: int) -> bytes | None:
        """Root of leaves [index * 2**level, (index + 1) * 2**level), if cached."""
        ...


class ListSource:
    """A :class:`HashSource` over leaf hashes held in memory (no subtree cache)."""

    def __init__(self, leaves: Sequence[bytes]) -> None:
        self.leaves = leaves

    def leaf(self, index: int) -> bytes:
        return self.leaves[index]

    def perfect(self, level: int, index: int) -> bytes | None:
        return None


def _split(n: int) -> int:
    """Largest power of two strictly smaller than n (n >= 2)."""
    return 1 << ((n - 1).bit_length() - 1)


def subtree_root(src: HashSource, start: int, end: int) -> bytes:
    """MTH of leaves [start, end), end > start."""
    n = end - start
    if n == 1:
        return src.leaf(start)
    if n & (n - 1) == 0 and start % n == 0:
        cached = src.perfect(n.bit_length() - 1, start // n)
        if cached is not None:
            return cached
    k = _split(n)
    return node_hash(subtree_root(src, start, start + k), subtree_root(src, start + k, end))


def root(src: HashSource, size: int) -> bytes:
    return EMPTY_ROOT if size == 0 else subtree_root(src, 0, size)


def inclusion_proof(src: HashSource, index: int, size: int) -> list[bytes]:
    """PATH(index, D[0:size]) of RFC 9162 §2.1.3.1."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of size {size}")

    def path(m: int, start: int, end: int) -> list[bytes]:
        n = end - start
        if n == 1:
            return []
        k = _split(n)
        if m < k:
            return [*path(m, start, start + k), subtree_root(src, start + k, end)]
        return [*path(m - k, start + k, end), subtree_root(src, start, start + k)]

    return path(index, 0, size)


def consistency_proof(src: HashSource, first: int, second: int) -> list[bytes]:
    """PROOF(first, D[0:second]) of RFC 9162 §2.1.4.1."""
    if not 0 <= first <= second:
        raise ValueError(f"no consistency proof from size {first} to {second}")
    if first in (0, second):
        return []

    def subproof(m: int, start: int, end: int, whole: bool) -> list[bytes]:
        n = end - start
        if m == n:
            return [] if whole else [subtree_root(src, start, end)]
        k = _split(n)
        if m <= k:
            return [*subproof(m, start, start + k, whole), subtree_root(src, start + k, end)]
        return [*subproof(m - k, start + k, end, False), subtree_root(src, start, start + k)]

    return subproof(first, 0, second, True)


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root_hash: bytes
) -> bool:
    """RFC 9162 §2.1.3.2: does ``proof`` place ``leaf`` at ``index`` under ``root_hash``?"""
    if not 0 <= index < size or any(len(p) != 32 for p in proof):
        return False
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = node_hash(p, r)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            r = node_hash(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root_hash


def verify_consistency(
    first: int, second: int, first_root: bytes, second_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 §2.1.4.2: is the tree of size ``first`` a prefix of the one of ``second``?"""
    if not 0 <= first <= second or any(len(p) != 32 for p in proof):
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof and first_root == EMPTY_ROOT
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr)
            sr = node_hash(c, sr)
            if not fn & 1:
                while not fn & 1 and fn != 0:
                    fn >>= 1
                    sn >>= 1
        else:
            sr = node_hash(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == first_root and sr == second_root
