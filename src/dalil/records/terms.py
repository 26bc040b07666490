"""Terms a workspace adds to the shipped vocabularies (a local act type, a unit's role).

The shipped vocabularies (``dalil/data/vocabularies``) are never changed or replaced; an
added term lives in the workspace's ``vocabulary_term`` table, travels with every case
document exported from it (``vocabulary_extensions``), and is checked like a shipped one
(:class:`dalil.model.vocabulary.Vocabularies`).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from dalil.errors import Conflict, InvalidInput
from dalil.model.tables import VocabularyTerm
from dalil.model.vocabulary import packaged


def add_term(
    session: Session,
    vocabulary: str,
    code: str,
    en: str,
    ar: str = "",
    huridocs: str | None = None,
    acled: str | None = None,
) -> None:
    """Add a term to a shipped vocabulary for this workspace (never replaces a shipped one)."""
    if vocabulary not in packaged():
        raise InvalidInput(f"no vocabulary named {vocabulary!r}", path="vocabulary")
    if (
        not (0 < len(code) <= 80)
        or not all(c.islower() or c.isdigit() or c == "_" for c in code)
        or not code.isascii()
    ):
        raise InvalidInput("a code uses lower-case ASCII letters, digits and _ only", path="code")
    if code in packaged()[vocabulary]:
        raise Conflict(f"{code!r} is already a term of {vocabulary}", path="code")
    if not en.strip():
        raise InvalidInput("an English label is required", path="en")
    if session.get(VocabularyTerm, (vocabulary, code)) is not None:
        raise Conflict(f"{code!r} was already added to {vocabulary}", path="code")
    session.add(
        VocabularyTerm(
            vocabulary=vocabulary, code=code, en=en, ar=ar, huridocs=huridocs, acled=acled
        )
    )
    session.flush()
