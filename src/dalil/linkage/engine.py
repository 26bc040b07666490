"""Link and deduplicate victim lists into persons: Splink scoring plus dalil's clustering.

Pipeline (../design/linkage.md §3), one module per stage:

1. :mod:`~dalil.linkage.features` turns list rows into comparison columns: name parts
   parsed from the full name (or taken from the part columns), each as a cross-script key
   (:mod:`dalil.places.names`); sex; age; dates as day intervals (a month-only date is
   the whole month); place as a gazetteer id and its governorate.
2. :mod:`~dalil.linkage.model`: a Fellegi-Sunter model in Splink (DuckDB by default, Spark
   optional) scores candidate pairs from blocking rules chosen to keep recall when fields
   are missing, trained without labels.
3. :mod:`~dalil.linkage.clusters` merges pairs into persons without chaining and builds
   the review queue.
4. Reviewer decisions are honoured on every run: "match" is a must-link, "no_match" a
   cannot-link.

The trained model is returned as Splink's JSON so a result can be audited and re-scored.
This module wires the stages together (:func:`link`) and is the public entry point; the
names in ``__all__`` are re-exported from the stage modules and :mod:`~dalil.linkage.config`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

import pandas as pd

from dalil.errors import InvalidInput
from dalil.linkage.blocking import BLOCKING_RULES, plan_blocking
from dalil.linkage.clusters import Clusters, ReviewItem, cluster
from dalil.linkage.config import DEFAULT, Backend, Decision, LinkageConfig
from dalil.linkage.features import KEY_SEP, prepare, record_key, split_key
from dalil.linkage.model import Scored, score
from dalil.linkage.threshold import Choice, choose, merged
from dalil.places.index import PlaceIndex

__all__ = [
    "BLOCKING_RULES", "KEY_SEP", "Backend", "Clusters", "Decision", "LinkResult",
    "LinkageConfig", "ReviewItem", "Scored", "cluster", "link", "plan_blocking", "prepare",
    "record_key", "score", "split_key",
]  # fmt: skip


@dataclass
class LinkResult:
    """Everything a run produced: per-record cluster ids, pairs, review queue, model."""

    prepared: pd.DataFrame
    scored: Scored
    clusters: Clusters
    #: The run's settings, with the threshold it merged at.
    config: LinkageConfig
    choice: Choice

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
    config: LinkageConfig = DEFAULT,
    *,
    decisions: Iterable[tuple[str, str, Decision]] = (),
    places: PlaceIndex | None = None,
    say: Callable[[str], None] = lambda _msg: None,
) -> LinkResult:
    """Link rows (each with ``source`` and ``record_id``) into persons."""
    say(f"preparing {len(rows):,} records")
    prepared = prepare(rows, places, config.extra_columns)
    dupes = prepared["unique_id"][prepared["unique_id"].duplicated()]
    if len(dupes):
        source, rid = split_key(str(dupes.iloc[0]))
        raise InvalidInput(
            "record_id is not unique within its source", path=f"{source}:{rid}:record_id"
        )
    decisions = list(decisions)
    matches = [(a, b) for a, b, d in decisions if d == "match"]
    scored = score(prepared, config, matches=matches, say=say)
    probabilities = scored.pairs["match_probability"].to_numpy(dtype=float)
    choice = choose(probabilities, scored.expected_matches, config.threshold)
    config = replace(config, threshold=choice.threshold)
    say("clustering")
    pairs = scored.pairs
    triples = zip(  # plain lists: quicker to walk than pandas columns
        pairs["unique_id_l"].astype(str).tolist(),
        pairs["unique_id_r"].astype(str).tolist(),
        pairs["match_probability"].astype(float).tolist(),
        strict=True,
    )
    clusters = cluster(
        prepared["unique_id"].tolist(),
        triples,
        decisions,
        config,
        n_sources=prepared["source"].nunique(),
    )
    cluster_of = clusters.cluster_of
    together = (
        pairs["unique_id_l"].map(cluster_of) == pairs["unique_id_r"].map(cluster_of)
    ).to_numpy()
    choice = merged(choice, probabilities[together])
    scored.model["dalil_threshold"] = choice.to_dict()
    return LinkResult(prepared, scored, clusters, config, choice)
