from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select

from dalil.errors import InvalidInput
from dalil.model.tables import GazetteerName, GazetteerPlace
from dalil.places import gazetteer
from dalil.places.folding import fold, normalise_arabic, skeleton
from dalil.workspace import Workspace

FIXTURE = Path(__file__).parent.parent / "fixtures" / "geonames_sample.txt"


@pytest.mark.parametrize(
    ("query", "geonameid"),
    [
        ("Baniyas", 171830),
        ("Banias", 171830),
        ("BANYAS", 171830),
        ("بانياس", 171830),
        ("Jableh", 169304),
        ("jablah", 169304),
        ("جبلة", 169304),
        ("جبله", 169304),
        ("al-Haffah", 173856),
        ("Al Haffah", 173856),
        ("el-Haffe", 173856),
        ("الحفة", 173856),
        ("Qardaha", 173364),
        ("القرداحة", 173364),
    ],
)
def test_lookup_in_either_script(demo_ws: Workspace, query: str, geonameid: int) -> None:
    with demo_ws.session() as s:
        matches = gazetteer.lookup(s, query)
    assert matches, query
    assert matches[0].geonameid == geonameid
    assert matches[0].ref == f"geonames:{geonameid}"


def test_packaged_gazetteer_is_loaded(demo_ws: Workspace) -> None:
    with demo_ws.session() as s:
        assert s.scalar(select(func.count()).select_from(GazetteerPlace)) == 308
        assert gazetteer.lookup(s, "Beit Ana") == []
        assert gazetteer.lookup(s, "") == []


def test_geonames_dump_import(ws: Workspace) -> None:
    progress: list[int] = []
    with ws.session() as s:
        n = gazetteer.import_geonames(s, FIXTURE, progress=progress.append)
    assert n == 4 and progress[-1] == 4
    with ws.session() as s:
        assert s.scalar(select(func.count()).select_from(GazetteerPlace)) == 308 + 3
        village = gazetteer.lookup(s, "بيت عانا")[0]
        assert village.geonameid == 9000001 and village.admin1_name == "Tartus"
        assert gazetteer.lookup(s, "Ras el-Bassit")[0].geonameid == 9000002
        assert gazetteer.lookup(s, "Maqbarat al Qurayyah")[0].feature_code == "CMTY"
        baniyas = gazetteer.get(s, 171830)
        assert (
            baniyas is not None and baniyas.population == 43151 and baniyas.origin == FIXTURE.name
        )


@pytest.mark.parametrize(
    ("line", "where"),
    [
        ("1\tonly three\tcolumns", "geonames_bad.txt:2"),
        (
            "x\tName\tName\t\t35\t35\tP\tPPL\tSY\t\t14\t\t\t\t0\t\t0\tAsia/Damascus\t2024-01-01",
            "geonames_bad.txt:2:geonameid",
        ),
        (
            "5\tName\tName\t\t95\t35\tP\tPPL\tSY\t\t14\t\t\t\t0\t\t0\tAsia/Damascus\t2024-01-01",
            "geonames_bad.txt:2:latitude",
        ),
        (
            "5\t\tName\t\t35\t35\tP\tPPL\tSY\t\t14\t\t\t\t0\t\t0\tAsia/Damascus\t2024-01-01",
            "geonames_bad.txt:2:name",
        ),
        (
            "5\tName\tName\t\t35\t35\tP\tPPL\tSYR\t\t14\t\t\t\t0\t\t0\tAsia/Damascus\t2024-01-01",
            "geonames_bad.txt:2:country_code",
        ),
    ],
)
def test_bad_dump_rows_change_nothing(ws: Workspace, tmp_path: Path, line: str, where: str) -> None:
    bad = tmp_path / "geonames_bad.txt"
    bad.write_text(
        FIXTURE.read_text(encoding="utf-8").splitlines()[1] + "\n" + line + "\n", encoding="utf-8"
    )
    with ws.session() as s:
        before = s.scalar(select(func.count()).select_from(GazetteerName))
    with pytest.raises(InvalidInput) as err, ws.session() as s:
        gazetteer.import_geonames(s, bad)
    assert err.value.path == where
    with ws.session() as s:
        assert s.scalar(select(func.count()).select_from(GazetteerName)) == before
        assert gazetteer.lookup(s, "Beit Ana") == []


def test_non_utf8_dump(ws: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "latin1.txt"
    bad.write_bytes("1\tBāniyās".encode("utf-16"))
    with pytest.raises(InvalidInput, match="not UTF-8"), ws.session() as s:
        gazetteer.import_geonames(s, bad)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("al-Ladhiqiyah", "Ladhiqiyah"),
        ("Ḩamāh", "Hamah"),
        ("‘Ayn at Tīnah", "Ayn at Tinah"),
        ("اللاذقية", "لاذقيه"),
        ("أحمد", "احمد"),
        ("مُحَمَّد", "محمد"),
        ("مصطفى", "مصطفي"),
        ("ـبانيـاس", "بانياس"),
        ("\u200fبانياس\u200e", "بانياس"),
        ("کرد", "كرد"),
    ],
)
def test_fold_equates_spelling_noise(a: str, b: str) -> None:
    assert fold(a) == fold(b)


def test_skeleton_meets_transliteration_variants() -> None:
    assert skeleton("Baniyas") == skeleton("Banias") == skeleton("Banyas")
    assert skeleton("Jableh") == skeleton("Jablah") == skeleton("Jeble")
    assert skeleton("Qardaha") == skeleton("Kardaha")
    assert skeleton("بانياس") == ""


@given(st.text(max_size=40))
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)
    assert normalise_arabic(normalise_arabic(text)) == normalise_arabic(text)
