"""Blocking: which pairs of records the model compares at all.

Comparing every pair of a million records is out of reach; blocking compares only pairs
that agree exactly on some columns. :data:`BLOCKING_RULES` tolerates one missing or
misspelt name part; :func:`plan_blocking` keeps each rule within a pair budget on the data
at hand, tightening a rule whose blocks are too large (a very common name combination)
rather than letting it swamp the run.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import pandas as pd

from dalil.linkage.config import LinkageConfig
from dalil.linkage.features import KEY_SEP

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


#: The pair budget of a rule is never below this (small lists compare every pair a rule
#: finds; the budget grows as ``pairs_per_record`` x records beyond).
PAIR_FLOOR = 1_000_000


def block_pairs(prepared: pd.DataFrame, cols: Sequence[str]) -> int:
    """Number of pairs a rule of equal columns generates (rows with a null never block)."""
    sizes = prepared.dropna(subset=list(cols)).groupby(list(cols), sort=False).size()
    return int((sizes * (sizes - 1) // 2).sum())


def plan_blocking(
    prepared: pd.DataFrame, config: LinkageConfig, present: set[str] | None = None
) -> tuple[list[tuple[str, ...]], list[str]]:
    """Blocking rules for this data, each within the pair budget.

    A rule whose blocks would generate more than ``max(1e6, pairs_per_record x records)``
    pairs is tightened block by block, not as a whole: its blocks of more than
    ``2 x pairs_per_record + 1`` records (namesakes: محمد son of محمد, or محمد on the day
    of the massacre) are split by governorate; if that is still over budget, what is still
    that large is left out; the rule's other blocks stay whole. The large blocks' pairs
    that are left out are still compared by the rules on other name parts, and each record
    left makes at most ``2 x pairs_per_record`` pairs, so the rule always fits the budget.
    It then blocks on a key column added to ``prepared`` (:func:`block_key`). Every change
    is reported, and recorded in the model JSON.

    Why block by block: tightening or dropping a whole rule for the sake of a few namesake
    blocks lost every pair whose only agreement is a rare given name and the date or the
    father's name (docs/benchmarks.md, issue 25, third round).
    """
    present = present if present is not None else set(prepared.columns)
    budget = max(PAIR_FLOOR, config.pairs_per_record * len(prepared))
    largest = 2 * config.pairs_per_record + 1
    rules: list[tuple[str, ...]] = []
    notes: list[str] = []
    for cols in BLOCKING_RULES:
        if not set(cols) <= present:
            continue
        if block_pairs(prepared, cols) <= budget:
            rules.append(cols)
            continue
        split = "gov" if "gov" in present and "gov" not in cols else ""
        column, n, big = block_key(prepared, cols, largest, split, leave_out=not split)
        how = "split by gov" if split else "left out"
        if n > budget:  # only when split: leaving out what is large always fits
            column, n, big = block_key(prepared, cols, largest, split, leave_out=True)
            how = "split by gov, the still larger left out"
        notes.append(
            f"blocking rule {' + '.join(cols)}: its {big:,} blocks of over {largest} records "
            f"{how} ({n:,} pairs)"
        )
        rules.append((column,))
    return rules, notes


def block_key(
    prepared: pd.DataFrame, cols: Sequence[str], largest: int, split: str, *, leave_out: bool
) -> tuple[str, int, int]:
    """Add to ``prepared`` a column that blocks like ``cols`` except in blocks of more than
    ``largest`` records: those are split by the column ``split`` when one is given (their
    records without it block with no one), and with ``leave_out`` what is then still over
    ``largest`` blocks with no one. Returns the column's name, the pairs it generates and
    how many blocks were over ``largest``."""
    column = "block_" + "_".join(cols)
    parts = prepared[list(cols)]
    key = parts[cols[0]].astype(str)
    for col in cols[1:]:  # column by column: a row-wise join takes a minute on 1M records
        key = key + KEY_SEP + parts[col].astype(str)
    key = key.where(parts.notna().all(axis=1))
    big = key.map(key.value_counts()) > largest
    over = int(key[big].nunique())
    if split:
        within = (key + KEY_SEP + prepared[split].astype(str)).where(prepared[split].notna())
        key = key.where(~big, within)
    if leave_out:
        key = key.where(key.map(key.value_counts()) <= largest)
    prepared[column] = key
    counts = key.value_counts()
    return column, int((counts * (counts - 1) // 2).sum()), over


#: The name part whose disagreement a rule agreeing on one name part only is filtered by.
_OTHER_NAME = {"given": "family", "family": "given"}


def rule_sql(cols: Sequence[str], levels: dict[str, list[str]]) -> str:
    """A blocking rule as SQL over the left and right record (``l``, ``r``).

    A rule that agrees on one name part only, the given name or the family name (with a
    date, age or place), leaves out the pairs whose other name and whose father's names
    both disagree outright. ``levels`` holds each comparison's level conditions but
    "else" (Splink's DuckDB SQL over ``x_l``/``x_r``), which keep a pair; the levels built
    on the one-edit test are stood in for by Levenshtein distance 1 between the keys
    (other name and father's), and the father's Jaro-Winkler level by its condition. That
    misses a swap of neighbouring letters in a key and a one-letter change in a written
    form whose keys differ by two: 127 of 800,000 pairs on the development lists at
    20,000 people, none scored above 0.16 by the full model; the exact one-edit test
    there cost 0.25-0.5 s of blocking.

    Why: on those lists the pairs left out were about half of the 1.49 million candidate
    pairs and held 29 true pairs of 30,608, none scored above 0.17; scoring them was the
    largest part of the run's time. A left-out pair is no longer a low-scored pair that
    can veto a merge or be a record's runner-up in
    :func:`dalil.linkage.clusters.mutual_best`, so clusters can change (on those lists 4
    of 3,820 persons at 5,000 people and 3 of 15,760 at 20,000; docs/benchmarks.md, issue
    25, fifth round)."""
    equal = " AND ".join(f'l."{c}" = r."{c}"' for c in cols)
    parts = {t for c in cols for t in re.findall(r"(?:grand)?father_k|given_k|family_k", c)}
    agreed = {p[:-2] for p in parts if p != "grandfather_k"}
    other = _OTHER_NAME.get(next(iter(agreed))) if len(agreed) == 1 else None
    if other is None or other not in levels:
        return equal
    kept = [sql for sql in (*levels[other], *levels.get("middle", [])) if "CASE" not in sql]
    keys = [f"{other}_k", *(["father_k"] if "middle" in levels else [])]
    kept += [f'levenshtein("{k}_l", "{k}_r") <= 1' for k in keys]
    if "middle" in levels:
        kept.append('jaro_winkler_similarity("father_k_l", "father_k_r") >= 0.9')
    # As CASE branches, cheapest first, and only where the columns agree: DuckDB evaluates
    # every operand of AND/OR in a join's conditions, and Splink repeats each earlier rule
    # in the later rules' joins to drop pairs already found (written as one OR, blocking
    # took 1.7 s instead of 0.5 s on the development lists at 20,000 people)
    kept.sort(key=lambda sql: "levenshtein" in sql or "jaro" in sql)
    either = " ".join(f"WHEN {_sides(sql)} THEN TRUE" for sql in kept)
    return f"{equal} AND CASE WHEN NOT ({equal}) THEN FALSE {either} ELSE FALSE END"


def _sides(sql: str) -> str:
    """Splink's comparison SQL (``"given_k_l"``) as blocking SQL (``l."given_k"``)."""
    return re.sub(r'"([^"]+)_([lr])"', r'\2."\1"', sql)
