"""In Chromium, in Arabic: searching the victims for "محمد" lists the Mohammads before any
Mahmoud (if one is listed at all), best rule first, each row saying which rule matched;
the list without a search holds the demo's victims, not its alleged commanders."""

from __future__ import annotations

from browser_support import Site
from dalil.places.name_variants import tokens
from dalil.records.person_search import RULES

#: the Arabic the page shows for each rule (search.po)
SHOWN = {
    "exact": "الاسم نفسه تماماً",
    "same": "الاسم نفسه",
    "other_script": "الاسم نفسه بالخط الآخر",
    "variant": "صيغة أخرى لكتابة",
    "prefix": "بداية اسم",
    "similar": "كتابة مشابهة",
}


def _rows(p: object) -> list[tuple[list[str], str, str]]:
    """Each result row: its names' tokens, its rule code and the rule as shown."""
    rows = p.locator("table tbody tr")  # type: ignore[attr-defined]
    out = []
    for i in range(rows.count()):
        row = rows.nth(i)
        names = row.locator("td").nth(1).inner_text()
        rule = row.locator(".rule")
        out.append(([t for n in names.splitlines() for t in tokens(n)],
                     rule.get_attribute("data-rule"), rule.inner_text().strip()))  # fmt: skip
    return out


def test_mohammad_before_mahmoud_with_the_rule_that_matched(page: object, site: Site) -> None:
    p = page
    p.goto(f"{site.url}/cases/{site.case}/victims?lang=ar")  # type: ignore[attr-defined]
    assert p.locator("html").get_attribute("dir") == "rtl"  # type: ignore[attr-defined]
    # only victims: the demo's 150, not its two alleged commanders too
    assert p.locator("h1 small").inner_text() == "(150)"  # type: ignore[attr-defined]
    p.fill("#v-q", "محمد")  # type: ignore[attr-defined]
    with p.expect_navigation():  # type: ignore[attr-defined]
        p.locator("form.search button[type=submit]").click()  # type: ignore[attr-defined]
    rows = _rows(p)
    assert rows, "the demo has victims named محمد"
    mohammad = [i for i, (names, _, _) in enumerate(rows) if "محمد" in names]
    # a Mahmoud whose father is a Mohammad is rightly found; one who is not, only last
    mahmoud = [i for i, (ns, _, _) in enumerate(rows) if "محمود" in ns and "محمد" not in ns]
    assert mohammad and (not mahmoud or max(mohammad) < min(mahmoud))
    ranks = [RULES.index(rule) for _, rule, _ in rows]
    assert ranks == sorted(ranks), "best rule first"
    for names, rule, shown in rows:
        assert shown.startswith(f"وجه المطابقة: {SHOWN[rule]}"), (names, rule, shown)
    assert rows[0][1] in ("exact", "same") and "الاسم نفسه" in rows[0][2]
    # a Latin spelling in no dictionary finds the Arabic names and says so
    p.fill("#v-q", "Mouhammad")  # type: ignore[attr-defined]
    with p.expect_navigation():  # type: ignore[attr-defined]
        p.locator("form.search button[type=submit]").click()  # type: ignore[attr-defined]
    latin = _rows(p)
    assert latin and all("محمود" not in names or "محمد" in names for names, _, _ in latin)
    assert {rule for _, rule, _ in latin} == {"other_script"}, latin
    assert all("محمد" in names for names, _, _ in latin)
