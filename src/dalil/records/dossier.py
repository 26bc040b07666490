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
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import literal, or_, select, union_all
from sqlalchemy.orm import Session

from dalil.errors import NotFound
from dalil.model.catalogue import KINDS, kind_spec, typed
from dalil.model.tables import (
    RECORD_CLASSES,
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
from dalil.model.values import Ref
from dalil.model.vocabulary import Vocabularies
from dalil.model.words import N_, Term
from dalil.records import case_cache, person_search
from dalil.records.book import Records
from dalil.records.dossier_map import case_places, small_map
from dalil.records.dossier_parts import (
    ActLine,
    Group,
    IncidentPage,
    Link,
    Page,
    Perpetrator,
    PersonPage,
    Related,
    Relation,
    link_of,
)
from dalil.records.overview import describe
from dalil.records.views import Fact, RecordView, record_views, ref_id

#: the most records a related list reads
MAX_ACTS = 500
#: the acts an incident page lists at a time (its groups and timeline count them all)
SHOWN_ACTS = 50


# -- display ------------------------------------------------------------------------


def show(vocabs: Vocabularies, names: dict[str, Link], kind: str, name: str, value: Any,
         lang: str = "en") -> str:  # fmt: skip
    """A fact value as a person reads it: a vocabulary code by its label in ``lang``, a
    reference by the title of the record it names, anything else by
    :func:`~dalil.records.overview.describe` (which keeps uncertainty; English, as a
    :class:`~dalil.model.words.Phrase` a page can say in its language)."""
    said = words(names, kind, name, value)
    if isinstance(said, Term) and said.vocabulary is not None:
        return vocabs.get(said.vocabulary).label(said.code, lang)
    return said


def words(names: dict[str, Link], kind: str, name: str, value: Any) -> str:
    """A fact value as words a page says in its language: a vocabulary code as a
    :class:`~dalil.model.words.Term`, a reference as the title of the record it names
    (data), anything else as :func:`~dalil.records.overview.describe` writes it."""
    spec = kind_spec(kind).fields.get(name)
    if spec is not None and spec.type == "term" and spec.vocabulary and isinstance(value, str):
        return Term(value, spec.vocabulary)
    if isinstance(value, Ref) or (spec is not None and spec.type == "ref"):
        target = ref_id(value)
        if target in names:
            return names[target].title
    return describe(value, spec.vocabulary if spec is not None else None)


# -- gathering ----------------------------------------------------------------------


def ids_where(s: Session, column: Any, *where: Any, limit: int | None = None) -> list[str]:
    query = select(column).where(*where).order_by(column)
    return list(s.scalars(query.limit(limit) if limit else query))


def page_parts(book: Records, views: Sequence[RecordView], main: RecordView) -> Page:
    """The names every fact of ``views`` refers to and the citations of ``main``'s facts.

    Both are kept per case revision (:func:`_known`): the pages of a case name the same
    places and cite the same few information records over and over, and reading them
    again (a dozen queries) was a third of an incident page's gathering."""
    refs = {ref_id(f.value) for v in views for facts in v.current.values() for f in facts
            if kind_spec(v.kind).fields[f.field].type == "ref"}  # fmt: skip
    links: dict[str, Link] = _known(book, "links")
    if missing := sorted(r for r in refs if r and r not in links):
        links.update({v.id: link_of(v) for v in book.views(missing)})
    names = {r: links[r] for r in refs if r and r in links}
    cited = {sid for f in main.history for sid in f.sources}
    captions: dict[str, str] = _known(book, "citations")
    if missing := sorted(i for i in cited if i not in captions):
        captions.update(book.citations(book.views(missing)))
    citations = {i: captions[i] for i in sorted(cited) if i in captions}
    return Page(main, names, citations, main.disagreements())


def _known(book: Records, what: str) -> dict[str, Any]:
    """A dictionary kept until the case changes (:mod:`dalil.records.case_cache`), filled
    as pages ask: what is in it was read at the case's current revision."""
    return case_cache.cached(book.session, book.case_id, f"dossier known {what}", dict)


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
    if not wanted:
        return {}
    out = {f.id: Link(f.id, "person", f.names[0] if f.names else (f.label or "—"), f.label)
           for f in person_search.found(book.session, wanted)}  # fmt: skip
    rest = [i for i in wanted if i not in out]
    return out | {v.id: link_of(v) for v in book.views(rest)}


def titled(book: Records, ids: Iterable[str]) -> dict[str, Link]:
    """Incidents as links, by their first current title and label (two indexed reads,
    not the views of every fact about them; kept per case revision, :func:`_known`: a
    case's thousands of victims name its few hundred incidents)."""
    known: dict[str, Link] = _known(book, "incidents")
    wanted = sorted(set(ids))
    if missing := [i for i in wanted if i not in known]:
        titles = current_values(book.session, missing, "title")
        rows = book.session.execute(
            select(Record.id, Record.label).where(Record.id.in_(missing))
        ).all()  # fmt: skip
        known.update({r.id: Link(r.id, "event", str((titles.get(r.id) or [r.label or r.id[:8]])[0]),
                                 r.label) for r in rows})  # fmt: skip
    return {i: known[i] for i in wanted if i in known}


def _involved(book: Records, where: Any) -> dict[str, list[Perpetrator]]:
    """Act id -> its perpetrators, for the involvements ``where`` selects (joined to
    their act): the ids and degrees only, never the involvement records' views."""
    inv, act = Involvement.__table__.c, Act.__table__  # the tables: no join through record
    rows = book.session.execute(
        select(inv.id, inv.act_id, inv.organisation_id, inv.person_id)
        .join(act, act.c.id == inv.act_id).where(where)
    ).all()  # fmt: skip
    if not rows:
        return {}
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


@dataclass(frozen=True)
class _ActRow:
    """An act's record columns, as :func:`~dalil.records.views.record_views` reads a
    record: one joined query of plain rows instead of ORM objects loaded kind by kind."""

    id: str
    kind: str
    case_id: str
    label: str | None
    created_at: datetime
    created_by: str
    event_id: str
    victim_id: str | None

    def ref_ids(self) -> dict[str, str | None]:
        return {r.name: getattr(self, r.column) for r in KINDS["act"].refs}


def _act_rows(book: Records, where: Any) -> list[_ActRow]:
    """The case's acts ``where`` selects (a condition on the act table, which is indexed
    by incident and by victim), in id order."""
    r, a = Record.__table__.c, Act.__table__.c
    rows = book.session.execute(
        select(r.id, r.kind, r.case_id, r.label, r.created_at, r.created_by, a.event_id,
               a.victim_id).join_from(Act.__table__, Record.__table__, a.id == r.id)
        .where(where).order_by(a.id)
    ).all()  # fmt: skip
    return [_ActRow(*row) for row in rows if row.case_id == book.case_id]


def _views(book: Records, records: Sequence[Record | _ActRow]) -> list[RecordView]:
    """Views of these records, their facts read in one batch."""
    # act rows stand in for the acts' records: record_views reads only these attributes
    return record_views(book.session, cast(list[Record], list(records)))


def _acts(book: Records, acts: Sequence[RecordView], by: dict[str, list[Perpetrator]],
          victims: bool, events: bool) -> list[ActLine]:  # fmt: skip
    """These acts with their perpetrators (``by``) and, as asked, their victims and
    incidents named."""
    named = people(book, [v for a in acts if (v := a.refs.get("victim"))]) if victims else {}
    if events:
        named |= titled(book, [e for a in acts if (e := a.refs.get("event"))])
    return [
        ActLine(a, named.get(a.refs.get("event") or ""), named.get(a.refs.get("victim") or ""),
                by.get(a.id, []))
        for a in acts
    ]  # fmt: skip


def _require(book: Records, record_id: str, kind: str, what: str) -> Record:
    """The record of this kind, read with its kind's own columns in one query (a plain
    :meth:`Records.get` loads them lazily, one more query)."""
    record = book.session.get(RECORD_CLASSES[kind], record_id)
    if record is None or record.case_id != book.case_id:
        raise NotFound(f"no {what} {record_id} in this case")
    return record


def person_page(book: Records, person_id: str) -> PersonPage:
    """A person: the acts done to them (with incidents and perpetrators), the acts they
    are named as a perpetrator in, commands, interviews and information about them."""
    s = book.session
    record = _require(book, person_id, "person", "person")
    act, inv = Act.__table__.c, Involvement.__table__.c
    own = _act_rows(book, act.victim_id == person_id)
    theirs = _act_rows(book, act.id.in_(select(inv.act_id).where(inv.person_id == person_id)))
    view, *views = _views(book, [record, *own, *theirs])  # the facts of all in one batch
    acts = _acts(book, views[: len(own)], _involved(book, Act.victim_id == person_id),
                 False, True)  # fmt: skip
    perpetrated = _acts(book, views[len(own) :], {}, True, True)
    found = _around(s, person_id)
    related = [related_list(book, heading, found[n]) for n, heading in enumerate(AROUND)]
    parts = page_parts(book, [view, *(a.act for a in acts)], view)
    protected = view.protection_level not in (None, "public")
    return PersonPage(**vars(parts), protected=protected, acts=acts, perpetrated=perpetrated,
                      related=[r for r in related if r.links])  # fmt: skip


#: the related lists of a person's page, in the order :func:`_around` reads them
AROUND = (N_("In command of"), N_("Interviews"), N_("Information about this person"),
          N_("Sources given by this person"))  # fmt: skip


def _around(s: Session, person_id: str) -> list[list[str]]:
    """The ids of :data:`AROUND`'s lists, in one query of the four indexed look-ups."""
    com, itv = Command.__table__.c, Interview.__table__.c
    inf, src = InformationRecord.__table__.c, Source.__table__.c
    parts = [select(literal(n), col).where(where) for n, (col, where) in enumerate((
        (com.organisation_id, com.commander_id == person_id),
        (itv.id, itv.interviewee_id == person_id),
        (inf.id, inf.person_id == person_id),
        (src.id, src.person_id == person_id)))]  # fmt: skip
    out: list[list[str]] = [[] for _ in AROUND]
    for n, record_id in s.execute(union_all(*parts)):
        out[n].append(record_id)
    return [sorted(ids) for ids in out]


def incident_page(book: Records, event_id: str, first: int = 0) -> IncidentPage:
    """An incident: its acts with victims and perpetrators (:data:`SHOWN_ACTS` of them
    from the ``first``; the groups and the timeline count all),
    the groups involved, its places by name on a small map, the information records
    about it, the incidents it is part of or that are part of it, and a timeline of its
    acts by day."""
    s = book.session
    view = _views(book, [_require(book, event_id, "event", "incident")])[0]
    act = Act.__table__.c
    act_ids = ids_where(s, act.id, act.event_id == event_id)  # all: the groups count them
    shown = act_ids[first : first + SHOWN_ACTS]  # the record columns of those shown only
    by = _involved(book, Act.event_id == event_id)
    acts = _acts(book, _views(book, _act_rows(book, act.id.in_(shown))) if shown else [], by,
                 True, False)  # fmt: skip
    groups: dict[str, tuple[Link, set[str], set[str]]] = {}
    for act_id, involved in by.items():
        for p in involved:
            _, degrees, seen = groups.setdefault(p.who.id, (p.who, set(), set()))
            degrees.update(p.degrees)
            seen.add(act_id)
    rel = EventRelation.__table__.c
    rels = book.views(ids_where(s, rel.id, or_(rel.from_event_id == event_id,
                                               rel.to_event_id == event_id)))  # fmt: skip
    rels.sort(key=lambda r: r.refs.get("from_event") != event_id)  # its own first
    info = book.views(ids_where(s, InformationRecord.__table__.c.id,
                                InformationRecord.__table__.c.event_id == event_id))  # fmt: skip
    # the acts' own facts are shown by code and date only: no record they name is shown
    parts = page_parts(book, [view], view)
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


def current_choices(page: Page) -> list[tuple[str, str, Fact]]:
    """The current facts a correction may supersede: (assertion id, field, fact)."""
    return [(f.id, name, f) for name, facts in sorted(page.view.current.items()) for f in facts]
