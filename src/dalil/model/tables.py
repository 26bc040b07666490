"""SQLAlchemy 2 tables of a dalil workspace.

Structure (which records exist and how they link) lives in one ``record`` row per record
plus a table per kind holding its foreign keys (joined-table inheritance, so every link
is a real foreign key). Facts live in ``assertion`` rows: append-only, each pointing at
the assertion it supersedes, supported by ``information_record`` rows through
``assertion_source``. Nothing in these tables is ever updated in place by the library;
corrections are new rows.

Timestamps are UTC. Identifiers are UUID strings chosen by the library, so a case keeps
its identifiers through export and import.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    update,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

ID = String(36)
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite keeps no zone)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; dalil stores UTC only")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {datetime: UTCDateTime()}


class Case(Base):
    """An investigation file; the unit of access control and of export."""

    __tablename__ = "case_file"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    fictional: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    #: Goes up with every flush that adds or changes the case's records or assertions
    #: (:func:`_count_case_changes`), so a summary computed at one revision can be reused
    #: until the next.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Record(Base):
    """Every record of a case, whatever its kind (the parent of the per-kind tables)."""

    __tablename__ = "record"
    __table_args__: Any = (
        UniqueConstraint("case_id", "kind", "label", name="kind_label"),
        Index("ix_record_case_kind", "case_id", "kind"),
        # documentation order within a kind (the victims list pages through it)
        Index("ix_record_case_kind_created", "case_id", "kind", "created_at", "id"),
    )
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"))
    kind: Mapped[str] = mapped_column(String(40))
    #: Short human handle unique within case and kind: a person's pseudonym ("W-007"),
    #: an incident number. Never a protected person's real name.
    label: Mapped[str | None] = mapped_column(String(80))
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))

    __mapper_args__ = {"polymorphic_on": "kind", "polymorphic_identity": "record"}

    def ref_ids(self) -> dict[str, str | None]:
        """Structural links of this record, by reference name (see the catalogue)."""
        from dalil.model.catalogue import KINDS

        return {r.name: getattr(self, r.column) for r in KINDS[self.kind].refs}


def _fk(target: str, nullable: bool = True) -> Mapped[Any]:
    return mapped_column(ForeignKey(f"{target}.id"), nullable=nullable, index=True)


def _pk() -> Mapped[str]:
    return mapped_column(ForeignKey("record.id"), primary_key=True)


class Mandate(Record):
    __tablename__ = "mandate"
    id: Mapped[str] = _pk()
    __mapper_args__ = {"polymorphic_identity": "mandate"}


class Event(Record):
    __tablename__ = "event"
    id: Mapped[str] = _pk()
    __mapper_args__ = {"polymorphic_identity": "event"}


class EventRelation(Record):
    __tablename__ = "event_relation"
    id: Mapped[str] = _pk()
    from_event_id: Mapped[str] = _fk("event", False)
    to_event_id: Mapped[str] = _fk("event", False)
    __table_args__ = (CheckConstraint("from_event_id <> to_event_id", name="distinct_events"),)
    __mapper_args__ = {
        "polymorphic_identity": "event_relation",
        "inherit_condition": id == Record.id,
    }


class Place(Record):
    __tablename__ = "place"
    id: Mapped[str] = _pk()
    __mapper_args__ = {"polymorphic_identity": "place"}


class Person(Record):
    __tablename__ = "person"
    id: Mapped[str] = _pk()
    #: ``public`` (victims, by default), ``restricted`` or ``protected`` (witnesses and
    #: grave reporters by default). Identity facts are refused unless ``public``.
    protection_level: Mapped[str] = mapped_column(String(20), default="public")
    __mapper_args__ = {"polymorphic_identity": "person"}


SEARCH_KEY_TYPE = String(200).with_variant(String(200, collation="C"), "postgresql")


class SearchKey(Base):
    """One search key of a public person (maintained by :mod:`dalil.records.person_search`):
    ``n:<word>`` for each normalised word of a current name, ``x:<key>`` for its
    cross-script key, ``sex:<code>``. Protected and restricted persons are never indexed."""

    __tablename__ = "search_key"
    #: covers a search: the matching ids, filtered by sex, come out of the index with their
    #: documentation time, with no lookup in the table or in ``record``
    __table_args__ = (
        Index("ix_search_key_lookup", "case_id", "key", "sex", "documented_at", "record_id"),
    )
    record_id: Mapped[str] = mapped_column(
        ForeignKey("record.id", ondelete="CASCADE"), primary_key=True
    )
    #: compared in code-point order on both backends, so a prefix is a key range
    key: Mapped[str] = mapped_column(SEARCH_KEY_TYPE, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"))
    #: the person's ``record.created_at``: result lists are in documentation order
    documented_at: Mapped[datetime]
    #: the person's current sex, on every key (a search filters on it in the index)
    sex: Mapped[str | None] = mapped_column(String(40))


class PersonCard(Base):
    """What a result list shows of a public person (maintained with its search keys by
    :mod:`dalil.records.person_search`): the JSON of its label, current names, sex, age and
    date of death, so a page of fifty persons is one read of fifty rows, not of every fact
    behind them."""

    __tablename__ = "person_card"
    record_id: Mapped[str] = mapped_column(
        ForeignKey("record.id", ondelete="CASCADE"), primary_key=True
    )
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"))
    #: ``{"label": the record's label, "names": [full, ...], "sex": code|null,
    #: "age": Age JSON|null, "died": date JSON|null}`` (a label never changes)
    card: Mapped[Any] = mapped_column(JSON)


class Organisation(Record):
    __tablename__ = "organisation"
    id: Mapped[str] = _pk()
    parent_id: Mapped[str | None] = _fk("organisation")
    __mapper_args__ = {"polymorphic_identity": "organisation", "inherit_condition": id == Record.id}


class Command(Record):
    __tablename__ = "command"
    id: Mapped[str] = _pk()
    organisation_id: Mapped[str] = _fk("organisation", False)
    commander_id: Mapped[str] = _fk("person", False)
    __mapper_args__ = {"polymorphic_identity": "command", "inherit_condition": id == Record.id}


class Act(Record):
    __tablename__ = "act"
    id: Mapped[str] = _pk()
    event_id: Mapped[str] = _fk("event", False)
    victim_id: Mapped[str | None] = _fk("person")
    __mapper_args__ = {"polymorphic_identity": "act", "inherit_condition": id == Record.id}


class Involvement(Record):
    __tablename__ = "involvement"
    id: Mapped[str] = _pk()
    act_id: Mapped[str] = _fk("act", False)
    person_id: Mapped[str | None] = _fk("person")
    organisation_id: Mapped[str | None] = _fk("organisation")
    __table_args__ = (
        CheckConstraint("(person_id IS NULL) <> (organisation_id IS NULL)", name="one_perpetrator"),
    )
    __mapper_args__ = {"polymorphic_identity": "involvement", "inherit_condition": id == Record.id}


class BurialSite(Record):
    __tablename__ = "burial_site"
    id: Mapped[str] = _pk()
    __mapper_args__ = {"polymorphic_identity": "burial_site"}


class Source(Record):
    __tablename__ = "source"
    id: Mapped[str] = _pk()
    person_id: Mapped[str | None] = _fk("person")
    organisation_id: Mapped[str | None] = _fk("organisation")
    __mapper_args__ = {"polymorphic_identity": "source", "inherit_condition": id == Record.id}


class InformationRecord(Record):
    __tablename__ = "information_record"
    id: Mapped[str] = _pk()
    source_id: Mapped[str] = _fk("source", False)
    event_id: Mapped[str | None] = _fk("event")
    person_id: Mapped[str | None] = _fk("person")
    __mapper_args__ = {
        "polymorphic_identity": "information_record",
        "inherit_condition": id == Record.id,
    }


class Interview(Record):
    __tablename__ = "interview"
    id: Mapped[str] = _pk()
    interviewee_id: Mapped[str] = _fk("person", False)
    __mapper_args__ = {"polymorphic_identity": "interview", "inherit_condition": id == Record.id}


class ConsentRecord(Record):
    __tablename__ = "consent_record"
    id: Mapped[str] = _pk()
    person_id: Mapped[str] = _fk("person", False)
    __mapper_args__ = {
        "polymorphic_identity": "consent_record",
        "inherit_condition": id == Record.id,
    }


class RiskAssessment(Record):
    __tablename__ = "risk_assessment"
    id: Mapped[str] = _pk()
    person_id: Mapped[str] = _fk("person", False)
    __mapper_args__ = {
        "polymorphic_identity": "risk_assessment",
        "inherit_condition": id == Record.id,
    }


RECORD_CLASSES: dict[str, type[Record]] = {
    cls.__mapper_args__["polymorphic_identity"]: cls
    for cls in (
        Mandate,
        Event,
        EventRelation,
        Place,
        Person,
        Organisation,
        Command,
        Act,
        Involvement,
        BurialSite,
        Source,
        InformationRecord,
        Interview,
        ConsentRecord,
        RiskAssessment,
    )
}

assertion_source = Table(
    "assertion_source",
    Base.metadata,
    Column("assertion_id", ForeignKey("assertion.id"), primary_key=True),
    Column("information_record_id", ForeignKey("information_record.id"), primary_key=True),
)


class Assertion(Base):
    """One fact about one field of one record, with its provenance.

    ``value`` is the JSON form of the field's type (see the catalogue); ``None`` means the
    superseded assertion is withdrawn without a replacement. An assertion is *current*
    when no other assertion supersedes it.
    """

    __tablename__ = "assertion"
    __table_args__ = (Index("ix_assertion_subject", "subject_id", "field"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    subject_id: Mapped[str] = mapped_column(ForeignKey("record.id"))
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[Any] = mapped_column(JSON, nullable=True)
    #: Credibility of this assertion (vocabulary ``credibility``).
    confidence: Mapped[str] = mapped_column(String(40))
    assessed_by: Mapped[str] = mapped_column(String(200))
    assessed_at: Mapped[datetime]
    #: Rule applied when choosing this value ("lowest reliable estimate", ...).
    method: Mapped[str | None] = mapped_column(Text)
    note: Mapped[str | None] = mapped_column(Text)
    supersedes_id: Mapped[str | None] = mapped_column(ForeignKey("assertion.id"), index=True)

    sources: Mapped[list[InformationRecord]] = relationship(
        secondary=assertion_source, lazy="selectin", order_by=InformationRecord.id
    )


class VocabularyTerm(Base):
    """A term a workspace added to a shipped vocabulary."""

    __tablename__ = "vocabulary_term"
    vocabulary: Mapped[str] = mapped_column(String(80), primary_key=True)
    code: Mapped[str] = mapped_column(String(80), primary_key=True)
    en: Mapped[str] = mapped_column(String(500))
    ar: Mapped[str] = mapped_column(String(500), default="")
    huridocs: Mapped[str | None] = mapped_column(String(500))
    acled: Mapped[str | None] = mapped_column(String(200))


class GazetteerPlace(Base):
    """A place from the shipped GeoNames subset or an imported GeoNames dump."""

    __tablename__ = "gazetteer_place"
    geonameid: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    name: Mapped[str] = mapped_column(String(200))
    latitude: Mapped[float] = mapped_column(Float)
    longitude: Mapped[float] = mapped_column(Float)
    feature_class: Mapped[str | None] = mapped_column(String(1))
    feature_code: Mapped[str | None] = mapped_column(String(10))
    country_code: Mapped[str] = mapped_column(String(2))
    admin1_code: Mapped[str | None] = mapped_column(String(20))
    admin1_name: Mapped[str | None] = mapped_column(String(200))
    admin2_code: Mapped[str | None] = mapped_column(String(80))
    population: Mapped[int] = mapped_column(Integer, default=0)
    #: ``packaged`` or the file name of the dump it was imported from.
    origin: Mapped[str] = mapped_column(String(200))


class GazetteerName(Base):
    """One name of a gazetteer place with its folded search key."""

    __tablename__ = "gazetteer_name"
    __table_args__ = (UniqueConstraint("geonameid", "name", name="place_name"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    geonameid: Mapped[int] = mapped_column(
        ForeignKey("gazetteer_place.geonameid", ondelete="CASCADE")
    )
    name: Mapped[str] = mapped_column(String(400))
    #: :func:`dalil.places.folding.fold` of the name.
    key: Mapped[str] = mapped_column(String(400), index=True)
    #: :func:`dalil.places.folding.skeleton` of the name ("" for Arabic script).
    skeleton: Mapped[str] = mapped_column(String(400), index=True)


@event.listens_for(Session, "before_flush")
def _count_case_changes(session: Session, _context: Any, _instances: Any) -> None:
    """Bump :attr:`Case.revision` of every case whose records or assertions this flush
    writes (in the same transaction, so a reader sees the data and the revision together)."""
    touched = {
        obj.case_id
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, Record | Assertion)
    }
    if touched:
        session.connection().execute(
            update(Case).where(Case.id.in_(touched)).values(revision=Case.revision + 1)
        )
