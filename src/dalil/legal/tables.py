"""Tables of legal analysis: element assessments and checklist decisions.

Both are append-only like assertions: a new row supersedes the earlier one for the same
key, so who decided what, when, and on which standard is never lost. Links from an
assessment to the assertions, records and evidence items it rests on are a JSON list of
``{"kind": "assertion"|"record"|"evidence", "id": ...}``; they are checked against the
case when written.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from dalil.model.tables import ID, Base


class Assessment(Base):
    """One person's finding on one element of one crime hypothesis for one subject (an
    incident, a person or a perpetrator group)."""

    __tablename__ = "element_assessment"
    __table_args__ = (Index("ix_element_assessment_subject", "case_id", "subject_id", "crime"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"))
    subject_id: Mapped[str] = mapped_column(ForeignKey("record.id"))
    crime: Mapped[str] = mapped_column(String(60))
    element: Mapped[str] = mapped_column(String(60))
    catalogue: Mapped[str] = mapped_column(String(60))
    status: Mapped[str] = mapped_column(String(20))
    standard: Mapped[str] = mapped_column(String(40))
    links: Mapped[Any] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(String(4000))
    assessed_by: Mapped[str] = mapped_column(String(200))
    assessed_at: Mapped[datetime]
    #: from a computed suggestion the assessor confirmed (the rule's name), else None
    suggestion: Mapped[str | None] = mapped_column(String(60))


class ChecklistEntry(Base):
    """A person's status for one checklist item, for the case (``subject_id`` None) or one
    subject (a death, a witness, a burial site, an evidence item); it overrides what the
    records would compute."""

    __tablename__ = "checklist_entry"
    __table_args__ = (Index("ix_checklist_entry_case", "case_id", "protocol"),)
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ForeignKey("case_file.id"))
    protocol: Mapped[str] = mapped_column(String(40))
    item: Mapped[str] = mapped_column(String(60))
    subject_id: Mapped[str | None] = mapped_column(String(36))
    status: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str | None] = mapped_column(String(2000))
    prevented_by: Mapped[str | None] = mapped_column(String(400))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime]
