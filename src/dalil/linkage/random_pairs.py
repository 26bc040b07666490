"""u probabilities from random pairs of records, every comparison in one pass.

A u probability is the share of non-matching pairs that fall in a comparison level; almost
every pair of two records drawn at random is a non-match, so the shares among all pairs of
a random sample of records estimate it (Fellegi & Sunter 1969; Splink's recipe, and its
sample: every pair among ``k`` records drawn at random, ``k(k-1)/2 ≈ max_pairs``).

Why not Splink's own ``estimate_u_using_random_sampling``: it computes one comparison at a
time over the sampled pairs, in up to eleven chunked queries each, 38 queries on dalil's
model and 1.9 s of a 7.7 s run on 20,000 people (profiled). Here one DuckDB query computes
every comparison's level of each pair once and counts them with ``GROUPING SETS``; on the
same pairs the estimate is the same. The sample is small (776 records for 300,000 pairs),
so it runs in a DuckDB connection of its own; a Spark run keeps Splink's estimator.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd


def sample_size(records: int, max_pairs: float) -> int:
    """How many records give about ``max_pairs`` pairs among themselves (k(k-1)/2), at
    most all of them."""
    return min(records, math.ceil(0.5 * (math.sqrt(8 * max_pairs + 1) + 1)))


def estimate_u(linker: Any, records: pd.DataFrame, max_pairs: float, seed: int) -> None:
    """Set the u probability of every non-null level of a DuckDB ``linker``'s model (in
    place) from the pairs among a random sample of ``records`` (prepared records,
    :func:`dalil.linkage.features.prepare`).

    u is a share of the pairs a comparison can be made on (neither side null). A level none
    of them falls in gets half a pair's share, ``0.5 / pairs compared``: rarer than
    anything the sample can show, yet not zero, whose weight would be infinite. (Splink
    leaves such a level at the default u it was created with, 0.4 for some, which would
    make "given and family name swapped" count against a match.) A comparison the sample
    cannot make at all (birth dates on a few records only) keeps the u it has, as in
    Splink; so does a level whose u is fixed. The linker's own comparisons give the SQL and
    take the estimates: a second Linker would cost 0.2 s of Splink parsing the settings
    again (profiled)."""
    import duckdb

    k = sample_size(len(records), max_pairs)
    sample = records.sample(k, random_state=seed) if k < len(records) else records
    comparisons = linker._settings_obj.comparisons
    gammas = [f'"{c._gamma_column_name}"' for c in comparisons]  # extra columns: any letters
    sides = ", ".join(f'l."{c}" as "{c}_l", r."{c}" as "{c}_r"' for c in sample.columns)
    con = duckdb.connect()
    try:
        con.register("dalil_u_sample", sample)
        counted = con.execute(
            f"""
            with pairs as (
              select {sides} from dalil_u_sample l join dalil_u_sample r
              on l.unique_id < r.unique_id
            ),
            levels as (select {", ".join(c._case_statement for c in comparisons)} from pairs)
            select {", ".join(gammas)}, count(*) as n from levels
            group by grouping sets ({", ".join(f"({g})" for g in gammas)})
            """
        ).df()
    finally:
        con.close()
    for comparison in comparisons:
        gamma = comparison._gamma_column_name
        counts = counted[counted[gamma].notna()].set_index(gamma)["n"]
        counts = counts[counts.index != -1]  # the null level: no u
        total = float(counts.sum())
        if not total:
            continue
        for level in comparison.comparison_levels:
            if level.is_null_level or level._fix_u_probability:
                continue
            n = float(counts.get(level.comparison_vector_value, 0))
            level.u_probability = (n or 0.5) / total
