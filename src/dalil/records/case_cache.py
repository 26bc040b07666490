"""Summaries of a case kept in memory while the case does not change.

Why: a dashboard or a form's lists of sources and places are read far more often than the
case changes, and computing them means reading many records. Every flush that writes a
case's records or assertions bumps :attr:`dalil.model.tables.Case.revision` in the same
transaction, so a value computed at one revision stays right until the next. One entry
per (case, name) in this process; a new revision replaces it. Nothing here is shared
between processes or written anywhere.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from dalil.errors import NotFound
from dalil.model.tables import Case

T = TypeVar("T")
_ENTRIES: dict[tuple[str, str], tuple[Hashable, Any]] = {}
_LOCK = threading.Lock()


def cached(session: Session, case_id: str, name: str, compute: Callable[[], T]) -> T:
    """``compute()`` for this case, reused while its revision and header are unchanged;
    ``name`` must say everything the value depends on besides the case. Raises
    :class:`NotFound` for an unknown case."""
    case = session.get(Case, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}", path="case_id")
    stamp = (case.revision, case.title, case.description, case.fictional)
    with _LOCK:
        hit = _ENTRIES.get((case_id, name))
    if hit is not None and hit[0] == stamp:
        found: T = hit[1]
        return found
    value = compute()
    with _LOCK:
        _ENTRIES[(case_id, name)] = (stamp, value)
    return value
