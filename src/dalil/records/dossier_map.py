"""The small map of an incident's page: the case's located places in a square, the
incident's own marked.

Why apart from :mod:`dalil.records.dossier`: the places are read once per case revision
(:mod:`dalil.records.case_cache`) and every incident page draws the same ones.
"""

from __future__ import annotations

from dataclasses import dataclass

from dalil.model.values import UncertainPlace
from dalil.records import case_cache
from dalil.records.book import Records


@dataclass(frozen=True)
class MapPoint:
    """A place on a page's small map, in a 0–100 square (x east, y south)."""

    id: str
    title: str
    x: float
    y: float
    here: bool


def case_places(book: Records) -> list[tuple[str, str, UncertainPlace | None]]:
    """Every place of the case: id, title and location (kept until the case changes)."""

    def compute() -> list[tuple[str, str, UncertainPlace | None]]:
        return [(p.id, p.title, p.value("location")) for p in book.all("place")]

    return case_cache.cached(book.session, book.case_id, "dossier places", compute)


def small_map(book: Records, here: set[str]) -> list[MapPoint]:
    """The case's located places in a 0–100 square (a plain equirectangular fit of their
    bounding box, 10 % margin), ``here`` marked; empty when none of ``here`` is located."""
    located = [(i, title, float(p.lat), float(p.lon)) for i, title, p in case_places(book)
               if p is not None and p.lat is not None and p.lon is not None]  # fmt: skip
    if not any(i in here for i, *_ in located):
        return []
    south, west = min(x[2] for x in located), min(x[3] for x in located)
    span = max(max(x[2] for x in located) - south, max(x[3] for x in located) - west, 0.01)
    return [MapPoint(i, title, 10 + 80 * (lon - west) / span, 90 - 80 * (lat - south) / span,
                     i in here) for i, title, lat, lon in located]  # fmt: skip
