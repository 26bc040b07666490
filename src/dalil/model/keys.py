"""Identifiers and the look-up of a case by the key a person types.

Kept in the model layer because every capability needs them: records make ids for new
rows, access checks a member against a case named on the command line or in a URL, and
neither should reach into the other for it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput, NotFound
from dalil.model.tables import Case


def new_id() -> str:
    """A random UUID4 in its 36-character text form: unguessable, so ids leak no order."""
    return str(uuid.uuid4())


def find_case(session: Session, key: str) -> Case:
    """A case by id, unique id prefix (at least 4 characters) or exact title."""
    key = key.strip()
    case = session.get(Case, key)
    if case is not None:
        return case
    matches = list(session.scalars(select(Case).where(Case.title == key)))
    if not matches and len(key) >= 4:
        matches = list(
            session.scalars(select(Case).where(Case.id.startswith(key, autoescape=True)))
        )
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InvalidInput(f"{len(matches)} cases match {key!r}; give the full id", path="case")
    raise NotFound(f"no case {key!r} (see `dalil case list`)", path="case")
