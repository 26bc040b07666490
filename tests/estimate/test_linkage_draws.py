"""Linkage doubt in the estimate: drawing plausible linkages, the combination rule, and
estimate_case with linkage draws on a linked workspace."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from dalil.errors import InvalidInput
from dalil.estimate import linkage_draws, service
from dalil.estimate.captures import CaptureTable
from dalil.estimate.estimates import Estimate, Method
from dalil.intake.victim_lists import read_list
from dalil.linkage import service as linkage
from dalil.linkage import synth
from dalil.linkage.captures import LinkageDoubt
from dalil.linkage.config import LinkageConfig
from dalil.records import cases
from dalil.workspace import Workspace

LISTS = ("A", "B", "C")


def key(source: str, n: int) -> str:
    return f"{source}\x1f{n}"


def doubt(
    pairs: list[tuple[str, str, float]],
    decisions: tuple[tuple[str, str, Any], ...] = (),
    records: tuple[str, ...] = (),
) -> LinkageDoubt:
    keys = records or tuple(sorted({k for a, b, _ in pairs for k in (a, b)}))
    ordered = tuple((min(a, b), max(a, b), p) for a, b, p in pairs)
    return LinkageDoubt("run", LISTS, keys, ordered, decisions, LinkageConfig())


# -- drawing -------------------------------------------------------------------------------


def test_certain_pairs_always_merge_impossible_ones_never_and_records_are_kept() -> None:
    a, b, c, d = key("A", 1), key("B", 1), key("C", 1), key("C", 2)
    lone = key("A", 9)
    drawn = doubt([(a, b, 1.0), (b, c, 0.0), (a, d, 0.7)], records=(a, b, c, d, lone))
    draws = drawn.draw_persons(300, np.random.default_rng(1))
    for persons in draws:
        assert persons[a] == persons[b]  # probability 1: always one person
        assert persons[c] != persons[b]  # probability 0: never
        assert set(persons) == {a, b, c, d, lone}  # every record, once
        histories = drawn.histories(persons)
        # persons x lists == records: the counts are conserved
        assert sum(n * sum(h) for h, n in histories.items()) == 5
    # a pair of probability 0.7 merges in about 70 % of the draws
    share = sum(p[d] == p[a] for p in draws) / len(draws)
    assert 0.6 < share < 0.8


def test_pairs_below_the_floor_never_link_on_their_own() -> None:
    a, b, c, e = key("A", 1), key("B", 1), key("C", 1), key("A", 2)
    drawn = doubt([(a, b, 0.95), (b, c, 0.05), (e, c, 0.005), (e, b, 0.45)])
    for persons in drawn.draw_persons(100, np.random.default_rng(2)):
        assert persons[e] != persons[c] or persons[e] == persons[b]  # only through b
    # with the review threshold as the floor, 0.45 links no more
    for persons in drawn.draw_persons(100, np.random.default_rng(2), floor=0.5):
        assert persons[e] != persons[b] and persons[e] != persons[c]
    # a pair scored as different people weighs against (b~c: 0.05, 0.05/0.95 odds)
    together = [p[b] == p[c] for p in drawn.draw_persons(200, np.random.default_rng(3))]
    assert sum(together) < 0.2 * len(together)


def test_reviewed_decisions_are_fixed_even_transitively() -> None:
    a, b, c = key("A", 1), key("B", 1), key("C", 1)
    pairs = [(a, b, 0.99), (b, c, 0.99), (a, c, 0.8)]
    drawn = doubt(pairs, decisions=((a, c, "no_match"), (key("A", 2), key("B", 2), "match")),
                  records=(a, b, c, key("A", 2), key("B", 2)))  # fmt: skip
    draws = drawn.draw_persons(200, np.random.default_rng(3))
    for persons in draws:
        assert persons[a] != persons[c]  # no_match: not even through b
        assert persons[key("A", 2)] == persons[key("B", 2)]  # match: always
    # b joins a or c (both 0.99), so it is with one of them in nearly every draw
    assert sum(p[b] in (p[a], p[c]) for p in draws) > 0.9 * len(draws)


def test_draws_are_reproducible_for_a_seed() -> None:
    a, b, c = key("A", 1), key("B", 1), key("C", 1)
    drawn = doubt([(a, b, 0.5), (b, c, 0.6), (a, c, 0.7)])
    first = [t.counts.tolist() for t in linkage_draws.draw_tables(drawn, 10, seed=4)]
    again = [t.counts.tolist() for t in linkage_draws.draw_tables(drawn, 10, seed=4)]
    other = [t.counts.tolist() for t in linkage_draws.draw_tables(drawn, 10, seed=5)]
    assert first == again and first != other


# -- the combination rule ------------------------------------------------------------------


def test_the_mixture_gives_every_draw_an_equal_share() -> None:
    low = np.arange(0.0, 1000.0)  # one linkage: N uniform on 0..999
    high = np.arange(1000.0, 5000.0)  # another: 1000..4999, four times as many values
    point, (lo, hi), mixed = linkage_draws.combine([low, high], 0.95, np.random.default_rng(0))
    assert len(mixed) == 2000 and (mixed < 1000).sum() == 1000  # equal shares
    # half the mass below 1000: the median sits at the boundary of the two linkages
    assert 990 <= point <= 1010
    assert 45 <= lo <= 55  # 2.5 % of the mixture: 5 % of the low draw's 0..999
    assert hi > 4700  # 97.5 %: the top 5 % of the high draw's share
    with pytest.raises(InvalidInput, match="no linkage draw"):
        linkage_draws.combine([np.array([])], 0.95, np.random.default_rng(0))


def fake_estimator(table: CaptureTable, method: Method, **options: Any) -> Estimate:
    """N = twice the observed persons, give or take 10, as 100 draws."""
    if table.n >= 4:
        raise InvalidInput("too many for this fake", path="lists")
    draws = 2.0 * table.n + np.linspace(-10, 10, 100)
    return Estimate(method, "fake", table.n, 2.0 * table.n, (draws[2], draws[-3]), 0.95,
                    table.lists, draws=draws)  # fmt: skip


def test_with_linkage_doubt_combines_reports_progress_and_keeps_the_blind_interval() -> None:
    a, b, c = key("A", 1), key("B", 1), key("C", 1)
    drawn = doubt([(a, b, 0.5), (b, c, 0.5)], records=(a, b, c, key("A", 2)))
    blind = fake_estimator(CaptureTable.from_counts(LISTS, {(1, 1, 1): 1, (1, 0, 0): 1}), "lcmcr")
    seen: list[tuple[str, int, int]] = []
    result = linkage_draws.with_linkage_doubt(
        blind, drawn, 30, "lcmcr", estimator=fake_estimator,
        progress=lambda *a: seen.append(a), seed=3,
    )  # fmt: skip
    assert seen == [("draws", i, 30) for i in range(1, 31)]
    summary = result.linkage_doubt
    assert summary is not None
    # 2, 3 or 4 persons per draw; the 4-person draws fail in the fake and are left out
    assert set(summary.observed) <= {2, 3} and summary.failed == 30 - len(summary.observed)
    assert summary.failed > 0 and any("gave no estimate" in w for w in result.warnings)
    assert summary.linkage_blind_interval == blind.interval
    assert result.interval == summary.interval != blind.interval
    # every draw gives all its 100 values: the mixture is exactly their union
    union = np.concatenate([2.0 * n + np.linspace(-10, 10, 100) for n in summary.observed])
    assert result.interval == pytest.approx(tuple(np.quantile(union, [0.025, 0.975])))
    assert result.estimate == pytest.approx(float(np.median(union)))
    out = result.to_dict()
    assert out["interval"] == [round(v, 1) for v in summary.interval]
    assert out["linkage_doubt"]["linkage_blind_interval"] == [round(v, 1) for v in blind.interval]
    assert out["linkage_doubt"]["draws"] == 30 and "mixture" in out["linkage_doubt"]["rule"]


# -- on a linked workspace -----------------------------------------------------------------


def test_estimate_case_with_linkage_draws(ws: Workspace, tmp_path: Path) -> None:
    lists = synth.generate(300, 3, seed=3)
    with ws.session() as s:
        case_id = cases.create_case(s, "Linkage doubt", actor="t").id
        for path in lists.write(str(tmp_path)):
            linkage.import_list(s, case_id, Path(path).stem, read_list(Path(path)), "t")
        linkage.run_linkage(s, case_id, "t")
    options: dict[str, Any] = {"select": "aic", "replicates": 30, "seed": 2}
    with ws.session() as s:
        result = service.estimate_case(s, case_id, "t", "loglinear", linkage_draws=4, **options)
        again = service.estimate_case(s, case_id, "t", "loglinear", linkage_draws=4, **options)
        blind = service.estimate_case(s, case_id, "t", "loglinear", **options)
    with ws.session() as s:
        stored = service.stored(s, case_id)
    assert isinstance(blind, Estimate)
    out = result.to_dict()
    doubt = out["linkage_doubt"]
    assert doubt["draws"] == 4 and len(doubt["estimates"]) == 4 - doubt["failed"]
    assert doubt["linkage_blind_interval"] == blind.to_dict()["interval"]
    assert doubt["linkage_blind_estimate"] == blind.to_dict()["estimate"]
    assert doubt["uncertain_pairs"] > 0
    assert out["interval"] == doubt["interval"]
    assert again.to_dict()["linkage_doubt"] == doubt  # the same seed, the same draws
    # the persons differ between draws only by the doubtful pairs
    assert all(abs(n - blind.observed) <= doubt["uncertain_pairs"] for n in doubt["observed"])
    assert [json.dumps(e.get("linkage_doubt"))[:10] for e in stored][2] == "null"
    assert stored[0]["linkage_doubt"] == doubt and stored[0]["inputs"]["linkage_run"]
    with ws.session() as s, pytest.raises(InvalidInput, match="per stratum"):
        service.estimate_case(s, case_id, "t", "loglinear", ("sex",), linkage_draws=4)
    with ws.session() as s, pytest.raises(InvalidInput, match="at least 2"):
        service.estimate_case(s, case_id, "t", "loglinear", linkage_draws=1)
