"""Search-as-you-type over the gazetteer (dalil.places.search) and the place records made
from a chosen entry (dalil.records.gazetteer_places)."""

from __future__ import annotations

from pathlib import Path

import pytest

from dalil.errors import NotFound
from dalil.model.values import UncertainPlace
from dalil.places import gazetteer, search
from dalil.records import Records, cases
from dalil.records.gazetteer_places import place_for
from dalil.workspace import Workspace

FIXTURE = Path(__file__).parent.parent / "fixtures" / "geonames_sample.txt"


@pytest.mark.parametrize(
    ("query", "geonameid"),
    [("Bani", 171830), ("بانيا", 171830), ("Jabl", 169304), ("جبل", 169304),
     ("el-Haff", 173856), ("Ladhiq", 173576), ("اللاذق", 173576)],
)  # fmt: skip
def test_the_first_letters_find_a_place_in_either_script(
    ws: Workspace, query: str, geonameid: int
) -> None:
    with ws.session() as s:
        found = search.search(s, query)
    assert geonameid in [c.geonameid for c in found[:3]], [c.name for c in found]


def test_choices_carry_both_scripts_and_villages_come_with_an_import(ws: Workspace) -> None:
    with ws.session() as s:
        assert search.search(s, "a") == []  # too short to mean anything
        # the letters typed before a larger town that only sounds alike (Homs: "hms")
        assert [c.name for c in search.search(s, "Ham")[:1]] == ["Ḩamāh"]
        assert search.search(s, "%%") == []
        assert search.search(s, "Bayt Ana") == []  # a village: not in the shipped subset
        gazetteer.import_geonames(s, FIXTURE)
        village = search.search(s, "beit ana")[0]
        assert (village.geonameid, village.name_ar) == (9000001, "بيت عانا")
        assert village.ref == "geonames:9000001"
        assert search.search(s, "بيت عا")[0].geonameid == 9000001


def test_a_chosen_place_becomes_one_place_record_of_the_case(ws: Workspace) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Places", actor="t").id
        book = Records(s, case, "t")
        first = place_for(book, 171830)
        assert place_for(book, 171830) == first  # the second choice reuses it
        view = book.get(first)
        location = view.value("location")
        assert isinstance(location, UncertainPlace)
        assert location.gazetteer_ref == "geonames:171830" and location.lat == pytest.approx(
            35.18, abs=0.01
        )
        assert "بانياس" in view.values("name") and location.name_ar == "بانياس"
        with pytest.raises(NotFound):
            place_for(book, 1)
