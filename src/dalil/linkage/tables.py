"""Tables for victim lists, linkage runs and review decisions.

List rows are immutable once imported (``raw`` is the row exactly as read from the file,
``values`` the mapped and parsed fields); nothing in dalil updates them. A linkage run
stores its configuration, the trained Splink model (JSON) and the list versions it read,
so any published person count can be traced to its inputs. Review decisions belong to the
case, not to a run: they are keyed by (source, record_id) pairs and honoured by every run.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Float, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from dalil.model.tables import ID, Base


class VictimList(Base):
    __tablename__ = "victim_list"
    __table_args__ = (UniqueConstraint("case_id", "source"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ID, ForeignKey("case_file.id"), index=True)
    source: Mapped[str] = mapped_column(String(200))
    file_name: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64))
    encoding: Mapped[str] = mapped_column(String(40))
    mapping: Mapped[str] = mapped_column(Text)  # JSON {file column: field}
    row_count: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[str] = mapped_column(String(200))
    imported_at: Mapped[datetime]


class ListRecord(Base):
    __tablename__ = "list_record"
    __table_args__ = (UniqueConstraint("list_id", "record_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    list_id: Mapped[str] = mapped_column(ID, ForeignKey("victim_list.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)  # 1-based data row (header is row 1 + 0)
    record_id: Mapped[str] = mapped_column(String(200))
    raw: Mapped[str] = mapped_column(Text)  # JSON of the row as read
    values: Mapped[str] = mapped_column(Text)  # JSON of the mapped victim-list fields


class LinkageRun(Base):
    __tablename__ = "linkage_run"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ID, ForeignKey("case_file.id"), index=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    config: Mapped[str] = mapped_column(Text)  # JSON of LinkageConfig
    inputs: Mapped[str] = mapped_column(Text)  # JSON {source: sha256} of the lists read
    model: Mapped[str] = mapped_column(Text)  # Splink model JSON
    stats: Mapped[str] = mapped_column(Text)  # JSON: records, persons, pairs, review items


class LinkageMember(Base):
    __tablename__ = "linkage_member"
    run_id: Mapped[str] = mapped_column(ID, ForeignKey("linkage_run.id"), primary_key=True)
    source: Mapped[str] = mapped_column(String(200), primary_key=True)
    record_id: Mapped[str] = mapped_column(String(200), primary_key=True)
    person: Mapped[str] = mapped_column(String(40), index=True)


class ReviewItemRow(Base):
    __tablename__ = "linkage_review"
    run_id: Mapped[str] = mapped_column(ID, ForeignKey("linkage_run.id"), primary_key=True)
    rank: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    left_key: Mapped[str] = mapped_column(String(401))
    right_key: Mapped[str] = mapped_column(String(401))
    probability: Mapped[float] = mapped_column(Float)
    priority: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(200))


class ReviewDecision(Base):
    __tablename__ = "review_decision"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ID, ForeignKey("case_file.id"), index=True)
    left_key: Mapped[str] = mapped_column(String(401))
    right_key: Mapped[str] = mapped_column(String(401))
    decision: Mapped[str] = mapped_column(String(20))
    reviewer: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime]
    note: Mapped[str | None] = mapped_column(Text)
