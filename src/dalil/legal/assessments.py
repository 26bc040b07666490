"""Assessing the elements of crime hypotheses against a case's records.

An assessment says, for one subject (an incident, a person, a perpetrator group), one
crime hypothesis and one element: the status (not assessed, supported, contested,
insufficient), the standard of proof it was judged on (``finding_strength``), who judged
it and when, and which assertions, records and evidence items it rests on. Assessments
are append-only; the latest for a key is current. The element matrix puts them beside
the suggestions computed from the records (:mod:`dalil.legal.suggest`) and the kinds of
evidence each element usually needs, so the gaps show.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput, NotFound
from dalil.legal.casebook import SUBJECT_KINDS, CaseBook
from dalil.legal.elements import STATUSES, Catalogue, Crime, Element, catalogue
from dalil.legal.suggest import Suggestion, suggest
from dalil.legal.tables import Assessment
from dalil.model.tables import Assertion, Record, utcnow
from dalil.model.vocabulary import Vocabularies
from dalil.records import new_id
from dalil.vault.holdings import evidence_item

LinkKind = Literal["assertion", "record", "evidence"]
#: source material type -> kind of evidence in the elements legend
EVIDENCE_KIND = {
    "witness_testimony": "T",
    "victim_testimony": "T",
    "interview": "T",
    "signed_affidavit": "T",
    "autopsy_results": "F",
    "physician_examination": "F",
    "photograph": "OS",
    "video": "OS",
    "audio": "OS",
    "social_media_post": "OS",
    "satellite_imagery": "OS",
    "geolocation_report": "OS",
    "broadcast": "OS",
    "newspaper": "D",
    "press_release_government": "D",
    "press_release_rights_org": "D",
    "ngo_report": "D",
    "court_records": "D",
    "victim_list": "D",
    "press_release_perpetrator": "S",
    "leaflet": "S",
}


@dataclass(frozen=True)
class Link:
    kind: LinkKind
    id: str


@dataclass
class Row:
    """One element of one crime for one subject, as the matrix shows it."""

    element: Element
    status: str
    standard: str | None
    assessed_by: str | None
    assessed_at: str | None
    note: str | None
    links: list[Link]
    suggestion: Suggestion | None
    #: kinds of evidence (legend codes) behind the linked assertions and evidence items
    evidence_found: set[str] = field(default_factory=set)

    @property
    def evidence_missing(self) -> list[str]:
        return [e for e in self.element.evidence if e not in self.evidence_found]


@dataclass
class CrimeMatrix:
    crime: Crime
    rows: list[Row]

    @property
    def gaps(self) -> list[Row]:
        """Elements not (yet) supported: the gap report of this hypothesis."""
        return [r for r in self.rows if r.status != "supported"]


def _current(session: Session, case_id: str, subject_id: str) -> dict[tuple[str, str], Assessment]:
    """The latest assessment per (crime, element): later ones overwrite earlier ones."""
    return {(a.crime, a.element): a for a in history(session, case_id, subject_id)}


def _evidence_kinds(cb: CaseBook, links: list[Link]) -> set[str]:
    ids = [x.id for x in links if x.kind == "assertion"]
    infos: list[str] = []
    if ids:
        for i in range(0, len(ids), 500):
            for a in cb.session.scalars(
                select(Assertion).where(Assertion.id.in_(ids[i : i + 500]))
            ):
                infos.extend(s.id for s in a.sources)
    infos += [
        x.id
        for x in links
        if x.kind == "record" and x.id in cb.by_id and cb.by_id[x.id].kind == "information_record"
    ]
    kinds = {EVIDENCE_KIND[m] for m in cb.material_types(infos) if m in EVIDENCE_KIND}
    if any(x.kind == "evidence" for x in links):
        kinds.add("OS")
    return kinds


def matrix(
    session: Session,
    case_id: str,
    subject_id: str,
    crimes: list[str] | None = None,
    cb: CaseBook | None = None,
    cat: Catalogue | None = None,
) -> list[CrimeMatrix]:
    """The element matrix of a subject for the given crimes (all crimes by default)."""
    cb = cb or CaseBook.load(session, case_id)
    cat = cat or catalogue()
    acts = cb.acts_of(subject_id)
    done = _current(session, case_id, subject_id)
    # each rule once per subject: several crimes share elements such as "killed"
    rules = {e.suggest for c in cat.crimes for e in c.elements if e.suggest}
    suggested = {r: suggest(cb, r, acts) for r in rules}
    out = []
    for crime in [cat.crime(c) for c in crimes] if crimes else cat.crimes:
        rows = []
        for el in crime.elements:
            a = done.get((crime.code, el.code))
            links = [Link(x["kind"], x["id"]) for x in (a.links if a else [])]
            rows.append(
                Row(
                    element=el,
                    status=a.status if a else "not_assessed",
                    standard=a.standard if a else None,
                    assessed_by=a.assessed_by if a else None,
                    assessed_at=a.assessed_at.isoformat(timespec="minutes") if a else None,
                    note=a.note if a else None,
                    links=links,
                    suggestion=suggested[el.suggest] if el.suggest else None,
                    evidence_found=_evidence_kinds(cb, links) if links else set(),
                )
            )
        out.append(CrimeMatrix(crime, rows))
    return out


def _check_links(session: Session, case_id: str, links: list[Link]) -> None:
    for n, link in enumerate(links):
        if link.kind == "evidence":
            found = evidence_item(session, link.id, case_id) is not None
        else:
            table: Any = {"assertion": Assertion, "record": Record}.get(link.kind)
            if table is None:
                raise InvalidInput(
                    "a link is to an assertion, a record or evidence", path=f"links[{n}].kind"
                )
            row = session.get(table, link.id)
            found = row is not None and row.case_id == case_id
        if not found:
            raise NotFound(f"no {link.kind} {link.id} in this case", path=f"links[{n}].id")


def assess(
    session: Session,
    case_id: str,
    subject_id: str,
    crime: str,
    element: str,
    *,
    status: str,
    standard: str,
    actor: str,
    links: list[Link] | None = None,
    note: str | None = None,
    suggestion: str | None = None,
    vocabs: Vocabularies | None = None,
) -> Assessment:
    """Record a finding on one element; it becomes the current one for that key."""
    cat = catalogue()
    cat.crime(crime).element(element)
    _subject(session, case_id, subject_id)
    if status not in STATUSES:
        raise InvalidInput(f"status must be one of {', '.join(STATUSES)}", path="status")
    (vocabs or Vocabularies()).check("finding_strength", standard, "standard")
    if status == "contested" and not note:
        raise InvalidInput("say what contests the element (note)", path="note")
    links = list(links or [])
    _check_links(session, case_id, links)
    row = Assessment(
        id=new_id(),
        case_id=case_id,
        subject_id=subject_id,
        crime=crime,
        element=element,
        catalogue=cat.version,
        status=status,
        standard=standard,
        links=[{"kind": x.kind, "id": x.id} for x in links],
        note=note,
        assessed_by=actor,
        assessed_at=utcnow(),
        suggestion=suggestion,
    )
    session.add(row)
    session.flush()
    return row


def _subject(session: Session, case_id: str, subject_id: str) -> None:
    rec = session.get(Record, subject_id)
    if rec is None or rec.case_id != case_id:
        raise NotFound(f"no record {subject_id} in this case", path="subject")
    if rec.kind not in SUBJECT_KINDS:
        raise InvalidInput(
            f"an assessment is about an incident, a person or a group, not a {rec.kind}",
            path="subject",
        )


def confirm(
    session: Session,
    case_id: str,
    subject_id: str,
    crime: str,
    element: str,
    *,
    standard: str,
    actor: str,
    note: str | None = None,
) -> Assessment:
    """Store the computed suggestion for one element as the assessor's own finding, with
    the assertions it rests on as links. Raises :class:`NotFound` if there is none."""
    el = catalogue().crime(crime).element(element)
    cb = CaseBook.load(session, case_id)
    found = suggest(cb, el.suggest, cb.acts_of(subject_id))
    if found is None:
        raise NotFound(f"the records suggest nothing for {crime}/{element}", path="element")
    return assess(
        session,
        case_id,
        subject_id,
        crime,
        element,
        status=found.status,
        standard=standard,
        actor=actor,
        links=[Link("assertion", i) for i in found.assertions],
        note=note or found.reason,
        suggestion=found.rule,
    )


def history(session: Session, case_id: str, subject_id: str) -> list[Assessment]:
    """Every assessment ever made for the subject, oldest first."""
    return list(
        session.scalars(
            select(Assessment)
            .where(Assessment.case_id == case_id, Assessment.subject_id == subject_id)
            .order_by(Assessment.assessed_at, Assessment.id)
        )
    )
