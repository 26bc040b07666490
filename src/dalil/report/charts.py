"""The geometry of the case map and timeline, shared by the web screens and the case-file
reports. Both are drawn as SVG from data shipped with dalil (Natural Earth boundaries)
and boundaries an operator adds under ``<home>/geo``, so nothing needs a tile server or
the network.

Units: the map is an equirectangular projection of :data:`BBOX` (degrees) onto a
:data:`W` x :data:`H` pixel canvas; the timeline's x axis is days.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
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
#: looks up a place record by id (None when the caller does not have it)
PlaceOf = Callable[[str], RecordView | None]


@cache
def _base_layers() -> tuple[dict[str, Any], ...]:
    path = resources.files("dalil") / "data" / "geo" / "ne_110m_levant.geojson"
    return (json.loads(path.read_text(encoding="utf-8")),)


def _extra_layers(home: Path) -> list[dict[str, Any]]:
    """Finer boundaries an operator has placed in ``<home>/geo/*.geojson``."""
    return [
        json.loads(p.read_text(encoding="utf-8")) for p in sorted((home / "geo").glob("*.geojson"))
    ]


def xy(lon: float, lat: float) -> tuple[float, float]:
    x0, y0, x1, y1 = BBOX
    return round((lon - x0) / (x1 - x0) * W, 1), round((y1 - lat) / (y1 - y0) * H, 1)


def _paths(layer: dict[str, Any]) -> list[str]:
    out = []
    for feature in layer.get("features", []):
        geom = feature.get("geometry") or {}
        polys = geom.get("coordinates", [])
        polys = [polys] if geom.get("type") == "Polygon" else polys
        for poly in polys:
            for ring in poly:
                pts = " ".join("{},{}".format(*xy(lon, lat)) for lon, lat in ring)
                out.append(f"M{pts}Z")
    return out


def layers(home: Path) -> list[list[str]]:
    """SVG path data of every boundary layer, coarsest first."""
    return [_paths(layer) for layer in (*_base_layers(), *_extra_layers(home))]


def _located(view: RecordView, place: PlaceOf) -> tuple[float, float] | None:
    for ref in view.values("place"):
        found = place(ref_id(ref) or "")
        loc = found.value("location") if found is not None else None
        if loc is not None and loc.lat is not None and loc.lon is not None:
            return float(loc.lon), float(loc.lat)
    return None


@dataclass
class MapPoints:
    points: list[dict[str, Any]]
    unplaced: list[RecordView]


def map_points(views: list[RecordView], place: PlaceOf) -> MapPoints:
    """Incidents and burial sites (``views``) with coordinates, in canvas units; the rest
    listed apart. ``place`` looks up a place record by id."""
    points, unplaced = [], []
    for v in views:
        at = _located(v, place)
        if at is None:
            unplaced.append(v)
            continue
        x, y = xy(*at)
        points.append({"kind": v.kind, "x": x, "y": y, "title": v.title, "id": v.id,
                       "label": v.label or ""})  # fmt: skip
    return MapPoints(points, unplaced)


@dataclass
class Timeline:
    bars: list[dict[str, Any]]
    ticks: list[dict[str, Any]]
    height: int


def timeline(events: list[RecordView]) -> Timeline:
    """Incidents on a day axis: each is a bar from its earliest to its latest possible
    date, so an uncertain date shows as a long bar rather than a false point."""
    spans: list[tuple[date, date, RecordView]] = []
    for v in events:
        for d in v.values("date")[:1]:
            if d.earliest and d.latest:
                spans.append((d.earliest, d.latest, v))
    spans.sort(key=lambda t: (t[0], t[1]))
    bars, ticks = [], []
    if spans:
        start = min(t[0] for t in spans)
        days = max((t[1] - start).days for t in spans) + 1
        scale = TIMELINE_WIDTH / days
        for i, (lo, hi, v) in enumerate(spans):
            bars.append({"x": TIMELINE_LEFT + (lo - start).days * scale, "y": 30 + i * ROW,
                         "w": max(4.0, ((hi - lo).days + 1) * scale), "v": v,
                         "text": describe(v.values("date")[0])})  # fmt: skip
        step = max(1, days // 10)
        for k in range(0, days, step):
            day = datetime.fromordinal(start.toordinal() + k)
            ticks.append({"x": TIMELINE_LEFT + k * scale, "label": day.strftime("%d %b %Y")})
    return Timeline(bars, ticks, 60 + ROW * len(bars))
