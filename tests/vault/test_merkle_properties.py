"""Merkle proofs under Hypothesis (issue 21, item 4).

The vault's custody ledger is an RFC 9162 tree; a proof that verifies when it should not,
or fails when it should not, breaks every verification a court relies on. For trees of
every size up to a few hundred leaves and every index or pair of sizes drawn:

* an inclusion proof from the generator verifies, and so does a consistency proof;
* one flipped bit anywhere (in the leaf, a proof hash, a root), a proof cut short or
  lengthened, or a different index or size, makes verification fail.

Leaves are distinct (they hold their own index), as ledger entries are: with two equal
leaves a proof for one may honestly verify at the other's position.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from dalil.vault import merkle as m

_MAX = 300
_LEAVES = [m.leaf_hash(i.to_bytes(4, "big")) for i in range(_MAX)]
_ROOTS = [m.root(m.ListSource(_LEAVES), n) for n in range(_MAX + 1)]


def _flip(data: bytes, bit: int) -> bytes:
    i, b = divmod(bit % (len(data) * 8), 8)
    return data[:i] + bytes([data[i] ^ (1 << b)]) + data[i + 1 :]


@st.composite
def _size_and_index(draw: st.DrawFn) -> tuple[int, int]:
    size = draw(st.integers(1, _MAX))
    return size, draw(st.integers(0, size - 1))


@st.composite
def _two_sizes(draw: st.DrawFn) -> tuple[int, int]:
    second = draw(st.integers(1, _MAX))
    return draw(st.integers(1, second)), second


@settings(max_examples=300, deadline=None)
@given(_size_and_index(), st.integers(0, 2**16))
def test_inclusion_proofs_verify_and_any_change_fails(at: tuple[int, int], bit: int) -> None:
    size, index = at
    leaf, root = _LEAVES[index], _ROOTS[size]
    proof = m.inclusion_proof(m.ListSource(_LEAVES), index, size)
    assert m.verify_inclusion(index, size, leaf, proof, root)

    assert not m.verify_inclusion(index, size, _flip(leaf, bit), proof, root)
    assert not m.verify_inclusion(index, size, leaf, proof, _flip(root, bit))
    if proof:
        j = bit % len(proof)
        bad = [*proof[:j], _flip(proof[j], bit // len(proof)), *proof[j + 1 :]]
        assert not m.verify_inclusion(index, size, leaf, bad, root)
        assert not m.verify_inclusion(index, size, leaf, proof[:-1], root)
    assert not m.verify_inclusion(index, size, leaf, [*proof, proof[0] if proof else leaf], root)
    other = (index + 1 + bit % size) % size
    if other != index:
        assert not m.verify_inclusion(other, size, leaf, proof, root)
    if size < _MAX:  # the same proof does not place the leaf in the next tree
        assert not m.verify_inclusion(index, size + 1, leaf, proof, _ROOTS[size + 1])


@settings(max_examples=300, deadline=None)
@given(_two_sizes(), st.integers(0, 2**16))
def test_consistency_proofs_verify_and_any_change_fails(sizes: tuple[int, int], bit: int) -> None:
    first, second = sizes
    old, new = _ROOTS[first], _ROOTS[second]
    proof = m.consistency_proof(m.ListSource(_LEAVES), first, second)
    assert m.verify_consistency(first, second, old, new, proof)

    assert not m.verify_consistency(first, second, _flip(old, bit), new, proof)
    assert not m.verify_consistency(first, second, old, _flip(new, bit), proof)
    if proof:
        j = bit % len(proof)
        bad = [*proof[:j], _flip(proof[j], bit // len(proof)), *proof[j + 1 :]]
        assert not m.verify_consistency(first, second, old, new, bad)
        assert not m.verify_consistency(first, second, old, new, proof[:-1])
        assert not m.verify_consistency(first, second, old, new, [*proof, proof[0]])
    # the root of a tree that is not this prefix (another size's, or an unrelated leaf's)
    not_prefix = _ROOTS[first - 1] if first > 1 else m.leaf_hash(b"x")
    assert not m.verify_consistency(first, second, not_prefix, new, proof)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.binary(max_size=8), min_size=1, max_size=64, unique=True), st.data())
def test_any_entries_prove_inclusion_under_the_root(
    entries: list[bytes], data: st.DataObject
) -> None:
    """Entries of any content (not just this file's tree), as the ledger hashes them."""
    leaves = [m.leaf_hash(e) for e in entries]
    src = m.ListSource(leaves)
    size = len(leaves)
    index = data.draw(st.integers(0, size - 1))
    root = m.root(src, size)
    assert m.verify_inclusion(index, size, leaves[index], m.inclusion_proof(src, index, size), root)
    first = data.draw(st.integers(0, size))
    proof = m.consistency_proof(src, first, size)
    assert m.verify_consistency(first, size, m.root(src, first), root, proof)
