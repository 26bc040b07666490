"""Lists whose records are sparse or large (issue 25, second round): a name-only record
joins its person despite a lukewarm score against a fuller record, and EM on a huge block
is tightened with the governorate while a small block is left whole; a record's clear
mutual best in another list merges below the threshold."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from dalil.linkage.clusters import cluster, mutual_best
from dalil.linkage.config import LinkageConfig
from dalil.linkage.engine import link
from dalil.linkage.model import _em_sessions
from dalil.linkage.synth import generate
from dalil.linkage.threshold import Choice, merged


def test_a_lukewarm_pair_no_longer_keeps_a_sparse_record_from_its_person() -> None:
    # C holds a name only: it scores 0.85 against B but 0.4 against A, B's full duplicate
    keys = ["A", "B", "C"]
    pairs = [("A", "B", 0.99), ("B", "C", 0.85), ("A", "C", 0.4)]
    merged = cluster(keys, pairs, config=LinkageConfig(threshold=0.8))
    assert len(set(merged.cluster_of.values())) == 1
    # a pair scored as two people (below conflict_below) still vetoes the merge
    vetoed = cluster(keys, [*pairs[:2], ("A", "C", 0.05)], config=LinkageConfig(threshold=0.8))
    assert vetoed.cluster_of["C"] != vetoed.cluster_of["A"]
    assert any(item.kind == "conflict" for item in vetoed.review)
    # the earlier veto is one setting away
    strict = cluster(keys, pairs, config=LinkageConfig(threshold=0.8, conflict_below=0.6))
    assert strict.cluster_of["C"] != strict.cluster_of["A"]


def _records(n: int, govs: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "given_k": [f"g{i}" for i in range(n)],
            "family_k": [f"f{i % 7}" for i in range(n)],
            "father_k": ["mhmd"] * n,  # one very common father's name, one day
            "dod_lo": [20155] * n,
            "gov": [f"SY0{i % govs}" for i in range(n)],
        }
    )


def test_em_on_a_huge_block_is_tightened_with_the_governorate_and_a_small_one_is_not() -> None:
    present = {"given_k", "family_k", "father_k", "dod_lo", "gov"}
    config = LinkageConfig(pairs_per_record=5)
    # 200 records on one father and day: 19,900 pairs, over 5 a record
    large = dict(_em_sessions(_records(200, 4), config, present))
    # with the pairs of the block EM runs on (4 governorates of 50: 4 x 1,225)
    assert large[("father_k", "dod_lo", "gov")] == 4_900 and ("given_k", "family_k") in large
    # 10 records: 45 pairs, under 50
    small = dict(_em_sessions(_records(10, 4), config, present))
    assert small[("father_k", "dod_lo")] == 45 and ("father_k", "dod_lo", "gov") not in small
    # without a governorate there is nothing to tighten with
    assert ("father_k", "dod_lo") in dict(_em_sessions(_records(200, 4), config, present - {"gov"}))


def test_a_clear_mutual_best_below_the_threshold_merges_and_a_close_call_does_not() -> None:
    a1, a2, a3, a4 = "A\x1f1", "A\x1f2", "A\x1f3", "A\x1f4"
    b1, b2, b3, b4 = "B\x1f1", "B\x1f2", "B\x1f3", "B\x1f4"
    pairs = [
        (a1, b1, 0.7),  # each the other's one plausible candidate in the other list
        (a1, b2, 0.3),
        (a2, b3, 0.7),  # but B4 is nearly as good a candidate for A2
        (a2, b4, 0.65),
        (a3, a4, 0.7),  # one list: a person is named once, but duplicates are no evidence
    ]
    assert mutual_best(pairs, 0.5, 0.8, 0.2) == [(a1, b1, 0.7)]
    keys = [a1, a2, a3, a4, b1, b2, b3, b4]
    merged = cluster(keys, pairs, config=LinkageConfig(threshold=0.8), n_sources=2)
    assert merged.cluster_of[a1] == merged.cluster_of[b1]
    assert len(set(merged.cluster_of.values())) == 7
    # merged below the threshold, so still put to a reviewer
    assert any({r.left, r.right} == {a1, b1} for r in merged.review)
    off = cluster(keys, pairs, config=LinkageConfig(threshold=0.8, mutual_best_margin=None))
    assert len(set(off.cluster_of.values())) == 8
    # the vetoes still hold: B1 scored as a different person from A1's list-mate in its person
    vetoed = cluster(
        [*keys, "C\x1f1"],
        [*pairs, (a1, "C\x1f1", 0.95), (b1, "C\x1f1", 0.05)],
        config=LinkageConfig(threshold=0.8),
        n_sources=3,
    )
    assert vetoed.cluster_of[a1] != vetoed.cluster_of[b1]


def test_a_run_reports_what_it_expects_of_the_pairs_it_merged() -> None:
    choice = Choice(0.8, 0.95, 0.5, expected_matches=10.0)
    after = merged(choice, np.array([0.9, 0.7]))  # one pair vetoed, one mutual best
    assert (after.threshold, after.expected_precision) == (0.8, pytest.approx(0.8))
    assert after.expected_recall == pytest.approx(0.16)
    assert merged(choice, np.array([])).expected_recall == 0.0
    data = generate(300, 3, seed=4)
    result = link([dict(r, source=src) for src, rs in data.lists.items() for r in rs])
    pairs, where = result.scored.pairs, result.clusters.cluster_of
    inside = pairs[pairs.unique_id_l.map(where) == pairs.unique_id_r.map(where)]
    assert result.choice.expected_precision == pytest.approx(inside.match_probability.mean())
    assert result.scored.model["dalil_threshold"] == result.choice.to_dict()


def test_two_records_of_one_list_join_a_person_only_on_their_own_evidence() -> None:
    # FEBRL4's wrong persons: two true pairs bridged by a strong cross pair, although the
    # two records of list A were never compared (A names each person once); B2 is on a
    # third list so that only A's two records are in question
    a1, a2, b1, b2 = "A\x1f1", "A\x1f2", "B\x1f1", "C\x1f2"
    keys = [a1, a2, b1, b2]
    pairs = [(a1, b1, 0.99), (a2, b2, 0.98), (a2, b1, 0.9)]
    kept = cluster(keys, pairs, config=LinkageConfig(threshold=0.8), n_sources=2)
    assert kept.cluster_of[a1] == kept.cluster_of[b1] != kept.cluster_of[a2]
    refused = [r for r in kept.review if r.kind == "conflict" and {r.left, r.right} == {a2, b1}]
    assert [r.reason for r in refused] == [
        "merge refused: two records of one list not shown to be one person"
    ]
    # a duplicate within list A that its own two records show does join
    shown = [*pairs, (a1, a2, 0.85)]
    joined = cluster(keys, shown, config=LinkageConfig(threshold=0.8), n_sources=2)
    assert len(set(joined.cluster_of.values())) == 1
    # scored, but below same_list_at: refused again
    weak = [*pairs, (a1, a2, 0.6)]
    refused = cluster(keys, weak, config=LinkageConfig(threshold=0.8))
    assert len(set(refused.cluster_of.values())) == 2
    # and never stricter than a threshold the run was given
    given = cluster(keys, weak, config=LinkageConfig(threshold=0.55))
    assert len(set(given.cluster_of.values())) == 1
    # the rule is one setting away from off
    off = cluster(keys, pairs, config=LinkageConfig(threshold=0.8, same_list_at=None))
    assert len(set(off.cluster_of.values())) == 1
    # a reviewer's "match" is followed, and then A1 is the list-mate left without evidence
    forced = cluster(keys, pairs, [(a2, b1, "match")], LinkageConfig(threshold=0.8))
    assert forced.cluster_of[a2] == forced.cluster_of[b1] != forced.cluster_of[a1]


def test_the_matches_expected_count_a_record_at_most_once_in_another_list() -> None:
    import duckdb

    from dalil.linkage.model import _EXPECTED_MATCHES_SQL

    a1, a2, b1, b2, b3 = "A\x1f1", "A\x1f2", "B\x1f1", "B\x1f2", "B\x1f3"
    rows = [
        (a1, b1, 0.7),  # A1 has three namesakes in B: together 1.8, but at most one match
        (b2, a1, 0.6),  # (either order of the pair)
        (a1, b3, 0.5),
        (a2, b3, 0.4),  # B3's side: 0.5 + 0.4 = 0.9
        (b1, b2, 0.3),  # within list B: counted in full
    ]
    db = duckdb.connect()
    db.execute("create table t (unique_id_l text, unique_id_r text, match_probability double)")
    db.executemany("insert into t values (?, ?, ?)", rows)
    n, s = db.execute(_EXPECTED_MATCHES_SQL.replace("{this}", "t")).fetchone()
    # A's side: min(1, 1.8) + 0.4 = 1.4; B's side: 0.7 + 0.6 + 0.9 = 2.2; the smaller, plus 0.3
    assert (n, s) == (5, pytest.approx(1.7))
