"""What a person wants to see first about a case, in one object shared by CLI and web.

Also the plain-text rendering of fact values (:func:`describe`), which keeps qualifiers
and intervals: a count reported as "more than 100" is shown as such, never as "100". The
text is English; a page says it again in its language (:mod:`dalil.model.words`).
"""

from __future__ import annotations

import re
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
    parse_count_wording,
)
from dalil.model.words import N_, Phrase, Term, joined
from dalil.records import case_cache
from dalil.records.book import Records
from dalil.records.cases import CaseSummary, summarise
from dalil.records.views import Fact, RecordView

#: how each qualifier of a count is said around the number its wording states
_QUALIFIER_WORDS = {
    "more_than": N_("more than {n}"),
    "at_least": N_("at least {n}"),
    "about": N_("about {n}"),
    "up_to": N_("up to {n}"),
    "at_most": N_("at most {n}"),
}
#: what a count counts (vocabulary ``count_subject``), said after the number; another
#: subject is said by its label
_COUNTED = {
    "killed": N_("{count} killed"),
    "injured": N_("{count} injured"),
    "missing": N_("{count} missing"),
    "detained": N_("{count} detained"),
    "displaced": N_("{count} displaced"),
    "bodies": N_("{count} bodies"),
    "graves": N_("{count} graves"),
}


def describe(value: Any, vocabulary: str | None = None) -> str:
    """A short human rendering of a fact value that keeps its uncertainty.

    The text is English; where it holds words (a qualifier, a precision, a code) it is a
    :class:`~dalil.model.words.Phrase` that a page says again in its language, with
    numbers, dates and names kept apart as data. ``vocabulary`` names the vocabulary of a
    log entry's ``kind`` (the field's), so that a page shows its label."""
    if isinstance(value, UncertainDate):
        if value.earliest is None and value.latest is None:
            return value.as_reported or Phrase(N_("date unknown"))
        if value.earliest == value.latest:
            return str(value.earliest)
        return Phrase(N_("{earliest} – {latest} ({precision})"),
                      earliest=str(value.earliest or "…"), latest=str(value.latest or "…"),
                      precision=Term(value.precision, "date_precision"))  # fmt: skip
    if isinstance(value, UncertainCount):
        return _count(value)
    if isinstance(value, Age):
        if value.low is not None and value.low == value.high:
            return str(value.low)
        if value.low is not None or value.high is not None:
            low = "?" if value.low is None else value.low
            high = "?" if value.high is None else value.high
            return Phrase("{low}–{high}", low=low, high=high)
        return Term(value.category, "age_category") if value.category else Phrase(N_("unknown"))
    if isinstance(value, PersonName):
        return value.full
    if isinstance(value, UncertainPlace):
        return ", ".join(p for p in (value.name, value.admin1) if p) or f"{value.lat}, {value.lon}"
    if isinstance(value, Affiliation):
        status = Term(value.status, "state_affiliation")
        return Phrase("{status} ({period})", status=status, period=describe(value.period)) \
            if value.period else status  # fmt: skip
    if isinstance(value, LogEntry):
        said: dict[str, object] = {}
        if value.date:
            said["date"] = describe(value.date)
        if value.kind:
            said["kind"] = Term(value.kind, vocabulary)
        if value.who:
            said["who"] = value.who
        head = " ".join(f"{{{k}}}" for k in said)
        if value.text:
            said["text"] = value.text
            return Phrase(f"{head}: {{text}}", **said)
        return Phrase(head, **said) if head else ""
    if isinstance(value, Ref):
        return Phrase("{kind} {id}", kind=Term(value.kind), id=value.id[:8])
    return str(value)


def _says_only(words: str, stated: int | None, qualifier: str) -> bool:
    """Whether a count's wording ("more than 100", "أكثر من 100") says its number and
    qualifier and nothing after the number ("between 31 and 35 bodies" says more)."""
    number = re.search(r"\d[\d,]*", words)  # \d: Western and Eastern Arabic digits
    if number is None or words[number.end() :].strip() not in ("", "+"):
        return False
    try:
        return parse_count_wording(words) == (stated, qualifier)
    except ValueError:
        return False


def _count(value: UncertainCount) -> str:
    """A count as its source words it, or by its qualifier and bounds, with what it counts
    and the kind of count: "more than 100 killed (reported)"."""
    # The number each qualifier's wording states: "more than N" is stored as low = N + 1.
    stated = {
        "exact": value.best,
        "more_than": None if value.low is None else value.low - 1,
        "at_least": value.low,
        "about": value.best,
        "up_to": value.high,
        "at_most": value.high,
    }.get(value.qualifier)
    text: str
    if value.qualifier == "exact" and stated is not None:
        text = str(stated)
    elif value.qualifier in _QUALIFIER_WORDS:
        text = Phrase(_QUALIFIER_WORDS[value.qualifier], n=stated)
    elif value.low is not None and value.high is not None:
        text = Phrase("{low}–{high}", low=value.low, high=value.high)
    else:
        text = Phrase(N_("unknown number"))
    if value.as_reported:  # the source's words: a page says them again only if they
        # state nothing but the qualifier and the number
        said = _says_only(value.as_reported, stated, value.qualifier)
        text = Phrase.worded(value.as_reported, text.msgid, **text.values) \
            if said and isinstance(text, Phrase) else value.as_reported  # fmt: skip
    if value.what in _COUNTED:
        counted = Phrase(_COUNTED[value.what], count=text)
    else:
        counted = Phrase("{count} {what}", count=text, what=Term(value.what, "count_subject"))
    return Phrase("{count} ({kind})", count=counted, kind=Term(value.count_kind, "count_kind"))


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
        date=joined([describe(d) for d in dates]),
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
