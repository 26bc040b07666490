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
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from dalil.errors import InvalidInput
from dalil.intake.fields import parse_date
from dalil.linkage import service
from dalil.places.index import PlaceIndex

__all__ = ["STRATA_FIELDS", "CapturedPerson", "CaseCaptures", "case_captures"]

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
