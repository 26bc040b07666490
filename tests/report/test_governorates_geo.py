"""The shipped governorate layer (src/dalil/data/geo/syr_adm1_naturalearth.geojson).

It is built once by tools/build_governorates.py from Natural Earth; these tests check what
the maps rely on: 14 governorates with English and Arabic names, the occupied Golan in
Quneitra, and borders that put GeoNames' populated places in the governorate GeoNames
gives them (Natural Earth is coarser than OCHA's boundaries, so a few border towns may
differ; the earlier UNHCR-derived layer agreed on all 308).
"""

from __future__ import annotations

import csv
import json
from importlib import resources
from typing import Any

GEO = resources.files("dalil") / "data" / "geo"
#: GeoNames admin1 names (as in geonames_sy_cities500.csv) by ISO 3166-2 code
GEONAMES = {
    "Al-Hasakah": "SY-HA", "Aleppo": "SY-HL", "Ar-Raqqah": "SY-RA", "As-Suwayda": "SY-SU",
    "Daraa": "SY-DR", "Deir ez-Zor": "SY-DY", "Dimashq (Damascus)": "SY-DI", "Hama": "SY-HM",
    "Homs": "SY-HI", "Idlib": "SY-ID", "Latakia": "SY-LA", "Quneitra": "SY-QU",
    "Rif Dimashq": "SY-RD", "Tartus": "SY-TA",
}  # fmt: skip


def _layer() -> list[dict[str, Any]]:
    features: list[dict[str, Any]] = json.loads(
        (GEO / "syr_adm1_naturalearth.geojson").read_text("utf-8")
    )["features"]
    return features


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    """Even-odd ray casting (enough for points that are not on a border)."""
    hit = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            hit = not hit
    return hit


def _governorate(lon: float, lat: float) -> str | None:
    for f in _layer():
        g = f["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for rings in polygons:
            if _inside(lon, lat, rings[0]) and not any(_inside(lon, lat, h) for h in rings[1:]):
                return str(f["properties"]["iso_3166_2"])
    return None


def test_fourteen_named_governorates() -> None:
    features = _layer()
    codes = [f["properties"]["iso_3166_2"] for f in features]
    assert sorted(codes) == sorted(GEONAMES.values())
    for f in features:
        props = f["properties"]
        assert props["admname"] and any("\u0600" <= ch <= "\u06ff" for ch in props["name_ar"])
        assert not props["name_ar"].startswith("محافظة")
        g = f["geometry"]
        polygons = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        for ring in (r for rings in polygons for r in rings):
            assert ring[0] == ring[-1] and len(ring) >= 4
            assert all(round(c, 4) == c for pt in ring for c in pt)
    names = {f["properties"]["iso_3166_2"]: f["properties"]["name_ar"] for f in features}
    assert names["SY-RD"] == "ريف دمشق" and names["SY-HL"] == "حلب"


def test_known_places_fall_in_their_governorate() -> None:
    assert _governorate(35.824, 33.125) == "SY-QU"  # Quneitra city
    assert _governorate(35.771, 33.270) == "SY-QU"  # Majdal Shams, occupied Golan
    assert _governorate(36.292, 33.511) == "SY-DI"  # Damascus
    assert _governorate(36.405, 33.571) == "SY-RD"  # Douma
    assert _governorate(38.268, 34.560) == "SY-HI"  # Palmyra
    assert _governorate(35.573, 33.0) is None  # Israel, west of the Golan


def test_geonames_places_agree_with_the_borders() -> None:
    with (GEO / "geonames_sy_cities500.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    found = [_governorate(float(r["longitude"]), float(r["latitude"])) for r in rows]
    agree = sum(g == GEONAMES[r["admin1_name"]] for g, r in zip(found, rows, strict=True))
    assert len(rows) > 300 and agree / len(rows) >= 0.97, (agree, len(rows))


def test_licence_is_recorded() -> None:
    text = (GEO / "LICENSE.md").read_text("utf-8")
    assert "syr_adm1_naturalearth.geojson" in text and "public domain" in text
    assert "not stated" not in text.lower()
