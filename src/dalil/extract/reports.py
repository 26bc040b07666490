"""The stored rows of report intake, read and written as frozen values: reports added to a
case, the facts proposed from them, and the phrases a workspace added to the lexicons.

Report intake (:mod:`dalil.records.suggestions`) and legal analysis work with these rows
through this module rather than through :mod:`dalil.extract.tables`, so the rows can
change shape without reaching into those packages (issue 21). The module stores and
fetches; it decides nothing: checking a caller's right to a case, sealing a proposal
under its report's evidence key and turning an accepted one into an assertion are done by
the caller. A proposal's ``sealed`` bytes are opaque here (AES-256-GCM under the report's
evidence key, bound to the suggestion id; see the table's docstring).

Times are UTC, naive as stored (:func:`dalil.model.tables.utcnow`).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dalil.errors import NotFound
from dalil.extract.lexicon import Entry
from dalil.extract.tables import LexiconEntry, Report, Suggestion
from dalil.model.keys import new_id
from dalil.model.tables import utcnow

__all__ = [
    "StoredReport",
    "StoredSuggestion",
    "add_lexicon_phrase",
    "case_reports",
    "count_suggestions",
    "decide_suggestion",
    "lexicon_additions",
    "report_for_item",
    "report_sources",
    "report_suggestions",
    "store_report",
    "store_suggestion",
    "stored_report",
    "stored_suggestion",
]

#: what a person decided on a proposal
Decision = Literal["accepted", "rejected"]


@dataclass(frozen=True)
class StoredReport:
    """A report added to a case: its original is the vault item ``item_id``, its
    provenance the ``source`` record ``source_id``. ``format`` is the reader's (txt, html,
    pdf, docx...), ``characters`` the length of the extracted text, ``languages`` the
    comma-separated languages of its paragraphs."""

    id: str
    case_id: str
    item_id: str
    source_id: str
    format: str
    published: date | None
    characters: int
    languages: str
    added_by: str
    added_at: datetime


@dataclass(frozen=True)
class StoredSuggestion:
    """One fact proposed from a report, as stored: ``start``/``end`` are character offsets
    into the report's extracted text, ``sealed`` its sealed text, value, origin and
    language, ``status`` open, accepted or rejected."""

    id: str
    case_id: str
    report_id: str
    kind: str
    start: int
    end: int
    sealed: bytes
    confidence: float
    rule: str
    needs_review: bool
    status: str
    decided_by: str | None
    decided_at: datetime | None
    assertion_id: str | None
    note: str | None


def _report(r: Report) -> StoredReport:
    # every field is the column of the same name
    return StoredReport(**{f.name: getattr(r, f.name) for f in fields(StoredReport)})


def _suggestion(g: Suggestion) -> StoredSuggestion:
    return StoredSuggestion(**{f.name: getattr(g, f.name) for f in fields(StoredSuggestion)})


# -- the workspace lexicon ---------------------------------------------------------------


def lexicon_additions(session: Session) -> list[Entry]:
    """The phrases this workspace added to the shipped lexicons, as lexicon entries."""
    return [
        Entry(e.kind, e.phrase, tuple(sorted(e.value.items())))
        for e in session.scalars(select(LexiconEntry))
    ]


def add_lexicon_phrase(
    session: Session, kind: str, phrase: str, value: dict[str, str], actor: str
) -> bool:
    """Store a phrase as given (the caller checks and normalises it); False, storing
    nothing, when the phrase is there already (phrases are unique whatever their kind)."""
    if session.scalar(select(LexiconEntry.id).where(LexiconEntry.phrase == phrase)):
        return False
    session.add(
        LexiconEntry(kind=kind, phrase=phrase, value=value, added_by=actor, added_at=utcnow())
    )
    session.flush()
    return True


# -- reports -----------------------------------------------------------------------------


def store_report(
    session: Session,
    *,
    case_id: str,
    item_id: str,
    source_id: str,
    format: str,
    published: date | None,
    characters: int,
    languages: str,
    added_by: str,
) -> StoredReport:
    """Store a report (a new id, added now); flushed, so proposals can point at it."""
    row = Report(
        id=new_id(),
        case_id=case_id,
        item_id=item_id,
        source_id=source_id,
        format=format,
        published=published,
        characters=characters,
        languages=languages,
        added_by=added_by,
        added_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return _report(row)


def stored_report(session: Session, report_id: str, case_id: str) -> StoredReport | None:
    """The report with this id in this case, or ``None`` (also when it is another case's)."""
    row = session.get(Report, report_id)
    return _report(row) if row is not None and row.case_id == case_id else None


def report_for_item(session: Session, case_id: str, item_id: str) -> StoredReport | None:
    """The case's report whose original is this vault item, if it was added before."""
    row = session.scalar(select(Report).where(Report.case_id == case_id, Report.item_id == item_id))
    return _report(row) if row is not None else None


def case_reports(session: Session, case_id: str) -> list[StoredReport]:
    """The reports of a case, oldest first."""
    query = select(Report).where(Report.case_id == case_id)
    return [_report(r) for r in session.scalars(query.order_by(Report.added_at, Report.id))]


def report_sources(session: Session, case_id: str) -> dict[str, str]:
    """For every report of a case, its ``source`` record's id -> its vault item's id: the
    sources whose original is preserved in the vault."""
    rows = session.execute(
        select(Report.source_id, Report.item_id).where(Report.case_id == case_id)
    )
    return {source: item for source, item in rows}


# -- proposals ---------------------------------------------------------------------------


def store_suggestion(
    session: Session,
    *,
    suggestion_id: str,
    case_id: str,
    report_id: str,
    kind: str,
    start: int,
    end: int,
    sealed: bytes,
    confidence: float,
    rule: str,
    needs_review: bool,
) -> None:
    """Store an open proposal. The caller chooses its id, since ``sealed`` is bound to it."""
    session.add(
        Suggestion(
            id=suggestion_id,
            case_id=case_id,
            report_id=report_id,
            kind=kind,
            start=start,
            end=end,
            confidence=confidence,
            rule=rule,
            needs_review=needs_review,
            status="open",
            sealed=sealed,
        )
    )


def count_suggestions(session: Session, report_id: str, status: str | None = None) -> int:
    """How many proposals a report has (only those with ``status`` when given)."""
    query = select(func.count()).where(Suggestion.report_id == report_id)
    if status:
        query = query.where(Suggestion.status == status)
    return int(session.scalar(query) or 0)


def report_suggestions(
    session: Session, report_id: str, status: str | None = None
) -> list[StoredSuggestion]:
    """The proposals of a report in text order (only those with ``status`` when given)."""
    query = select(Suggestion).where(Suggestion.report_id == report_id)
    if status:
        query = query.where(Suggestion.status == status)
    return [
        _suggestion(g) for g in session.scalars(query.order_by(Suggestion.start, Suggestion.kind))
    ]


def stored_suggestion(
    session: Session, suggestion_id: str, case_id: str
) -> StoredSuggestion | None:
    """The proposal with this id in this case, or ``None`` (also when it is another case's)."""
    row = session.get(Suggestion, suggestion_id)
    return _suggestion(row) if row is not None and row.case_id == case_id else None


def decide_suggestion(
    session: Session,
    suggestion_id: str,
    status: Decision,
    actor: str,
    *,
    assertion_id: str | None = None,
    note: str | None = None,
) -> None:
    """Mark a proposal accepted (pointing at the assertion made from it) or rejected, by
    ``actor`` now. The caller checks it was open; the assertion must already be flushed."""
    row = session.get(Suggestion, suggestion_id)
    if row is None:
        raise NotFound(f"no suggestion {suggestion_id}", path="suggestion")
    row.status, row.decided_by, row.decided_at = status, actor, utcnow()
    row.assertion_id, row.note = assertion_id, note
    session.flush()
