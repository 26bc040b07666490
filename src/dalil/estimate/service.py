"""Estimates for a case: capture tables from its latest linkage run, strata, storage.

Each person of the latest linkage run contributes one capture history (which lists hold
one of its records), read through linkage's capture-history API
(:func:`dalil.linkage.captures.case_captures`, which also gives each person's value of a
stratifying field: the most common among its records, governorate folded to the
canonical name, date of death reduced to its month or year); persons with no value go
to the stratum "unknown". Every stored estimate records the linkage run, its model's
training record and the SHA-256 of every list version read.

With ``linkage_draws=m`` the estimate also carries the linkage's doubt: ``m`` plausible
linkages are drawn from the run's match probabilities and re-estimated, and the combined
estimate and interval become the main ones (:mod:`dalil.estimate.linkage_draws`).
"""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput
from dalil.estimate.captures import CaptureTable
from dalil.estimate.estimates import Estimate, Method, Progress, estimate
from dalil.estimate.linkage_draws import with_linkage_doubt
from dalil.estimate.strata import Stratified, estimate_strata
from dalil.estimate.tables import EstimateRecord
from dalil.linkage.captures import STRATA_FIELDS, case_captures, case_doubt
from dalil.model.words import from_json
from dalil.records import new_id

__all__ = ["STRATA_FIELDS", "case_tables", "estimate_case", "stored"]


def case_tables(
    session: Session, case_id: str, strata: tuple[str, ...] = ()
) -> tuple[dict[str, CaptureTable], dict[str, Any]]:
    """Capture tables (one per stratum, or {"all": ...}) and the inputs that made them."""
    for f in strata:
        if f not in STRATA_FIELDS:
            raise InvalidInput(
                f"cannot stratify by {f!r} (use {', '.join(STRATA_FIELDS)})", path="--strata"
            )
    captures = case_captures(session, case_id, strata)
    grouped: dict[str, Counter[tuple[int, ...]]] = {}
    for person in captures.persons:
        key = " / ".join(v or "unknown" for v in person.strata) if strata else "all"
        grouped.setdefault(key, Counter())[person.history] += 1
    tables = {k: CaptureTable.from_counts(captures.lists, dict(c)) for k, c in grouped.items()}
    inputs = {
        "linkage_run": captures.run_id,
        "linkage_created_at": captures.created_at.isoformat(),
        "lists": dict(captures.versions),
        "linkage_training": dict(captures.training),
        "strata": list(strata),
    }
    return tables, inputs


def estimate_case(
    session: Session,
    case_id: str,
    actor: str,
    method: Method = "lcmcr",
    strata: tuple[str, ...] = (),
    linkage_draws: int = 0,
    **options: Any,
) -> Estimate | Stratified:
    """Estimate from the case's linked persons and store the result with its inputs.

    ``linkage_draws`` (0: none) re-estimates on that many plausible linkages of the
    latest run and combines them (see the module docstring); ``options["progress"]``,
    if given, is told stage ``"draws"`` as each draw finishes. Draws are not yet made
    per stratum: with ``strata`` they are refused."""
    if linkage_draws and strata:
        raise InvalidInput(
            "linkage draws are not made per stratum yet; estimate without --strata",
            path="--linkage-draws",
        )
    if linkage_draws < 0 or linkage_draws == 1:
        raise InvalidInput("linkage draws: 0 (none) or at least 2", path="--linkage-draws")
    tables, inputs = case_tables(session, case_id, strata)
    progress: Progress | None = options.pop("progress", None)
    shown: dict[str, Any] = {"progress": progress} if progress is not None else {}
    result: Estimate | Stratified
    if strata:
        result = estimate_strata(tables, method, **options, **shown)
    else:
        result = estimate(tables["all"], method, **options, **shown)
        if linkage_draws:
            doubt = case_doubt(session, case_id)
            result = with_linkage_doubt(
                result, doubt, linkage_draws, method, progress=progress, **options
            )
        result.inputs = inputs
    payload = result.to_dict()
    payload["inputs"] = inputs
    session.add(
        EstimateRecord(
            id=new_id(),
            case_id=case_id,
            created_at=datetime.now(UTC),
            created_by=actor,
            method=method,
            result=json.dumps(payload),
            inputs=json.dumps(inputs),
        )
    )
    return result


def stored(session: Session, case_id: str) -> list[dict[str, Any]]:
    """The case's estimates, oldest first, as their JSON with ``id`` and ``created_at``.
    Warnings are the phrases they were made of (``warnings_words``; English ``str``s
    for the API, said in their language by the screens and the case file)."""
    rows = session.scalars(
        select(EstimateRecord)
        .where(EstimateRecord.case_id == case_id)
        .order_by(EstimateRecord.created_at)
    )
    found = []
    for r in rows:
        e = dict(json.loads(r.result), id=r.id, created_at=r.created_at.isoformat())
        e["warnings"] = [from_json(w) for w in e.get("warnings_words", e.get("warnings", []))]
        found.append(e)
    return found
