"""Stored estimates: the result JSON and the inputs that produced it.

An estimate published in a case file must be traceable: ``inputs`` records the linkage run
(with its model) and the SHA-256 of every list version it read, and the stratification.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dalil.model.tables import ID, Base


class EstimateRecord(Base):
    __tablename__ = "estimate_record"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ID, ForeignKey("case_file.id"), index=True)
    created_at: Mapped[datetime]
    created_by: Mapped[str] = mapped_column(String(200))
    method: Mapped[str] = mapped_column(String(20))
    result: Mapped[str] = mapped_column(Text)  # the estimate JSON
    inputs: Mapped[str] = mapped_column(Text)  # linkage run, list versions, strata
