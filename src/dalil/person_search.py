"""Finding documented persons by name, in Arabic or Latin script, and by sex, through an
index rather than by reading every record (a case can hold 100,000 victims).

Keys (table ``search_key``), rebuilt from a person's *current* facts whenever a name or
sex fact is asserted, corrected or withdrawn (:meth:`dalil.records.Records.assert_fact`):

* ``n:<word>`` for every word of every current name after :func:`~dalil.linkage.names.normalise`
  (so "أحمد", "احمد" and "Ahmad" each find themselves, whatever the hamza or case);
* ``x:<key>`` for every token of the name's :func:`~dalil.linkage.names.cross_key`
  (so "Mohammad al-Ahmad" finds "محمد الأحمد");
* ``sex:<code>``.

A query matches a person when every query word is the start of one of the person's
``n:`` words, or when every cross-script token of the query is one of their ``x:``
keys. Only public persons are indexed: a protected person has no names in the case
records, and not even their sex is put in an index.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    delete,
    func,
    insert,
    intersect,
    select,
    union,
)
from sqlalchemy.orm import Session

from dalil.linkage.names import cross_key, normalise
from dalil.model.tables import Assertion, Person, Record, SearchKey

#: the person fields the index is built from
INDEXED = ("name", "sex")
_CEILING = "\U0010ffff"  # sorts after every character: [w, w + _CEILING) is "starts with w"


def keys(names: Iterable[str], sex: str | None) -> set[str]:
    """The search keys of a person with these full names and sex."""
    out = {f"sex:{sex}"} if sex else set()
    for full in names:
        out |= {f"n:{w}"[:200] for w in normalise(full).split()}
        out |= {f"x:{k}"[:200] for k in cross_key(full).split()}
    return out


def add_keys(session: Session, case_id: str, record_id: str, facts: Iterable[Assertion]) -> None:
    """The keys of a person documented just now with these first facts (no lookups)."""
    names = [str(a.value["full"]) for a in facts if a.field == "name" and a.value]
    sex = next((str(a.value) for a in facts if a.field == "sex" and a.value), None)
    rows = [{"record_id": record_id, "case_id": case_id, "key": k} for k in keys(names, sex)]
    if rows:
        session.execute(insert(SearchKey), rows)


def refresh(session: Session, case_id: str, record_ids: Sequence[str]) -> None:
    """Rebuild the keys of these persons from their current name and sex facts."""
    if not record_ids:
        return
    session.flush()
    superseded = select(Assertion.supersedes_id).where(Assertion.supersedes_id.is_not(None))
    rows = session.execute(
        select(Assertion.subject_id, Assertion.field, Assertion.value).where(
            Assertion.subject_id.in_(record_ids),
            Assertion.field.in_(INDEXED),
            Assertion.id.not_in(superseded.where(Assertion.subject_id.in_(record_ids))),
        )
    ).all()
    public = set(
        session.scalars(
            select(Person.id).where(Person.id.in_(record_ids), Person.protection_level == "public")
        )
    )
    names: dict[str, list[str]] = {}
    sexes: dict[str, str] = {}
    for subject, field, value in rows:
        if value is None:
            continue
        if field == "name":
            names.setdefault(subject, []).append(str(value["full"]))
        else:
            sexes[subject] = str(value)
    session.execute(delete(SearchKey).where(SearchKey.record_id.in_(record_ids)))
    new = [
        {"record_id": rid, "case_id": case_id, "key": k}
        for rid in record_ids
        if rid in public
        for k in keys(names.get(rid, []), sexes.get(rid))
    ]
    if new:
        session.execute(insert(SearchKey), new)


def _having(case_id: str, condition: ColumnElement[bool]) -> Select[tuple[str]]:
    return select(SearchKey.record_id).where(SearchKey.case_id == case_id, condition)


def _starts(word: str) -> ColumnElement[bool]:
    return and_(SearchKey.key >= f"n:{word}", SearchKey.key < f"n:{word}{_CEILING}")


def _all(selects: list[Select[tuple[str]]]) -> Select[tuple[str]]:
    """Ids in every one of ``selects`` (SQLite nests compound selects only as subqueries)."""
    if len(selects) == 1:
        return selects[0]
    both = intersect(*selects).subquery()
    return select(both.c[0])


def matching(case_id: str, query: str, sex: str = "") -> Select[tuple[str]]:
    """A SELECT of the ids of public persons matching ``query`` and ``sex`` (either may be
    empty; both empty selects every public person). Driven by the key index: each word
    is one index range, combined with INTERSECT and UNION."""
    words, tokens = normalise(query).split(), cross_key(query).split()
    parts: list[Select[tuple[str]]] = []
    if words:
        by_words = _all([_having(case_id, _starts(w)) for w in words])
        if tokens:
            by_keys = _all([_having(case_id, SearchKey.key == f"x:{t}") for t in tokens])
            either = union(by_words, by_keys).subquery()
            by_words = select(either.c[0])
        parts.append(by_words)
    if sex:
        parts.append(_having(case_id, SearchKey.key == f"sex:{sex}"))
    if not parts:
        return select(Person.id).where(
            Person.case_id == case_id, Person.protection_level == "public"
        )
    return _all(parts)


def search(
    session: Session, case_id: str, query: str, sex: str = "", limit: int = 50, offset: int = 0
) -> tuple[int, list[str]]:
    """How many public persons match, and the ids of one page of them in the order they
    were documented."""
    chosen = matching(case_id, query, sex).subquery()
    ids_column = chosen.c[0]
    total = session.scalar(select(func.count()).select_from(chosen)) or 0
    ids = session.scalars(
        select(Record.id)
        .join(chosen, ids_column == Record.id)
        .order_by(Record.created_at, Record.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return int(total), list(ids)


def rebuild(session: Session, case_id: str | None = None, batch: int = 2_000) -> int:
    """Rebuild the keys of every person (of one case, or all); returns how many. For the
    migration that creates the index and for repairs."""
    query = select(Person.id, Person.case_id).order_by(Person.id)
    if case_id is not None:
        query = query.where(Person.case_id == case_id)
    found = session.execute(query).all()
    by_case: dict[str, list[str]] = {}
    for pid, cid in found:
        by_case.setdefault(cid, []).append(pid)
    for cid, ids in by_case.items():
        for i in range(0, len(ids), batch):
            refresh(session, cid, ids[i : i + batch])
    return len(found)
