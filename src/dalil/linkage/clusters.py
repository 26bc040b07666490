"""From scored pairs to persons: constrained greedy clustering and the review queue.

Pairs at or above the threshold are merged strongest first, but a merge is refused when it
would put into one person two records that were compared and scored below
``conflict_below``, two records of one list not compared and scored at least
``same_list_at`` (a list names a person once: a duplicate within it must be shown by its
own two records, not reached through another list), two records a reviewer said are
different people, or more records than ``max_cluster_size``. This resists the chaining
of connected components (A~B, B~C but A!~C). Refused strong merges and pairs in the
uncertainty band (``review_low`` up to the higher of the threshold and ``review_high``,
merged or not) become review items, ordered by how much a decision would change the
result. Deterministic for given input.

Below the threshold, a pair in the review band is still merged (under the same vetoes)
when its two records are each other's clear best candidate in the other's list
(:func:`mutual_best`): a list names a person once, so a record's one plausible partner in
another list is more likely its person than its probability alone says.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

from dalil.linkage.config import Decision, LinkageConfig
from dalil.linkage.features import split_key


@dataclass
class ReviewItem:
    """A pair whose decision would change the result, with a priority for ordering."""

    kind: Literal["pair", "conflict", "large"]
    left: str
    right: str
    probability: float
    priority: float
    reason: str


@dataclass
class Clusters:
    cluster_of: dict[str, str]  # record key -> cluster id
    review: list[ReviewItem] = field(default_factory=list)

    def members(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for key, cid in self.cluster_of.items():
            out.setdefault(cid, []).append(key)
        for keys in out.values():
            keys.sort()
        return out


class _Sources(dict[str, str]):
    """Record key -> its list; a key not given in advance is split when first asked."""

    def __missing__(self, key: str) -> str:
        self[key] = split_key(key)[0]
        return self[key]


def _entropy(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


#: why a strong merge was refused, as the review queue says it
_REFUSED = {
    "large": "merge refused: cluster too large",
    "conflict": "merge refused: a member pair scored as different people",
    "same_list": "merge refused: two records of one list not shown to be one person",
}


def mutual_best(
    pairs: Sequence[tuple[str, str, float]],
    low: float,
    high: float,
    margin: float,
    source: dict[str, str] | None = None,
) -> list[tuple[str, str, float]]:
    """Pairs scored in ``[low, high)`` whose records are in different lists and each the
    other's best candidate in that list, ahead of either record's next candidate there by
    at least ``margin`` (probabilities; a missing candidate counts as 0).

    Why: the model scores each pair alone, so "Ali Al-Nada, 9 March" against "علي الندى"
    stays uncertain because the name is shared by several people in the population, even
    when the Latin list holds no other candidate for him and the Arabic list none for the
    Latin record. Victim lists name each person once (duplicates within a list are few),
    so a clear mutual best is strong evidence the model does not see. Measured on the
    second generator's development lists (docs/benchmarks.md): such pairs in 0.5-0.8 are
    true matches about 78 % of the time, against 60 % for all pairs in that band.
    ``source`` (record key -> its list) saves splitting every key again when the caller
    has it; it must know every key in ``pairs``.
    """
    if source is None:  # each record's list, when the caller has not worked it out
        source = {k: split_key(k)[0] for pair in pairs for k in pair[:2]}
    # (record, other list) -> (best p, its record, runner-up p); ties go to the smaller key
    top: dict[tuple[str, str], tuple[float, str, float]] = {}
    for a, b, p in pairs:
        if source[a] == source[b]:
            continue
        for record, other in ((a, b), (b, a)):
            slot = (record, source[other])
            best, who, second = top.get(slot, (-1.0, "", 0.0))
            if p > best or (p == best and other < who):
                top[slot] = (p, other, max(best, second))
            else:
                top[slot] = (best, who, max(second, p))
    found: list[tuple[str, str, float]] = []
    for a, b, p in pairs:
        if not low <= p < high or source[a] == source[b]:
            continue
        _, best_of_a, second_a = top[(a, source[b])]
        _, best_of_b, second_b = top[(b, source[a])]
        if best_of_a == b and best_of_b == a and p - max(second_a, second_b) >= margin:
            found.append((a, b, p))
    return found


def cluster(
    keys: Sequence[str],
    pairs: Iterable[tuple[str, str, float]],
    decisions: Iterable[tuple[str, str, Decision]] = (),
    config: LinkageConfig | None = None,
    n_sources: int = 1,
) -> Clusters:
    """Constrained greedy clustering (see the module docstring); deterministic."""
    config = config or LinkageConfig()
    max_size = config.max_cluster_size or max(4, 2 * n_sources)
    floor = min(config.review_low, config.merge_at)
    pair_list: list[tuple[str, str, float]] = []
    every: list[tuple[str, str, float]] = []
    low: set[tuple[str, str]] = set()  # compared pairs scored as different people
    same_list: set[tuple[str, str]] = set()  # same-list pairs scored as one person
    source = _Sources((k, split_key(k)[0]) for k in keys)
    # never stricter than the merge threshold a run was given (``--threshold 0.6``)
    same_at = None if config.same_list_at is None else min(config.same_list_at, config.merge_at)
    for a, b, p in pairs:
        a, b = (a, b) if a < b else (b, a)
        every.append((a, b, p))
        if p < config.conflict_below:
            low.add((a, b))
        if same_at is not None and p >= same_at and source.get(a) == source.get(b):
            same_list.add((a, b))
        if p >= floor:
            pair_list.append((a, b, p))
    pair_list.sort(key=lambda t: (-t[2], t[0], t[1]))
    must: list[tuple[str, str]] = []
    cannot: set[tuple[str, str]] = set()
    decided: set[tuple[str, str]] = set()
    for a, b, d in decisions:
        a, b = (a, b) if a < b else (b, a)
        decided.add((a, b))
        if d == "match":
            must.append((a, b))
        elif d == "no_match":
            cannot.add((a, b))
    parent = {k: k for k in keys}
    members = {k: [k] for k in keys}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def blocked(
        ra: str, rb: str, *, forced: bool
    ) -> Literal["large", "conflict", "same_list"] | None:
        if not forced and len(members[ra]) + len(members[rb]) > max_size:
            return "large"
        for x in members[ra]:
            for y in members[rb]:
                pair = (x, y) if x < y else (y, x)
                if pair in cannot:
                    return "conflict"
                if forced:
                    continue
                if pair in low:
                    return "conflict"
                if same_at is not None and source[x] == source[y] and pair not in same_list:
                    return "same_list"
        return None

    def union(ra: str, rb: str) -> None:
        if len(members[ra]) < len(members[rb]):
            ra, rb = rb, ra
        parent[rb] = ra
        members[ra].extend(members.pop(rb))

    review: list[ReviewItem] = []
    for a, b in must:
        if (
            a in parent
            and b in parent
            and find(a) != find(b)
            and not blocked(find(a), find(b), forced=True)
        ):
            union(find(a), find(b))
    for a, b, p in pair_list:
        if p < config.merge_at:
            break
        if a not in parent or b not in parent or (a, b) in cannot:
            continue
        ra, rb = find(a), find(b)
        if ra == rb:
            continue
        why = blocked(ra, rb, forced=False)
        if why is None:
            union(ra, rb)
        elif (a, b) not in decided:
            size = len(members[ra]) + len(members[rb])
            kind: Literal["large", "conflict"] = "large" if why == "large" else "conflict"
            review.append(ReviewItem(kind, a, b, p, size * (1 + p), _REFUSED[why]))
    if config.mutual_best_margin is not None:
        found = mutual_best(
            every, config.review_low, config.merge_at, config.mutual_best_margin, source
        )
        for a, b, _p in sorted(found, key=lambda t: (-t[2], t[0], t[1])):
            if a not in parent or b not in parent or (a, b) in cannot:
                continue
            ra, rb = find(a), find(b)
            if ra != rb and blocked(ra, rb, forced=False) is None:
                union(ra, rb)
    for a, b, p in pair_list:
        if p >= max(config.merge_at, config.review_high) or p < config.review_low:
            continue  # certain enough either way
        if (a, b) in decided:
            continue
        if a not in parent or b not in parent:
            continue
        ra, rb = find(a), find(b)
        size = len(members[ra]) + (0 if ra == rb else len(members[rb]))
        review.append(
            ReviewItem(
                "pair",
                a,
                b,
                p,
                _entropy(p) * size,
                "inside one person" if ra == rb else "uncertain match",
            )
        )
    review.sort(key=lambda r: (-r.priority, r.left, r.right))
    roots = sorted({find(k) for k in keys}, key=lambda r: min(members[r]))
    ids = {root: f"P{i + 1:06d}" for i, root in enumerate(roots)}
    return Clusters({k: ids[find(k)] for k in keys}, review)
