"""Tables of report intake: reports added to a case, the facts proposed from them, and the
lexicon entries a workspace adds.

A suggestion's text, value and place in the original are sealed (AES-256-GCM) under the
report's evidence key, bound to the suggestion id: a report can be a witness statement,
and what is proposed from it is as sensitive as the statement itself. Only what a review
queue needs to sort and count (kind, offsets, confidence, status) is in plaintext.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, Float, ForeignKey, Index, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from dalil.model.tables import ID, Base


class Report(Base):
    """A report (NGO release, article, statement...) added to a case for fact intake: its
    original is a vault item, its provenance a ``source`` record."""

    __tablename__ = "report"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    item_id: Mapped[str] = mapped_column(ForeignKey("vault_item.id"))
    source_id: Mapped[str] = mapped_column(ForeignKey("record.id"))
    format: Mapped[str] = mapped_column(String(10))
    published: Mapped[date | None] = mapped_column(Date)
    characters: Mapped[int] = mapped_column(Integer)
    languages: Mapped[str] = mapped_column(String(40))
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime]


class Suggestion(Base):
    """One fact proposed from a report, for a person to accept or reject."""

    __tablename__ = "suggestion"
    __table_args__ = (Index("ix_suggestion_report_start", "report_id", "start"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"), index=True)
    report_id: Mapped[str] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(20))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    #: sealed JSON {"text", "value", "origin", "language"}
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    confidence: Mapped[float] = mapped_column(Float)
    rule: Mapped[str] = mapped_column(String(60))
    needs_review: Mapped[bool] = mapped_column(Boolean)
    status: Mapped[str] = mapped_column(String(10), default="open")  # open, accepted, rejected
    decided_by: Mapped[str | None] = mapped_column(String(200))
    decided_at: Mapped[datetime | None]
    assertion_id: Mapped[str | None] = mapped_column(ForeignKey("assertion.id"))
    note: Mapped[str | None] = mapped_column(String(2000))


class LexiconEntry(Base):
    """A phrase a workspace added to the extraction lexicons (by hand, or by confirming a
    proposal): ``kind`` act or actor, ``value`` what it stands for."""

    __tablename__ = "lexicon_entry"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(10))
    phrase: Mapped[str] = mapped_column(String(400), unique=True)
    value: Mapped[Any] = mapped_column(JSON)
    added_by: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime]
