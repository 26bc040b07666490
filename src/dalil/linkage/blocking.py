"""Blocking: which pairs of records the model compares at all.

Comparing every pair of a million records is out of reach; blocking compares only pairs
that agree exactly on some columns. :data:`BLOCKING_RULES` tolerates one missing or
misspelt name part; :func:`plan_blocking` keeps each rule within a pair budget on the data
at hand, tightening a rule whose blocks are too large (a very common name combination)
rather than letting it swamp the run.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from dalil.linkage.config import LinkageConfig

BLOCKING_RULES = (
    ("given_k", "family_k"),
    ("given_k", "father_k"),
    ("father_k", "family_k"),
    ("given_k", "dod_lo"),
    ("family_k", "dod_lo"),
    ("given_k", "age"),
    ("family_k", "age"),
    ("family_k", "place"),
    ("dob_lo",),
)
"""Each rule is a set of columns that must be equal. Together they tolerate one missing or
misspelt name part (any two of given/father/family suffice) and a missing family name
(given + date + place). A full birth date alone is a block: few people share one, and
victim lists seldom have it, when the rule costs nothing."""


#: Given and family name written the other way round, as a blocking rule (SQL over the
#: left and right record); the matching comparison level is
#: :data:`dalil.linkage.comparisons.SWAPPED_SQL`.
SWAPPED_BLOCK = "l.given_k = r.family_k AND l.family_k = r.given_k"


def block_pairs(prepared: pd.DataFrame, cols: Sequence[str]) -> int:
    """Number of pairs a rule of equal columns generates (rows with a null never block)."""
    sizes = prepared.dropna(subset=list(cols)).groupby(list(cols), sort=False).size()
    return int((sizes * (sizes - 1) // 2).sum())


def plan_blocking(
    prepared: pd.DataFrame, config: LinkageConfig, present: set[str] | None = None
) -> tuple[list[tuple[str, ...]], list[str]]:
    """Blocking rules for this data, each within the pair budget.

    A rule whose blocks would generate more than ``max(1e6, pairs_per_record x records)``
    pairs (a very common name combination in a large list set) is tightened with the
    governorate, then the date of death, then both; if still too large it is dropped.
    Every change is reported, and recorded in the model JSON.
    """
    present = present if present is not None else set(prepared.columns)
    budget = max(1_000_000, config.pairs_per_record * len(prepared))
    rules: list[tuple[str, ...]] = []
    notes: list[str] = []
    for cols in BLOCKING_RULES:
        if not set(cols) <= present:
            continue
        for extra in ((), ("gov",), ("dod_lo",), ("gov", "dod_lo")):
            candidate = tuple(dict.fromkeys(cols + extra))
            if not set(candidate) <= present:
                continue
            n = block_pairs(prepared, candidate)
            if n <= budget:
                if extra:
                    notes.append(
                        f"blocking rule {' + '.join(cols)} tightened with "
                        f"{' + '.join(extra)} ({n:,} pairs)"
                    )
                rules.append(candidate)
                break
        else:
            notes.append(f"blocking rule {' + '.join(cols)} dropped: over {budget:,} pairs")
    return rules, notes
