"""Cases: create, find and summarise investigation files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from dalil.errors import Conflict, InvalidInput
from dalil.model.keys import find_case as find_case  # re-exported for callers of records.cases
from dalil.model.tables import Act, Case, Record, utcnow
from dalil.records.book import Records, new_id


@dataclass(frozen=True)
class CaseSummary:
    """A case with the counts people look at first."""

    id: str
    title: str
    description: str | None
    fictional: bool
    created_at: datetime
    created_by: str
    events: int
    acts: int
    victims: int
    burial_sites: int
    interviews: int
    sources: int

    def counts(self) -> dict[str, int]:
        return {
            "events": self.events,
            "acts": self.acts,
            "victims": self.victims,
            "burial_sites": self.burial_sites,
            "interviews": self.interviews,
            "sources": self.sources,
        }

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "fictional": self.fictional,
            "created_at": self.created_at.isoformat(),
            "created_by": self.created_by,
            "counts": self.counts(),
        }


def create_case(
    session: Session,
    title: str,
    *,
    actor: str,
    description: str | None = None,
    fictional: bool = False,
    id: str | None = None,
    at: datetime | None = None,
) -> Case:
    """Create a case and its (empty) mandate record."""
    title = title.strip()
    if not title or len(title) > 500:
        raise InvalidInput("a case title has 1 to 500 characters", path="title")
    case_id = id or new_id()
    if session.get(Case, case_id) is not None:
        raise Conflict(f"a case with id {case_id} already exists", path="id")
    case = Case(
        id=case_id,
        title=title,
        description=description,
        fictional=fictional,
        created_at=at or utcnow(),
        created_by=actor,
    )
    session.add(case)
    session.flush()
    return case


def ensure_mandate(book: Records) -> Record:
    """The case's mandate record, created on first use."""
    found = book.session.scalar(
        select(Record).where(Record.case_id == book.case_id, Record.kind == "mandate")
    )
    return found if found is not None else book.add("mandate", label="mandate")


def summarise(session: Session, case: Case) -> CaseSummary:
    counts: dict[str, int] = {
        kind: int(n)
        for kind, n in session.execute(
            select(Record.kind, func.count()).where(Record.case_id == case.id).group_by(Record.kind)
        )
    }
    victims = session.scalar(
        select(func.count(func.distinct(Act.victim_id))).where(Act.case_id == case.id)
    )
    return CaseSummary(
        id=case.id,
        title=case.title,
        description=case.description,
        fictional=case.fictional,
        created_at=case.created_at,
        created_by=case.created_by,
        events=counts.get("event", 0),
        acts=counts.get("act", 0),
        victims=int(victims or 0),
        burial_sites=counts.get("burial_site", 0),
        interviews=counts.get("interview", 0),
        sources=counts.get("source", 0),
    )


def all_cases(session: Session) -> list[Case]:
    """Every case, oldest first."""
    return list(session.scalars(select(Case).order_by(Case.created_at, Case.id)))


def list_cases(session: Session) -> list[CaseSummary]:
    return [summarise(session, c) for c in all_cases(session)]
