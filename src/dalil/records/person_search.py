"""Finding documented persons by name, in Arabic or Latin script, and by sex, through an
index rather than by reading every record (a case can hold 100,000 victims).

Keys (table ``search_key``), rebuilt from a person's *current* facts whenever one of
the :data:`INDEXED` facts is asserted, corrected or withdrawn
(:meth:`dalil.records.Records.assert_fact`):

* ``n:<word>`` for every word of every current name after :func:`~dalil.places.names.normalise`
  (so "أحمد", "احمد" and "Ahmad" each find themselves, whatever the hamza or case);
* ``x:<key>`` for every token of the name's :func:`~dalil.places.names.cross_key`
  (so "Mohammad al-Ahmad" finds "محمد الأحمد");
* ``sex:<code>``.

Every key row also carries the person's sex and documentation time, so a search with a
sex filter, and its page in documentation order, are read from the index entries alone;
beside the keys, a *card* (table ``person_card``) holds what a result list shows, so a page
of fifty persons is fifty rows rather than every fact behind them.

A query matches a person when every query word is the start of one of the person's
``n:`` words, or when every cross-script token of the query is one of their ``x:``
keys. Only public persons are indexed: a protected person has no names in the case
records, and not even their sex is put in an index.

Where a field has several current values (a disagreement), the first asserted is shown and
filtered on; every name is indexed.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
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
from dalil.model.tables import Assertion, Person, PersonCard, SearchKey
from dalil.model.values import Age, UncertainDate
from dalil.places.names import cross_key, normalise

#: the person fields the keys and cards are built from
INDEXED = ("name", "sex", "age", "date_of_death")
_CEILING = "\U0010ffff"  # sorts after every character: [w, w + _CEILING) is "starts with w"
#: searches are plain table statements, not ORM ones: the ORM's per-row work cost more than
#: SQLite's for a thousand matches
_KEYS = SearchKey.__table__
#: a person's current values of the indexed fields, each field's in the order asserted
Facts = dict[str, list[Any]]


def keys(names: Iterable[str], sex: str | None) -> set[str]:
    """The search keys of a person with these full names and sex."""
    out = {f"sex:{sex}"} if sex else set()
    for full in names:
        out |= {f"n:{w}"[:200] for w in normalise(full).split()}
        out |= {f"x:{k}"[:200] for k in cross_key(full).split()}
    return out


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


#: one test a person's keys must pass: ("starts", word) or ("equals", key)
Test = tuple[str, str]
#: results stop here: "more than 1,000 match" is as useful as the exact number, and every
#: step of a search is then bounded
COUNT_CAP = 1_000


def _branches(query: str) -> list[list[Test]]:
    """The two ways a query can match, each a list of tests that must all hold: every
    word starts a name word, or every cross-script token is a name key. Empty for an empty
    query."""
    words, tokens = normalise(query).split(), cross_key(query).split()
    branches: list[list[Test]] = [[("starts", w) for w in words]]
    if tokens:
        branches.append([("equals", f"x:{t}") for t in tokens])
    return branches if words else []


def _test(key: Any, kind: str, name: str) -> ColumnElement[bool]:
    """A test of this kind on a key column, its values bound at execution under ``name``
    (:func:`_values`)."""
    if kind == "starts":
        return and_(key >= bindparam(f"{name}_lo"), key < bindparam(f"{name}_hi"))
    return cast(ColumnElement[bool], key == bindparam(f"{name}_eq"))


def _values(test: Test, name: str) -> dict[str, str]:
    kind, value = test
    if kind == "starts":  # [w, w + _CEILING) is "starts with w"
        return {f"{name}_lo": f"n:{value}", f"{name}_hi": f"n:{value}{_CEILING}"}
    return {f"{name}_eq": value}


@cache
def _hits(kind: str) -> Select[tuple[int]]:
    """How many keys pass a test of this kind, up to ``cap``."""
    keys = select(_KEYS.c.key).where(_KEYS.c.case_id == bindparam("case"),
                                     _test(_KEYS.c.key, kind, "t"))  # fmt: skip
    return select(func.count()).select_from(keys.limit(bindparam("cap")).subquery())


def _rarest_first(session: Session, case_id: str, tests: list[Test]) -> list[Test]:
    """The tests ordered by how many keys pass them (counted up to the cap)."""
    if len(tests) == 1:
        return tests
    counted = []
    for test in tests:
        params = {"case": case_id, "cap": COUNT_CAP + 1, **_values(test, "t")}
        counted.append((int(session.scalar(_hits(test[0]), params) or 0), test))
    return [test for _, test in sorted(counted, key=lambda c: c[0])]


@lru_cache(maxsize=128)  # a query's shape is up to the caller: the cache stays bounded
def _matching(shape: tuple[tuple[str, ...], ...], sexed: bool) -> tuple[Select[Any], Select[Any]]:
    """The page and count statements of a search of this shape: for each way of matching,
    the kinds of its tests, rarest first; and whether a sex is given. Built once per shape
    (a statement's construction and cache key cost more than SQLite's work), with every
    value bound at execution: ``case``, ``sex``, ``cap``, ``limit``, ``offset`` and each
    test's (:func:`_values` under ``t<way>_<n>``).

    Each way is read led by its first test, which walks the covering (case, key, sex,
    time, id) index; the others are primary-key lookups on each candidate. The database
    unites the ways (each up to ``cap`` persons), counts them and sorts out one page."""
    ways = []
    for w, kinds in enumerate(shape):
        first = _KEYS.alias(f"k{w}_0")
        way = select(first.c.documented_at.label("at"), first.c.record_id.label("id")).where(
            first.c.case_id == bindparam("case"), _test(first.c.key, kinds[0], f"t{w}_0")
        )
        if sexed:
            way = way.where(first.c.sex == bindparam("sex"))
        for n, kind in enumerate(kinds[1:], 1):
            other = _KEYS.alias(f"k{w}_{n}")
            way = way.where(exists().where(other.c.record_id == first.c.record_id,
                                           _test(other.c.key, kind, f"t{w}_{n}")))  # fmt: skip
        # a person may have several keys in a prefix's range; one exact key is one row per
        # person, so the database can stop at the cap instead of reading every match
        if kinds[0] == "starts":
            way = way.distinct()
        ways.append(way.limit(bindparam("cap")).subquery())
    matched = ways[0] if len(ways) == 1 else union(
        *(select(way.c.at, way.c.id) for way in ways)
    ).subquery()  # fmt: skip
    page = (
        select(matched.c.id, func.count().over())
        .order_by(matched.c.at, matched.c.id)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )
    return page, select(func.count()).select_from(matched)


def search(
    session: Session, case_id: str, query: str, sex: str = "", limit: int = 50, offset: int = 0
) -> tuple[int, bool, list[str]]:
    """How many public persons match (at most :data:`COUNT_CAP`, and whether there are
    more), and the ids of one page of them in the order they were documented.

    Each way of matching is read from the key index led by its rarest name test, up to
    the cap, with each match's sex and documentation time (in the index entry itself);
    only the page leaves the database. With more matches than the cap, the pages hold
    only those first found (the page says "more than 1,000", so a person refines the
    search). The whole list, and one sex, walk the persons in documentation order (an
    index)."""
    branches = [_rarest_first(session, case_id, tests) for tests in _branches(query)]
    if branches:
        page, count = _matching(tuple(tuple(k for k, _ in t) for t in branches), bool(sex))
        params: dict[str, Any] = {"case": case_id, "sex": sex, "cap": COUNT_CAP + 1,
                                  "limit": limit, "offset": offset}  # fmt: skip
        for w, tests in enumerate(branches):
            for n, test in enumerate(tests):
                params |= _values(test, f"t{w}_{n}")
        rows = session.execute(page, params).all()
        # past the last page, the count alone
        total = int(rows[0][1] if rows else session.scalar(count, params) or 0)
        return min(total, COUNT_CAP), total > COUNT_CAP, [rid for rid, _ in rows]
    if sex:  # the sex keys, walked in documentation order
        walk = select(_KEYS.c.record_id).where(
            _KEYS.c.case_id == case_id, _KEYS.c.key == f"sex:{sex}"
        ).order_by(_KEYS.c.documented_at, _KEYS.c.record_id)  # fmt: skip
    else:
        walk = select(Person.id).where(
            Person.case_id == case_id, Person.kind == "person",
            Person.protection_level == "public",
        ).order_by(Person.created_at, Person.id)  # fmt: skip
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
