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
from dalil.model.catalogue import kind_spec, typed
from dalil.model.tables import (
    Act,
    Assertion,
    Command,
    EventRelation,
    InformationRecord,
    Interview,
    Involvement,
    Record,
    Source,
)
from dalil.model.values import Ref, UncertainPlace
from dalil.model.vocabulary import Vocabularies
from dalil.records import case_cache, person_search
from dalil.records.book import Records
from dalil.records.overview import describe
from dalil.records.views import Fact, RecordView, ref_id

#: the most records a related list reads
MAX_ACTS = 500
#: the acts an incident page lists at a time (its groups and timeline count them all)
SHOWN_ACTS = 50


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
    """A perpetrator's part in one act: who the involvement names and its degrees of
    involvement (``degree_of_involvement`` codes)."""

    who: Link
    degrees: tuple[str, ...]
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
    first: int
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


def ids_where(s: Session, column: Any, *where: Any, limit: int | None = None) -> list[str]:
    query = select(column).where(*where).order_by(column)
    return list(s.scalars(query.limit(limit) if limit else query))


def page_parts(book: Records, views: Sequence[RecordView], main: RecordView) -> Page:
    """The names every fact of ``views`` refers to and the citations of ``main``'s facts."""
    refs = {ref_id(f.value) for v in views for facts in v.current.values() for f in facts
            if kind_spec(v.kind).fields[f.field].type == "ref"}  # fmt: skip
    names = {v.id: link_of(v) for v in book.views(sorted(r for r in refs if r))}
    cited = sorted({sid for f in main.history for sid in f.sources})
    citations = book.citations(book.views(cited)) if cited else {}
    return Page(main, names, citations, main.disagreements())


def current_values(s: Session, subject_ids: Sequence[str], name: str) -> dict[str, list[Any]]:
    """Subject id -> the current JSON values of its ``name`` facts, read through the
    (subject, field) index for many subjects at once, without building their views."""
    rows: list[Any] = []
    for n in range(0, len(subject_ids), 500):
        rows += s.execute(
            select(Assertion.id, Assertion.subject_id, Assertion.value, Assertion.supersedes_id)
            .where(Assertion.subject_id.in_(subject_ids[n : n + 500]), Assertion.field == name)
            .order_by(Assertion.assessed_at, Assertion.id)
        ).all()
    gone = {r.supersedes_id for r in rows if r.supersedes_id}
    out: dict[str, list[Any]] = defaultdict(list)
    for r in rows:
        if r.id not in gone and r.value is not None:
            out[r.subject_id].append(r.value)
    return out


def people(book: Records, ids: Iterable[str]) -> dict[str, Link]:
    """Persons as links: public ones from their search cards (one row each, the first
    current name), the others by pseudonym."""
    wanted = sorted(set(ids))
    out = {f.id: Link(f.id, "person", f.names[0] if f.names else (f.label or "—"), f.label)
           for f in person_search.found(book.session, wanted)}  # fmt: skip
    rest = [i for i in wanted if i not in out]
    return out | {v.id: link_of(v) for v in book.views(rest)}


def titled(book: Records, ids: Iterable[str]) -> dict[str, Link]:
    """Incidents as links, by their first current title and label (two indexed reads,
    not the views of every fact about them)."""
    wanted = sorted(set(ids))
    titles = current_values(book.session, wanted, "title")
    rows = book.session.execute(
        select(Record.id, Record.label).where(Record.id.in_(wanted))
    ).all()  # fmt: skip
    return {r.id: Link(r.id, "event", str((titles.get(r.id) or [r.label or r.id[:8]])[0]),
                       r.label) for r in rows}  # fmt: skip


def _involved(book: Records, where: Any) -> dict[str, list[Perpetrator]]:
    """Act id -> its perpetrators, for the involvements ``where`` selects (joined to
    their act): the ids and degrees only, never the involvement records' views."""
    inv, act = Involvement.__table__.c, Act.__table__  # the tables: no join through record
    rows = book.session.execute(
        select(inv.id, inv.act_id, inv.organisation_id, inv.person_id)
        .join(act, act.c.id == inv.act_id).where(where)
    ).all()  # fmt: skip
    degrees = current_values(book.session, [r.id for r in rows], "degree")
    orgs = {v.id: link_of(v) for v in book.views(sorted({r.organisation_id for r in rows
                                                         if r.organisation_id}))}  # fmt: skip
    persons = people(book, [r.person_id for r in rows if r.person_id])
    out: dict[str, list[Perpetrator]] = defaultdict(list)
    for r in rows:
        who = orgs.get(r.organisation_id or "") or persons.get(r.person_id or "")
        if who is not None:
            out[r.act_id].append(Perpetrator(who, tuple(map(str, degrees[r.id])), r.act_id))
    return out


def _acts(book: Records, act_ids: Sequence[str], by: dict[str, list[Perpetrator]],
          victims: bool, events: bool) -> list[ActLine]:  # fmt: skip
    """Views of these acts with their perpetrators (``by``) and, as asked, their victims
    and incidents named."""
    acts = book.views(act_ids)
    named = people(book, [v for a in acts if (v := a.refs.get("victim"))]) if victims else {}
    if events:
        named |= titled(book, [e for a in acts if (e := a.refs.get("event"))])
    return [
        ActLine(a, named.get(a.refs.get("event") or ""), named.get(a.refs.get("victim") or ""),
                by.get(a.id, []))
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
    acts = _acts(book, ids_where(s, Act.id, Act.victim_id == person_id),
                 _involved(book, Act.victim_id == person_id), False, True)  # fmt: skip
    as_perpetrator = ids_where(s, Involvement.act_id, Involvement.person_id == person_id)
    perpetrated = _acts(book, sorted(set(as_perpetrator)), {}, True, True)
    related = [
        related_list(book, heading, ids_where(s, column, where))
        for heading, column, where in (
            ("In command of", Command.organisation_id, Command.commander_id == person_id),
            ("Interviews", Interview.id, Interview.interviewee_id == person_id),
            ("Information about this person", InformationRecord.id,
             InformationRecord.person_id == person_id),
            ("Sources given by this person", Source.id, Source.person_id == person_id),
        )
    ]  # fmt: skip
    parts = page_parts(book, [view, *(a.act for a in acts)], view)
    protected = view.protection_level not in (None, "public")
    return PersonPage(**vars(parts), protected=protected, acts=acts, perpetrated=perpetrated,
                      related=[r for r in related if r.links])  # fmt: skip


def incident_page(book: Records, event_id: str, first: int = 0) -> IncidentPage:
    """An incident: its acts with victims and perpetrators (:data:`SHOWN_ACTS` of them
    from the ``first``; the groups and the timeline count all),
    the groups involved, its places by name on a small map, the information records
    about it, the incidents it is part of or that are part of it, and a timeline of its
    acts by day."""
    s = book.session
    view = _require(book, event_id, ["event"], "incident")
    act_ids = ids_where(s, Act.id, Act.event_id == event_id)
    by = _involved(book, Act.event_id == event_id)
    acts = _acts(book, act_ids[first : first + SHOWN_ACTS], by, True, False)
    groups: dict[str, tuple[Link, set[str], set[str]]] = {}
    for act_id, involved in by.items():
        for p in involved:
            _, degrees, seen = groups.setdefault(p.who.id, (p.who, set(), set()))
            degrees.update(p.degrees)
            seen.add(act_id)
    rel_ids = ids_where(s, EventRelation.id, EventRelation.from_event_id == event_id)
    rel_ids += ids_where(s, EventRelation.id, EventRelation.to_event_id == event_id)
    rels = book.views(rel_ids)
    info = book.views(ids_where(s, InformationRecord.id, InformationRecord.event_id == event_id))
    parts = page_parts(book, [view, *(a.act for a in acts)], view)
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
    located = {i: loc for i, _, loc in case_places(book)}
    places = [(parts.names[i], located.get(i)) for i in place_ids if i in parts.names]
    days: dict[str, int] = defaultdict(int)
    dated = current_values(s, act_ids, "date")
    for values in dated.values():
        days[describe(typed(kind_spec("act").fields["date"], values[0]))] += 1
    if not days:  # no act dated: the incident's own date stands for all of them
        for d in view.values("date")[:1]:
            days[describe(d)] = len(act_ids)
    return IncidentPage(
        **vars(parts), acts=acts, acts_total=len(act_ids), first=first,
        groups=[Group(w, tuple(sorted(d)), len(n)) for w, d, n in groups.values()],
        places=places, information=links_to(book, info), relations=relations,
        timeline=sorted(days.items()), map=small_map(book, set(place_ids)),
    )  # fmt: skip


def related_list(book: Records, heading: str, ids: Sequence[str]) -> Related:
    return Related(heading, links_to(book, book.views(ids)))


def links_to(book: Records, views: Sequence[RecordView]) -> list[Link]:
    """Links to these records; an information record is named as it is cited (its
    source's title and where in it), not by its id."""
    infos = [v for v in views if v.kind == "information_record"]
    cited = book.citations(infos) if infos else {}
    return [Link(v.id, v.kind, cited[v.id], v.label) if v.id in cited else link_of(v)
            for v in views]  # fmt: skip


def case_places(book: Records) -> list[tuple[str, str, UncertainPlace | None]]:
    """Every place of the case: id, title and location (kept until the case changes)."""

    def compute() -> list[tuple[str, str, UncertainPlace | None]]:
        return [(p.id, p.title, p.value("location")) for p in book.all("place")]

    return case_cache.cached(book.session, book.case_id, "dossier places", compute)


def small_map(book: Records, here: set[str]) -> list[MapPoint]:
    """The case's located places in a 0–100 square (a plain equirectangular fit of their
    bounding box, 10 % margin), ``here`` marked; empty when none of ``here`` is located."""
    located = [(i, title, float(p.lat), float(p.lon)) for i, title, p in case_places(book)
               if p is not None and p.lat is not None and p.lon is not None]  # fmt: skip
    if not any(i in here for i, *_ in located):
        return []
    south, west = min(x[2] for x in located), min(x[3] for x in located)
    span = max(max(x[2] for x in located) - south, max(x[3] for x in located) - west, 0.01)
    return [MapPoint(i, title, 10 + 80 * (lon - west) / span, 90 - 80 * (lat - south) / span,
                     i in here) for i, title, lat, lon in located]  # fmt: skip


def current_choices(page: Page) -> list[tuple[str, str, Fact]]:
    """The current facts a correction may supersede: (assertion id, field, fact)."""
    return [(f.id, name, f) for name, facts in sorted(page.view.current.items()) for f in facts]
