"""The case map and timeline (issue 23): the points, the date-range filter shared by both
pages, the boundaries served for the offline map, and, in Chromium, the Leaflet map in
Arabic (zoom to an incident, click through to its page) and the timeline's filter."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from browser_support import Site
from dalil.model.tables import Case
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.workspace import Workspace
from tests_support import investigator_token

PASSWORD = "map tester password"


@pytest.fixture
def client(demo_ws: Workspace, demo_vault: Vault) -> Iterator[TestClient]:
    """An investigator of the demo case, with an API token."""
    token = investigator_token(demo_ws, "map-tester", PASSWORD)
    with TestClient(
        create_app(workspace=demo_ws, vault=demo_vault), base_url="https://testserver"
    ) as c:
        c.headers["Authorization"] = f"Bearer {token}"
        yield c


def _case(ws: Workspace) -> str:
    with ws.session() as s:
        return s.scalars(select(Case.id)).one()


def _overlaps(p: dict[str, str], lo: str, hi: str) -> bool:
    return p["from"] is not None and p["from"] <= hi and p["to"] >= lo


def test_map_json_and_the_date_range(client: TestClient, demo_ws: Workspace) -> None:
    case = _case(demo_ws)
    every = client.get(f"/cases/{case}/map.json").json()
    events = [p for p in every["points"] if p["k"] == "event"]
    sites = [p for p in every["points"] if p["k"] == "burial_site"]
    assert len(events) >= 15 and sites, "the demo's incidents and burial sites are mapped"
    assert every["outside"] == 0 and every["error"] is None
    for p in every["points"]:
        assert 32 < p["lat"] < 37.5 and 35 < p["lon"] < 42.5, p  # in Syria
        kind = "incidents" if p["k"] == "event" else "records"
        assert p["u"] == f"/cases/{case}/{kind}/{p['id']}"
    # incidents numbered by date: 1, 2, ... in order of their earliest day
    assert [p["n"] for p in events] == [str(i) for i in range(1, len(events) + 1)]
    firsts = [p["from"] for p in events if p["from"]]
    assert firsts == sorted(firsts)
    west, _, _, north = every["extent"]
    assert west == min(p["lon"] for p in every["points"]) and north == max(
        p["lat"] for p in every["points"]
    )
    # a range that keeps some incidents and not others: the second half of the days
    days = sorted({p["from"] for p in events if p["from"]})
    lo, hi = days[len(days) // 2], max(p["to"] for p in events if p["to"])
    part = client.get(f"/cases/{case}/map.json", params={"from": lo, "to": hi}).json()
    kept = {p["id"] for p in part["points"] if p["k"] == "event"}
    assert kept == {p["id"] for p in events if _overlaps(p, lo, hi)}
    assert 0 < len(kept) < len(events)
    assert part["outside"] >= len(events) - len(kept)
    assert {p["id"] for p in part["points"] if p["k"] == "burial_site"} == {p["id"] for p in sites}
    # an open end
    late = client.get(f"/cases/{case}/map.json", params={"from": lo}).json()
    assert {p["id"] for p in late["points"] if p["k"] == "event"} == kept
    # what cannot be read is said and ignored
    bad = client.get(f"/cases/{case}/map.json", params={"from": "7 March"}).json()
    assert bad["error"].startswith("Not a date") and len(bad["points"]) == len(every["points"])
    turned = client.get(f"/cases/{case}/map.json", params={"from": hi, "to": lo}).json()
    assert turned["error"] and len(turned["points"]) == len(every["points"])


def test_map_and_timeline_pages_share_the_range(client: TestClient, demo_ws: Workspace) -> None:
    case = _case(demo_ws)
    events = [p for p in client.get(f"/cases/{case}/map.json").json()["points"]
              if p["k"] == "event" and p["from"]]  # fmt: skip
    lo = hi = sorted(p["from"] for p in events)[0]
    expected = {p["id"] for p in events if _overlaps(p, lo, hi)}
    page = client.get(f"/cases/{case}/map", params={"from": lo, "to": hi, "lang": "en"}).text
    # no inline script or style (the CSP): the data is a JSON block, scripts are files
    for tag in re.findall(r"<script[^>]*>", page):
        assert "src=" in tag or 'type="application/json"' in tag, tag
    assert not re.search(r"\sstyle=", page)
    assert "vendor/leaflet-1.9.4/leaflet.js" in page and "map.js" in page
    rows = re.findall(r'<tr class="event">.*?href="/cases/[^/]+/incidents/([^"]+)"', page, re.S)
    assert set(rows) == expected
    assert f'href="/cases/{case}/timeline?from={lo}&amp;to={hi}"' in page
    assert f'value="{lo}"' in page
    line = client.get(f"/cases/{case}/timeline", params={"from": lo, "to": hi}).text
    bars = re.findall(r'href="/cases/[^/]+/incidents/([^"]+)" class="bar"', line)
    assert set(bars) == expected
    assert f'href="/cases/{case}/map?from={lo}&amp;to={hi}"' in line
    everything = client.get(f"/cases/{case}/timeline").text
    assert len(re.findall(r'class="bar"', everything)) > len(bars)
    # in Arabic: right to left, the form and the list in Arabic, values isolated
    arabic = client.get(f"/cases/{case}/map", params={"from": lo, "lang": "ar"}).text
    assert 'dir="rtl"' in arabic and "الحوادث بين" in arabic and "ما تعرضه الخريطة" in arabic
    assert re.search(r"<td><bdi>1</bdi></td>", arabic)
    block = re.search(r'id="map-data">(.*?)</script>', arabic, re.S)
    data = json.loads(unescape(block.group(1))) if block else {}
    assert data["lang"] == "ar" and data["text"]["open"] == "افتح السجل"
    assert client.get(f"/cases/{case}/timeline", params={"lang": "ar"}).status_code == 200


def test_layers_for_the_offline_map(client: TestClient, demo_ws: Workspace) -> None:
    case = _case(demo_ws)
    r = client.get(f"/cases/{case}/map/layers.json")
    assert r.status_code == 200 and "max-age" in r.headers["cache-control"]
    geo = r.json()
    names = {f["properties"]["name_ar"] for f in geo["regions"]["features"]}
    assert len(names) == 14 and {"حلب", "اللاذقية", "ريف دمشق"} <= names
    assert {f["properties"]["iso_a3"] for f in geo["countries"]["features"]} >= {"SYR", "LBN"}
    places = {p[0]: p for p in geo["places"]}
    assert places["Aleppo"][1] == "حلب" and places["Ţarţūs"][1] == "طرطوس"
    assert places["Jablah"][1] == "جبلة" and len(places) > 300
    # not for anyone: the case's access check applies
    anonymous = TestClient(client.app, base_url="https://testserver", follow_redirects=False)
    for path in ("map/layers.json", "map.json", "map"):
        r = anonymous.get(f"/cases/{case}/{path}")
        assert r.status_code in (401, 403) or r.headers["location"].startswith("/login"), path


# --- in Chromium ---------------------------------------------------------------------


def test_arabic_map_zoom_to_an_incident_and_open_it(
    page: object, site: Site, tmp_path: Path
) -> None:
    p = page
    errors: list[str] = []
    p.on(  # type: ignore[attr-defined]
        "console", lambda m: errors.append(f"{m.text} {m.location}") if m.type == "error" else None
    )
    p.goto(f"{site.url}/cases/{site.case}/map?lang=ar")  # type: ignore[attr-defined]
    p.wait_for_selector("#map[data-ready='1']")  # type: ignore[attr-defined]
    assert p.locator("html").get_attribute("dir") == "rtl"  # type: ignore[attr-defined]
    # the boundaries arrive: governorate names in Arabic once zoomed to the case
    p.wait_for_selector(".leaflet-tooltip.lbl-region")  # type: ignore[attr-defined]
    p.wait_for_function("() => document.querySelectorAll('.leaflet-overlay-pane path').length > 20")  # type: ignore[attr-defined]
    # clusters at the case's extent; click them until an incident's own marker shows
    for _ in range(12):
        single = p.locator(".m-event")  # type: ignore[attr-defined]
        if single.count():
            break
        p.locator(".m-cluster").first.click()  # type: ignore[attr-defined]
        p.wait_for_timeout(600)  # type: ignore[attr-defined]
    marker = p.locator(".m-event").first  # type: ignore[attr-defined]
    assert marker.count() == 1, "zooming in reaches a single incident"
    assert p.evaluate("() => document.getElementById('map')._leaflet_id !== undefined")  # type: ignore[attr-defined]
    marker.click()
    link = p.locator(".leaflet-popup .map-pop-title")  # type: ignore[attr-defined]
    link.wait_for()
    title = link.inner_text()
    assert p.locator(".leaflet-popup").get_attribute("class")  # type: ignore[attr-defined]
    assert p.locator(".map-pop").get_attribute("dir") == "rtl"  # type: ignore[attr-defined]
    assert "افتح السجل" in p.locator(".leaflet-popup").inner_text()  # type: ignore[attr-defined]
    p.screenshot(path=str(tmp_path / "map-ar.png"))  # type: ignore[attr-defined]
    # nothing the CSP refuses, nothing missing (but the favicon no page has)
    assert not [e for e in errors if "favicon.ico" not in e], errors
    with p.expect_navigation():  # type: ignore[attr-defined]
        link.click()
    assert re.search(r"/incidents/[^/]+$", p.url)  # type: ignore[attr-defined]
    assert title.strip() in p.locator("h1").inner_text()  # type: ignore[attr-defined]


def test_filter_the_timeline_by_date_then_see_the_same_on_the_map(page: object, site: Site) -> None:
    p = page
    p.goto(f"{site.url}/cases/{site.case}/timeline?lang=en")  # type: ignore[attr-defined]
    bars = p.locator("a.bar")  # type: ignore[attr-defined]
    spans = [(b.get_attribute("data-from"), b.get_attribute("data-to")) for b in bars.all()]
    days = sorted({lo for lo, _ in spans})
    assert len(days) >= 2, "the demo's incidents fall on several days"
    lo = hi = days[-1]
    p.fill("#range-from", lo)  # type: ignore[attr-defined]
    p.fill("#range-to", hi)  # type: ignore[attr-defined]
    with p.expect_navigation():  # type: ignore[attr-defined]
        p.click("form.date-range button[type=submit]")  # type: ignore[attr-defined]
    assert f"from={lo}" in p.url and f"to={hi}" in p.url  # type: ignore[attr-defined]
    shown = [(b.get_attribute("data-from"), b.get_attribute("data-to")) for b in bars.all()]
    expected = [s for s in spans if s[0] <= hi and s[1] >= lo]
    assert sorted(shown) == sorted(expected) and len(shown) < len(spans)
    assert all(date.fromisoformat(b) >= date.fromisoformat(lo) for _, b in shown)
    ids = {h.rsplit("/", 1)[1] for h in (b.get_attribute("href") for b in bars.all()) if h}
    with p.expect_navigation():  # type: ignore[attr-defined]
        p.click("text=Same dates on the map")  # type: ignore[attr-defined]
    assert f"/map?from={lo}&to={hi}" in p.url  # type: ignore[attr-defined]
    p.wait_for_selector("#map[data-ready='1']")  # type: ignore[attr-defined]
    rows = p.locator("table.mapped tr.event a")  # type: ignore[attr-defined]
    mapped = {(a.get_attribute("href") or "").rsplit("/", 1)[1] for a in rows.all()}
    assert mapped and mapped <= ids, "the map shows the timeline's incidents that have a place"
    drawn = p.evaluate(  # type: ignore[attr-defined]
        "() => JSON.parse(document.getElementById('map-data').textContent).points"
        ".filter(x => x.k === 'event').map(x => x.id)"
    )
    assert set(drawn) == mapped
