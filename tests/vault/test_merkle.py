"""Merkle tree: RFC 6962 known answers, a naive reference tree, and mutated proofs.

Known-answer vectors are the RFC 6962 test data used across Certificate Transparency
implementations (leaves "", 00, 10, 2021, 3031, 40414243, 5051525354555657,
606162636465666768696a6b6c6d6e6f). Set DALIL_SLOW=1 for the long run (T1 sizes).
"""

from __future__ import annotations

import hashlib
import os
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dalil.vault import merkle as m
from dalil.vault.canonical import canonical_json

SLOW = bool(os.environ.get("DALIL_SLOW"))
LEAVES = [
    bytes.fromhex(h)
    for h in (
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    )
]
ROOTS = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]
INCLUSION = [
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]


def naive_root(leaves: list[bytes]) -> bytes:
    """RFC 9162 MTH written straight from the definition (the reference implementation)."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return hashlib.sha256(b"\x00" + leaves[0]).digest()
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return hashlib.sha256(b"\x01" + naive_root(leaves[:k]) + naive_root(leaves[k:])).digest()


class CachedSource(m.ListSource):
    """Like the ledger's source: answers aligned perfect subtrees from a cache."""

    def __init__(self, leaves: list[bytes]) -> None:
        super().__init__(leaves)
        self.cache: dict[tuple[int, int], bytes] = {}
        level, nodes = 0, list(leaves)
        while len(nodes) > 1:
            nodes = [m.node_hash(nodes[i], nodes[i + 1]) for i in range(0, len(nodes) - 1, 2)]
            level += 1
            for i, h in enumerate(nodes):
                self.cache[(level, i)] = h

    def perfect(self, level: int, index: int) -> bytes | None:
        return self.cache.get((level, index))


def test_known_answer_roots() -> None:
    hashes = [m.leaf_hash(x) for x in LEAVES]
    for n in range(9):
        assert m.root(m.ListSource(hashes), n).hex() == ROOTS[n]
        assert m.root(CachedSource(hashes[:n]), n).hex() == ROOTS[n]


def test_known_answer_inclusion_proofs() -> None:
    hashes = [m.leaf_hash(x) for x in LEAVES]
    for index, size, proof in INCLUSION:
        assert [p.hex() for p in m.inclusion_proof(m.ListSource(hashes), index, size)] == proof
        assert m.verify_inclusion(
            index,
            size,
            hashes[index],
            [bytes.fromhex(p) for p in proof],
            bytes.fromhex(ROOTS[size]),
        )


def _mutants(proof: list[bytes], rng: random.Random) -> list[list[bytes]]:
    out: list[list[bytes]] = []
    for i, p in enumerate(proof):
        for bit in range(0, 256, 37 if not SLOW else 1):
            flipped = bytearray(p)
            flipped[bit // 8] ^= 1 << (bit % 8)
            out.append([*proof[:i], bytes(flipped), *proof[i + 1 :]])
        out.append(proof[:i] + proof[i + 1 :])
    out.append([*proof, rng.randbytes(32)])
    out.append([rng.randbytes(32), *proof])
    out.append([*proof, b""])
    if len(proof) > 1:
        out.append(proof[::-1])
    return [x for x in out if x != proof]


def test_every_inclusion_proof_verifies_and_no_mutant_does() -> None:
    rng = random.Random(6962)
    top = 256 if SLOW else 40
    hashes = [m.leaf_hash(i.to_bytes(4, "big")) for i in range(top)]
    source = CachedSource(hashes)
    checked = rejected = 0
    for n in range(1, top + 1):
        r = naive_root([i.to_bytes(4, "big") for i in range(n)])
        assert m.root(source, n) == r
        for i in range(n):
            proof = m.inclusion_proof(source, i, n)
            assert proof == m.inclusion_proof(m.ListSource(hashes), i, n)
            assert m.verify_inclusion(i, n, hashes[i], proof, r)
            checked += 1
            wrong = [(i - 1, n), (i + 1, n), (i ^ 2, n), (i, n * 2), (i, n // 2)]
            for index, size in wrong:
                if (index, size) != (i, n):
                    assert not m.verify_inclusion(index, size, hashes[i], proof, r), (
                        i,
                        n,
                        index,
                        size,
                    )
                    rejected += 1
            for bad_leaf, bad_root in (
                (hashes[(i + 1) % n] if n > 1 else b"\x00" * 32, r),
                (hashes[i], m.EMPTY_ROOT),
                (hashes[i], rng.randbytes(32)),
            ):
                assert not m.verify_inclusion(i, n, bad_leaf, proof, bad_root)
                rejected += 1
            for mutant in _mutants(proof, rng):
                assert not m.verify_inclusion(i, n, hashes[i], mutant, r)
                rejected += 1
    assert checked == top * (top + 1) // 2 and rejected > checked


def test_every_consistency_proof_verifies_and_no_mutant_does() -> None:
    rng = random.Random(9162)
    top = 128 if SLOW else 32
    hashes = [m.leaf_hash(i.to_bytes(4, "big")) for i in range(top)]
    source = CachedSource(hashes)
    roots = [m.root(source, n) for n in range(top + 1)]
    for n in range(1, top + 1):
        for k in range(1, n + 1):
            proof = m.consistency_proof(source, k, n)
            assert m.verify_consistency(k, n, roots[k], roots[n], proof), (k, n)
            if k == n:
                assert proof == []
                assert not m.verify_consistency(k, n, roots[k], roots[n], [rng.randbytes(32)])
                continue
            assert not m.verify_consistency(k, n, roots[n], roots[k], proof)  # swapped roots
            assert not m.verify_consistency(k, n, rng.randbytes(32), roots[n], proof)
            assert not m.verify_consistency(k, n, roots[k], m.EMPTY_ROOT, proof)
            assert not m.verify_consistency(k, n, roots[k], roots[n], [])
            assert not m.verify_consistency(n, k, roots[n], roots[k], proof)  # time travel
            for size1, size2 in ((k - 1, n), (k + 1, n), (k ^ 2, n), (k, n * 2), (k, n // 2)):
                if (size1, size2) != (k, n) and 0 < size1 < size2 <= top:
                    assert not m.verify_consistency(size1, size2, roots[size1], roots[size2], proof)
            for mutant in _mutants(proof, rng):
                assert not m.verify_consistency(k, n, roots[k], roots[n], mutant), (k, n)


@settings(max_examples=10_000 if SLOW else 200, deadline=None)
@given(st.lists(st.binary(max_size=12), max_size=5_000 if SLOW else 300), st.data())
def test_production_tree_equals_the_reference(entries: list[bytes], data: st.DataObject) -> None:
    hashes = [m.leaf_hash(e) for e in entries]
    assert m.root(CachedSource(hashes), len(hashes)) == naive_root(entries)
    if entries:
        i = data.draw(st.integers(0, len(entries) - 1))
        proof = m.inclusion_proof(CachedSource(hashes), i, len(entries))
        assert proof == m.inclusion_proof(m.ListSource(hashes), i, len(entries))
        assert m.verify_inclusion(i, len(entries), hashes[i], proof, naive_root(entries))


def test_proof_requests_out_of_range() -> None:
    src = m.ListSource([m.leaf_hash(b"a")])
    with pytest.raises(ValueError):
        m.inclusion_proof(src, 1, 1)
    with pytest.raises(ValueError):
        m.consistency_proof(src, 2, 1)
    assert not m.verify_inclusion(0, 0, m.leaf_hash(b"a"), [], m.EMPTY_ROOT)
    assert m.verify_consistency(0, 1, m.EMPTY_ROOT, m.leaf_hash(b"a"), [])


def test_canonical_json() -> None:
    assert (
        canonical_json({"b": 1, "a": [True, None, "é\n"]})
        == b'{"a":[true,null,"\xc3\xa9\\n"],"b":1}'
    )
    assert canonical_json({"\U0001f600": 1, "\ufb01": 2}) == '{"\U0001f600":1,"\ufb01":2}'.encode()
    with pytest.raises(TypeError):
        canonical_json({"x": 1.5})
    with pytest.raises(ValueError):
        canonical_json(2**60)
