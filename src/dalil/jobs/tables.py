"""The rows of background jobs (``background_job``): one per piece of work started from the
web app, updated by the runner as it goes (:mod:`dalil.jobs.runner`).

The table and its columns are as migrations 0006 and 0007 (``runner``) made them; the
class moved here from :mod:`dalil.access.tables` (issue 21) so that jobs keeps its own
rows and imports nothing of access.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from dalil.model.tables import ID, Base


class Job(Base):
    """A long piece of work (linkage, estimation) run in the background for the web app."""

    __tablename__ = "background_job"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    case_id: Mapped[str] = mapped_column(ID, ForeignKey("case_file.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    #: queued, running, done or failed
    state: Mapped[str] = mapped_column(String(20))
    done: Mapped[int] = mapped_column(Integer, default=0)
    total: Mapped[int] = mapped_column(Integer, default=0)
    message: Mapped[str] = mapped_column(Text, default="")
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None]
    #: "host:pid" of the server process running it (several may serve one workspace)
    runner: Mapped[str | None] = mapped_column(String(300))
