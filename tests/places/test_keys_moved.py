"""The name keys and the place index moved below linkage (issue 21) are public names of
the places package, where records and intake reach them."""

from __future__ import annotations

import dalil.places
from dalil.places import index, names


def test_the_places_package_exports_name_keys_and_the_place_index() -> None:
    assert dalil.places.cross_key is names.cross_key
    assert dalil.places.PlaceIndex is index.PlaceIndex
    assert dalil.places.PlaceIndex.packaged().governorate("حمص") == "Homs"
