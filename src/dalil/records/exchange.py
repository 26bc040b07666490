"""Case documents exported from and imported into a workspace, losslessly.

The format is :mod:`dalil.records.case_document` (re-exported here: ``exchange.parse``,
``exchange.dumps``). Export is deterministic (sorted keys and rows, UTC timestamps with
microseconds), so export -> import -> export yields identical bytes. Import is
all-or-nothing: the whole document is checked first and written in the caller's single
transaction; any problem raises :class:`~dalil.errors.InvalidInput` (or a subclass)
naming the JSON path.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.errors import Conflict, DalilError, InvalidInput
from dalil.model.catalogue import KINDS
from dalil.model.tables import Assertion, Case, Person, Record, VocabularyTerm
from dalil.model.vocabulary import Vocabularies
from dalil.records.book import Records
from dalil.records.case_document import (
    FORMAT,
    KIND_ORDER,
    VERSION,
    CaseDocument,
    RecordEntry,
    timestamp,
)
from dalil.records.case_document import dumps as dumps
from dalil.records.case_document import parse as parse
from dalil.vault import failpoints

# -- export ----------------------------------------------------------------------------


def export_case(session: Session, case_id: str) -> dict[str, Any]:
    """The case as a case-document dict (see the module docstring)."""
    case = session.get(Case, case_id)
    if case is None:
        raise InvalidInput(f"no case {case_id}", path="case")
    order = {k: i for i, k in enumerate(KIND_ORDER)}
    records = sorted(
        session.scalars(select(Record).where(Record.case_id == case_id)),
        key=lambda r: (order[r.kind], r.id),
    )
    out_records = []
    for r in records:
        entry: dict[str, Any] = {
            "kind": r.kind,
            "id": r.id,
            "label": r.label,
            "created_at": timestamp(r.created_at),
            "created_by": r.created_by,
            "refs": r.ref_ids(),
        }
        if isinstance(r, Person):
            entry["protection_level"] = r.protection_level
        out_records.append(entry)
    assertions = session.scalars(
        select(Assertion)
        .where(Assertion.case_id == case_id)
        .order_by(Assertion.subject_id, Assertion.field, Assertion.assessed_at, Assertion.id)
    )
    out_assertions = [
        {
            "id": a.id,
            "subject": a.subject_id,
            "field": a.field,
            "value": a.value,
            "confidence": a.confidence,
            "assessed_by": a.assessed_by,
            "assessed_at": timestamp(a.assessed_at),
            "method": a.method,
            "note": a.note,
            "supersedes": a.supersedes_id,
            "sources": sorted(s.id for s in a.sources),
        }
        for a in assertions
    ]
    terms = session.scalars(
        select(VocabularyTerm).order_by(VocabularyTerm.vocabulary, VocabularyTerm.code)
    )
    return {
        "format": FORMAT,
        "version": VERSION,
        "case": {
            "id": case.id,
            "title": case.title,
            "description": case.description,
            "fictional": case.fictional,
            "created_at": timestamp(case.created_at),
            "created_by": case.created_by,
        },
        "vocabulary_extensions": [
            {
                "vocabulary": t.vocabulary,
                "code": t.code,
                "en": t.en,
                "ar": t.ar,
                "huridocs": t.huridocs,
                "acled": t.acled,
            }
            for t in terms
        ],
        "records": out_records,
        "assertions": out_assertions,
    }


# -- import ----------------------------------------------------------------------------


def _check_graph(doc: CaseDocument) -> None:
    """Duplicate ids and dangling references, before anything is written."""
    records: dict[str, RecordEntry] = {}
    for i, r in enumerate(doc.records):
        where = f"$.records[{i}]"
        if r.kind not in KINDS:
            raise InvalidInput(f"unknown record kind {r.kind!r}", path=f"{where}.kind")
        if r.id in records or r.id == doc.case.id:
            raise InvalidInput(f"duplicate id {r.id}", path=f"{where}.id")
        records[r.id] = r
    for i, r in enumerate(doc.records):
        spec = KINDS[r.kind]
        names = {ref.name for ref in spec.refs}
        for name, target in r.refs.items():
            where = f"$.records[{i}].refs.{name}"
            if name not in names:
                raise InvalidInput(f"{r.kind} has no link {name!r}", path=where)
            if target is not None and target not in records:
                raise InvalidInput(f"dangling reference to {target}", path=where)
    assertion_ids: set[str] = set()
    for i, a in enumerate(doc.assertions):
        where = f"$.assertions[{i}]"
        if a.id in assertion_ids:
            raise InvalidInput(f"duplicate id {a.id}", path=f"{where}.id")
        assertion_ids.add(a.id)
        if a.subject not in records:
            raise InvalidInput(f"dangling reference to {a.subject}", path=f"{where}.subject")
        for j, s in enumerate(a.sources):
            if s not in records:
                raise InvalidInput(f"dangling reference to {s}", path=f"{where}.sources[{j}]")
    for i, a in enumerate(doc.assertions):
        if a.supersedes is not None and a.supersedes not in assertion_ids:
            raise InvalidInput(
                f"dangling reference to {a.supersedes}", path=f"$.assertions[{i}].supersedes"
            )


def _record_order(doc: CaseDocument) -> list[int]:
    """Indexes of records in an order where every link points to an earlier record: by
    kind (:data:`KIND_ORDER`), and organisations parents first.

    The parents-first order is complete before any later kind is placed (placing them in
    passes, interleaved with the kinds after them, put an involvement before the unit it
    names when the unit came before its parent in the document: found by the round-trip
    property test)."""
    order = {k: n for n, k in enumerate(KIND_ORDER)}
    ranked = sorted(range(len(doc.records)), key=lambda i: (order[doc.records[i].kind], i))
    organisations = [i for i in ranked if doc.records[i].kind == "organisation"]
    ids = {doc.records[i].id for i in organisations}
    children: dict[str, list[int]] = {}
    ready: deque[int] = deque()
    for i in organisations:
        parent = doc.records[i].refs.get("parent")
        if parent is None or parent not in ids:  # a parent of another kind fails on add
            ready.append(i)
        else:
            children.setdefault(parent, []).append(i)
    placed: list[int] = []
    while ready:  # breadth first from the roots; children keep document order
        i = ready.popleft()
        placed.append(i)
        ready.extend(children.pop(doc.records[i].id, []))
    if len(placed) < len(organisations):
        first = min(set(organisations) - set(placed))
        raise InvalidInput(
            "organisations form a parent cycle", path=f"$.records[{first}].refs.parent"
        )
    before = [i for i in ranked if order[doc.records[i].kind] < order["organisation"]]
    after = [i for i in ranked if order[doc.records[i].kind] > order["organisation"]]
    return before + placed + after


def _assertion_order(doc: CaseDocument) -> list[int]:
    """Assertions after the ones they supersede (a chain's depth, computed without
    recursion: a hostile document can hold a chain of any length)."""
    index = {a.id: i for i, a in enumerate(doc.assertions)}
    depth: dict[int, int] = {}
    for start in range(len(doc.assertions)):
        chain: list[int] = []
        on_chain: set[int] = set()
        i: int | None = start
        while i is not None and i not in depth:
            if i in on_chain:
                raise InvalidInput(
                    "assertions supersede each other in a cycle",
                    path=f"$.assertions[{i}].supersedes",
                )
            chain.append(i)
            on_chain.add(i)
            sup = doc.assertions[i].supersedes
            i = None if sup is None else index[sup]
        level = -1 if i is None else depth[i]
        for j in reversed(chain):
            level += 1
            depth[j] = level
    return sorted(range(len(doc.assertions)), key=lambda i: (depth[i], i))


def import_case(
    session: Session,
    doc: CaseDocument,
    *,
    max_chars: int = 100_000,
    progress: Callable[[int, int], None] | None = None,
) -> Case:
    """Write a parsed case document in the session's transaction.

    Raises before or during writing; the caller rolls the transaction back on any error
    (:meth:`dalil.workspace.Workspace.session` does), so a failed import changes nothing.
    """
    from dalil.records.cases import create_case

    _check_graph(doc)
    if session.get(Case, doc.case.id) is not None:
        raise Conflict(f"case {doc.case.id} already exists in this workspace", path="$.case.id")
    vocabs = Vocabularies(session.scalars(select(VocabularyTerm)))
    for i, t in enumerate(doc.vocabulary_extensions):
        where = f"$.vocabulary_extensions[{i}]"
        try:
            vocab = vocabs.get(t.vocabulary)
        except DalilError as err:
            raise InvalidInput(err.message, path=f"{where}.vocabulary") from None
        existing = vocab.terms.get(t.code)
        if existing is None:
            session.add(VocabularyTerm(**t.model_dump()))
            vocabs.add_extension(t)
        elif not existing.extension:
            raise InvalidInput(
                f"{t.code!r} is a shipped term of {t.vocabulary}", path=f"{where}.code"
            )
    with _located("$.case"):  # create_case's own checks (a blank title) name case fields
        create_case(
            session,
            doc.case.title,
            actor=doc.case.created_by,
            description=doc.case.description,
            fictional=doc.case.fictional,
            id=doc.case.id,
            at=doc.case.created_at,
        )
    book = Records(
        session, doc.case.id, actor=doc.case.created_by, vocabs=vocabs, max_chars=max_chars
    )
    _check_ids_unused(session, doc)
    book.check_ids = False
    book.index_later = True  # one search-index pass at the end
    order = [("records", i) for i in _record_order(doc)]
    order += [("assertions", i) for i in _assertion_order(doc)]
    for done, (part, i) in enumerate(order, start=1):
        with _located(f"$.{part}[{i}]"):
            if part == "records":
                r = doc.records[i]
                book.add(
                    r.kind,
                    id=r.id,
                    label=r.label,
                    refs=r.refs,
                    at=r.created_at,
                    by=r.created_by,
                    protection_level=r.protection_level,
                    check_required=False,
                )
            else:
                a = doc.assertions[i]
                book.assert_fact(
                    a.subject,
                    a.field,
                    a.value,
                    sources=a.sources,
                    confidence=a.confidence,
                    method=a.method,
                    note=a.note,
                    supersedes=a.supersedes,
                    id=a.id,
                    at=a.assessed_at,
                    by=a.assessed_by,
                )
        failpoints.hit("import_item_written")
        if progress and (done % 200 == 0 or done == len(order)):
            progress(done, len(order))
    book.reindex()
    return session.get_one(Case, doc.case.id)


@contextmanager
def _located(prefix: str) -> Iterator[None]:
    """Re-raise a dalil error with its path placed inside the document (``$.records[3].refs``)."""
    try:
        yield
    except DalilError as err:
        raise type(err)(err.message, path=f"{prefix}.{err.path}" if err.path else prefix) from None


def _check_ids_unused(session: Session, doc: CaseDocument) -> None:
    """Refuse ids already used in this workspace (checked in batches, not one by one)."""
    columns: tuple[tuple[Any, list[Any], str], ...] = (
        (Record.id, list(doc.records), "records"),
        (Assertion.id, list(doc.assertions), "assertions"),
    )
    for column, entries, name in columns:
        ids = [e.id for e in entries]
        for start in range(0, len(ids), 500):
            taken = set(session.scalars(select(column).where(column.in_(ids[start : start + 500]))))
            if taken:
                i = ids.index(sorted(taken)[0])
                raise Conflict(
                    f"id {ids[i]} is already used in this workspace", path=f"$.{name}[{i}].id"
                )
