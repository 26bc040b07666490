"""What a person wants to see first about a case, in one object shared by CLI and web.

Also the plain-text rendering of fact values (:func:`describe`), which keeps qualifiers
and intervals: a count reported as "more than 100" is shown as such, never as "100".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dalil.errors import NotFound
from dalil.model.tables import Act, Case, Event
from dalil.model.values import (
    Affiliation,
    Age,
    LogEntry,
    PersonName,
    Ref,
    UncertainCount,
    UncertainDate,
    UncertainPlace,
)
from dalil.records import case_cache
from dalil.records.book import Records
from dalil.records.cases import CaseSummary, summarise
from dalil.records.views import Fact, RecordView

_QUALIFIER_WORDS = {
    "more_than": "more than",
    "at_least": "at least",
    "about": "about",
    "up_to": "up to",
    "at_most": "at most",
}


def describe(value: Any) -> str:
    """A short human rendering of a fact value that keeps its uncertainty."""
    if isinstance(value, UncertainDate):
        if value.earliest is None and value.latest is None:
            return value.as_reported or "date unknown"
        if value.earliest == value.latest:
            return str(value.earliest)
        return f"{value.earliest or '…'} – {value.latest or '…'} ({value.precision})"
    if isinstance(value, UncertainCount):
        # The number each qualifier's wording states: "more than N" is stored as low = N + 1.
        stated = {
            "exact": value.best,
            "more_than": None if value.low is None else value.low - 1,
            "at_least": value.low,
            "about": value.best,
            "up_to": value.high,
            "at_most": value.high,
        }.get(value.qualifier)
        if value.as_reported:
            text = value.as_reported
        elif value.qualifier == "exact" and stated is not None:
            text = str(stated)
        elif value.qualifier in _QUALIFIER_WORDS:
            text = f"{_QUALIFIER_WORDS[value.qualifier]} {stated}"
        elif value.low is not None and value.high is not None:
            text = f"{value.low}–{value.high}"
        else:
            text = "unknown number"
        return f"{text} {value.what} ({value.count_kind})"
    if isinstance(value, Age):
        if value.low is not None and value.low == value.high:
            return str(value.low)
        if value.low is not None or value.high is not None:
            low = "?" if value.low is None else value.low
            high = "?" if value.high is None else value.high
            return f"{low}–{high}"
        return value.category or "unknown"
    if isinstance(value, PersonName):
        return value.full
    if isinstance(value, UncertainPlace):
        return ", ".join(p for p in (value.name, value.admin1) if p) or f"{value.lat}, {value.lon}"
    if isinstance(value, Affiliation):
        return value.status + (f" ({describe(value.period)})" if value.period else "")
    if isinstance(value, LogEntry):
        head = " ".join(
            p
            for p in (describe(value.date) if value.date else "", value.kind or "", value.who or "")
            if p
        )
        return f"{head}: {value.text}" if value.text else head
    if isinstance(value, Ref):
        return f"{value.kind} {value.id[:8]}"
    return str(value)


@dataclass
class Line:
    """One record as a line in an overview."""

    id: str
    label: str | None
    title: str
    date: str = ""
    date_disputed: bool = False
    casualties: list[str] = field(default_factory=list)
    #: Acts recorded against this event (one per victim documented by the team).
    documented: int = 0


@dataclass
class LatestFact:
    record_kind: str
    record_title: str
    field: str
    value: str
    assessed_by: str
    assessed_at: str
    sources: int


@dataclass
class Disagreement:
    record_kind: str
    record_title: str
    field: str
    values: list[str]


@dataclass
class CaseOverview:
    summary: CaseSummary
    events: list[Line]
    burial_sites: list[Line]
    latest: list[LatestFact]
    disagreements: list[Disagreement]

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["summary"] = self.summary.to_dict()
        return data


def _line(view: RecordView, count_field: str, documented: int = 0) -> Line:
    dates = view.values("date") or view.values("report_date")
    return Line(
        id=view.id,
        label=view.label,
        title=view.title,
        date=" / ".join(describe(d) for d in dates),
        date_disputed=len(dates) > 1,
        casualties=[describe(c) for c in view.values(count_field)],
        documented=documented,
    )


def case_overview(
    session: Session, case_id: str, latest: int = 10, top: int | None = None
) -> CaseOverview:
    """Raises :class:`NotFound` (path ``case_id``) for an unknown case.

    ``top`` keeps only the incidents with the most documented victims (a dashboard of a
    case with hundreds of incidents shows the largest; the incidents page shows all);
    ``summary.events`` still counts them all.
    """
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}", path="case_id")
    book = Records(session, case_id, actor="reader")
    per_event = {
        event_id: int(n)
        for event_id, n in session.execute(
            select(Act.event_id, func.count()).where(Act.case_id == case_id).group_by(Act.event_id)
        )
    }
    if top is None:
        events = book.all("event")
    else:
        ids = session.scalars(select(Event.id).where(Event.case_id == case_id)).all()
        chosen = sorted(ids, key=lambda i: (-per_event.get(i, 0), i))[:top]
        events = sorted(book.views(chosen), key=lambda v: (v.label or "", v.created_at, v.id))
    sites = book.all("burial_site")
    kinds = ("event", "act", "person", "burial_site", "organisation")
    disputed = sorted(
        book.disputed(kinds), key=lambda v: (kinds.index(v.kind), v.label or "", v.id)
    )
    disagreements = [
        Disagreement(view.kind, view.label or view.title, name, [describe(f.value) for f in facts])
        for view in disputed
        for name, facts in view.disagreements().items()
    ]
    recent = [
        LatestFact(
            r.kind,
            r.label or r.kind,
            f.field,
            _short(f),
            f.assessed_by,
            f.assessed_at.isoformat(),
            len(f.sources),
        )
        for r, f in book.latest_assertions(latest)
    ]
    return CaseOverview(
        summary=summarise(session, case),
        events=[_line(e, "casualties", per_event.get(e.id, 0)) for e in events],
        burial_sites=[_line(s, "estimated_individuals") for s in sites],
        latest=recent,
        disagreements=disagreements,
    )


def cached_overview(
    session: Session, case_id: str, latest: int = 10, top: int | None = None
) -> CaseOverview:
    """:func:`case_overview`, reused until the case changes (:mod:`dalil.records.case_cache`): a
    busy dashboard then costs two primary-key reads instead of a pass over every act."""
    compute = partial(case_overview, session, case_id, latest, top)
    return case_cache.cached(session, case_id, f"overview {latest} {top}", compute)


def cached_summary(session: Session, case: Case) -> CaseSummary:
    """:func:`~dalil.records.cases.summarise`, reused until the case changes."""
    return case_cache.cached(session, case.id, "summary", partial(summarise, session, case))


def _short(fact: Fact) -> str:
    text = "(withdrawn)" if fact.value is None else describe(fact.value)
    return text if len(text) <= 120 else text[:117] + "…"
