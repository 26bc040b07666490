"""Create, read and correct the records of a case.

Every write goes through :class:`Records`, which enforces what the tables alone cannot:
values typed and checked against the vocabularies, references kept inside one case,
corrections that supersede (never overwrite), and witness safety (identity facts of a
protected person are refused: they belong in the identity vault, never in these tables).

    >>> book = Records(session, case.id, actor="analyst-1", vocabs=ws.vocabularies(session))
    >>> town = book.add("place", facts={"name": "Baniyas"})
    >>> event = book.add("event", facts={"title": "Killings", "place": [ref(town)]})
    >>> day = UncertainDate.on(date(2025, 3, 7))
    >>> a = book.assert_fact(event.id, "date", day, sources=[info.id])
    >>> book.correct(a.id, UncertainDate.between(date(2025, 3, 7), date(2025, 3, 8)))

What a read hands out (:class:`Fact`, :class:`RecordView`, :func:`ref`) is
:mod:`dalil.records.views`; pseudonymous labels are :mod:`dalil.records.labels`; terms
added to the vocabularies are :mod:`dalil.records.terms`. Their names stay importable
from here and from :mod:`dalil.records`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session, selectin_polymorphic

from dalil.errors import Conflict, InvalidInput, NotFound, ProtectedData
from dalil.model.catalogue import kind_spec, normalise
from dalil.model.keys import new_id as new_id  # re-exported: records.new_id
from dalil.model.tables import (
    RECORD_CLASSES,
    Assertion,
    Case,
    InformationRecord,
    Person,
    Record,
    utcnow,
)
from dalil.model.vocabulary import Vocabularies
from dalil.records import person_search
from dalil.records.labels import label_taken, next_pseudonym
from dalil.records.views import Fact, RecordView, fact_of, record_views

_SUBCLASSES = list(RECORD_CLASSES.values())
DEFAULT_CONFIDENCE = "single_source"
PROTECTION_LEVELS = ("public", "restricted", "protected")


class Records:
    """The records of one case, as seen and written by one actor."""

    def __init__(
        self,
        session: Session,
        case_id: str,
        actor: str,
        vocabs: Vocabularies | None = None,
        max_chars: int = 100_000,
    ) -> None:
        if session.get(Case, case_id) is None:
            raise NotFound(f"no case {case_id}")
        self.session = session
        self.case_id = case_id
        self.actor = actor
        self.vocabs = vocabs or Vocabularies()
        self.max_chars = max_chars
        #: Look up every explicitly given id before use. Importers that have checked all
        #: ids in one batch switch this off; fresh uuid4 ids are never looked up.
        self.check_ids = True
        # The session's identity map holds objects weakly; keep the records this book has
        # touched so that link checks do not reload them (import speed depends on it).
        self._seen: dict[str, Record] = {}
        #: Where fresh ids and timestamps come from; the demo builder swaps in
        #: deterministic sources so that the same seed gives the same case.
        self.new_id: Callable[[], str] = new_id
        self.clock: Callable[[], datetime] = utcnow
        #: Importers set this and call :meth:`reindex` once at the end; otherwise the
        #: person search index follows every name or sex fact as it is asserted.
        self.index_later = False
        self._stale: set[str] = set()
        self._adding = False
        self._next_number: dict[str, int] = {}  # next free pseudonym number per prefix

    # -- writing -----------------------------------------------------------------

    def add(
        self,
        kind: str,
        *,
        label: str | None = None,
        refs: Mapping[str, str | None] | None = None,
        facts: Mapping[str, Any] | None = None,
        sources: Sequence[str] = (),
        confidence: str = DEFAULT_CONFIDENCE,
        protection_level: str | None = None,
        id: str | None = None,
        at: datetime | None = None,
        by: str | None = None,
        check_required: bool = True,
    ) -> Record:
        """Create a record with its links and, optionally, its first facts.

        ``facts`` maps field names to a value (or a list of values for multi fields); each
        becomes an assertion with ``sources`` and ``confidence``. Persons get a pseudonym
        label ("P-0001", or "W-001" for restricted and protected persons) unless one is given.
        """
        spec = kind_spec(kind)
        refs = dict(refs or {})
        unknown = set(refs) - {r.name for r in spec.refs}
        if unknown:
            raise InvalidInput(f"{kind} has no link {sorted(unknown)[0]!r}", path="refs")
        columns: dict[str, Any] = {}
        for link in spec.refs:
            target = refs.get(link.name)
            if target is None:
                if link.required:
                    raise InvalidInput(f"{kind} needs a {link.name}", path=f"refs.{link.name}")
                columns[link.column] = None
                continue
            self._require(target, link.kind, f"refs.{link.name}")
            columns[link.column] = target
        if kind == "involvement" and (columns["person_id"] is None) == (
            columns["organisation_id"] is None
        ):
            raise InvalidInput(
                "an involvement names exactly one perpetrator: a person or an organisation",
                path="refs",
            )
        if kind == "event_relation" and columns["from_event_id"] == columns["to_event_id"]:
            raise InvalidInput("an event cannot be related to itself", path="refs")
        if kind == "organisation" and id is not None and columns["parent_id"] == id:
            raise InvalidInput("an organisation cannot be its own parent", path="refs.parent")
        if kind == "person":
            level = protection_level or "public"
            if level not in PROTECTION_LEVELS:
                raise InvalidInput(
                    f"protection level must be one of {PROTECTION_LEVELS}", path="protection_level"
                )
            columns["protection_level"] = level
            label = label or next_pseudonym(self.session, self.case_id, level, self._next_number)
        elif protection_level is not None:
            raise InvalidInput("only persons have a protection level", path="protection_level")
        if label is not None and not (0 < len(label) <= 80):
            raise InvalidInput("label must have 1 to 80 characters", path="label")
        facts = dict(facts or {})
        for f in spec.fields.values():
            if check_required and f.required and f.name not in facts:
                raise InvalidInput(f"{kind} needs a {f.name}", path=f"facts.{f.name}")
        record_id = id or self.new_id()
        if id is not None and self.check_ids and self.session.get(Record, id) is not None:
            raise Conflict(f"a record with id {record_id} already exists", path="id")
        if label is not None and label_taken(self.session, self.case_id, kind, label):
            raise Conflict(f"label {label!r} is already used by another {kind}", path="label")
        record = RECORD_CLASSES[kind](
            id=record_id,
            case_id=self.case_id,
            label=label,
            created_at=at or self.clock(),
            created_by=by or self.actor,
            **columns,
        )
        self.session.add(record)
        self.session.flush()
        self._seen[record.id] = record
        made: list[Assertion] = []
        self._adding = True
        try:
            for name, value in facts.items():
                many = (
                    value
                    if isinstance(value, list) and spec.field(name, f"facts.{name}").multi
                    else [value]
                )
                for one in many:
                    made.append(self.assert_fact(
                        record.id, name, one, sources=sources, confidence=confidence, at=at, by=by
                    ))  # fmt: skip
        finally:
            self._adding = False
        if isinstance(record, Person) and not self.index_later:
            self._stale.discard(record.id)  # new: its keys come straight from its facts
            if record.protection_level == "public":
                person_search.add_keys(
                    self.session, self.case_id, record.id, record.created_at, record.label, made
                )
        return record

    def assert_fact(
        self,
        record_id: str,
        field_name: str,
        value: Any,
        *,
        sources: Sequence[str] = (),
        confidence: str = DEFAULT_CONFIDENCE,
        method: str | None = None,
        note: str | None = None,
        supersedes: str | None = None,
        id: str | None = None,
        at: datetime | None = None,
        by: str | None = None,
    ) -> Assertion:
        """Record one fact about a record's field.

        A second assertion on a single-valued field without ``supersedes`` is a
        *disagreement*: both stand. ``value=None`` is allowed only when superseding (a
        withdrawal).
        """
        record = self._require(record_id, None, "subject")
        spec = kind_spec(record.kind).field(field_name, "field")
        if spec.identity and isinstance(record, Person) and record.protection_level != "public":
            raise ProtectedData(
                f"{record.label} is a {record.protection_level} person: identifying facts "
                f"({field_name}) are kept only in the identity vault, never in case records",
                path="field",
            )
        if value is None:
            if supersedes is None:
                raise InvalidInput(
                    "a fact needs a value (None only withdraws a superseded fact)", path="value"
                )
            stored = None
        else:
            stored = normalise(spec, value, self.vocabs, path="value", max_chars=self.max_chars)
        if spec.type == "ref" and stored is not None:
            self._require(stored["id"], spec.ref_kind, "value.id")
        self.vocabs.check("credibility", confidence, "confidence")
        for text, where in ((method, "method"), (note, "note")):
            if text is not None and len(text) > self.max_chars:
                raise InvalidInput(f"longer than {self.max_chars} characters", path=where)
        if supersedes is not None:
            old = self.session.get(Assertion, supersedes)
            if old is None or old.case_id != self.case_id:
                raise NotFound(f"no assertion {supersedes} in this case", path="supersedes")
            if old.subject_id != record_id or old.field != field_name:
                raise InvalidInput(
                    "a correction must concern the same record and field", path="supersedes"
                )
            later = self.session.scalar(
                select(Assertion.id).where(Assertion.supersedes_id == supersedes)
            )
            if later is not None:
                raise Conflict(
                    f"assertion {supersedes} was already superseded by {later}", path="supersedes"
                )
        support: list[InformationRecord] = []
        for n, source_id in enumerate(dict.fromkeys(sources)):
            info = self._require(source_id, "information_record", f"sources[{n}]")
            assert isinstance(info, InformationRecord)
            support.append(info)
        assertion_id = id or self.new_id()
        if id is not None and self.check_ids and self.session.get(Assertion, id) is not None:
            raise Conflict(f"an assertion with id {id} already exists", path="id")
        assertion = Assertion(
            id=assertion_id,
            case_id=self.case_id,
            subject_id=record_id,
            field=field_name,
            value=stored,
            confidence=confidence,
            assessed_by=by or self.actor,
            assessed_at=at or self.clock(),
            method=method,
            note=note,
            supersedes_id=supersedes,
            sources=support,
        )
        self.session.add(assertion)
        if field_name in person_search.INDEXED and isinstance(record, Person):
            self._stale.add(record_id)
            if not (self.index_later or self._adding):
                self.reindex()
        return assertion

    def reindex(self) -> None:
        """Bring the person search index up to date with the facts asserted so far."""
        person_search.refresh(self.session, self.case_id, sorted(self._stale))
        self._stale.clear()

    def correct(self, assertion_id: str, value: Any, **kw: Any) -> Assertion:
        """Supersede an assertion with a corrected value (the old one stays in history)."""
        old = self.session.get(Assertion, assertion_id)
        if old is None or old.case_id != self.case_id:
            raise NotFound(f"no assertion {assertion_id} in this case")
        return self.assert_fact(old.subject_id, old.field, value, supersedes=assertion_id, **kw)

    def withdraw(self, assertion_id: str, note: str, **kw: Any) -> Assertion:
        """Supersede an assertion with nothing: it was wrong and there is no replacement."""
        return self.correct(assertion_id, None, note=note, **kw)

    # -- reading -----------------------------------------------------------------

    def get(self, record_id: str) -> RecordView:
        return record_views(self.session, [self._require(record_id, None, "id")])[0]

    def all(self, kind: str) -> list[RecordView]:
        kind_spec(kind)
        cls = RECORD_CLASSES[kind]
        rows = self.session.scalars(
            select(cls)
            .where(cls.case_id == self.case_id, Record.kind == kind)  # the (case, kind) index
            .order_by(cls.label, cls.created_at, cls.id)
        ).all()
        return record_views(self.session, rows)

    def views(self, ids: Sequence[str]) -> list[RecordView]:
        """The records with these ids (of this case), in the order given."""
        found: dict[str, Record] = {}
        for i in range(0, len(ids), 500):
            # by primary key only: with the case in the WHERE clause too, SQLite may walk
            # the case's index (every record of the case) instead; the case is checked here
            chunk = select(Record).where(Record.id.in_(ids[i : i + 500]))
            # each kind's own columns in one query per kind, not one query per record
            chunk = chunk.options(selectin_polymorphic(Record, _SUBCLASSES))
            for r in self.session.scalars(chunk):
                if r.case_id == self.case_id:
                    found[r.id] = r
        return record_views(self.session, [found[i] for i in ids if i in found])

    def citations(self, infos: Sequence[RecordView]) -> dict[str, str]:
        """How each information record is cited on screen: its source's title, then where
        in the source (locator) or when the account was given, e.g. "Press release,
        12 March 2025 · para. 4". Keyed by the information record's id."""
        wanted = [sid for i in infos if (sid := i.refs.get("source"))]
        sources = {v.id: v for v in self.views(wanted)}
        out = {}
        for info in infos:
            src = sources.get(info.refs.get("source") or "")
            where = info.value("locator") or info.label
            parts = [src.title if src else info.title, where]
            out[info.id] = " · ".join(str(p) for p in parts if p)
        return out

    def count(self, kind: str) -> int:
        return int(
            self.session.scalar(
                select(func.count())
                .select_from(Record)
                .where(Record.case_id == self.case_id, Record.kind == kind)
            )
            or 0
        )

    def disputed(self, kinds: Sequence[str]) -> list[RecordView]:
        """Records of these kinds with a disagreement (:meth:`RecordView.disagreements`),
        found in SQL first: only records with two current facts on one single-valued field
        are read, so a case of 100,000 persons is not loaded to find a handful."""
        single = [
            and_(Record.kind == kind, Assertion.field.in_(
                [f.name for f in kind_spec(kind).fields.values() if not f.multi]))
            for kind in kinds
        ]  # fmt: skip
        superseded = select(Assertion.supersedes_id).where(
            Assertion.case_id == self.case_id, Assertion.supersedes_id.is_not(None)
        )
        candidates = self.session.scalars(
            select(Assertion.subject_id)
            .join(Record, Record.id == Assertion.subject_id)
            .where(Assertion.case_id == self.case_id, or_(*single),
                   Assertion.id.not_in(superseded))
            .group_by(Assertion.subject_id, Assertion.field)
            .having(func.count() > 1)
        ).all()  # fmt: skip
        views = self.views(sorted(set(candidates)))
        return [v for v in views if v.disagreements()]

    def latest_assertions(self, limit: int = 10) -> list[tuple[Record, Fact]]:
        rows = self.session.execute(
            select(Assertion, Record)
            .join(Record, Record.id == Assertion.subject_id)
            .where(Assertion.case_id == self.case_id)
            .order_by(Assertion.assessed_at.desc(), Assertion.id)
            .limit(limit)
        ).all()
        return [
            (r, fact_of(a, kind_spec(r.kind).fields[a.field], [i.id for i in a.sources]))
            for a, r in rows
        ]

    # -- helpers -----------------------------------------------------------------

    def _require(self, record_id: str, kind: str | None, path: str) -> Record:
        record = self._seen.get(record_id) or self.session.get(Record, record_id)
        if record is not None:
            self._seen[record_id] = record
        if record is None or record.case_id != self.case_id:
            raise NotFound(f"no {kind or 'record'} {record_id} in this case", path=path)
        if kind is not None and record.kind != kind:
            raise InvalidInput(f"{record_id} is a {record.kind}, not a {kind}", path=path)
        return record
