"""The list-overlap (UpSet-style) chart, labelled (issue 23, item 3): list names, list
sizes, the persons on each combination of lists, a numbered count axis, axis titles, and a
text alternative that says every number; read back as XML from given counts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter

from dalil.estimate.plots import LRI, PDI
from dalil.linkage.outputs import overlap_table, upset_from_counts
from dalil.web import i18n

SVG = "{http://www.w3.org/2000/svg}"
LISTS = ["coastal_network", "شبكة الساحل", "families"]
COUNTS = Counter({(1, 0, 0): 50, (1, 1, 1): 39, (1, 0, 1): 37, (0, 1, 0): 12, (0, 0, 0): 0})


def _texts(root: ET.Element, cls: str) -> list[str]:
    return [
        (e.text or "").replace(LRI, "").replace(PDI, "")
        for e in root.iter(f"{SVG}text")
        if e.get("class") == cls
    ]


def test_overlap_table_counts_each_combination_and_each_list() -> None:
    combos, sizes = overlap_table(LISTS, COUNTS)
    assert combos == [
        (["coastal_network"], 50),
        (["coastal_network", "شبكة الساحل", "families"], 39),
        (["coastal_network", "families"], 37),
        (["شبكة الساحل"], 12),
    ]
    assert sizes == [("coastal_network", 126), ("شبكة الساحل", 51), ("families", 76)]


def test_overlap_chart_is_labelled() -> None:
    root = ET.fromstring(upset_from_counts(LISTS, COUNTS))
    assert _texts(root, "list-name") == LISTS
    assert _texts(root, "size-label") == ["126", "51", "76"]
    assert _texts(root, "count") == ["50", "39", "37", "12"]
    assert _texts(root, "tick") == ["0", "20", "40", "60"]  # round numbers over the tallest bar
    assert _texts(root, "axis-title") == [
        "Persons on exactly these lists",
        "Persons on each list",
        "Lists (a filled dot: on that list)",
    ]
    # bar heights follow the counts on the axis's scale (60 at the top)
    bars = [e for e in root.iter(f"{SVG}rect") if e.get("class") == "combo"]
    heights = [float(b.get("height", "0")) for b in bars]
    assert [round(h / heights[0] * 50, 6) for h in heights] == [50, 39, 37, 12]
    # one filled dot per list a combination holds
    filled = [c for c in root.iter(f"{SVG}circle") if c.get("fill") == "#222"]
    assert len(filled) == 1 + 3 + 2 + 1


def test_overlap_chart_has_a_text_alternative() -> None:
    root = ET.fromstring(upset_from_counts(LISTS, COUNTS, ident="o1"))
    assert root.get("role") == "img" and root.get("aria-labelledby") == "o1-title o1-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and title.text == "Persons by combination of lists"
    assert desc is not None and desc.text is not None
    for sentence in (
        "138 persons in all; 3 lists.",
        "شبكة الساحل: 51 persons.",
        "On exactly coastal_network + families: 37.",
        "On exactly شبكة الساحل: 12.",
    ):
        assert sentence in desc.text
    # each bar also names its combination when pointed at
    bar_titles = [e.findtext(f"{SVG}title") for e in root.iter(f"{SVG}rect") if e.get("class")]
    assert "On exactly coastal_network: 50." in bar_titles


def test_overlap_chart_in_arabic_and_with_a_hostile_name() -> None:
    t = i18n.translator("ar")
    svg = upset_from_counts(["<script>x</script>", "b"], Counter({(1, 1): 3}), t=t, locale="ar")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    root = ET.fromstring(svg)
    assert root.get("direction") == "ltr"  # the chart runs left to right in both languages
    assert _texts(root, "axis-title")[0] == "الأشخاص الواردون في هذه القوائم تحديدًا"
    assert "مجموع الأشخاص 3؛ وعدد القوائم 2." in (root.findtext(f"{SVG}desc") or "")
