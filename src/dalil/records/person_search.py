"""Finding documented persons by name, in Arabic or Latin script, and by sex, through an
index rather than by reading every record (a case can hold 100,000 victims), best match
first.

Keys (table ``search_key``, :mod:`dalil.records.search_keys`), rebuilt from a person's
*current* facts whenever one of the :data:`INDEXED` facts is asserted, corrected or
withdrawn (:meth:`dalil.records.Records.assert_fact`): the person's name tokens and words,
whole names, the Arabic names their Latin spellings spell, consonant skeletons, and
``sex:<code>``. A query is tried under rules from strictest to loosest (:data:`RULES`):
the exact name, the same name, the same name in the other script, a spelling variant of
the name, a word beginning, a similar spelling. A person is ranked by the first rule that
finds them, then in documentation order; the page says which rule it was.

Every key row also carries the person's sex and documentation time, so a search with a
sex filter, and its page in documentation order, are read from the index entries alone;
beside the keys, a *card* (table ``person_card``) holds what a result list shows, so a page
of fifty persons is fifty rows rather than every fact behind them. Only public persons are
indexed: a protected person has no names in the case records, and not even their sex is
put in an index.

Where a field has several current values (a disagreement), the first asserted is shown and
filtered on; every name is indexed.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cache, lru_cache
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    bindparam,
    delete,
    exists,
    func,
    insert,
    select,
    union,
)
from sqlalchemy.orm import Session

from dalil.model.catalogue import kind_spec, typed
from dalil.model.tables import Act, Assertion, Person, PersonCard, SearchKey
from dalil.model.values import Age, UncertainDate
from dalil.records.search_keys import RULES, Test, keys, variant_of
from dalil.records.search_keys import tiers as rules_of

__all__ = ["COUNT_CAP", "INDEXED", "RULES", "Found", "Ranking", "add_keys", "found", "keys",
           "ranked", "rebuild", "refresh", "search", "variant_of"]  # fmt: skip

#: the person fields the keys and cards are built from
INDEXED = ("name", "sex", "age", "date_of_death")
_CEILING = "\U0010ffff"  # sorts after every character: [w, w + _CEILING) is "starts with w"
#: searches are plain table statements, not ORM ones: the ORM's per-row work cost more than
#: SQLite's for a thousand matches
_KEYS = SearchKey.__table__
#: a person's current values of the indexed fields, each field's in the order asserted
Facts = dict[str, list[Any]]


def add_keys(
    session: Session, case_id: str, record_id: str, documented_at: datetime,
    label: str | None, facts: Sequence[Assertion],
) -> None:  # fmt: skip
    """The keys and card of a person documented just now with this label and these first
    facts (no lookups)."""
    current: Facts = {}
    for a in sorted(facts, key=lambda a: (a.assessed_at, a.id)):
        if a.field in INDEXED and a.value is not None:
            current.setdefault(a.field, []).append(a.value)
    _store(session, case_id, {record_id: (documented_at, label, current)})


def _store(
    session: Session, case_id: str, people: dict[str, tuple[datetime, str | None, Facts]]
) -> None:
    """The keys and cards of these persons, by id: (documentation time, label, current
    facts)."""
    rows, cards = [], []
    for rid, (at, label, facts) in people.items():
        names = [str(n["full"]) for n in facts.get("name", [])]
        sex, age, died = (facts.get(f, [None])[0] for f in ("sex", "age", "date_of_death"))
        rows += [{"record_id": rid, "case_id": case_id, "key": k, "documented_at": at,
                  "sex": sex} for k in keys(names, sex)]  # fmt: skip
        card = {"label": label, "names": names, "sex": sex, "age": age, "died": died}
        cards.append({"record_id": rid, "case_id": case_id, "card": card})
    if rows:
        session.execute(insert(SearchKey), rows)
    if cards:
        session.execute(insert(PersonCard), cards)


def refresh(session: Session, case_id: str, record_ids: Sequence[str]) -> None:
    """Rebuild the keys and cards of these persons from their current facts."""
    if not record_ids:
        return
    session.flush()
    superseded = select(Assertion.supersedes_id).where(Assertion.supersedes_id.is_not(None))
    rows = session.execute(
        select(Assertion.subject_id, Assertion.field, Assertion.value)
        .where(
            Assertion.subject_id.in_(record_ids),
            Assertion.field.in_(INDEXED),
            Assertion.id.not_in(superseded.where(Assertion.subject_id.in_(record_ids))),
        )
        .order_by(Assertion.assessed_at, Assertion.id)
    ).all()
    public = {
        rid: (at, label)
        for rid, at, label in session.execute(
            select(Person.id, Person.created_at, Person.label).where(
                Person.id.in_(record_ids), Person.protection_level == "public"
            )
        )
    }
    current: dict[str, Facts] = {rid: {} for rid in public}
    for subject, field, value in rows:
        if value is not None and subject in current:
            current[subject].setdefault(field, []).append(value)
    for table in (SearchKey, PersonCard):
        session.execute(delete(table).where(table.record_id.in_(record_ids)))
    _store(session, case_id, {rid: (at, label, current[rid])
                              for rid, (at, label) in public.items()})  # fmt: skip


#: results stop here: "more than 1,000 match" is as useful as the exact number, and every
#: step of a search is then bounded
COUNT_CAP = 1_000


def _test(key: Any, shape: str, name: str) -> ColumnElement[bool]:
    """A test of this shape (:func:`_shape`) on a key column, its values bound at execution
    under ``name`` (:func:`_values`)."""
    if shape == "starts":  # [w, w + _CEILING) is "starts with w"
        return and_(key >= bindparam(f"{name}_lo"), key < bindparam(f"{name}_hi"))
    if shape == "eq":
        return cast(ColumnElement[bool], key == bindparam(f"{name}_eq"))
    return cast(ColumnElement[bool], key.in_(bindparam(f"{name}_in", expanding=True)))


def _values(test: Test, name: str) -> dict[str, Any]:
    kind, values = test
    if kind == "starts":
        return {f"{name}_lo": values[0], f"{name}_hi": f"{values[0]}{_CEILING}"}
    return {f"{name}_eq": values[0]} if len(values) == 1 else {f"{name}_in": list(values)}


def _shape(test: Test) -> str:
    """What a statement needs to know of a test: a prefix, one key or several."""
    return "starts" if test[0] == "starts" else "eq" if len(test[1]) == 1 else "in"


def _victim(record_id: Any) -> ColumnElement[bool]:
    """Whether the person is the victim of an act (an index lookup on ``act.victim_id``)."""
    acts = Act.__table__.c
    return exists().where(acts.victim_id == record_id)


@lru_cache(maxsize=256)  # a query's shape is up to the caller: the cache stays bounded
def _matching(shape: tuple[str, ...], sexed: bool, victims: bool, way: int = 0) -> Select[Any]:
    """The persons passing one rule's tests of these shapes (:func:`_shape`), rarest
    first; whether a sex is given; whether only victims count. Built once per shape (a
    statement's construction and cache key cost more than SQLite's work), with every value
    bound at execution: ``case``, ``sex``, ``cap`` and each test's (:func:`_values` under
    ``w<way>t<n>``, so that two ways can be united).

    Led by its first test, which walks the covering (case, key, sex, time, id) index; the
    others are primary-key lookups on each candidate. Up to ``cap`` persons, with their
    documentation time."""
    first = _KEYS.alias(f"w{way}k0")
    found = select(first.c.documented_at.label("at"), first.c.record_id.label("id")).where(
        first.c.case_id == bindparam("case"), _test(first.c.key, shape[0], f"w{way}t0")
    )
    if sexed:
        found = found.where(first.c.sex == bindparam("sex"))
    for n, kind in enumerate(shape[1:], 1):
        other = _KEYS.alias(f"w{way}k{n}")
        found = found.where(exists().where(other.c.record_id == first.c.record_id,
                                           _test(other.c.key, kind, f"w{way}t{n}")))  # fmt: skip
    if victims:
        found = found.where(_victim(first.c.record_id))
    # a person may have several keys in a prefix's range or a list of keys; one exact key
    # is one row per person, so the database can stop at the cap without sorting
    if shape[0] != "eq":
        found = found.distinct()
    return found.limit(bindparam("cap"))


@lru_cache(maxsize=256)
def _best(shape: tuple[str, ...], sexed: bool, victims: bool) -> Select[Any]:
    """The first ``need`` persons of :func:`_matching`, in documentation order (sorted by
    the database: only they leave it)."""
    found = _matching(shape, sexed, victims).subquery()
    return select(found.c.at, found.c.id).order_by(found.c.at, found.c.id).limit(bindparam("need"))


@lru_cache(maxsize=256)
def _count(shapes: tuple[tuple[str, ...], ...], sexed: bool, victims: bool) -> Select[Any]:
    """How many persons the union of these ways finds (each up to ``cap``), counted by the
    database."""
    ways = [_matching(shape, sexed, victims, w).subquery() for w, shape in enumerate(shapes)]
    found = ways[0] if len(ways) == 1 else union(*(select(w.c.at, w.c.id) for w in ways)).subquery()
    return select(func.count()).select_from(found)


@cache
def _hits(shape: str) -> Select[tuple[int]]:
    """How many keys pass a test of this shape, up to ``cap``."""
    keys = select(_KEYS.c.key).where(_KEYS.c.case_id == bindparam("case"),
                                     _test(_KEYS.c.key, shape, "t"))  # fmt: skip
    return select(func.count()).select_from(keys.limit(bindparam("cap")).subquery())


def _rarest_first(session: Session, case_id: str, tests: list[Test]) -> list[int]:
    """The positions of the tests, ordered by how many keys pass them (counted up to the
    cap)."""
    if len(tests) == 1:
        return [0]
    counted = []
    for n, test in enumerate(tests):
        params = {"case": case_id, "cap": COUNT_CAP + 1, **_values(test, "t")}
        counted.append((int(session.scalar(_hits(_shape(test)), params) or 0), n))
    return [n for _, n in sorted(counted)]


@dataclass(frozen=True)
class Ranking:
    """One page of a search: how many persons match (at most :data:`COUNT_CAP`), whether
    more do, the page's ids best first, and the rule (:data:`RULES`) that found each."""

    total: int
    more: bool
    ids: list[str]
    rules: dict[str, str]


def ranked(
    session: Session, case_id: str, query: str, sex: str = "", limit: int = 50,
    offset: int = 0, victims_only: bool = False,
) -> Ranking:  # fmt: skip
    """The public persons this query finds, best first: by the strictest rule that finds
    them (:func:`~dalil.records.search_keys.tiers`), then in the order they were
    documented. ``victims_only`` keeps the persons who are the victim of an act (not, say,
    an alleged commander).

    Each rule is one read of the key index led by its rarest word's test, up to the cap,
    sorted by the database, of which only the page's persons leave it; the rules are read
    strictest first until the page is full, and the database counts the matches of the
    loosest rules (every match is one of theirs), so a common name ("محمد") costs three
    bounded reads, never a walk of every person. With more matches than the cap, the pages
    hold those first found (the page says "more than 1,000", so a person refines the
    search). An empty query walks the persons (or one sex's keys) in documentation
    order."""
    tiers = rules_of(query)
    if not tiers:
        total, more, ids = _listing(session, case_id, sex, limit, offset, victims_only)
        return Ranking(total, more, ids, {})
    keyed = [tests for rule, tests in tiers if rule not in ("exact", "prefix")]
    words = _rarest_first(session, case_id, keyed[-1]) if keyed else []
    prefix = [tests for rule, tests in tiers if rule == "prefix"]
    starts = _rarest_first(session, case_id, prefix[0]) if prefix else []
    params: dict[str, Any] = {"case": case_id, "sex": sex, "cap": COUNT_CAP + 1}

    def bound(rule: str, tests: list[Test], way: int = 0) -> tuple[str, ...]:
        """The tests in the order they are read, their values put in ``params``."""
        order = starts if rule == "prefix" else words if len(tests) > 1 else [0]
        for i, n in enumerate(order):
            params.update(_values(tests[n], f"w{way}t{i}"))
        return tuple(_shape(tests[n]) for n in order)

    found: dict[str, tuple[int, datetime]] = {}
    want = min(offset + limit, COUNT_CAP + 1)
    for n, (rule, tests) in enumerate(tiers):  # until the page is full
        shape = bound(rule, tests)
        # each rule's persons include those of the stricter rules before it
        need = {"need": want + len(found)}
        for at, rid in session.execute(_best(shape, bool(sex), victims_only), params | need):
            found.setdefault(rid, (n, at))
        if len(found) >= want:
            break
    # every match is one of the loosest keyed rule's or a word beginning's
    keyed_rules = [t for t in tiers if t[0] not in ("exact", "prefix")]
    loosest = [t for t in tiers if t[0] == "prefix"] + keyed_rules[-1:]
    shapes = tuple(bound(rule, tests, w) for w, (rule, tests) in enumerate(loosest))
    total = int(session.scalar(_count(shapes, bool(sex), victims_only), params) or 0)
    best = sorted(found, key=lambda rid: (*found[rid], rid))[:want]
    page = best[offset : offset + limit]
    return Ranking(min(total, COUNT_CAP), total > COUNT_CAP, page,
                   {rid: tiers[found[rid][0]][0] for rid in page})  # fmt: skip


def search(
    session: Session, case_id: str, query: str, sex: str = "", limit: int = 50, offset: int = 0
) -> tuple[int, bool, list[str]]:
    """How many public persons match (at most :data:`COUNT_CAP`, and whether there are
    more), and the ids of one page of them, best first (:func:`ranked`)."""
    found = ranked(session, case_id, query, sex, limit, offset)
    return found.total, found.more, found.ids


def _listing(
    session: Session, case_id: str, sex: str, limit: int, offset: int, victims_only: bool
) -> tuple[int, bool, list[str]]:
    """Every public person (or one sex's), in documentation order, through an index."""
    if sex:  # the sex keys, walked in documentation order
        walk = select(_KEYS.c.record_id).where(
            _KEYS.c.case_id == case_id, _KEYS.c.key == f"sex:{sex}"
        ).order_by(_KEYS.c.documented_at, _KEYS.c.record_id)  # fmt: skip
        if victims_only:
            walk = walk.where(_victim(_KEYS.c.record_id))
    else:
        walk = select(Person.id).where(
            Person.case_id == case_id, Person.kind == "person",
            Person.protection_level == "public",
        ).order_by(Person.created_at, Person.id)  # fmt: skip
        if victims_only:
            walk = walk.where(_victim(Person.id))
    capped = walk.limit(COUNT_CAP + 1).subquery()
    total = int(session.scalar(select(func.count()).select_from(capped)) or 0)
    ids = list(session.scalars(walk.limit(limit).offset(offset)))
    return min(total, COUNT_CAP), total > COUNT_CAP, ids


@dataclass(frozen=True)
class Found:
    """One person of a result list, as the victims list shows it."""

    id: str
    label: str | None
    names: list[str]
    sex: str | None
    age: Age | None
    died: UncertainDate | None


def found(session: Session, ids: Sequence[str]) -> list[Found]:
    """What a result list shows of these public persons, in the order given, from their
    cards: label, current names, sex, age and date of death (one query for a page)."""
    cards = PersonCard.__table__.c
    shown = dict(
        session.execute(select(cards.record_id, cards.card).where(cards.record_id.in_(ids)))
        .tuples()
        .all()
    )
    fields = kind_spec("person").fields
    return [
        Found(i, card["label"], card["names"], card["sex"], typed(fields["age"], card["age"]),
              typed(fields["date_of_death"], card["died"]))
        for i in ids
        if (card := shown.get(i))
    ]  # fmt: skip


def rebuild(
    session: Session, case_id: str | None = None, batch: int = 2_000,
    progress: Callable[[int, int], None] | None = None,
) -> int:  # fmt: skip
    """Rebuild the keys and cards of every person (of one case, or all); returns how many.
    For the migration that last changed the index, and for repairs (``dalil case
    reindex``). ``progress(done, total)`` is called after each batch of persons."""
    query = select(Person.id, Person.case_id).order_by(Person.id)
    if case_id is not None:
        query = query.where(Person.case_id == case_id)
    found = session.execute(query).all()
    by_case: dict[str, list[str]] = {}
    for pid, cid in found:
        by_case.setdefault(cid, []).append(pid)
    done = 0
    for cid, ids in by_case.items():
        for i in range(0, len(ids), batch):
            chunk = ids[i : i + batch]
            refresh(session, cid, chunk)
            done += len(chunk)
            if progress:
                progress(done, len(found))
    return len(found)
