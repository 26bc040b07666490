"""Search-as-you-type over the gazetteer, for a place picker.

:func:`dalil.places.gazetteer.lookup` finds a place by a whole name; a person choosing a
place types its first letters, in Arabic or Latin script. :func:`search` matches the start
of a name's folded key (:func:`dalil.places.folding.fold`: hamza forms, articles and
diacritics ignored) or of its Latin consonant skeleton ("Ain al Ward" finds "Ayn al-Ward"),
whole-name matches first, then names that start with the letters typed (before those that
only sound alike), then by population (a town before the hamlet of the same name).
Each :class:`Choice` carries the place's name in both scripts when the gazetteer has both,
so the picker shows them side by side. Villages are found once a GeoNames dump is imported
(``dalil gazetteer import``); the shipped subset holds towns and seats only.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, func, select
from sqlalchemy.orm import Session

from dalil.errors import NotFound
from dalil.model.tables import GazetteerName, GazetteerPlace
from dalil.places.folding import fold, is_arabic, skeleton
from dalil.places.gazetteer import Entry

#: characters of the folded query below which nothing is searched (one letter matches
#: half the gazetteer)
MIN_KEY = 2


@dataclass(frozen=True)
class Choice(Entry):
    """A gazetteer place offered to a person, with its name in Arabic script when the
    gazetteer has one (``name`` is the Latin-script name)."""

    name_ar: str | None = None


def _escape(key: str) -> str:
    return key.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(session: Session, query: str, limit: int = 12) -> list[Choice]:
    """Places whose name starts like ``query`` (either script), best first; none for a
    query shorter than :data:`MIN_KEY` folded characters."""
    key = fold(query)
    if len(key.replace(" ", "")) < MIN_KEY:
        return []
    skel = "" if is_arabic(query) else skeleton(query)
    by_key = GazetteerName.key.like(_escape(key) + "%", escape="\\")
    starts: ColumnElement[bool] = by_key
    if len(skel) >= MIN_KEY:
        starts = starts | GazetteerName.skeleton.like(_escape(skel) + "%", escape="\\")
    exact = func.max(case((GazetteerName.key == key, 1), else_=0))
    spelled = func.max(case((by_key, 1), else_=0))  # the letters typed, not only the sounds
    ids = session.execute(
        select(GazetteerPlace.geonameid)
        .join(GazetteerName, GazetteerName.geonameid == GazetteerPlace.geonameid)
        .where(starts)
        .group_by(GazetteerPlace.geonameid, GazetteerPlace.population)
        .order_by(
            exact.desc(), spelled.desc(), GazetteerPlace.population.desc(), GazetteerPlace.geonameid
        )
        .limit(limit)
    ).scalars()
    return choices(session, list(ids))


def choices(session: Session, ids: list[int]) -> list[Choice]:
    """The places of ``ids`` as choices, in that order (unknown ids left out)."""
    if not ids:
        return []
    places = {p.geonameid: p for p in session.scalars(
        select(GazetteerPlace).where(GazetteerPlace.geonameid.in_(ids)))}  # fmt: skip
    arabic: dict[int, str] = {}
    for gid, name in session.execute(
        select(GazetteerName.geonameid, GazetteerName.name)
        .where(GazetteerName.geonameid.in_(ids))
        .order_by(GazetteerName.id)
    ):
        if is_arabic(name):
            arabic.setdefault(gid, name)
    return [
        Choice.of(p, name_ar=arabic.get(p.geonameid))
        for gid in ids if (p := places.get(gid)) is not None
    ]  # fmt: skip


def choice(session: Session, geonameid: int) -> Choice:
    """One gazetteer place; :class:`NotFound` (path ``gazetteer``) when there is none."""
    found = choices(session, [geonameid])
    if not found:
        raise NotFound("no such place in the gazetteer; search again", path="gazetteer")
    return found[0]
