"""Linkage quality on evaluation sets that dalil's own generator did not make (issue 25, 3).

    .venv/bin/python benchmarks/linkage_independent.py --set second --people 5000 --seed 1
    .venv/bin/python benchmarks/linkage_independent.py --set names --people 5000 --seed 1 \\
        [--names-source both|google|wikidata]
    .venv/bin/python benchmarks/linkage_independent.py --set pairs [--people 5000]  (at most
        that many positive pairs of each kind) [--names-source ...]
    options: --config FIELD=NUMBER (a LinkageConfig field, repeatable: conflict_below=0.6),
             --oracle (the best any classifier can do on dalil's candidate pairs),
             --no-plain (skip plain Splink), --keep DIR (keep the CSVs), --examples N,
             --half test (second set: names only from the held-out half of the name data)

``second``: :mod:`linkage_sets.second_generator` (five lists, three in Arabic script, two
in Latin with different transliteration habits, noise written from issue 25's list).
``names``: :mod:`linkage_sets.name_pairs` lists whose names are drawn from the held-out
(test) half of real transliteration pairs. ``pairs``: the held-out name pairs themselves,
scored by dalil's cross-script key (see :func:`comparator`).

Each set is written as the CSV files ``dalil link-lists`` reads, read back with
:func:`dalil.intake.victim_lists.read_list` and turned into rows exactly as link-lists does
(source = file stem), then linked by ``dalil.linkage.engine.link`` with its defaults and
by plain Splink (``benchmarks/linkage.py``'s ``plain_splink``: first and last token as
given name and surname, Splink's default comparisons, connected components at 0.9), given
dates, ages and sex parsed to ISO/years/m-f first (:func:`for_plain_splink`), and by
Splink's standard comparisons on dalil's Arabic-aware keys (``keyed_splink``: the
"plain, honestly-built Splink model with Arabic-aware keys" issue 25 compares with).

Metrics are pairwise over every true pair (pairs lost at blocking are misses), overall
and per pair type: a pair's type is the scripts of its two records' ``full_name``
(Arabic-Arabic, Arabic-Latin, Latin-Latin). Precision of a type counts the found pairs of
that type. Seconds are wall time of linking (not generation or reading), the median of
``--repeat`` runs of dalil and plain Splink taken alternately (dalil first), after both
have linked a small list set once (:func:`warm_up`), dalil's caches of values emptied before
each of its runs; Splink on dalil's keys is timed once.
"""

from __future__ import annotations

import argparse
import importlib.util
import logging
import platform
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent))

from linkage_sets import Generated, is_arabic, name_pairs, second_generator, write

from dalil.intake import fields
from dalil.intake.victim_lists import read_list
from dalil.linkage.engine import LinkageConfig, link, prepare, record_key, score

Pair = tuple[str, str]
TYPES = ("ar-ar", "ar-lat", "lat-lat")
SHOWN = ("full_name", "sex", "age", "date_of_death", "place_of_death")


def baseline() -> ModuleType:
    """``benchmarks/linkage.py`` (plain Splink, the oracle), loaded by path."""
    path = Path(__file__).resolve().parent / "linkage.py"
    spec = importlib.util.spec_from_file_location("dalil_linkage_bench", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def rows_from_files(files: Iterable[Path]) -> list[dict[str, str]]:
    """The rows ``dalil link-lists`` builds from list files (source = file stem)."""
    rows: list[dict[str, str]] = []
    for f in files:
        parsed = read_list(f)
        rows.extend({**r.raw, **r.values, "source": f.stem} for r in parsed.rows)
    return rows


def for_plain_splink(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """Dates, ages and sex as any Splink user would prepare them (ISO date, whole years,
    m/f, with dalil's field parsers); names are left as the lists write them."""
    out = []
    for r in rows:
        span = fields.parse_date(r.get("date_of_death") or "")
        age, sex = fields.parse_age(r.get("age") or ""), fields.parse_sex(r.get("sex") or "")
        out.append(
            r
            | {
                "date_of_death": span[0].isoformat() if span and span[0] == span[1] else "",
                "age": "" if age is None else str(age),
                "sex": sex or "",
            }
        )
    return out


def clear_value_caches() -> None:
    """Empty dalil's caches of values seen (name keys, dates, places), so that a timed run
    starts as a new process would; tables loaded once per process stay loaded."""
    from dalil.linkage import features
    from dalil.places import name_variants, names

    for module in (features, names, name_variants):
        for obj in vars(module).values():
            info = getattr(obj, "cache_info", None)
            if info is not None and info().maxsize is not None:
                obj.cache_clear()


def warm_up(args: argparse.Namespace) -> None:
    """Link a small list set of another seed with each timed method first: the first run
    in a process pays one-time costs (imports, DuckDB and sqlglot set-up, packaged tables;
    about 0.5 s for dalil, measured) that the method timed first would otherwise carry
    alone."""
    small = second_generator.generate(150, args.seed + 1000)
    with tempfile.TemporaryDirectory() as tmp:
        rows = rows_from_files(write(small, Path(tmp)))
    link(rows, config(args.set_option))
    if not args.no_plain:
        baseline().plain_splink(for_plain_splink(rows))


def pairs_within(groups: Iterable[Iterable[str]]) -> set[Pair]:
    out: set[Pair] = set()
    for group in groups:
        members = sorted(group)
        out.update((a, b) for i, a in enumerate(members) for b in members[i + 1 :])
    return out


def truth_pairs(gen: Generated) -> set[Pair]:
    persons: dict[str, list[str]] = {}
    for (source, rid), pid in gen.truth.items():
        persons.setdefault(pid, []).append(record_key(source, rid))
    return pairs_within(persons.values())


def pair_type(pair: Pair, script: dict[str, str]) -> str:
    a, b = sorted((script[pair[0]], script[pair[1]]))
    return f"{a}-{b}"


def metrics(
    found: set[Pair], truth: set[Pair], script: dict[str, str]
) -> dict[str, tuple[float, ...]]:
    """(precision, recall, F1, true pairs) overall and per pair type."""
    out: dict[str, tuple[float, ...]] = {}
    for t in ("all", *TYPES):
        f = found if t == "all" else {p for p in found if pair_type(p, script) == t}
        tr = truth if t == "all" else {p for p in truth if pair_type(p, script) == t}
        tp = len(f & tr)
        p = tp / len(f) if f else 0.0
        r = tp / len(tr) if tr else 0.0
        out[t] = (p, r, 2 * p * r / (p + r) if p + r else 0.0, len(tr))
    return out


def shown(row: dict[str, str]) -> str:
    return ", ".join(row.get(f) or "–" for f in SHOWN)


def config(options: list[str]) -> LinkageConfig:
    """The defaults with ``FIELD=NUMBER`` options applied (numeric fields only)."""
    values = {}
    for option in options:
        name, _, value = option.partition("=")
        values[name] = float(value) if "." in value or "e" in value else int(value)
    return LinkageConfig(**values)  # type: ignore[arg-type]


def run(gen: Generated, args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        directory = Path(args.keep) if args.keep else Path(tmp)
        rows = rows_from_files(write(gen, directory))
    by_key = {record_key(r["source"], r["record_id"]): r for r in rows}
    script = {k: "ar" if is_arabic(r["full_name"]) else "lat" for k, r in by_key.items()}
    truth = truth_pairs(gen)
    persons = len(set(gen.truth.values()))
    print(
        f"{len(rows):,} records in {len(gen.lists)} lists, {gen.people:,} people "
        f"({persons:,} on some list), {len(truth):,} true pairs"
    )
    results: list[tuple[str, dict[str, tuple[float, ...]], str]] = []
    warm_up(args)
    times: dict[str, list[float]] = {"dalil": [], "plain": []}
    for _ in range(args.repeat):  # alternately, each from cold name caches
        clear_value_caches()
        t0 = time.perf_counter()
        result = link(rows, config(args.set_option))
        times["dalil"].append(time.perf_counter() - t0)
        if not args.no_plain:
            t0 = time.perf_counter()  # parsing dates, ages and sex is timed, as in dalil's
            plain_rows = for_plain_splink(rows)
            parsing = time.perf_counter() - t0
            plain_found, seconds = baseline().plain_splink(plain_rows)
            times["plain"].append(seconds + parsing)
    seconds = statistics.median(times["dalil"])
    if args.repeat > 1:
        for name, ts in times.items():
            if ts:
                print(f"{name} seconds: {', '.join(f'{t:.2f}' for t in ts)}")
    found = pairs_within(result.clusters.members().values())
    dalil_found = found
    c = result.choice
    scored = result.scored.pairs
    where = result.clusters.cluster_of
    inside = scored[scored.unique_id_l.map(where) == scored.unique_id_r.map(where)]
    merged = {
        (a, b) if a < b else (b, a)
        for a, b in zip(inside.unique_id_l, inside.unique_id_r, strict=True)
    }
    print(
        f"threshold {c.threshold:.2f} ({'chosen' if c.chosen else 'fixed'}): expected precision "
        f"{c.expected_precision:.3f}, recall {c.expected_recall:.3f}; measured on the scored "
        f"pairs put into one person {len(merged & truth) / max(1, len(merged)):.3f}, "
        f"{len(merged & truth) / len(truth):.3f}"
    )
    persons_found = len(set(result.clusters.cluster_of.values()))
    results.append((f"dalil link ({persons_found:,} persons)", metrics(found, truth, script),
                    f"{seconds:.1f}"))  # fmt: skip
    if not args.no_plain:
        seconds = statistics.median(times["plain"])
        results.append(("plain Splink (clusters at 0.9)", metrics(plain_found, truth, script),
                        f"{seconds:.1f}"))  # fmt: skip
        found, seconds = baseline().keyed_splink(rows)
        results.append(("Splink on dalil's keys (clusters at 0.9)", metrics(found, truth, script),
                        f"{seconds:.1f}"))  # fmt: skip
    candidates: set[Pair] = set()
    if args.oracle:
        full = score(prepare(rows), LinkageConfig(predict_floor=0.0, keep_comparison_vectors=True))
        p, r, f = baseline().oracle(full.pairs, truth)
        ids = zip(full.pairs.unique_id_l, full.pairs.unique_id_r, strict=True)
        candidates = {(a, b) if a < b else (b, a) for a, b in ids}
        print(f"oracle ceiling on dalil's candidate pairs: P {p:.4f} R {r:.4f} F1 {f:.4f}")
        print("(a ceiling per pair, before clustering: clusters can add pairs by transitivity)")
        for t in ("all", *TYPES):
            tr = truth if t == "all" else {q for q in truth if pair_type(q, script) == t}
            print(f"blocking recall ({t}): {len(candidates & tr) / max(1, len(tr)):.4f}")
    print("\n| method | pairs | precision | recall | F1 | true pairs | seconds |")
    print("|---|---|---|---|---|---|---|")
    for name, m, s in results:
        for t in ("all", *TYPES):
            p, r, f, n = m[t]
            print(f"| {name} | {t} | {p:.4f} | {r:.4f} | {f:.4f} | {int(n):,} | {s} |")
    rng = random.Random(args.seed)
    for t in TYPES:
        missed = sorted(p for p in truth - dalil_found if pair_type(p, script) == t)
        wrong = sorted(p for p in dalil_found - truth if pair_type(p, script) == t)
        for title, pairs in ((f"missed ({t})", missed), (f"wrongly merged ({t})", wrong)):
            if not pairs:
                continue
            print(f"\n{len(pairs):,} pairs {title}, for example:\n")
            print("| record A | record B |\n|---|---|")
            for a, b in rng.sample(pairs, min(args.examples, len(pairs))):
                note = " (never compared)" if candidates and (a, b) not in candidates else ""
                print(f"| {shown(by_key[a])} | {shown(by_key[b])}{note} |")


def comparator(args: argparse.Namespace) -> None:
    """dalil's cross-script key (:func:`dalil.places.names.cross_key`, with and without its
    dictionary-learnt spellings) as a name comparator on the held-out pairs: share of
    positive and of hard-negative pairs whose keys are equal, or Jaro-Winkler >= 0.9."""
    import duckdb
    import pandas as pd

    from dalil.places.names import cross_key

    sources = ("google", "wikidata") if args.names_source == "both" else (args.names_source,)
    pairs = name_pairs.pairs("test", args.seed, sources=sources, limit=args.people)
    print(f"{len(pairs):,} pairs from the test half of {' + '.join(sources)}\n")
    print("| kind | keys | positives | equal | JW >= 0.9 | negatives | equal | JW >= 0.9 |")
    print("|---|---|---|---|---|---|---|---|")
    for kind in ("ar-lat", "lat-lat", "ar-ar"):
        for learnt in (True, False):
            frame = pd.DataFrame(
                [
                    (cross_key(p.a, learnt=learnt), cross_key(p.b, learnt=learnt), p.match)
                    for p in pairs
                    if p.kind == kind
                ],
                columns=["a", "b", "match"],
            )
            con = duckdb.connect()
            con.register("frame", frame)
            frame["jw"] = con.execute("select jaro_winkler_similarity(a, b) from frame").df()
            cells = []
            for match in (True, False):
                f = frame[frame.match == match]
                n = max(1, len(f))
                cells += [
                    f"{len(f):,}",
                    f"{(f.a == f.b).sum() / n:.3f}",
                    f"{(f.jw >= 0.9).sum() / n:.3f}",
                ]
            label = "rules + learnt table" if learnt else "rules only"
            print(f"| {kind} | {label} | {' | '.join(cells)} |")


def main() -> None:
    logging.disable(logging.WARNING)  # Splink's training log (hundreds of lines a run)
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--set", choices=("second", "names", "pairs"), required=True)
    ap.add_argument("--people", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--names-source", choices=("both", "google", "wikidata"), default="both")
    ap.add_argument("--half", choices=("test",), help="second: names from the held-out half")
    ap.add_argument("--config", dest="set_option", action="append", default=[],
                    metavar="FIELD=NUMBER", help="LinkageConfig field: threshold=0.7")  # fmt: skip
    ap.add_argument("--oracle", action="store_true")
    ap.add_argument("--no-plain", action="store_true")
    ap.add_argument("--keep", metavar="DIR")
    ap.add_argument("--examples", type=int, default=4)
    ap.add_argument("--repeat", type=int, default=1, choices=range(1, 11), metavar="1..10",
                    help="timed runs of each (median)")  # fmt: skip
    args = ap.parse_args()
    print(
        f"machine: {platform.node()} {platform.processor() or platform.machine()}, "
        f"python {platform.python_version()}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    print(f"set {args.set}, people {args.people:,}, seed {args.seed}")
    if args.set == "pairs":
        comparator(args)
        return
    if args.set == "second":
        gen = second_generator.generate(args.people, args.seed, half=args.half)
    else:
        sources = ("google", "wikidata") if args.names_source == "both" else (args.names_source,)
        gen = name_pairs.lists(args.people, args.seed, sources=sources)
    run(gen, args)


if __name__ == "__main__":
    main()
