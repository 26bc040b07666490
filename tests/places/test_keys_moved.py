"""The name keys, place index and field parsers moved below linkage (issue 21) are the same
objects under their old names, so code importing them from dalil.linkage keeps working."""

from __future__ import annotations

import importlib

import pytest

import dalil.places
from dalil.intake import fields
from dalil.places import index, names

MOVED = [
    ("dalil.linkage.names", names),
    ("dalil.linkage.places", index),
    ("dalil.linkage.fields", fields),
]


@pytest.mark.parametrize(("old", "new"), MOVED)
def test_the_old_module_re_exports_the_moved_names(old: str, new: object) -> None:
    shim = importlib.import_module(old)
    assert shim.__all__
    for name in shim.__all__:
        assert getattr(shim, name) is getattr(new, name), f"{old}.{name}"


def test_the_places_package_exports_name_keys_and_the_place_index() -> None:
    assert dalil.places.cross_key is names.cross_key
    assert dalil.places.PlaceIndex is index.PlaceIndex
    assert dalil.places.PlaceIndex.packaged().governorate("حمص") == "Homs"
