"""The synthetic victim lists (``dalil.linkage.synth``): the same seed gives the same lists.

Benchmarks and linkage tests compare figures across commits, so a seed must keep giving
byte-identical lists. The digest below was taken before the generator was split into
``synth_population`` and ``synth_spelling`` and its name lexicon moved to
``linkage.name_pool`` (issue 21); a change to the generator that alters the lists must
say so by changing it (and re-running ``benchmarks/``).
"""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

from dalil.intake.victim_lists import FIELDS
from dalil.linkage.synth import STYLES, SyntheticLists, generate, pairs_within

#: sha256 of generate(300, 4, seed=1)'s lists and truth, as dumped by :func:`_digest`.
DIGEST_300_4_SEED_1 = "cc4dacdf1957cb428a77b4b971d836da36232ebdff563f39b6a20b9ae525bfa5"


def _digest(data: SyntheticLists) -> str:
    truth = sorted((source, rid, n) for (source, rid), n in data.truth.items())
    doc = json.dumps({"lists": data.lists, "truth": truth}, ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(doc.encode()).hexdigest()


def test_a_seed_gives_the_lists_it_always_gave() -> None:
    data = generate(300, 4, seed=1)
    assert _digest(data) == DIGEST_300_4_SEED_1
    assert (len(data.truth), len(data.true_pairs())) == (459, 295)
    assert _digest(generate(300, 4, seed=2)) != DIGEST_300_4_SEED_1


def test_lists_cycle_through_the_styles_with_their_own_record_ids() -> None:
    data = generate(200, 5, seed=3)
    assert list(data.lists) == [
        "list_a_arabic",
        "list_b_english",
        "list_c_french",
        "list_d_tfp",
        "list_e_english",
    ]
    assert set(STYLES) == {name.split("_")[2] for name in data.lists}
    for i, (name, rows) in enumerate(data.lists.items()):
        ids = [row["record_id"] for row in rows]
        assert len(set(ids)) == len(ids) and all(r.startswith("ABCDE"[i]) for r in ids)
        assert all(set(row) == set(FIELDS) for row in rows)
        assert {(name, rid) for rid in ids} <= set(data.truth)
    assert len(data.truth) == sum(len(rows) for rows in data.lists.values())
    assert set(data.truth.values()) <= {p.n for p in data.people}


def test_true_pairs_are_the_pairs_within_each_person() -> None:
    data = generate(100, 3, seed=4, duplicate_rate=0.3)
    pairs = data.true_pairs()
    assert pairs and all(a < b and data.truth[a] == data.truth[b] for a, b in pairs)
    per_person: dict[int, int] = {}
    for n in data.truth.values():
        per_person[n] = per_person.get(n, 0) + 1
    assert len(pairs) == sum(k * (k - 1) // 2 for k in per_person.values())


def test_pairs_within_groups() -> None:
    assert pairs_within([["b", "a", "c"], ["d"], []]) == {("a", "b"), ("a", "c"), ("b", "c")}
    assert pairs_within([]) == set()


def test_write_gives_one_csv_per_list_and_the_truth(tmp_path: Path) -> None:
    data = generate(60, 2, seed=5)
    paths = data.write(str(tmp_path / "out"))
    assert [Path(p).name for p in paths] == ["list_a_arabic.csv", "list_b_english.csv"]
    for path, rows in zip(paths, data.lists.values(), strict=True):
        with open(path, encoding="utf-8", newline="") as fh:
            assert list(csv.DictReader(fh)) == rows
    with open(tmp_path / "out" / "truth.csv", encoding="utf-8", newline="") as fh:
        truth = list(csv.DictReader(fh))
    assert len(truth) == len(data.truth)
    assert all(
        data.truth[(t["source"], t["record_id"])] == int(t["true_person"][1:]) for t in truth
    )
