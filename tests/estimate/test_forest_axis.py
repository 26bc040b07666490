"""The forest plot of the estimates (issue 23, item 3): a numbered x axis with round ticks,
each method named in words with its estimate and interval written, the documented count as
a labelled line, a text alternative, and an axis that reads left to right in Arabic too.

Drawn from given numbers and read back as XML: positions are checked against the axis's own
scale, so a tick or a line in the wrong place fails."""

from __future__ import annotations

import itertools
import json
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, select

from dalil.access import accounts, policy
from dalil.access.tables import User
from dalil.estimate import plots
from dalil.estimate.plots import LRI, PDI, ForestRow, forest_axis, forest_svg, nice_ticks
from dalil.estimate.tables import EstimateRecord
from dalil.model.keys import new_id
from dalil.model.tables import Case, utcnow
from dalil.web import create_app, i18n
from dalil.web.code_labels import LABELS
from dalil.workspace import Workspace

SVG = "{http://www.w3.org/2000/svg}"
ROWS = [
    ForestRow("Log-linear models", 228.4, 213.2, 239.0, 207, 0.95),
    ForestRow("Latent-class model (LCMCR)", 228.0, 217.0, 242.0, 207, 0.95),
]


def _plain(text: str | None) -> str:
    """Text without the bidi isolates (what a reader sees)."""
    return (text or "").replace(LRI, "").replace(PDI, "")


def _texts(root: ET.Element, cls: str) -> list[ET.Element]:
    return [e for e in root.iter(f"{SVG}text") if e.get("class") == cls]


def test_ticks_are_round_and_cover_the_range() -> None:
    assert nice_ticks(207, 248) == [200, 210, 220, 230, 240, 250]
    assert nice_ticks(0, 57, 4) == [0, 20, 40, 60]
    assert nice_ticks(1_180, 98_400) == [0, 20_000, 40_000, 60_000, 80_000, 100_000]
    assert nice_ticks(150, 150) == [130, 140, 150, 160, 170]  # one value: a range around it


@given(st.integers(0, 10**7), st.integers(1, 10**7))
def test_ticks_are_even_steps_of_one_two_or_five(lo: int, span: int) -> None:
    ticks = nice_ticks(lo, lo + span)
    assert ticks[0] <= lo + 1e-6 and ticks[-1] >= lo + span - 1e-6
    step = ticks[1] - ticks[0]
    mantissa = step / 10 ** math.floor(math.log10(step))
    assert any(math.isclose(mantissa, m, rel_tol=1e-6) for m in (1, 2, 5, 10))
    assert all(math.isclose(b - a, step, rel_tol=1e-6) for a, b in itertools.pairwise(ticks))
    assert 1 <= len(ticks) - 1 <= 11  # about five intervals (fewer for a span of a few people)


def test_forest_plot_has_an_axis_values_and_the_documented_line() -> None:
    svg = forest_svg(ROWS)
    root = ET.fromstring(svg)
    axis = forest_axis(ROWS)
    assert axis.ticks == [200, 210, 220, 230, 240, 250]
    ticks = _texts(root, "tick")
    assert [_plain(e.text) for e in ticks] == ["200", "210", "220", "230", "240", "250"]
    xs = [float(e.get("x", "nan")) for e in ticks]
    assert xs == sorted(xs) and xs[0] == pytest.approx(axis.x(200))
    assert all(b - a == pytest.approx(xs[1] - xs[0]) for a, b in itertools.pairwise(xs))
    assert [_plain(e.text) for e in _texts(root, "axis-title")] == ["Number of people killed"]
    # methods by name, with their numbers; interval ends written beside the bar
    assert [e.text for e in _texts(root, "method")] == [r.label for r in ROWS]
    values = [_plain(e.text) for e in _texts(root, "values")]
    assert values == ["estimate 228 · 95% interval 213–239", "estimate 228 · 95% interval 217–242"]
    assert [_plain(e.text) for e in _texts(root, "end")] == ["213", "239", "217", "242"]
    points = [e for e in root.iter(f"{SVG}circle") if e.get("class") == "point"]
    assert [float(p.get("cx", "nan")) for p in points] == pytest.approx(
        [axis.x(228.4), axis.x(228.0)], abs=0.06
    )
    # the documented count: one dashed line at 207, labelled
    (line,) = [e for e in root.iter(f"{SVG}path") if e.get("class") == "observed"]
    xs = [float(x) for x in re.findall(r"M([\d.]+),", line.get("d", ""))]
    assert len(xs) == 1 + len(ROWS) and xs == pytest.approx([axis.x(207)] * len(xs), abs=0.06)
    assert [_plain(e.text) for e in _texts(root, "observed-label")] == [
        "documented on the lists: 207"
    ]


def test_forest_plot_has_a_text_alternative() -> None:
    root = ET.fromstring(forest_svg(ROWS, ident="f1"))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "f1-title f1-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.get("id") == "f1-title"
    assert title.text == "Estimated number of people killed, by method"
    assert desc is not None and desc.get("id") == "f1-desc"
    assert desc.text is not None
    assert (
        "Log-linear models: estimate 228, 95% interval from 213 to 239; 207 documented on "
        "the lists." in desc.text
    )
    assert "Axis from 200 to 250." in desc.text


def test_arabic_forest_plot_reads_right_to_left_with_numbers_left_to_right() -> None:
    t = i18n.translator("ar")
    rows = plots.forest_rows(
        [{"method": "loglinear", "estimate": 228.4, "interval": [213.2, 239.0], "observed": 207,
          "level": 0.95, "created_at": "2026-12-07T04:55:33"}],
        lambda code: t(LABELS["estimation_method"][code]),
    )  # fmt: skip
    root = ET.fromstring(forest_svg(rows, t=t, locale="ar", rtl=True))
    (method,) = _texts(root, "method")
    assert method.text == "النماذج اللوغاريتمية الخطية" and method.get("direction") == "rtl"
    (values,) = _texts(root, "values")
    assert f"{LRI}213–239{PDI}" in (values.text or "")  # the range is one left-to-right run
    assert "التقدير" in (values.text or "")
    ticks = _texts(root, "tick")  # the axis still runs left to right
    assert [_plain(e.text) for e in ticks] == ["200", "210", "220", "230", "240"]
    assert [float(e.get("x", "0")) for e in ticks] == sorted(float(e.get("x", "0")) for e in ticks)
    assert _plain(_texts(root, "observed-label")[0].text) == "الموثَّقون في القوائم: 207"
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == "العدد التقديري للقتلى، حسب الأسلوب"


def test_forest_rows_take_the_latest_run_of_each_method() -> None:
    stored = [
        {"method": "loglinear", "estimate": 1, "interval": [0, 2], "observed": 1, "level": 0.9,
         "created_at": "2026-01-01"},
        {"method": "lcmcr", "estimate": 5, "interval": [4, 6], "observed": 3, "level": 0.95,
         "created_at": "2026-01-02"},
        {"method": "loglinear", "estimate": 9, "interval": [8, 10], "observed": 3, "level": 0.95,
         "created_at": "2026-01-03"},
    ]  # fmt: skip
    rows = plots.forest_rows(stored, str.upper)
    assert rows == [ForestRow("LCMCR", 5, 4, 6, 3, 0.95), ForestRow("LOGLINEAR", 9, 8, 10, 3, 0.95)]


@pytest.fixture
def client(demo_ws: Workspace) -> Iterator[TestClient]:
    with demo_ws.session() as s:
        user = s.scalar(select(User).where(User.name == "forest-tester"))
        if user is None:
            user = accounts.add_user(s, "forest-tester", "forest tester password")
            policy.add_member(s, s.scalars(select(Case.id)).one(), user, "analyst", "t")
        token = accounts.create_token(s, user)
    with TestClient(create_app(workspace=demo_ws), base_url="https://testserver") as c:
        c.headers["Authorization"] = f"Bearer {token}"
        yield c


def test_estimates_page_draws_the_forest_plot_in_both_languages(
    client: TestClient, demo_ws: Workspace
) -> None:
    with demo_ws.session() as s:
        case = s.scalars(select(Case.id)).one()
    made = []
    with demo_ws.session() as s:
        for method, est, lo, hi in (("dga", 229.0, 218.0, 248.0), ("lcmcr", 228.0, 217.0, 242.0)):
            made.append(new_id())
            payload = {"method": method, "model": "m", "observed": 207, "estimate": est,
                       "interval": [lo, hi], "level": 0.95, "assumptions": [],
                       "warnings": []}  # fmt: skip
            s.add(EstimateRecord(id=made[-1], case_id=case, created_at=utcnow(),
                                 created_by="t", method=method, result=json.dumps(payload),
                                 inputs="{}"))  # fmt: skip
    try:
        page = client.get(f"/cases/{case}/estimates").text
        svg = page[page.index('<svg xmlns="http://www.w3.org/2000/svg" class="forest') :]
        root = ET.fromstring(svg[: svg.index("</svg>") + 6])
        assert [e.text for e in _texts(root, "method")] == [
            "Decomposable graphical models (DGA)",
            "Latent-class model (LCMCR)",
        ]
        assert _plain(_texts(root, "tick")[0].text) == "200"
        assert 'aria-labelledby="forest-caption"' in page and "<caption" in page
        arabic = client.get(f"/cases/{case}/estimates?lang=ar").text
        assert "نموذج الفئات الكامنة" in arabic and 'direction="rtl"' in arabic
        assert "عدد القتلى" in arabic  # the axis title, translated
    finally:
        with demo_ws.session() as s:
            s.execute(delete(EstimateRecord).where(EstimateRecord.id.in_(made)))


def test_two_documented_counts_get_two_labelled_lines_above_the_rows() -> None:
    rows = [ForestRow("A", 228, 213, 239, 207, 0.95), ForestRow("B", 260, 240, 290, 250, 0.95)]
    root = ET.fromstring(forest_svg(rows))
    labels = [e for e in root.iter(f"{SVG}text") if e.get("class") == "observed-label"]
    assert [_plain(e.text) for e in labels] == [
        "documented on the lists: 207",
        "documented on the lists: 250",
    ]
    first_name = _texts(root, "method")[0]
    assert all(float(e.get("y", "0")) + 4 < float(first_name.get("y", "0")) - 12 for e in labels)
    axis = forest_axis(rows)
    lines = [e for e in root.iter(f"{SVG}path") if e.get("class") == "observed"]
    starts = [float(re.findall(r"M([\d.]+),", e.get("d", ""))[0]) for e in lines]
    assert starts == pytest.approx([axis.x(207), axis.x(250)], abs=0.06)
