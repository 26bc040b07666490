"""Pseudonymous labels of records: "P-0001" for a public person, "W-001" for a restricted
or protected one (a witness), unique per kind within a case.

A label is what screens, exports and shared documents show instead of a name; a protected
person's label must not hint at who they are, so labels are numbered in order of entry
within their level and never derived from any fact.
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dalil.model.tables import Person, Record


def label_taken(session: Session, case_id: str, kind: str, label: str) -> bool:
    """Whether another record of this kind in the case already has this label."""
    found = session.scalar(
        select(Record.id).where(
            Record.case_id == case_id, Record.kind == kind, Record.label == label
        )
    )
    return found is not None


def next_pseudonym(session: Session, case_id: str, level: str, counters: dict[str, int]) -> str:
    """The next free "P-0001" (public) or "W-001" label for a person of this protection
    level. ``counters`` (next number per prefix) is the caller's: counted once in SQL,
    then remembered there, so documenting many persons in one transaction stays linear."""
    prefix, width = ("P-", 4) if level == "public" else ("W-", 3)
    k = counters.get(prefix)
    if k is None:
        public = Person.protection_level == "public"
        k = 1 + int(session.scalar(
            select(func.count()).select_from(Person).where(
                Person.case_id == case_id, public if level == "public" else ~public)
        ) or 0)  # fmt: skip
    while label_taken(session, case_id, "person", f"{prefix}{k:0{width}d}"):
        k += 1
    counters[prefix] = k + 1
    return f"{prefix}{k:0{width}d}"
