"""The page of any record but a person or an incident: the record with the records
around it (an organisation's incidents, units and commanders; a place's incidents and
burial sites; a burial site's casualties; a source's information records and what cites
them; every record its structural links name).

Why apart from :mod:`dalil.records.dossier` (whose types and links it uses): these
neighbours are found in different ways per kind, some through facts rather than columns
(:func:`fact_references`, once per case revision, since a fact's JSON value is not
indexed).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from sqlalchemy import select

from dalil.errors import NotFound
from dalil.model.catalogue import kind_spec
from dalil.model.tables import (
    Act,
    Assertion,
    Command,
    InformationRecord,
    Involvement,
    Organisation,
    assertion_source,
)
from dalil.records import case_cache
from dalil.records.book import Records
from dalil.records.dossier import MAX_ACTS, ids_where, links_to, page_parts, related_list
from dalil.records.dossier_parts import RecordPage, Related, link_of
from dalil.records.views import ref_id


def fact_references(book: Records) -> dict[str, list[tuple[str, str]]]:
    """Record id -> (subject id, field) of every current ``ref`` fact naming it (an
    incident's place, an act's burial site): one read of the case's ref facts per case
    revision, since a fact's JSON value is not indexed."""

    def compute() -> dict[str, list[tuple[str, str]]]:
        names = sorted({f.name for k in ("event", "act", "burial_site", "information_record")
                        for f in kind_spec(k).fields.values() if f.type == "ref"})  # fmt: skip
        rows = book.session.execute(
            select(Assertion.id, Assertion.subject_id, Assertion.field, Assertion.value,
                   Assertion.supersedes_id)
            .where(Assertion.case_id == book.case_id, Assertion.field.in_(names))
        ).all()  # fmt: skip
        gone = {r.supersedes_id for r in rows if r.supersedes_id}
        out: dict[str, list[tuple[str, str]]] = defaultdict(list)
        for r in rows:
            if r.id not in gone and (target := ref_id(r.value)):
                out[target].append((r.subject_id, r.field))
        return dict(out)

    return case_cache.cached(book.session, book.case_id, "dossier references", compute)


def record_page(book: Records, record_id: str) -> RecordPage:
    """Any record but a person or an incident, with the records around it: an
    organisation's incidents, units and commanders, a place's incidents and burial sites, a
    burial site's casualties, a source's information records and what cites them."""
    s = book.session
    view = book.get(record_id)
    if view.kind in ("person", "event"):
        raise NotFound(f"{record_id} has a page of its own")
    refs = fact_references(book).get(record_id, [])
    by_field: dict[str, list[str]] = defaultdict(list)
    for subject, name in refs:
        by_field[name].append(subject)
    related: list[Related] = []
    if view.kind == "organisation":
        acts = ids_where(s, Involvement.act_id, Involvement.organisation_id == record_id)
        events = ids_where(s, Act.event_id, Act.id.in_(acts[:MAX_ACTS])) if acts else []
        related += [related_list(book, "Incidents", sorted(set(events))),
                    related_list(book, "Units under it",
                             ids_where(s, Organisation.id, Organisation.parent_id == record_id)),
                    related_list(book, "Commanders", [
                        i for c in book.views(ids_where(s, Command.id,
                                                   Command.organisation_id == record_id))
                        if (i := c.refs.get("commander"))])]  # fmt: skip
    elif view.kind == "place":
        here = book.views(sorted(set(by_field["place"])))
        for heading, kind in (("Incidents", "event"), ("Burial sites", "burial_site")):
            related.append(related_list(book, heading, [v.id for v in here if v.kind == kind]))
    elif view.kind == "burial_site":
        buried = book.views(sorted(set(by_field["burial_site"]))[:MAX_ACTS])
        victims = [v for a in buried if (v := a.refs.get("victim"))]
        related.append(related_list(book, "Casualties buried here", victims))
    elif view.kind == "source":
        related.append(related_list(book, "Information records", ids_where(
            s, InformationRecord.id, InformationRecord.source_id == record_id)))  # fmt: skip
    if view.kind == "information_record":
        related.append(_cited_by(book, [record_id]))
    elif view.kind == "source":
        related.append(_cited_by(book, [link.id for link in related[-1].links]))
    for name, target in view.refs.items():
        if target:
            related.append(
                Related(name.replace("_", " ").capitalize(), links_to(book, book.views([target])))
            )
    parts = page_parts(book, [view], view)
    return RecordPage(**vars(parts), related=[r for r in related if r.links])


def _cited_by(book: Records, info_ids: Sequence[str], limit: int = 200) -> Related:
    """The records whose facts cite these information records (the first ``limit``)."""
    if not info_ids:
        return Related("What cites it", [])
    subjects = book.session.scalars(
        select(Assertion.subject_id).distinct()
        .join(assertion_source, assertion_source.c.assertion_id == Assertion.id)
        .where(assertion_source.c.information_record_id.in_(info_ids[:500]))
        .order_by(Assertion.subject_id).limit(limit)
    ).all()  # fmt: skip
    return Related("What cites it", [link_of(v) for v in book.views(list(subjects))])
