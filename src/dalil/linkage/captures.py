"""Capture histories of a case: which lists documented each linked person.

The API estimation reads linkage through (with the capture-history files of
:mod:`dalil.linkage.outputs`), so that :mod:`dalil.estimate` never touches linkage's
tables, its list rows or its parsers. :func:`case_captures` returns the persons of the
case's latest linkage run, each with its capture history over the linked lists and, for
each stratifying field asked for, the person's value:

* a person's value of a field is the most common non-empty value among its records (on
  a tie, the value of the first record in (source, record id) order); ``None`` when no
  record has one;
* ``governorate`` is folded to the canonical governorate name
  (:meth:`dalil.places.index.PlaceIndex.governorate`), ``month`` and ``year`` are the
  month (``YYYY-MM``) and year (``YYYY``) of the first day of the date of death, and
  ``place_of_death`` and ``sex`` are the values as stored.

The run's identity, time, list versions (SHA-256 per source) and its model's training
record come along, so an estimate can say exactly what it was computed from.

:func:`case_doubt` hands on what the run knew but did not decide for certain: every pair
of records scored at or above the review threshold with its match probability, the
low-scored pairs that veto a merge, and the reviewers' decisions, as a
:class:`LinkageDoubt` from which other plausible linkages can be drawn
(:meth:`LinkageDoubt.draw`) to carry linkage doubt into an estimate.
"""

from __future__ import annotations

import json
import logging
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dalil.errors import Conflict, InvalidInput
from dalil.intake.fields import parse_date
from dalil.linkage import service
from dalil.linkage.backends import connect, register
from dalil.linkage.clusters import cluster
from dalil.linkage.config import DEFAULT, Decision, LinkageConfig
from dalil.linkage.features import prepare, record_key, split_key
from dalil.linkage.tables import ReviewDecision
from dalil.places.index import PlaceIndex

__all__ = [
    "STRATA_FIELDS", "CapturedPerson", "CaseCaptures", "LinkageDoubt", "case_captures",
    "case_doubt",
]  # fmt: skip

#: the fields a case's capture histories can be stratified by
STRATA_FIELDS: tuple[str, ...] = ("governorate", "place_of_death", "sex", "month", "year")


@dataclass(frozen=True)
class CapturedPerson:
    """One linked person: ``history`` holds 1 for each list (in :attr:`CaseCaptures.lists`
    order) with at least one of its records, else 0; ``strata`` its value of each field of
    :attr:`CaseCaptures.strata`, in that order (``None``: no record has one)."""

    person: str
    history: tuple[int, ...]
    strata: tuple[str | None, ...]


@dataclass(frozen=True)
class CaseCaptures:
    """The persons of a case's latest linkage run and what the run was made from.

    ``lists`` are the linked sources, sorted by name; ``versions`` maps each to the
    SHA-256 of the list version linked (in the order the run stored them); ``training``
    is the linkage model's training record (EM sessions, parameters), empty when the
    run's model has none."""

    run_id: str
    created_at: datetime
    lists: tuple[str, ...]
    versions: dict[str, str]
    training: dict[str, Any]
    strata: tuple[str, ...]
    persons: tuple[CapturedPerson, ...]


def case_captures(session: Session, case_id: str, strata: tuple[str, ...] = ()) -> CaseCaptures:
    """The capture histories of the case's latest linkage run, with each person's value of
    every field in ``strata`` (see the module docstring).

    Raises :class:`~dalil.errors.InvalidInput` for a field not in :data:`STRATA_FIELDS`
    and :class:`~dalil.errors.NotFound` when the case has not been linked."""
    for f in strata:
        if f not in STRATA_FIELDS:
            raise InvalidInput(
                f"cannot stratify by {f!r} (use {', '.join(STRATA_FIELDS)})", path="strata"
            )
    run = service.latest_run(session, case_id)
    members = service.persons(session, run.id)
    versions: dict[str, str] = json.loads(run.inputs)
    lists = sorted(versions)
    histories = service.capture_histories(members, lists)
    found: dict[str, tuple[str | None, ...]] = {}
    if strata:
        rows = {(r["source"], r["record_id"]): r for r in service.case_rows(session, case_id)}
        places = PlaceIndex.from_session(session)
        for person, records in members.items():
            found[person] = tuple(
                _person_value(f, [rows[r] for r in records], places) for f in strata
            )
    persons = tuple(CapturedPerson(p, histories[p], found.get(p, ())) for p in members)
    model = json.loads(run.model)
    return CaseCaptures(
        run_id=run.id,
        created_at=run.created_at,
        lists=tuple(lists),
        versions=versions,
        training=model.get("dalil_training", {}),
        strata=tuple(strata),
        persons=persons,
    )


def _person_value(field: str, records: list[dict[str, str]], places: PlaceIndex) -> str | None:
    """The most common non-empty value of ``field`` among a person's records, in order."""
    seen = Counter(v for v in (_value(field, r, places) for r in records) if v)
    return seen.most_common(1)[0][0] if seen else None


def _value(field: str, values: dict[str, str], places: PlaceIndex) -> str:
    """One record's value of a stratifying field ("" when it has none)."""
    if field == "governorate":
        raw = values.get("governorate") or ""
        return places.governorate(raw) if raw else ""
    if field in ("month", "year"):
        try:
            span = parse_date(values.get("date_of_death") or "")
        except ValueError:
            return ""
        if not span:
            return ""
        return span[0].strftime("%Y-%m" if field == "month" else "%Y")
    return (values.get(field) or "").strip()


@dataclass(frozen=True)
class LinkageDoubt:
    """What a linkage run knew about pairs of records, for drawing plausible linkages.

    ``records`` are the run's record keys (:func:`dalil.linkage.features.record_key`);
    ``pairs`` are (left key, right key, match probability) for every scored pair the
    run's clustering could use: those at or above ``config.review_low`` (they may be one
    person) and those scored below ``config.conflict_below`` between records of such
    pairs (they say two records are different people and veto a merge, as in the run).
    ``decisions`` are the reviewers' latest decisions on pairs (``match``,
    ``no_match``, ``unsure``); ``decided_since_run`` counts those recorded after the run
    (the draws honour them, the run's own persons do not yet).
    """

    run_id: str
    lists: tuple[str, ...]
    records: tuple[str, ...]
    pairs: tuple[tuple[str, str, float], ...]
    decisions: tuple[tuple[str, str, Decision], ...] = ()
    config: LinkageConfig = DEFAULT
    decided_since_run: int = 0

    def uncertain_pairs(self) -> int:
        """Undecided pairs whose draw can go either way (review threshold <= p < 1)."""
        decided = {_ordered(a, b) for a, b, d in self.decisions if d != "unsure"}
        return sum(
            1
            for a, b, p in self.pairs
            if self.config.review_low <= p < 1 and _ordered(a, b) not in decided
        )

    def best(self) -> Counter[tuple[int, ...]]:
        """Persons per capture history under the run's own rule (every pair at or above
        the threshold merged, strongest first, vetoes and decisions honoured)."""
        return self.histories(self._persons(self.pairs))

    def draw(self, rng: np.random.Generator) -> Counter[tuple[int, ...]]:
        """Persons per capture history of one plausible linkage (:meth:`draw_persons`)."""
        return self.histories(self.draw_persons(rng))

    def draw_persons(self, rng: np.random.Generator) -> dict[str, str]:
        """One plausible linkage: record key -> person id.

        Each undecided pair at or above the review threshold is a match with its
        probability, independently of the others (a pair of probability 1 always, of 0
        never); pairs below the review threshold are never matches. The drawn matches
        are then merged by the run's own clustering (:func:`dalil.linkage.clusters.
        cluster`): strongest first, refused when the merge would put into one person two
        records scored as different people (below ``conflict_below``, and not drawn as
        a match), two records a reviewer called different (``no_match``: never merged,
        not even through a third record), or more records than the size cap. A reviewed
        ``match`` is always merged; ``unsure`` counts as undecided. Plain connected
        components of the drawn pairs would chain records the run itself keeps apart
        (A~B, B~C, A!~C), and so move every draw away from the run for reasons that
        are not doubt about any pair. Every record is in exactly one person of the draw.
        """
        cfg = self.config
        probs = np.array([p for _, _, p in self.pairs], dtype=float)
        probs[probs < cfg.review_low] = 0.0
        hit = rng.random(len(probs)) < probs
        # Drawn matches are given scores at or above the threshold, in the order of their
        # probabilities; undrawn pairs a score that neither merges nor vetoes, unless they
        # were scored as different people.
        top = cfg.threshold
        neutral = min(cfg.conflict_below, float(np.nextafter(top, 0.0)))
        scored = [
            (a, b, top + (1 - top) * p if h else min(p, neutral))
            for (a, b, p), h in zip(self.pairs, hit, strict=True)
        ]
        return self._persons(scored)

    def _persons(self, pairs: Sequence[tuple[str, str, float]]) -> dict[str, str]:
        found = cluster(self.records, pairs, self.decisions, self.config, len(self.lists))
        return found.cluster_of

    def histories(self, persons: dict[str, str]) -> Counter[tuple[int, ...]]:
        """Persons per capture history over :attr:`lists` of a record -> person map."""
        index = {name: i for i, name in enumerate(self.lists)}
        seen: dict[str, list[int]] = {}
        for key, person in persons.items():
            seen.setdefault(person, [0] * len(self.lists))[index[split_key(key)[0]]] = 1
        return Counter(tuple(h) for h in seen.values())


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


def case_doubt(session: Session, case_id: str) -> LinkageDoubt:
    """The scored pairs and review decisions of the case's latest linkage run.

    The run stores its persons, not every scored pair, so the pairs are scored again
    with the run's stored model on the list versions it read (lists are immutable; a
    list whose SHA-256 no longer matches raises :class:`~dalil.errors.Conflict`). The
    same model on the same records gives the run's probabilities: the pairs at or above
    the threshold, clustered with the decisions the run had, rebuild its persons.

    Raises :class:`~dalil.errors.NotFound` when the case has not been linked."""
    run = service.latest_run(session, case_id)
    versions: dict[str, str] = json.loads(run.inputs)
    current = {vl.source: vl.sha256 for vl in service.lists(session, case_id)}
    changed = sorted(s for s, digest in versions.items() if current.get(s) != digest)
    if changed:
        raise Conflict(
            f"the list(s) {', '.join(changed)} changed since the linkage run; run linkage again",
            path="linkage_run",
        )
    stored = json.loads(run.config)
    known = {f.name for f in fields(LinkageConfig)}
    settings: dict[str, Any] = {
        k: tuple(v) if isinstance(v, list) else v for k, v in stored.items() if k in known
    }
    config = LinkageConfig(**settings)
    members = service.persons(session, run.id)
    records = tuple(sorted(record_key(s, rid) for recs in members.values() for s, rid in recs))
    rows = [r for r in service.case_rows(session, case_id) if r["source"] in versions]
    pairs = _rescore(rows, config, json.loads(run.model), PlaceIndex.from_session(session))
    later = session.scalar(
        select(func.count())
        .select_from(ReviewDecision)
        .where(ReviewDecision.case_id == case_id, ReviewDecision.decided_at > run.created_at)
    )
    return LinkageDoubt(
        run_id=run.id,
        lists=tuple(sorted(versions)),
        records=records,
        pairs=pairs,
        decisions=tuple(service.decisions(session, case_id)),
        config=config,
        decided_since_run=int(later or 0),
    )


def _rescore(
    rows: list[dict[str, str]],
    config: LinkageConfig,
    model: dict[str, Any],
    places: PlaceIndex,
) -> tuple[tuple[str, str, float], ...]:
    """Score the rows' candidate pairs with a stored Splink model (no training) and keep
    the pairs clustering can use, as :func:`dalil.linkage.model.score` does."""
    from splink import Linker

    logging.getLogger("splink").setLevel(logging.WARNING)
    prepared = prepare(rows, places, config.extra_columns)
    if len(prepared) < 2 or not model:
        return ()
    settings = {k: v for k, v in model.items() if k != "dalil_training"}
    linker: Any = Linker(register(connect(config), prepared, config), settings)
    predicted = linker.inference.predict(
        threshold_match_probability=config.predict_floor or None
    ).as_pandas_dataframe()
    keep_at = min(config.review_low, config.threshold)
    triples = [
        (*_ordered(str(a), str(b)), float(p))
        for a, b, p in zip(
            predicted["unique_id_l"],
            predicted["unique_id_r"],
            predicted["match_probability"],
            strict=True,
        )
    ]
    keep = [t for t in triples if t[2] >= keep_at]
    ids = {k for a, b, _ in keep for k in (a, b)}
    veto = [
        t
        for t in triples
        if t[2] < keep_at and t[2] < config.conflict_below and t[0] in ids and t[1] in ids
    ]
    return tuple(sorted(keep + veto))
