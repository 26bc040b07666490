"""The geometry of the case map and timeline, shared by the web screens and the case-file
reports. Everything is drawn from data shipped with dalil (Natural Earth country outlines,
Syria's governorates, GeoNames places) and boundaries an operator adds under
``<home>/geo``, so nothing needs a tile server or the network.

Units: coordinates are WGS84 degrees. The country-scale SVG is an equirectangular
projection of :data:`BBOX` onto a :data:`W` x :data:`H` pixel canvas; the case file's map
(:meth:`MapPoints.drawn`) is zoomed to the case's extent (at least :data:`MIN_SPAN_KM`
across) with longitudes shrunk by cos(latitude), so distances read the same both ways.
The timeline's x axis is days.

Dates: an incident's span is its first date fact's earliest to latest possible day; a
date range filter (``since``/``until``, inclusive, either open) keeps an incident when
its span overlaps the range, i.e. when it may have happened in it. Undated incidents are
left out of a filtered view (they cannot be placed in any range) and counted apart.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from dalil.records import RecordView, ref_id
from dalil.records.overview import describe

BBOX = (35.4, 32.2, 42.5, 37.4)  # lon/lat of Syria, with a margin
W, H = 760.0, 560.0
TIMELINE_LEFT, TIMELINE_WIDTH, ROW = 150.0, 640.0, 22
#: km: the case file's map never shows less than this across (a one-town case still
#: shows the town's surroundings)
MIN_SPAN_KM = 20.0
KM_PER_DEGREE = 111.32
#: looks up a place record by id (None when the caller does not have it)
PlaceOf = Callable[[str], RecordView | None]
Span = tuple[date, date]


def _geo(name: str) -> Any:
    return json.loads((resources.files("dalil") / "data" / "geo" / name).read_text("utf-8"))


@cache
def _base_layers() -> tuple[dict[str, Any], ...]:
    """Country outlines, then Syria's 14 governorates (both with ``name_ar``)."""
    return (_geo("ne_110m_levant.geojson"), _geo("syr_adm1_naturalearth.geojson"))


def _extra_layers(home: Path) -> list[dict[str, Any]]:
    """Finer boundaries an operator has placed in ``<home>/geo/*.geojson``."""
    return [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((home / "geo").glob("*.geojson"))
    ]


def xy(lon: float, lat: float) -> tuple[float, float]:
    x0, y0, x1, y1 = BBOX
    return round((lon - x0) / (x1 - x0) * W, 1), round((y1 - lat) / (y1 - y0) * H, 1)


def _rings(layer: dict[str, Any]) -> Iterable[list[list[float]]]:
    for feature in layer.get("features", []):
        geom = feature.get("geometry") or {}
        polys = geom.get("coordinates", [])
        if geom.get("type") == "Polygon":
            polys = [polys]
        elif geom.get("type") == "LineString":
            polys = [[polys]]
        elif geom.get("type") == "MultiLineString":
            polys = [polys]
        elif geom.get("type") != "MultiPolygon":
            continue
        for poly in polys:
            yield from poly


def _paths(layer: dict[str, Any], project: Callable[[float, float], tuple[float, float]] = xy,
           keep: Callable[[list[list[float]]], bool] = lambda ring: True) -> list[str]:  # fmt: skip
    closed = any(
        (f.get("geometry") or {}).get("type", "").endswith("Polygon")
        for f in layer.get("features", [])
    )
    out = []
    for ring in _rings(layer):
        if keep(ring):
            pts = " ".join("{},{}".format(*project(p[0], p[1])) for p in ring)
            out.append(f"M{pts}Z" if closed else f"M{pts}")
    return out


class Layers(list[list[str]]):
    """SVG path data of every boundary layer at country scale, coarsest first (what the
    case file drew before it was zoomed), and the GeoJSON they come from (``sources``),
    which :meth:`MapPoints.drawn` projects to the case's own frame."""

    sources: tuple[dict[str, Any], ...] = ()


def layers(home: Path) -> Layers:
    """Country, governorate and operator boundaries (see :class:`Layers`)."""
    sources = (*_base_layers(), *_extra_layers(home))
    out = Layers(_paths(layer) for layer in sources)
    out.sources = sources
    return out


def _arabic_name(latin: str, names: list[str]) -> str | None:
    """The Arabic form of a GeoNames place among its alternate names, which mix Persian,
    Kurdish and misspelt forms in alphabetical order: Arabic letters only; as many of each
    letter as the romanisation marks (ţ ط, t ت, ḩ ح, ş ص, ḑ ض, q ق, ‘ ع, ī ي); the article
    when the romanised name has one, and otherwise preferred; then the shortest."""
    ok = [n for n in names if n and all("\u0621" <= c <= "\u064a" or c == " " for c in n)
          and all(len(w) > 1 for w in n.split())]  # fmt: skip
    if not ok:
        return None
    low = latin.lower()
    article = low.startswith(("al ", "al-", "ar ", "as ", "ad ", "at ", "az ", "an ", "ash "))
    marks = (("ţ", "ط"), ("ḩ", "ح"), ("ş", "ص"), ("ḑ", "ض"), ("‘", "ع"), ("ī", "ي"))
    stem = low.split(" ", 1)[1] if article and " " in low else low.removeprefix("al-")

    def score(n: str) -> tuple[int, bool, int]:
        body = n.removeprefix("ال")
        # marks count only in a romanisation that uses them; t and q in any
        off = 0 if stem.isascii() else sum(abs(stem.count(a) - body.count(b)) for a, b in marks)
        off += abs(stem.count("t") + stem.count("ţ") - body.count("ت") - body.count("ط"))
        off += abs(stem.count("q") - body.count("ق"))
        return off + (article and not n.startswith("ال")), not n.startswith("ال"), len(n)

    return min(ok, key=score)


@cache
def places() -> tuple[dict[str, Any], ...]:
    """The shipped GeoNames places (CC BY 4.0), most populous first: name (romanised),
    Arabic name (or None), lat, lon, population."""
    text = (resources.files("dalil") / "data" / "geo" / "geonames_sy_cities500.csv").read_text(
        "utf-8"
    )
    rows = sorted(csv.DictReader(text.splitlines()), key=lambda r: -int(r["population"] or 0))
    return tuple(
        {"name": r["name"], "name_ar": _arabic_name(r["name"], r["names_ar"].split("|")),
         "lat": float(r["latitude"]), "lon": float(r["longitude"]),
         "population": int(r["population"] or 0)}
        for r in rows
    )  # fmt: skip


def span(view: RecordView) -> Span | None:
    """An incident's first date, earliest to latest possible day (None when undated)."""
    for d in view.values("date")[:1]:
        if d.earliest and d.latest:
            return d.earliest, d.latest
    return None


def in_range(when: Span | None, since: date | None, until: date | None) -> bool:
    """Whether an incident dated ``when`` may fall in ``[since, until]`` (open ends
    allowed); without a range everything is in it, with one an undated incident is not."""
    if since is None and until is None:
        return True
    if when is None:
        return False
    return (since is None or when[1] >= since) and (until is None or when[0] <= until)


def _located(view: RecordView, place: PlaceOf) -> tuple[float, float, RecordView] | None:
    for ref in view.values("place"):
        found = place(ref_id(ref) or "")
        loc = found.value("location") if found is not None else None
        if found is not None and loc is not None and loc.lat is not None and loc.lon is not None:
            return float(loc.lon), float(loc.lat), found
    return None


@dataclass
class MapPoints:
    """Incidents and burial sites with coordinates (``points``: dicts of kind, id, label,
    title, lon, lat, x, y at country scale, place, place_ar, since and until as ISO
    dates or None, when as text, n the legend number), those without (``unplaced``), and
    how many incidents a date range left out (``outside``; undated ones included)."""

    points: list[dict[str, Any]]
    unplaced: list[RecordView]
    outside: int = 0

    def extent(self) -> tuple[float, float, float, float] | None:
        """(west, south, east, north) of the points, in degrees."""
        if not self.points:
            return None
        lons, lats = [p["lon"] for p in self.points], [p["lat"] for p in self.points]
        return min(lons), min(lats), max(lons), max(lats)

    def drawn(self, boundaries: Layers | None = None, width: float = W,
              height: float = H) -> CaseMap:  # fmt: skip
        """The map zoomed to the case (see :class:`CaseMap`)."""
        return _case_map(self, boundaries, width, height)


def map_points(views: list[RecordView], place: PlaceOf, since: date | None = None,
               until: date | None = None) -> MapPoints:  # fmt: skip
    """Incidents and burial sites (``views``) with coordinates, numbered for a legend
    (incidents 1, 2, ... by date then title; burial sites B1, B2, ...); the rest listed
    apart. ``place`` looks up a place record by id. A date range keeps the incidents that
    may fall in it (burial sites are kept whatever their dates)."""
    found: list[tuple[tuple[Any, ...], dict[str, Any]]] = []
    unplaced, outside = [], 0
    for v in views:
        when = span(v) if v.kind == "event" else None
        if v.kind == "event" and not in_range(when, since, until):
            outside += 1
            continue
        at = _located(v, place)
        if at is None:
            unplaced.append(v)
            continue
        lon, lat, where = at
        x, y = xy(lon, lat)
        loc = where.value("location")
        dates = v.values("date")[:1]
        found.append((
            (v.kind != "event", when or (date.max, date.max), v.title, v.id),
            {"kind": v.kind, "id": v.id, "label": v.label or "", "title": v.title,
             "lon": lon, "lat": lat, "x": x, "y": y, "place": where.title,
             "place_ar": getattr(loc, "name_ar", None),
             "since": when[0].isoformat() if when else None,
             "until": when[1].isoformat() if when else None,
             "when": describe(dates[0]) if dates else ""},
        ))  # fmt: skip
    points = [p for _, p in sorted(found, key=lambda t: t[0])]
    counts = {"event": 0, "burial_site": 0}
    for p in points:
        counts[p["kind"]] = counts.get(p["kind"], 0) + 1
        p["n"] = str(counts[p["kind"]]) if p["kind"] == "event" else f"B{counts[p['kind']]}"
    return MapPoints(points, unplaced, outside)


@dataclass
class CaseMap:
    """A static map of the case's extent, in pixels on a ``width`` x ``height`` canvas:
    ``paths`` per layer (class, SVG path data); ``markers`` (a numbered circle or square
    at x, y; points sharing a spot sit on a ring around it, with a line to the true spot
    ax, ay); the case's place names under their spots (``spots``); GeoNames place labels;
    governorate labels; a scale bar (``scale_km`` long, ``scale_px`` wide); and ``bbox``
    (west, south, east, north, degrees)."""

    width: float
    height: float
    bbox: tuple[float, float, float, float]
    paths: list[tuple[str, list[str]]] = field(default_factory=list)
    markers: list[dict[str, Any]] = field(default_factory=list)
    places: list[dict[str, Any]] = field(default_factory=list)
    spots: list[dict[str, Any]] = field(default_factory=list)
    regions: list[dict[str, Any]] = field(default_factory=list)
    scale_km: float = 0.0
    scale_px: float = 0.0


def frame(extent: tuple[float, float, float, float] | None, width: float = W,
          height: float = H) -> tuple[float, float, float, float]:  # fmt: skip
    """The (west, south, east, north) box a map of ``extent`` shows: the extent with a
    15 % margin each side, at least :data:`MIN_SPAN_KM` across both ways, widened to the
    canvas's proportions. Syria (:data:`BBOX`) when there is nothing to show."""
    if extent is None:
        return BBOX
    west, south, east, north = extent
    lat0 = (south + north) / 2
    cos = max(0.1, math.cos(math.radians(lat0)))
    wide = max(MIN_SPAN_KM, (east - west) * KM_PER_DEGREE * cos * 1.3)
    tall = max(MIN_SPAN_KM, (north - south) * KM_PER_DEGREE * 1.3)
    if wide / tall < width / height:
        wide = tall * width / height
    else:
        tall = wide * height / width
    lon0 = (west + east) / 2
    half_lon, half_lat = wide / 2 / (KM_PER_DEGREE * cos), tall / 2 / KM_PER_DEGREE
    return lon0 - half_lon, lat0 - half_lat, lon0 + half_lon, lat0 + half_lat


def _centroid(ring: list[list[float]]) -> tuple[float, float, float]:
    """Area-weighted centroid (lon, lat) and absolute area of a ring, in degrees."""
    a = cx = cy = 0.0
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        a, cx, cy = a + cross, cx + (x0 + x1) * cross, cy + (y0 + y1) * cross
    if abs(a) < 1e-12:
        return ring[0][0], ring[0][1], 0.0
    return cx / (3 * a), cy / (3 * a), abs(a) / 2


#: px: points closer than this on the case map share one spot (drawn on a ring)
NEAR = 14.0
#: the most markers drawn on one ring; more at one spot become one marker with a count
RING_MAX = 16


def _case_map(found: MapPoints, boundaries: Layers | None, width: float,
              height: float) -> CaseMap:  # fmt: skip
    west, south, east, north = frame(found.extent(), width, height)

    def project(lon: float, lat: float) -> tuple[float, float]:
        return (round((lon - west) / (east - west) * width, 1),
                round((north - lat) / (north - south) * height, 1))  # fmt: skip

    def visible(ring: list[list[float]]) -> bool:
        lons, lats = [p[0] for p in ring], [p[1] for p in ring]
        return min(lons) <= east and max(lons) >= west and min(lats) <= north and max(lats) >= south

    out = CaseMap(width, height, (west, south, east, north))
    sources = (
        boundaries.sources if boundaries is not None and boundaries.sources else _base_layers()
    )
    for i, layer in enumerate(sources):
        kind = ("country", "region")[i] if i < 2 else "extra"
        if kind == "country":  # Syria's land is its governorates: a finer coastline
            layer = {"features": [f for f in layer.get("features", [])
                                  if f.get("properties", {}).get("iso_a3") != "SYR"]}  # fmt: skip
        out.paths.append((kind, _paths(layer, project, visible)))
    # governorate names where the governorate's centre is on the map
    for feature in _base_layers()[1]["features"]:
        rings = list(_rings({"features": [feature]}))
        lon, lat, _ = max((_centroid(r) for r in rings), key=lambda c: c[2])
        if west < lon < east and south < lat < north:
            x, y = project(lon, lat)
            out.regions.append({"x": x, "y": y, "name": feature["properties"]["admname"]})
    # markers: points sharing a spot go on a ring around it
    spots: list[list[dict[str, Any]]] = []
    for p in found.points:
        x, y = project(p["lon"], p["lat"])
        for spot in spots:
            if math.hypot(spot[0]["ax"] - x, spot[0]["ay"] - y) < NEAR:
                spot.append({**p, "ax": spot[0]["ax"], "ay": spot[0]["ay"]})
                break
        else:
            spots.append([{**p, "ax": x, "ay": y}])
    for spot in spots:
        ax, ay = spot[0]["ax"], spot[0]["ay"]
        radius = 0.0 if len(spot) == 1 else 4.0  # of the ring; markers are 7 px (many: 11)
        if len(spot) == 1:
            out.markers.append({**spot[0], "x": ax, "y": ay, "text": spot[0]["n"]})
        elif len(spot) > RING_MAX:
            out.markers.append({"kind": "many", "x": ax, "y": ay, "ax": ax, "ay": ay,
                                "text": str(len(spot)), "members": spot})  # fmt: skip
        else:
            radius = max(18.0, 17.0 * len(spot) / (2 * math.pi))
            for k, p in enumerate(spot):
                angle = 2 * math.pi * k / len(spot) - math.pi / 2
                out.markers.append({**p, "x": round(ax + radius * math.cos(angle), 1),
                                    "y": round(ay + radius * math.sin(angle), 1),
                                    "text": p["n"]})  # fmt: skip
        # the case's own place name (most of the spot's points), under the spot
        names = [p.get("place") for p in spot if p.get("place")]
        if names:
            out.spots.append({"x": ax, "y": round(ay + radius + 18, 1),
                              "name": max(set(names), key=names.count)})  # fmt: skip
    # the largest GeoNames places on the map, kept clear of markers and of each other
    taken = [(m["x"] - 9, m["y"] - 9, m["x"] + 9, m["y"] + 9) for m in out.markers]
    taken += [(t["x"] - 3 * len(t["name"]), t["y"] - 9, t["x"] + 3 * len(t["name"]), t["y"] + 2)
              for t in out.spots]  # fmt: skip
    for pl in places():
        if len(out.places) >= 25:
            break
        if not (west < pl["lon"] < east and south < pl["lat"] < north):
            continue
        x, y = project(pl["lon"], pl["lat"])
        box = (x - 2, y - 12, x + 4 + 5.2 * len(pl["name"]), y + 3)
        if box[2] > width or any(
            box[0] < t[2] and t[0] < box[2] and box[1] < t[3] and t[1] < box[3] for t in taken
        ):
            continue
        taken.append(box)
        out.places.append({"x": x, "y": y, "name": pl["name"]})
    # a scale bar about a fifth of the width, in a round number of km
    km_wide = (east - west) * KM_PER_DEGREE * math.cos(math.radians((south + north) / 2))
    out.scale_km = next(k for k in (1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000)
                        if k >= km_wide / 6)  # fmt: skip
    out.scale_px = round(out.scale_km / km_wide * width, 1)
    return out


@dataclass
class Timeline:
    bars: list[dict[str, Any]]
    ticks: list[dict[str, Any]]
    height: int
    #: incidents a date range left out (undated ones included)
    outside: int = 0


def timeline(events: list[RecordView], since: date | None = None,
             until: date | None = None) -> Timeline:  # fmt: skip
    """Incidents on a day axis: each is a bar from its earliest to its latest possible
    date, so an uncertain date shows as a long bar rather than a false point. A date
    range keeps the incidents that may fall in it (see :func:`in_range`). Ticks carry
    their ``day`` and an English ``label``."""
    spans: list[tuple[date, date, RecordView]] = []
    outside = 0
    for v in events:
        when = span(v)
        if not in_range(when, since, until):
            outside += 1
        elif when is not None:
            spans.append((when[0], when[1], v))
    spans.sort(key=lambda t: (t[0], t[1]))
    bars, ticks = [], []
    if spans:
        start = min(t[0] for t in spans)
        days = max((t[1] - start).days for t in spans) + 1
        scale = TIMELINE_WIDTH / days
        for i, (lo, hi, v) in enumerate(spans):
            bars.append({"x": TIMELINE_LEFT + (lo - start).days * scale, "y": 30 + i * ROW,
                         "w": max(4.0, ((hi - lo).days + 1) * scale), "v": v,
                         "since": lo.isoformat(), "until": hi.isoformat(),
                         "text": describe(v.values("date")[0])})  # fmt: skip
        step = max(1, days // 10)
        for k in range(0, days, step):
            day = datetime.fromordinal(start.toordinal() + k)
            ticks.append({"x": TIMELINE_LEFT + k * scale, "day": day.date(),
                          "label": day.strftime("%d %b %Y")})  # fmt: skip
    return Timeline(bars, ticks, 60 + ROW * len(bars), outside)
