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

import itertools
import json
import logging
import math
import random
from collections import Counter
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
from dalil.linkage.blocking import plan_blocking
from dalil.linkage.clusters import cluster
from dalil.linkage.config import DEFAULT, Decision, LinkageConfig
from dalil.linkage.features import prepare, record_key, split_key
from dalil.linkage.model import stored_model
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
    """What a linkage run knew about pairs of records, for drawing plausible linkages:
    its record keys; (left key, right key, match probability), left < right, for every
    pair its model scored at or above the prediction floor; the reviewers' latest
    decisions; and how many of those came after the run (draws honour them, the run's
    persons do not yet)."""

    run_id: str
    lists: tuple[str, ...]
    records: tuple[str, ...]
    pairs: tuple[tuple[str, str, float], ...]
    decisions: tuple[tuple[str, str, Decision], ...] = ()
    config: LinkageConfig = DEFAULT
    decided_since_run: int = 0

    def uncertain_pairs(self) -> int:
        """Undecided pairs whose draw can go either way (0 < p < 1)."""
        decided = {_ordered(a, b) for a, b, d in self.decisions if d != "unsure"}
        return sum(1 for a, b, p in self.pairs if 0 < p < 1 and (a, b) not in decided)

    def best(self) -> Counter[tuple[int, ...]]:
        """Persons per capture history of the run's own linkage (:meth:`best_persons`)."""
        return self.histories(self.best_persons())

    def best_persons(self) -> dict[str, str]:
        """The run's own rule: record key -> person id (pairs at or above the threshold
        merged strongest first, low-scored pairs and decisions vetoing)."""
        found = cluster(self.records, self.pairs, self.decisions, self.config, len(self.lists))
        return found.cluster_of

    def draw(
        self, m: int, rng: np.random.Generator, floor: float | None = None
    ) -> list[Counter[tuple[int, ...]]]:
        """Persons per capture history of ``m`` plausible linkages (:meth:`draw_persons`)."""
        return [self.histories(persons) for persons in self.draw_persons(m, rng, floor)]

    def draw_persons(
        self,
        m: int,
        rng: np.random.Generator,
        floor: float | None = None,
        burn_in: int = 100,
        thin: int = 8,
    ) -> list[dict[str, str]]:
        """``m`` plausible linkages (record key -> person id), by Gibbs sampling.

        The model: every pair is a match with its probability p independently, *given
        that the matches form persons* (a partition whose persons are connected by pairs
        scored at or above ``floor``; default the model's prediction floor, 0.01). A
        linkage weighs the product of p / (1 - p) over the scored pairs inside its
        persons (two records alone: one person with probability p), times a tilt per
        such pair. The tilt is tuned so that the draws hold as many matched pairs as the
        probabilities expect (their sum; conditioning on a partition alone makes persons
        with many records too rare), and before each draw it is tuned again towards a
        number drawn from the pairs' own Bernoulli sum, so that the draws vary as much
        as that number does. Fixed: a pair of probability 1 and a reviewed ``match``
        always one person, a pair of probability 0 and a reviewed ``no_match`` never,
        not even through a third record; ``unsure`` counts as undecided.

        Rejected after measuring (``benchmarks/linkage_doubt.py``): independent draws
        then connected components (chains namesakes), the run's veto rule on drawn pairs
        (splits a person when one of its pairs scored low), the review threshold as the
        floor (never makes the true matches scored 0.01-0.5): each moved every draw away
        from the truth. ``burn_in`` sweeps from every record alone, then ``thin`` sweeps
        per draw (a sweep moves each linked record once).
        """
        graph = _Graph.of(self, self.config.predict_floor if floor is None else floor)
        rnd = random.Random(int(rng.integers(2**62)))
        chain = _Chain(graph, rnd)
        probs = [p for _, _, p in graph.free]
        tilt = chain.tune(0.0, sum(probs), burn_in)
        out: list[dict[str, str]] = []
        for _ in range(m):
            goal = sum(1 for p in probs if rnd.random() < p)
            chain.tune(tilt, goal, thin)
            out.append({k: f"D{chain.cluster[graph.unit[k]]}" for k in self.records})
        return out

    def histories(self, persons: dict[str, str]) -> Counter[tuple[int, ...]]:
        """Persons per capture history over :attr:`lists` of a record -> person map."""
        index = {name: i for i, name in enumerate(self.lists)}
        seen: dict[str, list[int]] = {}
        for key, person in persons.items():
            seen.setdefault(person, [0] * len(self.lists))[index[split_key(key)[0]]] = 1
        return Counter(tuple(h) for h in seen.values())


def _ordered(a: str, b: str) -> tuple[str, str]:
    return (a, b) if a < b else (b, a)


@dataclass
class _Graph:
    """The records fused into units (pairs of probability 1 and reviewed matches, never
    across a reviewed non-match); for each pair of units, the sum of log p / (1 - p)
    over their scored record pairs (-inf for a non-match) and how many undecided pairs
    with 0 < p < 1 that is; ``free`` lists those pairs as (unit, unit, p); ``links`` the
    units each one can join through a pair scored at or above the floor."""

    units: int
    unit: dict[str, int]
    weight: list[dict[int, tuple[float, int]]]
    links: list[set[int]]
    free: list[tuple[int, int, float]]

    @classmethod
    def of(cls, doubt: LinkageDoubt, floor: float) -> _Graph:
        index = {k: i for i, k in enumerate(doubt.records)}
        parent = list(range(len(index)))
        groups: dict[int, set[int]] = {i: {i} for i in parent}

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        decided = {
            _ordered(a, b): d
            for a, b, d in doubt.decisions
            if d != "unsure" and a in index and b in index  # a pair of this run's records
        }
        never = {(index[a], index[b]) for (a, b), d in decided.items() if d == "no_match"}
        never |= {(b, a) for a, b in never}
        fused = [k for k, d in decided.items() if d == "match"]
        fused += [(a, b) for a, b, p in doubt.pairs if p >= 1 and (a, b) not in decided]
        for a, b in fused:
            ra, rb = find(index[a]), find(index[b])
            if ra != rb and not any((x, y) in never for x in groups[ra] for y in groups[rb]):
                parent[rb] = ra
                groups[ra] |= groups.pop(rb)
        number = {r: n for n, r in enumerate(sorted({find(i) for i in range(len(index))}))}
        roots = range(len(number))
        unit = {k: number[find(i)] for k, i in index.items()}
        weight: list[dict[int, tuple[float, int]]] = [{} for _ in roots]
        links: list[set[int]] = [set() for _ in roots]
        free: list[tuple[int, int, float]] = []

        def add(u: int, v: int, logw: float, count: int) -> None:
            w, c = weight[u].get(v, (0.0, 0))
            weight[u][v] = weight[v][u] = (w + logw, c + count)

        for a, b, p in doubt.pairs:
            u, v = unit[a], unit[b]
            if u == v:
                continue
            d = decided.get((a, b))
            if d == "no_match" or (d is None and p <= 0):
                add(u, v, -math.inf, 0)
            elif d is None and p < 1:
                add(u, v, math.log(p) - math.log1p(-p), 1)
                free.append((u, v, p))
                if p >= floor:
                    links[u].add(v)
                    links[v].add(u)
        for x, y in never:
            add(unit[doubt.records[x]], unit[doubt.records[y]], -math.inf, 0)
        return cls(len(roots), unit, weight, links, free)


class _Chain:
    """The Gibbs sampler's state over a :class:`_Graph`: each unit's person."""

    def __init__(self, graph: _Graph, rnd: random.Random) -> None:
        self.graph, self.rnd = graph, rnd
        self.cluster = list(range(graph.units))
        self.members: dict[int, set[int]] = {u: {u} for u in range(graph.units)}
        self.movable = [u for u in range(graph.units) if graph.links[u]]
        self.fresh = itertools.count(graph.units)  # ids for new persons

    def held(self) -> int:
        return sum(1 for u, v, _ in self.graph.free if self.cluster[u] == self.cluster[v])

    def tune(self, tilt: float, goal: float, sweeps: int) -> float:
        """``sweeps`` sweeps, moving the tilt after each (a Robbins-Monro step) towards
        a linkage holding ``goal`` of the free pairs; returns the tilt reached."""
        for step in range(sweeps):
            self.sweep(tilt)
            tilt += (goal - self.held()) / max(goal, 1.0) * 20.0 / (1 + step) ** 0.6
        return tilt

    def connected(self, units: set[int]) -> bool:
        """Whether ``units`` form one person through links (pairs at or above the floor)."""
        if not units:
            return True
        start = next(iter(units))
        seen, todo = {start}, [start]
        while todo:
            for v in self.graph.links[todo.pop()] & units:
                if v not in seen:
                    seen.add(v)
                    todo.append(v)
        return len(seen) == len(units)

    def sweep(self, tilt: float) -> None:
        """Move every linked unit once, in random order, to a person drawn from its
        conditional: among the persons it has a link into, or alone. Every person stays
        connected through links: a unit whose leaving would split its person stays."""
        cluster, members, weight = self.cluster, self.members, self.graph.weight
        self.rnd.shuffle(self.movable)
        for u in self.movable:
            if not self.connected(members[cluster[u]] - {u}):
                continue  # u holds its person together: it stays
            members[cluster[u]].discard(u)
            if not members[cluster[u]]:
                del members[cluster[u]]
            near = weight[u]
            options = sorted({cluster[v] for v in self.graph.links[u]})
            logw = [
                sum(near[v][0] + tilt * near[v][1] for v in members[c] if v in near)
                for c in options
            ]
            top = max(0.0, *logw)
            w = [math.exp(x - top) for x in logw]
            pick = self.rnd.random() * (sum(w) + math.exp(-top))
            chosen = next(self.fresh)  # alone, unless the draw falls on a person
            for c, wc in zip(options, w, strict=True):
                pick -= wc
                if pick < 0:
                    chosen = c
                    break
            cluster[u] = chosen
            members.setdefault(chosen, set()).add(u)


def case_doubt(session: Session, case_id: str) -> LinkageDoubt:
    """The scored pairs and review decisions of the case's latest linkage run.

    The run stores its persons, not its scored pairs, so the pairs are scored again with
    the run's stored model on the list versions it read; the same model on the same records
    gives the run's probabilities, which rebuild its persons (:meth:`LinkageDoubt.best`).
    Raises :class:`~dalil.errors.NotFound` when the case has not been linked, and
    :class:`~dalil.errors.Conflict` when a list changed or the model is of other features."""
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
    settings.setdefault("same_list_at", None)  # runs from before the rule did without it
    config = LinkageConfig(**settings)
    members = service.persons(session, run.id)
    records = tuple(sorted(record_key(s, rid) for recs in members.values() for s, rid in recs))
    rows = [r for r in service.case_rows(session, case_id) if r["source"] in versions]
    pairs = _rescore(rows, config, stored_model(run.model), PlaceIndex.from_session(session))
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
    """Score the rows' candidate pairs with a stored Splink model (no training): every
    pair at or above the model's prediction floor, as (left key, right key, p)."""
    from splink import Linker

    prepared = prepare(rows, places, config.extra_columns)
    if len(prepared) < 2 or not model:
        return ()
    # the stored rules may block on the key columns planning adds (same rows, same keys)
    plan_blocking(prepared, config, {c for c in prepared.columns if prepared[c].notna().any()})
    settings = {k: v for k, v in model.items() if not k.startswith("dalil_")}
    # Linker's default (INFO) prints its timings on the console, and predict() warns that a
    # stored model's untrained levels use defaults: known, and said when it was trained
    quiet = logging.ERROR
    linker: Any = Linker(register(connect(config), prepared, config), settings, log_level=quiet)
    predicted = linker.inference.predict(
        threshold_match_probability=config.predict_floor or None
    ).as_pandas_dataframe()
    ids = zip(predicted["unique_id_l"], predicted["unique_id_r"], strict=True)
    probabilities = predicted["match_probability"]
    return tuple(sorted((*_ordered(str(a), str(b)), float(p))
                        for (a, b), p in zip(ids, probabilities, strict=True)))  # fmt: skip
