"""What a record's page shows about it: a person, an incident, or any other record with
the records around it.

Why a module of its own: the pages (web) and any other front need the same gathering,
and it must stay fast on a case of 100,000 victims. Everything here reads through the
structural links' indexed foreign keys (an incident's acts by ``act.event_id``, a person's
acts by ``act.victim_id``, ...) and builds views only of the records shown, never all
records of a kind. Links that live in facts rather than columns (a burial site named by
an act's ``burial_site`` fact, an incident's ``place``) are found through
:func:`fact_references`, computed once per case revision.

Nothing here is HTML. A protected or restricted person is only ever named by its
pseudonym (:attr:`Link.title` is the label), as :mod:`dalil.web.api_records` does.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.errors import NotFound
from dalil.model.catalogue import kind_spec
from dalil.model.tables import (
    Act,
    Assertion,
    Command,
    EventRelation,
    InformationRecord,
    Interview,
    Involvement,
    Organisation,
    Source,
    assertion_source,
)
from dalil.model.values import Ref, UncertainPlace
from dalil.model.vocabulary import Vocabularies
from dalil.records import case_cache
from dalil.records.book import Records
from dalil.records.overview import describe
from dalil.records.views import Fact, RecordView, ref_id

#: the most acts an incident page lists (the rest are counted)
MAX_ACTS = 500


@dataclass(frozen=True)
class Link:
    """Another record as a page names it: its title (a protected person's pseudonym)."""

    id: str
    kind: str
    title: str
    label: str | None


def link_of(view: RecordView) -> Link:
    """How ``view`` is named on a page; a person who is not public by label only."""
    hidden = view.kind == "person" and view.protection_level not in (None, "public")
    title = (view.label or "—") if hidden else view.title
    return Link(view.id, view.kind, title, view.label)


@dataclass
class Page:
    """What every record page shows: the record, the records its facts refer to (so a
    place is shown by name, never ``place f6410810``), how each cited information record
    is cited, and its disagreements."""

    view: RecordView
    names: dict[str, Link]
    citations: dict[str, str]
    disputed: dict[str, list[Fact]]


@dataclass(frozen=True)
class Perpetrator:
    """A perpetrator's part in one act: the involvement record and who it names."""

    involvement: RecordView
    who: Link
    act_id: str


@dataclass
class ActLine:
    """One act with its incident, its victim and its perpetrators."""

    act: RecordView
    event: Link | None
    victim: Link | None
    perpetrators: list[Perpetrator] = field(default_factory=list)


@dataclass(frozen=True)
class Relation:
    """A link between two incidents: ``direction`` is "from" when this incident is the
    relation's first event (e.g. this one is part of ``other``), "to" otherwise."""

    relation: RecordView
    direction: str
    other: Link


@dataclass(frozen=True)
class Group:
    """A perpetrator named in an incident's involvements, with its degrees of
    involvement (vocabulary codes) and in how many of the incident's acts."""

    who: Link
    degrees: tuple[str, ...]
    acts: int


@dataclass(frozen=True)
class MapPoint:
    """A place on a page's small map, in a 0–100 square (x east, y south)."""

    id: str
    title: str
    x: float
    y: float
    here: bool


@dataclass
class Related:
    """A titled list of records around a record (a page section)."""

    heading: str
    links: list[Link]
    notes: dict[str, str] = field(default_factory=dict)


@dataclass
class PersonPage(Page):
    protected: bool
    acts: list[ActLine]
    perpetrated: list[ActLine]
    related: list[Related]


@dataclass
class IncidentPage(Page):
    acts: list[ActLine]
    acts_total: int
    groups: list[Group]
    places: list[tuple[Link, UncertainPlace | None]]
    information: list[Link]
    relations: list[Relation]
    timeline: list[tuple[str, int]]
    map: list[MapPoint]


@dataclass
class RecordPage(Page):
    related: list[Related]


# -- display ------------------------------------------------------------------------


def show(vocabs: Vocabularies, names: dict[str, Link], kind: str, name: str, value: Any,
         lang: str = "en") -> str:  # fmt: skip
    """A fact value as a person reads it: a vocabulary code by its label in ``lang``, a
    reference by the title of the record it names, anything else by
    :func:`~dalil.records.overview.describe` (which keeps uncertainty)."""
    spec = kind_spec(kind).fields.get(name)
    if spec is not None and spec.type == "term" and spec.vocabulary and isinstance(value, str):
        return vocabs.get(spec.vocabulary).label(value, lang)
    if isinstance(value, Ref) or (spec is not None and spec.type == "ref"):
        target = ref_id(value)
        if target in names:
            return names[target].title
    return describe(value)


# -- gathering ----------------------------------------------------------------------


def _ids(s: Session, column: Any, *where: Any, limit: int | None = None) -> list[str]:
    query = select(column).where(*where).order_by(column)
    return list(s.scalars(query.limit(limit) if limit else query))


def _page_parts(book: Records, views: Sequence[RecordView], main: RecordView) -> Page:
    """The names every fact of ``views`` refers to and the citations of ``main``'s facts."""
    refs = {ref_id(f.value) for v in views for facts in v.current.values() for f in facts
            if kind_spec(v.kind).fields[f.field].type == "ref"}  # fmt: skip
    names = {v.id: link_of(v) for v in book.views(sorted(r for r in refs if r))}
    cited = sorted({sid for f in main.history for sid in f.sources})
    citations = book.citations(book.views(cited)) if cited else {}
    return Page(main, names, citations, main.disagreements())


def _acts(book: Records, act_ids: Sequence[str], victims: bool, events: bool) -> list[ActLine]:
    """Acts with their perpetrators and, as asked, their victims and incidents: one
    batch of views per kind, whatever the number of acts."""
    s = book.session
    acts = book.views(act_ids)
    inv_ids: list[str] = []
    for n in range(0, len(act_ids), 500):
        inv_ids += _ids(s, Involvement.id, Involvement.act_id.in_(act_ids[n : n + 500]))
    involvements = book.views(inv_ids)
    who_ids = {v.refs.get("organisation") or v.refs.get("person") for v in involvements}
    wanted = set(who_ids)
    if victims:
        wanted |= {a.refs["victim"] for a in acts if a.refs.get("victim")}
    if events:
        wanted |= {a.refs["event"] for a in acts if a.refs.get("event")}
    others = {v.id: link_of(v) for v in book.views(sorted(i for i in wanted if i))}
    by_act: dict[str, list[Perpetrator]] = defaultdict(list)
    for inv in involvements:
        who = others.get(inv.refs.get("organisation") or inv.refs.get("person") or "")
        if who is not None and inv.refs.get("act"):
            by_act[str(inv.refs["act"])].append(Perpetrator(inv, who, str(inv.refs["act"])))
    return [
        ActLine(a, others.get(a.refs.get("event") or ""), others.get(a.refs.get("victim") or ""),
                by_act[a.id])
        for a in acts
    ]  # fmt: skip


def _require(book: Records, record_id: str, kinds: Iterable[str], what: str) -> RecordView:
    view = book.get(record_id)
    if view.kind not in set(kinds):
        raise NotFound(f"no {what} {record_id} in this case")
    return view


def person_page(book: Records, person_id: str) -> PersonPage:
    """A person: the acts done to them (with incidents and perpetrators), the acts they
    are named as a perpetrator in, commands, interviews and information about them."""
    s = book.session
    view = _require(book, person_id, ["person"], "person")
    acts = _acts(book, _ids(s, Act.id, Act.victim_id == person_id), False, True)
    as_perpetrator = _ids(s, Involvement.act_id, Involvement.person_id == person_id)
    perpetrated = _acts(book, sorted(set(as_perpetrator)), True, True)
    related = [
        _related(book, "In command of", _ids(s, Command.organisation_id,
                                             Command.commander_id == person_id)),
        _related(book, "Interviews", _ids(s, Interview.id, Interview.interviewee_id == person_id)),
        _related(book, "Information about this person",
                 _ids(s, InformationRecord.id, InformationRecord.person_id == person_id)),
        _related(book, "Sources given by this person",
                 _ids(s, Source.id, Source.person_id == person_id)),
    ]  # fmt: skip
    parts = _page_parts(book, [view, *(a.act for a in acts)], view)
    protected = view.protection_level not in (None, "public")
    return PersonPage(**vars(parts), protected=protected, acts=acts, perpetrated=perpetrated,
                      related=[r for r in related if r.links])  # fmt: skip


def incident_page(book: Records, event_id: str) -> IncidentPage:
    """An incident: its acts with victims and perpetrators (the first :data:`MAX_ACTS`),
    the groups involved, its places by name on a small map, the information records
    about it, the incidents it is part of or that are part of it, and a timeline of its
    acts by day."""
    s = book.session
    view = _require(book, event_id, ["event"], "incident")
    act_ids = _ids(s, Act.id, Act.event_id == event_id)
    acts = _acts(book, act_ids[:MAX_ACTS], True, False)
    groups: dict[str, tuple[Link, set[str], set[str]]] = {}
    for line in acts:
        for p in line.perpetrators:
            _, degrees, seen = groups.setdefault(p.who.id, (p.who, set(), set()))
            degrees.update(str(d) for d in p.involvement.values("degree"))
            seen.add(line.act.id)
    rel_ids = _ids(s, EventRelation.id, EventRelation.from_event_id == event_id)
    rel_ids += _ids(s, EventRelation.id, EventRelation.to_event_id == event_id)
    rels = book.views(rel_ids)
    info = book.views(_ids(s, InformationRecord.id, InformationRecord.event_id == event_id))
    parts = _page_parts(book, [view, *(a.act for a in acts)], view)
    others = {v.id: link_of(v) for v in book.views(sorted(
        {str(r.refs["to_event"] if r.refs.get("from_event") == event_id else r.refs["from_event"])
         for r in rels}))}  # fmt: skip
    relations = [
        Relation(r, "from" if r.refs.get("from_event") == event_id else "to",
                 others[str(r.refs["to_event"] if r.refs.get("from_event") == event_id
                            else r.refs["from_event"])])
        for r in rels
    ]  # fmt: skip
    place_ids = [i for v in view.values("place") if (i := ref_id(v))]
    located = dict(case_places(book))
    places = [(parts.names[i], located.get(i)) for i in place_ids if i in parts.names]
    days: dict[str, int] = defaultdict(int)
    for line in acts:
        for d in line.act.values("date")[:1]:
            days[describe(d)] += 1
    if not days:  # no act dated: the incident's own date stands for all of them
        for d in view.values("date")[:1]:
            days[describe(d)] = len(act_ids)
    return IncidentPage(
        **vars(parts), acts=acts, acts_total=len(act_ids),
        groups=[Group(w, tuple(sorted(d)), len(n)) for w, d, n in groups.values()],
        places=places, information=_links(book, info), relations=relations,
        timeline=sorted(days.items()), map=small_map(book, set(place_ids)),
    )  # fmt: skip


def _related(book: Records, heading: str, ids: Sequence[str]) -> Related:
    return Related(heading, _links(book, book.views(ids)))


def _links(book: Records, views: Sequence[RecordView]) -> list[Link]:
    """Links to these records; an information record is named as it is cited (its
    source's title and where in it), not by its id."""
    infos = [v for v in views if v.kind == "information_record"]
    cited = book.citations(infos) if infos else {}
    return [Link(v.id, v.kind, cited[v.id], v.label) if v.id in cited else link_of(v)
            for v in views]  # fmt: skip


def case_places(book: Records) -> list[tuple[str, UncertainPlace | None]]:
    """Every place of the case with its location (kept until the case changes)."""

    def compute() -> list[tuple[str, UncertainPlace | None]]:
        return [(p.id, p.value("location")) for p in book.all("place")]

    return case_cache.cached(book.session, book.case_id, "dossier places", compute)


def small_map(book: Records, here: set[str]) -> list[MapPoint]:
    """The case's located places in a 0–100 square (a plain equirectangular fit of their
    bounding box, 10 % margin), ``here`` marked; empty when none of ``here`` is located."""
    located = [(i, p) for i, p in case_places(book) if p is not None and p.lat is not None
               and p.lon is not None]  # fmt: skip
    if not any(i in here for i, _ in located):
        return []
    lats = [float(p.lat) for _, p in located if p.lat is not None]
    lons = [float(p.lon) for _, p in located if p.lon is not None]
    span = max(max(lats) - min(lats), max(lons) - min(lons), 0.01)
    titles = {v.id: v.title for v in book.views([i for i, _ in located])}
    return [
        MapPoint(i, titles.get(i, ""), 10 + 80 * (float(p.lon or 0) - min(lons)) / span,
                 90 - 80 * (float(p.lat or 0) - min(lats)) / span, i in here)
        for i, p in located
    ]  # fmt: skip


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
        acts = _ids(s, Involvement.act_id, Involvement.organisation_id == record_id)
        events = _ids(s, Act.event_id, Act.id.in_(acts[:MAX_ACTS])) if acts else []
        related += [_related(book, "Incidents", sorted(set(events))),
                    _related(book, "Units under it",
                             _ids(s, Organisation.id, Organisation.parent_id == record_id)),
                    _related(book, "Commanders", [
                        i for c in book.views(_ids(s, Command.id,
                                                   Command.organisation_id == record_id))
                        if (i := c.refs.get("commander"))])]  # fmt: skip
    elif view.kind == "place":
        here = book.views(sorted(set(by_field["place"])))
        for heading, kind in (("Incidents", "event"), ("Burial sites", "burial_site")):
            related.append(_related(book, heading, [v.id for v in here if v.kind == kind]))
    elif view.kind == "burial_site":
        buried = book.views(sorted(set(by_field["burial_site"]))[:MAX_ACTS])
        victims = [v for a in buried if (v := a.refs.get("victim"))]
        related.append(_related(book, "Casualties buried here", victims))
    elif view.kind == "source":
        related.append(_related(book, "Information records", _ids(
            s, InformationRecord.id, InformationRecord.source_id == record_id)))  # fmt: skip
    if view.kind == "information_record":
        related.append(_cited_by(book, [record_id]))
    elif view.kind == "source":
        related.append(_cited_by(book, [link.id for link in related[-1].links]))
    for name, target in view.refs.items():
        if target:
            related.append(
                Related(name.replace("_", " ").capitalize(), _links(book, book.views([target])))
            )
    parts = _page_parts(book, [view], view)
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


def current_choices(page: Page) -> list[tuple[str, str, Fact]]:
    """The current facts a correction may supersede: (assertion id, field, fact)."""
    return [(f.id, name, f) for name, facts in sorted(page.view.current.items()) for f in facts]
