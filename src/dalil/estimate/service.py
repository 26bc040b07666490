"""Estimates for a case: capture tables from its latest linkage run, strata, storage.

Each person of the latest linkage run contributes one capture history (which lists hold
one of its records). A stratum value for a person is the most common value among its
records (governorate folded to the canonical name; date of death reduced to its month);
persons with no value go to the stratum "unknown". Every stored estimate records the
linkage run, its model's training record and the SHA-256 of every list version read.
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
from dalil.estimate.estimates import Estimate, Method, estimate
from dalil.estimate.strata import Stratified, estimate_strata
from dalil.estimate.tables import EstimateRecord
from dalil.linkage import service as linkage
from dalil.linkage.fields import parse_date
from dalil.linkage.places import PlaceIndex
from dalil.records import new_id

STRATA_FIELDS = ("governorate", "place_of_death", "sex", "month", "year")


def _stratum_value(field: str, values: dict[str, str], places: PlaceIndex) -> str:
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


def case_tables(
    session: Session, case_id: str, strata: tuple[str, ...] = ()
) -> tuple[dict[str, CaptureTable], dict[str, Any]]:
    """Capture tables (one per stratum, or {"all": ...}) and the inputs that made them."""
    for f in strata:
        if f not in STRATA_FIELDS:
            raise InvalidInput(
                f"cannot stratify by {f!r} (use {', '.join(STRATA_FIELDS)})", path="--strata"
            )
    run = linkage.latest_run(session, case_id)
    members = linkage.persons(session, run.id)
    sources = sorted(json.loads(run.inputs))
    histories = linkage.capture_histories(members, sources)
    values = {(r["source"], r["record_id"]): r for r in linkage.case_rows(session, case_id)}
    places = PlaceIndex.from_session(session)
    grouped: dict[str, Counter[tuple[int, ...]]] = {}
    for person, recs in members.items():
        key = "all"
        if strata:
            parts = []
            for f in strata:
                seen = Counter(v for v in (_stratum_value(f, values[r], places) for r in recs) if v)
                parts.append(seen.most_common(1)[0][0] if seen else "unknown")
            key = " / ".join(parts)
        grouped.setdefault(key, Counter())[histories[person]] += 1
    tables = {k: CaptureTable.from_counts(sources, dict(c)) for k, c in grouped.items()}
    model = json.loads(run.model)
    inputs = {
        "linkage_run": run.id,
        "linkage_created_at": run.created_at.isoformat(),
        "lists": json.loads(run.inputs),
        "linkage_training": model.get("dalil_training", {}),
        "strata": list(strata),
    }
    return tables, inputs


def estimate_case(
    session: Session,
    case_id: str,
    actor: str,
    method: Method = "lcmcr",
    strata: tuple[str, ...] = (),
    **options: Any,
) -> Estimate | Stratified:
    """Estimate from the case's linked persons and store the result with its inputs."""
    tables, inputs = case_tables(session, case_id, strata)
    result: Estimate | Stratified
    if strata:
        result = estimate_strata(tables, method, **options)
    else:
        result = estimate(tables["all"], method, **options)
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
    rows = session.scalars(
        select(EstimateRecord)
        .where(EstimateRecord.case_id == case_id)
        .order_by(EstimateRecord.created_at)
    )
    return [dict(json.loads(r.result), id=r.id, created_at=r.created_at.isoformat()) for r in rows]
