"""Report intake in a workspace: a report's facts proposed, reviewed, and accepted into the
case with their provenance.

:func:`add_report` reads a report (refusing what cannot be read before anything is
stored), keeps the original in the evidence vault, records it as a ``source`` record, and
stores every proposal (sealed under the report's evidence key) through
:mod:`dalil.extract.reports`. A person then accepts a suggestion, naming the record it is about
(and correcting the value if need be), or rejects it. Accepting creates an
``information_record`` citing the report at the exact place of the span (page, paragraph,
character, with the sentence as excerpt) and an assertion supported by it, so the fact's
provenance runs back to the original bytes. Accepted actors and acts feed the workspace
lexicon, so the next report finds them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from dalil.errors import Conflict, InvalidInput, NotFound
from dalil.extract import counts
from dalil.extract import reports as stored
from dalil.extract.dates import publication
from dalil.extract.document import Document, read
from dalil.extract.lexicon import Lexicon
from dalil.extract.places import Gazetteer
from dalil.extract.proposals import Extractor
from dalil.extract.reports import StoredReport, StoredSuggestion
from dalil.model.keys import new_id
from dalil.model.tables import Assertion, Record
from dalil.model.values import Ref, UncertainCount, UncertainDate, UncertainPlace
from dalil.records.book import DEFAULT_CONFIDENCE, Records
from dalil.vault.holdings import evidence_item
from dalil.vault.service import Vault
from dalil.workspace import Workspace

#: the field a suggestion of each kind sets on each kind of record, unless told otherwise
FIELDS = {
    ("date", "event"): "date", ("date", "act"): "date", ("date", "source"): "date",
    ("date", "burial_site"): "report_date", ("place", "event"): "place",
    ("place", "act"): "place", ("place", "burial_site"): "place",
    ("count", "event"): "casualties", ("count", "act"): "victims",
    ("count", "burial_site"): "estimated_individuals", ("act", "act"): "act_type",
    ("actor", "organisation"): "name", ("actor", "person"): "name",
}  # fmt: skip


def _context(suggestion_id: str) -> bytes:
    return b"dalil-suggestion:" + suggestion_id.encode()


def extractor(session: Session) -> Extractor:
    """The extractor with the workspace's gazetteer and its lexicon additions."""
    return Extractor(Gazetteer.of(session), Lexicon(stored.lexicon_additions(session)))


def add_lexicon_entry(session: Session, kind: str, phrase: str, value: dict[str, str],
                      actor: str) -> bool:  # fmt: skip
    """Add a phrase to the workspace lexicon; False when it is there already."""
    if kind not in ("act", "actor"):
        raise InvalidInput("a lexicon entry is an act or an actor", path="kind")
    phrase = " ".join(phrase.split())
    if not 2 <= len(phrase) <= 400:
        raise InvalidInput("a phrase has 2 to 400 characters", path="phrase")
    if kind == "act" and "type" not in value:
        raise InvalidInput("an act entry names its act type", path="value")
    if kind == "actor" and not {"role", "name"} <= set(value):
        raise InvalidInput("an actor entry names its role and name", path="value")
    return stored.add_lexicon_phrase(session, kind, phrase, value, actor)


@dataclass(frozen=True)
class Added:
    """A report added to a case (``duplicate`` when its bytes were already there)."""

    report_id: str
    sha256: str
    ledger_index: int
    suggestions: int
    duplicate: bool
    published: date | None


def add_report(ws: Workspace, vault: Vault, case_id: str, path: Path, actor: str,
               published: date | None = None, using: Extractor | None = None) -> Added:  # fmt: skip
    """Read ``path``, propose its facts and store them for review (see the module
    docstring). A file that cannot be read is refused before anything is stored.
    ``using`` is the workspace's :func:`extractor` when several reports are added at once
    (building it reads the whole gazetteer)."""
    doc = read(path)
    if using is None:
        with ws.session() as s:
            using = extractor(s)
    proposals = using.propose(doc, published)
    ingested = vault.add(case_id, path, actor, method="report intake", source=doc.source)
    with ws.session() as s:
        found = stored.report_for_item(s, case_id, ingested.item_id)
        if found is not None:
            n = count(s, found.id)
            return Added(found.id, ingested.sha256, ingested.ledger_index, n, True, found.published)
        when = published or doc.published or publication(doc.text)
        source = _source_record(s, case_id, actor, doc, ingested.sha256, when)
        languages = ",".join(sorted({p.language for p in doc.paragraphs}))
        report = stored.store_report(s, case_id=case_id, item_id=ingested.item_id,
                                     source_id=source, format=doc.format, published=when,
                                     characters=len(doc.text), languages=languages,
                                     added_by=actor)  # fmt: skip
        for p in proposals:
            sid = new_id()
            payload = json.dumps({"text": p.text, "value": p.value, "origin": p.origin,
                                  "language": p.language}, ensure_ascii=False).encode()  # fmt: skip
            stored.store_suggestion(
                s,
                suggestion_id=sid,
                case_id=case_id,
                report_id=report.id,
                kind=p.kind,
                start=p.start,
                end=p.end,
                sealed=vault.seal_with(s, ingested.sha256, payload, _context(sid)),
                confidence=p.confidence,
                rule=p.rule,
                needs_review=p.needs_review,
            )
        return Added(report.id, ingested.sha256, ingested.ledger_index, len(proposals), False, when)


def _source_record(s: Session, case_id: str, actor: str, doc: Document, sha256: str,
                   when: date | None) -> str:  # fmt: skip
    """The report as a ``source`` record. Its title is the one a published report gives
    itself (HTML or PDF metadata); a statement (text, Word) is titled by its hash, and the
    file's name is never used: either can name a witness."""
    own = doc.title if doc.format in ("html", "pdf") else None
    title = own or f"{doc.format} report {sha256[:12]}"
    facts: dict[str, Any] = {"title": title[:300]}
    if doc.source:
        facts["publisher"] = doc.source[:300]
    if when:
        facts["date"] = UncertainDate.on(when)
    languages = sorted({p.language for p in doc.paragraphs} - {"und"})
    if languages:
        facts["language"] = ", ".join(languages)
    return Records(s, case_id, actor).add("source", facts=facts).id


@dataclass(frozen=True)
class Proposal:
    """A suggestion unsealed for review, without what was made of it: the shape every
    front shows (the API's ``SuggestionOut`` adds the assertion as ``assertion``)."""

    id: str
    kind: str
    start: int
    end: int
    text: str
    value: dict[str, Any]
    origin: str
    language: str
    confidence: float
    rule: str
    needs_review: bool
    status: str


@dataclass(frozen=True)
class Shown(Proposal):
    """A suggestion unsealed for review, with the assertion accepting it made."""

    assertion_id: str | None


def count(session: Session, report_id: str, status: str | None = None) -> int:
    """How many suggestions a report has (with ``status``, "open" for those waiting)."""
    return stored.count_suggestions(session, report_id, status)


def reports(session: Session, case_id: str) -> list[StoredReport]:
    """The reports of a case, oldest first."""
    return stored.case_reports(session, case_id)


def report(session: Session, case_id: str, report_id: str) -> StoredReport:
    """One report of the case; :class:`~dalil.errors.NotFound` if the case has none such."""
    found = stored.stored_report(session, report_id, case_id)
    if found is None:
        raise NotFound(f"no report {report_id} in this case", path="report")
    return found


def _sha(session: Session, r: StoredReport) -> str:
    item = evidence_item(session, r.item_id)
    assert item is not None  # the report's foreign key
    return item.sha256


def shown(session: Session, vault: Vault, case_id: str, report_id: str,
          status: str | None = None) -> list[Shown]:  # fmt: skip
    """The suggestions of one report, in text order (only those with ``status``)."""
    r = report(session, case_id, report_id)
    sha = _sha(session, r)
    out = []
    for g in stored.report_suggestions(session, r.id, status):
        p = json.loads(vault.open_with(session, sha, g.sealed, _context(g.id)))
        out.append(Shown(g.id, g.kind, g.start, g.end, p["text"], p["value"], p["origin"],
                         p["language"], g.confidence, g.rule, g.needs_review, g.status,
                         g.assertion_id))  # fmt: skip
    return out


def text_of(vault: Vault, session: Session, r: StoredReport, actor: str, purpose: str) -> Document:
    """The report's text, read again from its original in the vault (a ledger ``view``)."""
    data = vault.read(session, r.case_id, _sha(session, r), actor, purpose)
    return read(Path(f"report {r.id}"), data)


def _pending(session: Session, case_id: str, suggestion_id: str) -> StoredSuggestion:
    g = stored.stored_suggestion(session, suggestion_id, case_id)
    if g is None:
        raise NotFound(f"no suggestion {suggestion_id} in this case", path="suggestion")
    if g.status != "open":
        raise Conflict(f"suggestion {suggestion_id} was already {g.status}", path="suggestion")
    return g


def reject(session: Session, case_id: str, suggestion_id: str, actor: str, note: str = "") -> None:
    """Reject a suggestion (it stays, marked, so the same span is not proposed as new)."""
    _pending(session, case_id, suggestion_id)
    stored.decide_suggestion(session, suggestion_id, "rejected", actor, note=note[:2000] or None)


def accept(session: Session, vault: Vault, case_id: str, suggestion_id: str, actor: str, *,
           record_id: str | None = None, field: str | None = None, value: Any = None,
           confidence: str = DEFAULT_CONFIDENCE, note: str | None = None) -> Assertion:  # fmt: skip
    """Accept a suggestion as a fact about ``record_id`` (see the module docstring).
    ``value`` replaces the proposed value (a person's correction); ``field`` defaults by
    the suggestion's kind and the record's kind (:data:`FIELDS`). A perpetrator group
    accepted with no record becomes a new organisation record."""
    g = _pending(session, case_id, suggestion_id)
    r = report(session, case_id, g.report_id)
    sha = _sha(session, r)
    p = json.loads(vault.open_with(session, sha, g.sealed, _context(g.id)))
    book = Records(session, case_id, actor)
    if record_id is None:
        if g.kind != "actor" or p["value"].get("role") != "perpetrator":
            raise InvalidInput(f"say which record this {g.kind} is about", path="record")
        record_id = book.add("organisation", check_required=False).id  # named just below
    target = session.get(Record, record_id)
    if target is None or target.case_id != case_id:
        raise NotFound(f"no record {record_id} in this case", path="record")
    field = field or FIELDS.get((g.kind, target.kind))
    if field is None:
        raise InvalidInput(f"a {g.kind} has no default field on a {target.kind} record; "
                           "name the field", path="field")  # fmt: skip
    fact = value if value is not None else _value(book, g.kind, p)
    doc = text_of(vault, session, r, actor, "accept suggestion")
    info = book.add("information_record", refs={"source": r.source_id}, facts={
        "locator": f"{p['origin']}; characters {g.start}-{g.end} of the extracted text",
        "excerpt": _sentence(doc.text, g.start, g.end),
        **({"date_of_information": UncertainDate.on(r.published)} if r.published else {}),
    })  # fmt: skip
    method = (f"proposed by dalil extraction ({g.rule}, confidence {g.confidence:.2f}) from "
              f"{p['text']!r}; confirmed by {actor}")  # fmt: skip
    made = book.assert_fact(record_id, field, fact, sources=[info.id], confidence=confidence,
                            method=method[:2000], note=note)  # fmt: skip
    session.flush()  # the assertion exists before the suggestion points at it
    stored.decide_suggestion(session, g.id, "accepted", actor, assertion_id=made.id)
    if g.kind in ("act", "actor") and value is None and not _shipped(g.kind, p):
        entry = dict(p["value"])
        if entry.get("type") == "person":
            entry = {"role": "person", "name": entry["name"]}
        add_lexicon_entry(session, g.kind, p["text"], entry, actor)
    return made


def _shipped(kind: str, p: dict[str, Any]) -> bool:
    """Whether the shipped lexicon already finds the proposal's phrase with its value: a
    workspace copy would add nothing, and would override the shipped entry's condition
    ("Daesh" is a perpetrator only where violence is told, "attack" an act only where
    deaths are)."""
    return any(f.kind == kind and f.value == p["value"] for f in Lexicon().find(p["text"]))


def _sentence(text: str, start: int, end: int) -> str:
    lo = max(text.rfind(c, max(0, start - 600), start) for c in ".!?؟\n") + 1
    his = [i for c in ".!?؟\n" if (i := text.find(c, end, end + 600)) >= 0]
    return text[lo : (min(his) + 1 if his else min(len(text), end + 600))].strip()


def _value(book: Records, kind: str, p: dict[str, Any]) -> Any:
    """The proposed value in the case's value types."""
    v, said = p["value"], p["text"]
    if kind == "date":
        if not v.get("start"):
            raise InvalidInput("an open date needs its value from the reviewer", path="value")
        first, last = date.fromisoformat(v["start"]), date.fromisoformat(v["end"])
        precision = "month" if v.get("granularity") == "month" else "year" if v.get(
            "granularity") == "year" else "day" if first == last else "week"  # fmt: skip
        return UncertainDate(
            earliest=first, latest=last, precision=precision, as_reported=said[:300]
        )
    if kind == "count":
        qualifier = {"approx": "about", "at_most": "up_to"}.get(v["qualifier"], v["qualifier"])
        if counts.QUALIFIERS.get((v.get("said") or "").lower(), ("", ""))[1] == "above":
            qualifier = "more_than"  # "more than 100": low is 101, as the wording says
        best = v["low"] if v["low"] == v["high"] else None
        return UncertainCount(
            low=v["low"],
            best=best,
            high=v["high"],
            qualifier=qualifier,
            as_reported=said[:300],
            what=v["what"],
            population="combatants" if v.get("civilian") is False else "civilians",
        )
    if kind == "place":
        return Ref(kind="place", id=_place_record(book, v))
    if kind == "act":
        return v["type"]
    return v["name"]


def _place_record(book: Records, v: dict[str, Any]) -> str:
    """The case's place record for a gazetteer place (made on first use)."""
    ref = f"geonames:{v['geonameid']}" if v.get("geonameid") else None
    if ref:
        for place in book.all("place"):
            location = place.value("location")
            if location is not None and getattr(location, "gazetteer_ref", None) == ref:
                return place.id
    location = UncertainPlace(
        name=v["name"][:300],
        admin1=v.get("admin1"),
        lat=v.get("lat"),
        lon=v.get("lon"),
        # ACLED's scale: 1 the place itself, 2 near or part of it, 3 a region of it
        precision=1 if ref else 3 if v.get("precision") == "region" else 2,
        gazetteer_ref=ref,
    )
    return book.add("place", facts={"name": v["name"][:300], "location": location}).id
