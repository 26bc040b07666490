"""Place records made from the gazetteer: a place chosen in the picker becomes a place of
the case, once.

A case's place record cites its gazetteer entry as ``location.gazetteer_ref``
(``geonames:<id>``); :func:`place_for` returns the case's record for an entry, making it
when the case has none: its names in both scripts (Latin first, then Arabic, as the
gazetteer spells them), the coordinates and governorate, precision 1 (the place itself).
It writes through the caller's :class:`~dalil.records.Records` book, so the new place
commits with whatever the caller is adding (an incident) or not at all.
"""

from __future__ import annotations

from dalil.model.values import UncertainPlace
from dalil.places.search import Choice, choice
from dalil.records.book import Records


def existing(book: Records, ref: str) -> str | None:
    """The id of the case's place record citing gazetteer entry ``ref``, if any."""
    for place in book.all("place"):
        location = place.value("location")
        if isinstance(location, UncertainPlace) and location.gazetteer_ref == ref:
            return place.id
    return None


def place_for(book: Records, geonameid: int) -> str:
    """The id of the case's place record for gazetteer place ``geonameid``, made now if
    the case has none (:class:`~dalil.errors.NotFound` when the gazetteer has no such
    place)."""
    found = choice(book.session, geonameid)
    known = existing(book, found.ref)
    if known is not None:
        return known
    return book.add("place", facts=facts_of(found)).id


def facts_of(place: Choice) -> dict[str, object]:
    """The facts of a new place record for a gazetteer place."""
    names = [place.name] + ([place.name_ar] if place.name_ar else [])
    location = UncertainPlace(
        name=place.name, name_ar=place.name_ar,
        admin1=place.admin1_name, lat=place.latitude, lon=place.longitude, precision=1,
        gazetteer_ref=place.ref,
    )  # fmt: skip
    return {"name": names, "location": location}
