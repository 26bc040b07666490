"""Link and deduplicate victim lists into persons: Splink scoring plus dalil's clustering.

Pipeline (../design/linkage.md §3):

1. :func:`prepare` turns list rows into comparison columns: name parts parsed from the
   full name (or taken from the part columns), each as a cross-script key
   (:mod:`dalil.linkage.names`); sex; age; date of death as a day interval (a month-only
   date is the whole month); place as a gazetteer id and its governorate.
2. A Fellegi-Sunter model in Splink (DuckDB by default, Spark optional) scores candidate
   pairs from blocking rules chosen to keep recall when fields are missing. Training is
   unsupervised: lambda from deterministic rules, u by random sampling, m by two EM
   sessions on different blocks. Exact key levels carry term-frequency adjustments, so
   agreeing on "mhmd" counts for less than agreeing on a rare name.
3. :func:`cluster` merges pairs above the threshold greedily, strongest first, but refuses
   a merge that would put into one person two records that were compared and scored
   below ``conflict_below``, that a reviewer said are different people, or that would make
   the cluster bigger than ``max_cluster_size``. This resists the chaining of connected
   components (A~B, B~C but A!~C). Refused strong merges become review items.
4. Reviewer decisions are honoured on every run: "match" is a must-link, "no_match" a
   cannot-link.

The trained model is returned as Splink's JSON so a result can be audited and re-scored.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from typing import Any, Literal

import pandas as pd

from dalil.errors import InvalidInput
from dalil.linkage import fields, names
from dalil.linkage.places import PlaceIndex

Backend = Literal["duckdb", "spark"]
Decision = Literal["match", "no_match", "unsure"]
KEY_SEP = "\x1f"
_EPOCH = date(1970, 1, 1).toordinal()
NAME_PARTS = ("given", "father", "grandfather", "family")


@dataclass(frozen=True)
class LinkageConfig:
    """Thresholds are match probabilities; see docs/linkage.md for how they were chosen."""

    threshold: float = 0.8
    review_low: float = 0.3
    conflict_below: float = 0.05
    max_cluster_size: int = 0  # 0: twice the number of sources, at least 4
    u_max_pairs: float = 2e6
    em_max_pairs: float | None = None
    seed: int = 1
    backend: Backend = "duckdb"


def record_key(source: str, record_id: str) -> str:
    return f"{source}{KEY_SEP}{record_id}"


def split_key(key: str) -> tuple[str, str]:
    source, _, record_id = key.partition(KEY_SEP)
    return source, record_id


@lru_cache(maxsize=500_000)
def _token_key(token: str) -> str:
    return names.token_key(token)


def _part_key(text: str) -> str | None:
    key = " ".join(k for k in (_token_key(t) for t in names.name_tokens(text)) if k)
    return key or None


def _name_columns(row: dict[str, str]) -> dict[str, Any]:
    parsed = names.parse_name(row.get("full_name", "") or "")
    out: dict[str, Any] = {}
    for part, col in zip(
        NAME_PARTS, ("given_name", "father_name", "grandfather_name", "family_name"), strict=True
    ):
        given = (row.get(col) or "").strip()
        out[f"{part}_k"] = _part_key(given) if given else _part_key(getattr(parsed, part))
    tokens = sorted({k for k in (_token_key(t) for t in parsed.tokens) if k})
    out["tokens"] = tokens or None
    out["full_k"] = " ".join(x for x in (out["given_k"], out["father_k"], out["family_k"]) if x)
    out["full_k"] = out["full_k"] or None
    return out


def prepare(rows: Iterable[dict[str, str]], places: PlaceIndex | None = None) -> pd.DataFrame:
    """Comparison columns for list rows (each with ``source`` and ``record_id``).

    Values are assumed already validated by the importer; unreadable optional values here
    (stateless use) are treated as missing rather than failing the run.
    """
    places = places or PlaceIndex.packaged()
    out = []
    for row in rows:
        rec: dict[str, Any] = {
            "unique_id": record_key(row["source"], row["record_id"]),
            "source": row["source"],
        }
        rec.update(_name_columns(row))
        rec["sex"] = _safe(fields.parse_sex, row.get("sex", ""))
        rec["age"] = _safe(fields.parse_age, row.get("age", ""))
        span = _safe(fields.parse_date, row.get("date_of_death", ""))
        rec["dod_lo"] = span[0].toordinal() - _EPOCH if span else None
        rec["dod_hi"] = span[1].toordinal() - _EPOCH if span else None
        place, gov = places.place_key(row.get("place_of_death", "") or "")
        rec["place"] = place or None
        given_gov = (row.get("governorate") or "").strip()
        rec["gov"] = gov or (places.governorate(given_gov) if given_gov else None) or None
        out.append(rec)
    frame = pd.DataFrame.from_records(
        out,
        columns=[
            "unique_id",
            "source",
            "given_k",
            "father_k",
            "grandfather_k",
            "family_k",
            "tokens",
            "full_k",
            "sex",
            "age",
            "dod_lo",
            "dod_hi",
            "place",
            "gov",
        ],
    )
    frame["age"] = frame["age"].astype("Int64")
    frame["dod_lo"] = frame["dod_lo"].astype("Int64")
    frame["dod_hi"] = frame["dod_hi"].astype("Int64")
    return frame


def _safe(parse: Callable[[str], Any], value: str | None) -> Any:
    try:
        return parse(value or "")
    except ValueError:
        return None


# -- Splink model ------------------------------------------------------------------------------


#: Fixed m probabilities for "disagree" levels. Unsupervised EM on victim lists confuses
#: siblings (same father, grandfather, family, date and place) with duplicates and learns
#: that a different given name is common among matches; domain knowledge says otherwise:
#: the same person's records rarely disagree on given name or sex beyond spelling.
_FIXED_ELSE_M = {"given": 0.002, "sex": 0.02, "age": 0.03}


def _else(part: str) -> Any:
    import splink.comparison_level_library as cll

    level: Any = cll.ElseLevel()
    if part in _FIXED_ELSE_M:
        level = level.configure(m_probability=_FIXED_ELSE_M[part], fix_m_probability=True)
    return level


def _name_comparison(part: str, tf: bool) -> Any:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    col = f"{part}_k"
    exact: Any = cll.ExactMatchLevel(col)
    if tf:
        exact = exact.configure(
            tf_adjustment_column=col, tf_adjustment_weight=1.0, tf_minimum_u_value=0.001
        )
    return cl.CustomComparison(
        output_column_name=part,
        comparison_levels=[
            cll.NullLevel(col),
            exact,
            cll.JaroWinklerLevel(col, 0.9),
            cll.JaroWinklerLevel(col, 0.75),
            _else(part),
        ],
        comparison_description=f"{part} name, cross-script key",
    )


def _comparisons() -> list[Any]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl

    gap = 'greatest("dod_lo_l", "dod_lo_r") - least("dod_hi_l", "dod_hi_r")'
    return [
        _name_comparison("given", tf=True),
        _name_comparison("father", tf=True),
        _name_comparison("grandfather", tf=False),
        _name_comparison("family", tf=True),
        cl.CustomComparison(
            output_column_name="sex",
            comparison_levels=[cll.NullLevel("sex"), cll.ExactMatchLevel("sex"), _else("sex")],
        ),
        cl.CustomComparison(
            output_column_name="age",
            comparison_levels=[
                cll.NullLevel("age"),
                cll.CustomLevel('abs("age_l" - "age_r") <= 1', "within 1 year"),
                cll.CustomLevel('abs("age_l" - "age_r") <= 3', "within 3 years"),
                cll.CustomLevel('abs("age_l" - "age_r") <= 8', "within 8 years"),
                _else("age"),
            ],
        ),
        cl.CustomComparison(
            output_column_name="date_of_death",
            comparison_levels=[
                cll.NullLevel("dod_lo"),
                cll.CustomLevel(f"{gap} <= 0", "intervals overlap"),
                cll.CustomLevel(f"{gap} <= 2", "within 2 days"),
                cll.CustomLevel(f"{gap} <= 31", "within a month"),
                cll.ElseLevel(),
            ],
        ),
        cl.CustomComparison(
            output_column_name="place",
            comparison_levels=[
                cll.CustomLevel(
                    '("place_l" IS NULL OR "place_r" IS NULL) AND '
                    '("gov_l" IS NULL OR "gov_r" IS NULL)',
                    "null",
                ).configure(is_null_level=True),
                cll.ExactMatchLevel("place"),
                cll.ExactMatchLevel("gov"),
                cll.ElseLevel(),
            ],
        ),
    ]


BLOCKING_RULES = (
    ("given_k", "family_k"),
    ("given_k", "father_k", "gov"),
    ("father_k", "family_k"),
    ("given_k", "grandfather_k", "family_k"),
    ("given_k", "dod_lo", "place"),
    ("given_k", "age", "gov"),
    ("family_k", "dod_lo", "place"),
    ("family_k", "father_k", "grandfather_k"),
)
"""Each rule is a set of columns that must be equal. Together they tolerate one missing or
misspelt name part (any two of given/father/family suffice) and a missing family name
(given + date + place)."""


def _settings(blocking: Sequence[Sequence[str]]) -> Any:
    from splink import SettingsCreator, block_on

    return SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="unique_id",
        blocking_rules_to_generate_predictions=[block_on(*cols) for cols in blocking],
        comparisons=_comparisons(),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=["source"],
    )


def _db_api(backend: Backend) -> Any:
    if backend == "spark":
        try:
            from pyspark.sql import SparkSession  # type: ignore[import-not-found,unused-ignore]
            from splink.backends.spark import SparkAPI
        except ImportError as exc:
            raise InvalidInput(
                "the Spark backend needs pyspark: pip install 'dalil[spark]'", path="--backend"
            ) from exc
        spark = SparkSession.builder.master("local[*]").appName("dalil-linkage").getOrCreate()
        spark.sparkContext.setCheckpointDir("/tmp/dalil-spark-checkpoints")
        return SparkAPI(spark_session=spark)  # type: ignore[no-untyped-call]
    from splink import DuckDBAPI

    return DuckDBAPI()


@dataclass
class Scored:
    """Scored candidate pairs and the model that scored them."""

    pairs: pd.DataFrame  # unique_id_l, unique_id_r, match_probability, gamma_* columns
    model: dict[str, Any]
    candidate_pairs: int


def score(
    prepared: pd.DataFrame,
    config: LinkageConfig = LinkageConfig(),
    *,
    say: Callable[[str], None] = lambda _msg: None,
) -> Scored:
    """Train the model without labels and score every candidate pair above 1 %."""
    from splink import Linker, block_on

    logging.getLogger("splink").setLevel(logging.WARNING)
    if len(prepared) < 2:
        return Scored(_empty_pairs(), {}, 0)
    db_api = _db_api(config.backend)
    data = prepared
    if config.backend == "spark":
        data = db_api.spark.createDataFrame(prepared.astype(object).where(prepared.notna(), None))
    linker = Linker(db_api.register(data), _settings(BLOCKING_RULES))
    say("estimating the match rate")
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_k", "father_k", "family_k"), block_on("given_k", "family_k", "dod_lo")],
        recall=0.7,
    )
    say("estimating u by random sampling")
    linker.training.estimate_u_using_random_sampling(max_pairs=config.u_max_pairs, seed=config.seed)
    for rule in (block_on("given_k", "family_k"), block_on("dod_lo", "place")):
        say(f"EM training blocked on {rule.get_blocking_rule('duckdb').blocking_rule_sql}")
        linker.training.estimate_parameters_using_expectation_maximisation(
            rule, estimate_without_term_frequencies=True
        )
    say("scoring candidate pairs")
    predictions = linker.inference.predict(threshold_match_probability=0.01)
    pairs: pd.DataFrame = predictions.as_pandas_dataframe()  # type: ignore[no-untyped-call]
    model = linker.misc.save_model_to_json()
    return Scored(pairs, model, len(pairs))


def _empty_pairs() -> pd.DataFrame:
    return pd.DataFrame({"unique_id_l": [], "unique_id_r": [], "match_probability": []})


# -- clustering --------------------------------------------------------------------------------


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


def _entropy(p: float) -> float:
    p = min(max(p, 1e-9), 1 - 1e-9)
    return -(p * math.log2(p) + (1 - p) * math.log2(1 - p))


def cluster(
    keys: Sequence[str],
    pairs: Iterable[tuple[str, str, float]],
    decisions: Iterable[tuple[str, str, Decision]] = (),
    config: LinkageConfig = LinkageConfig(),
    n_sources: int = 1,
) -> Clusters:
    """Constrained greedy clustering (see the module docstring); deterministic."""
    max_size = config.max_cluster_size or max(4, 2 * n_sources)
    pair_list = sorted(
        ((a, b, p) if a < b else (b, a, p) for a, b, p in pairs), key=lambda t: (-t[2], t[0], t[1])
    )
    scores = {(a, b): p for a, b, p in pair_list}
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

    def blocked(ra: str, rb: str, *, forced: bool) -> Literal["large", "conflict"] | None:
        if not forced and len(members[ra]) + len(members[rb]) > max_size:
            return "large"
        for x in members[ra]:
            for y in members[rb]:
                pair = (x, y) if x < y else (y, x)
                if pair in cannot:
                    return "conflict"
                if not forced and scores.get(pair, 1.0) < config.conflict_below:
                    return "conflict"
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
        if p < config.threshold:
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
            review.append(
                ReviewItem(
                    why,
                    a,
                    b,
                    p,
                    size * (1 + p),
                    "merge refused: "
                    + (
                        "cluster too large"
                        if why == "large"
                        else "a member pair scored as different people"
                    ),
                )
            )
    for a, b, p in pair_list:
        if p >= config.threshold or p < config.review_low or (a, b) in decided:
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


@dataclass
class LinkResult:
    """Everything a run produced: per-record cluster ids, pairs, review queue, model."""

    prepared: pd.DataFrame
    scored: Scored
    clusters: Clusters
    config: LinkageConfig

    def captures(self) -> tuple[list[str], dict[str, tuple[int, ...]]]:
        """Sources (sorted) and each person's 0/1 capture history over them."""
        sources = sorted(self.prepared["source"].unique())
        hist: dict[str, list[int]] = {}
        for key, cid in self.clusters.cluster_of.items():
            h = hist.setdefault(cid, [0] * len(sources))
            h[sources.index(split_key(key)[0])] = 1
        return sources, {cid: tuple(h) for cid, h in sorted(hist.items())}


def link(
    rows: Sequence[dict[str, str]],
    config: LinkageConfig = LinkageConfig(),
    *,
    decisions: Iterable[tuple[str, str, Decision]] = (),
    places: PlaceIndex | None = None,
    say: Callable[[str], None] = lambda _msg: None,
) -> LinkResult:
    """Link rows (each with ``source`` and ``record_id``) into persons."""
    say(f"preparing {len(rows):,} records")
    prepared = prepare(rows, places)
    dupes = prepared["unique_id"][prepared["unique_id"].duplicated()]
    if len(dupes):
        source, rid = split_key(str(dupes.iloc[0]))
        raise InvalidInput(
            "record_id is not unique within its source", path=f"{source}:{rid}:record_id"
        )
    scored = score(prepared, config, say=say)
    say("clustering")
    triples = zip(
        scored.pairs["unique_id_l"],
        scored.pairs["unique_id_r"],
        scored.pairs["match_probability"],
        strict=True,
    )
    clusters = cluster(
        list(prepared["unique_id"]),
        ((str(a), str(b), float(p)) for a, b, p in triples),
        decisions,
        config,
        n_sources=prepared["source"].nunique(),
    )
    return LinkResult(prepared, scored, clusters, config)
