"""Records as read: a record with its links and facts (:class:`RecordView`), one fact
(:class:`Fact`), and references between records (:func:`ref`, :func:`ref_id`).

Views are plain values built from the rows in a few batched queries
(:func:`record_views`); :class:`dalil.records.book.Records` hands them out, and legal
analysis, the case file and the fronts read them. Writing is the book's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.model.catalogue import FieldSpec, kind_spec, typed
from dalil.model.tables import Assertion, Person, Record, assertion_source
from dalil.model.values import Ref


@dataclass(frozen=True)
class Fact:
    """A read-only view of one assertion."""

    id: str
    field: str
    value: Any
    raw: Any
    confidence: str
    assessed_by: str
    assessed_at: datetime
    method: str | None
    note: str | None
    supersedes: str | None
    sources: tuple[str, ...]


@dataclass
class RecordView:
    """A record with its links and its facts.

    ``current`` holds, per field, the assertions nobody has superseded (withdrawals
    excluded); ``history`` every assertion ever made, oldest first.
    """

    kind: str
    id: str
    case_id: str
    label: str | None
    created_at: datetime
    created_by: str
    refs: dict[str, str | None]
    protection_level: str | None
    current: dict[str, list[Fact]] = field(default_factory=dict)
    history: list[Fact] = field(default_factory=list)

    def value(self, name: str) -> Any:
        """The field's single current value; ``None`` if unset or disputed."""
        facts = self.current.get(name, [])
        return facts[0].value if _distinct(facts) == 1 else None

    def values(self, name: str) -> list[Any]:
        return [f.value for f in self.current.get(name, [])]

    def disagreements(self) -> dict[str, list[Fact]]:
        """Single-valued fields with more than one distinct current value."""
        spec = kind_spec(self.kind)
        return {
            name: facts
            for name, facts in self.current.items()
            if not spec.fields[name].multi and _distinct(facts) > 1
        }

    @property
    def title(self) -> str:
        """A short display title: the first current title or name, else label or kind and id."""
        for name in ("title", "name"):
            for fact in self.current.get(name, [])[:1]:
                return fact.value if isinstance(fact.value, str) else str(fact.value.full)
        return self.label or f"{self.kind} {self.id[:8]}"


def _distinct(facts: list[Fact]) -> int:
    """How many different values the facts hold."""
    return len({repr(f.raw) for f in facts})


def fact_of(a: Any, spec: FieldSpec, sources: Sequence[str]) -> Fact:
    """A :class:`Fact` from an assertion or a row of its columns (same attribute names)."""
    return Fact(
        id=a.id,
        field=a.field,
        value=typed(spec, a.value),
        raw=a.value,
        confidence=a.confidence,
        assessed_by=a.assessed_by,
        assessed_at=a.assessed_at,
        method=a.method,
        note=a.note,
        supersedes=a.supersedes_id,
        sources=tuple(sources),
    )


#: the columns a view reads (plain rows: building ORM objects for every assertion of a
#: page of records costs more than the query)
FACT_COLUMNS = (
    Assertion.id, Assertion.subject_id, Assertion.field, Assertion.value, Assertion.confidence,
    Assertion.assessed_by, Assertion.assessed_at, Assertion.method, Assertion.note,
    Assertion.supersedes_id,
)  # fmt: skip


def record_views(session: Session, records: Iterable[Record]) -> list[RecordView]:
    """Views of these records (of any case), in the order given: every assertion about
    them and its sources read in batches of 500 ids, not one query per record."""
    records = list(records)
    by_id = {r.id: r for r in records}
    assertions: dict[str, list[Any]] = defaultdict(list)
    ids = list(by_id)
    for i in range(0, len(ids), 500):
        for a in session.execute(
            select(*FACT_COLUMNS)
            .where(Assertion.subject_id.in_(ids[i : i + 500]))
            .order_by(Assertion.assessed_at, Assertion.id)
        ):
            assertions[a.subject_id].append(a)
    every = [a.id for rows in assertions.values() for a in rows]
    cited: dict[str, list[str]] = defaultdict(list)
    for i in range(0, len(every), 500):
        for aid, iid in session.execute(
            select(assertion_source.c.assertion_id, assertion_source.c.information_record_id)
            .where(assertion_source.c.assertion_id.in_(every[i : i + 500]))
            .order_by(assertion_source.c.information_record_id)
        ):
            cited[aid].append(iid)
    views = []
    for r in records:
        spec = kind_spec(r.kind)
        history = [fact_of(a, spec.fields[a.field], cited[a.id]) for a in assertions[r.id]]
        superseded = {f.supersedes for f in history if f.supersedes}
        current: dict[str, list[Fact]] = defaultdict(list)
        for f in history:
            if f.id not in superseded and f.raw is not None:
                current[f.field].append(f)
        views.append(
            RecordView(
                kind=r.kind,
                id=r.id,
                case_id=r.case_id,
                label=r.label,
                created_at=r.created_at,
                created_by=r.created_by,
                refs=r.ref_ids(),
                protection_level=r.protection_level if isinstance(r, Person) else None,
                current=dict(current),
                history=history,
            )
        )
    return views


def ref(record: Record | RecordView) -> Ref:
    """A :class:`Ref` value pointing at ``record``."""
    return Ref(kind=record.kind, id=record.id)


def ref_id(value: object) -> str | None:
    """The record id a ``ref`` fact points at (a :class:`Ref`, or its JSON form)."""
    return getattr(value, "id", None) or (value.get("id") if isinstance(value, dict) else None)
