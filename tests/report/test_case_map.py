"""The case file's static map (issue 23): zoomed to the case's extent with a margin and
never less than about 20 km across, numbered markers with a key, points at one spot
spread on a ring, governorate boundaries and place names."""

from __future__ import annotations

import math
import re

from sqlalchemy import select

from dalil.model.tables import Case
from dalil.report import casefile, charts
from dalil.workspace import Workspace


def _km(bbox: tuple[float, float, float, float]) -> tuple[float, float]:
    west, south, east, north = bbox
    cos = math.cos(math.radians((south + north) / 2))
    return (east - west) * charts.KM_PER_DEGREE * cos, (north - south) * charts.KM_PER_DEGREE


def _point(n: int, lon: float, lat: float, kind: str = "event") -> dict[str, object]:
    return {"kind": kind, "id": f"r{n}", "n": str(n) if kind == "event" else f"B{n}",
            "lon": lon, "lat": lat, "title": f"Incident {n}", "when": "", "place": ""}  # fmt: skip


def test_frame_has_a_margin_a_floor_and_the_canvas_shape() -> None:
    one = charts.frame((35.93, 35.36, 35.93, 35.36))  # a single town (Jableh)
    wide, tall = _km(one)
    assert math.isclose(wide / tall, charts.W / charts.H, rel_tol=1e-6)
    assert min(wide, tall) >= charts.MIN_SPAN_KM - 1e-6 and max(wide, tall) < 40
    west, south, east, north = one
    assert west < 35.93 < east and south < 35.36 < north
    spread = (35.9, 35.1, 36.2, 35.7)  # a coastal strip, taller than wide
    box = charts.frame(spread)
    assert box[0] < spread[0] and box[1] < spread[1] and box[2] > spread[2] and box[3] > spread[3]
    # the margin: at least 15 % of the extent on each side of its taller axis
    assert spread[1] - box[1] >= 0.15 * (spread[3] - spread[1]) - 1e-9
    assert charts.frame(None) == charts.BBOX


def test_points_at_one_spot_sit_on_a_ring_and_many_become_one_marker() -> None:
    points = [_point(i, 35.93, 35.36) for i in range(1, 8)]  # seven at Jableh
    points += [_point(8, 35.95, 35.18), _point(1, 35.95, 35.18, "burial_site")]  # Baniyas
    drawn = charts.MapPoints(points, []).drawn()
    assert {m["text"] for m in drawn.markers} == {*map(str, range(1, 9)), "B1"}
    jableh = [m for m in drawn.markers if m["text"] in {str(i) for i in range(1, 8)}]
    anchors = {(m["ax"], m["ay"]) for m in jableh}
    assert len(anchors) == 1, "one true spot"
    (ax, ay), spots = anchors.pop(), {(m["x"], m["y"]) for m in jableh}
    assert len(spots) == 7 and all(math.hypot(x - ax, y - ay) >= 17 for x, y in spots)
    for a in jableh:  # far enough apart to read each number
        for b in jableh:
            assert a is b or math.hypot(a["x"] - b["x"], a["y"] - b["y"]) >= 14
    for m in drawn.markers:
        assert 0 < m["x"] < drawn.width and 0 < m["y"] < drawn.height
    # governorates are named where their centre is on the map: Aleppo to Deir ez-Zor
    wide = charts.MapPoints([_point(1, 37.16, 36.2), _point(2, 40.14, 35.33)], []).drawn()
    assert {"Aleppo", "Deir Ez-Zor", "Al-Raqqa"} <= {r["name"] for r in wide.regions}
    crowd = [_point(i, 36.0, 35.5) for i in range(1, 41)]
    many = charts.MapPoints(crowd, []).drawn()
    assert [(m["kind"], m["text"]) for m in many.markers] == [("many", "40")]


def test_case_file_map_of_the_demo(demo_ws: Workspace) -> None:
    with demo_ws.session() as s:
        case_id = s.scalars(select(Case.id)).one()
        cf = casefile.build(s, demo_ws.home, case_id, "committee")
    drawn = cf.map.drawn(cf.layers)
    west, south, east, north = drawn.bbox
    for p in cf.map.points:
        assert west < p["lon"] < east and south < p["lat"] < north
    wide, tall = _km(drawn.bbox)
    assert min(wide, tall) >= charts.MIN_SPAN_KM and max(wide, tall) < 150, "zoomed to the case"
    paths = dict(drawn.paths)
    assert paths["region"], "governorate boundaries"
    assert len(paths["country"]) < 8, "only the neighbours that reach into the frame"
    names = {pl["name"] for pl in drawn.places}
    assert {"Jablah", "Bāniyās"} & names
    assert {sp["name"] for sp in drawn.spots} >= {p["place"] for p in cf.map.points}
    assert 0 < drawn.scale_px < drawn.width / 2
    html = casefile.render_html(cf)
    block = html[
        html.index('<section id="map">') : html.index(
            "</section>", html.index('<section id="map">')
        )
    ]
    events = [p for p in cf.map.points if p["kind"] == "event"]
    for p in events:  # each number on the map and in the key, with the incident's title
        assert re.search(rf'font-weight="bold">{p["n"]}</text>', block), p["n"]
        assert f"<td>{p['n']}</td>" in block
    assert events[0]["title"][:40] in block
    assert 'class="region"' in block and f"{drawn.scale_km:g} km" in block.replace(".0 km", " km")
