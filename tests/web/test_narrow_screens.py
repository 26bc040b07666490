"""The main pages hold on a phone (issue 23: "no element wider than the viewport at
390 px"): Chromium 390 px wide, in English and in Arabic, signed in as a workspace admin
who is an investigator of the demo case (so every control and the admin pages show).

A page fails when the document scrolls sideways (``scrollWidth`` of the root element
greater than the viewport's width) or when a visible element is wider than the viewport
or sticks out of it on either side (right of it in English, left of it in Arabic). An
element inside a box that clips or scrolls sideways (``overflow-x`` other than
``visible``: a ``.table-responsive``, the map's frame) is not counted: the box keeps it
within the page. Only the outermost offending element of a branch is reported, with a
selector for it, its width and where it starts and ends, in CSS pixels.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from browser_support import Site, add_user, signed_in

WIDTH, HEIGHT = 390, 844
ADMIN = "narrow-admin"
#: the sections of the case visited, then one record of a kind reached from a list
SECTIONS = ("", "/incidents", "/victims", "/evidence", "/burial-sites", "/map", "/timeline",
            "/estimates", "/legal", "/review", "/jobs", "/team", "/lists")  # fmt: skip
ONE_OF = {"/incidents": r"/incidents/[0-9a-f-]+$", "/victims": r"/persons/[0-9a-f-]+$",
          "/evidence": r"/evidence/[0-9a-f-]+$"}  # fmt: skip

#: every visible element that widens the page, outermost first (see the module docstring)
OVERFLOW = """() => {
  const vw = document.documentElement.clientWidth;
  const clipped = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = (el) => {
    let s = el.tagName.toLowerCase();
    if (el.id) return s + "#" + el.id;
    for (const c of el.classList) s += "." + c;
    return s;
  };
  const selector = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      parts.unshift(name(e));
      if (e.id) break;
    }
    return parts.join(" > ");
  };
  const wide = new Set();
  const out = [];
  for (const el of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(el);
    if (style.display === "none" || style.visibility === "hidden") continue;
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) continue;  // nothing to see (a visually hidden label)
    if (!(r.width > vw + 0.5 || r.right > vw + 0.5 || r.left < -0.5)) continue;
    if (clipped(el)) continue;
    wide.add(el);
    if (el.parentElement && wide.has(el.parentElement)) continue;
    out.push({selector: selector(el), width: Math.round(r.width),
              left: Math.round(r.left), right: Math.round(r.right)});
  }
  return {viewport: vw, scrollWidth: document.documentElement.scrollWidth, wide: out};
}"""


@pytest.fixture(scope="module")
def admin(site: Site) -> Site:
    add_user(site, ADMIN, "investigator", admin=True)
    return site


@pytest.fixture
def phone(browser: object, admin: Site) -> Iterator[Any]:
    """A page 390 × 844 CSS pixels (a common phone), signed in as the admin."""
    options = {"viewport": {"width": WIDTH, "height": HEIGHT}, "device_scale_factor": 1}
    with signed_in(browser, admin, ADMIN, **options) as p:
        yield p


def _pages(p: Any, site: Site) -> list[str]:
    """The pages to measure: the cases list, each section, one record of each kind listed
    in :data:`ONE_OF` (the first the list links to), and the admin pages."""
    case = f"/cases/{site.case}"
    urls = ["/", *(case + s for s in SECTIONS)]
    for section, pattern in ONE_OF.items():
        p.goto(f"{site.url}{case}{section}")
        hrefs = p.eval_on_selector_all("main a[href]", "as => as.map(a => a.getAttribute('href'))")
        found = [h.split("?")[0] for h in hrefs if re.search(pattern, h.split("?")[0])]
        assert found, f"{section} links to no {pattern}"
        urls.append(found[0])
    return [*urls, "/admin/audit", "/admin/users"]


def overflow(p: Any, url: str) -> list[str]:
    """What makes the page at ``url`` wider than the window, in words (empty: it fits)."""
    answer = p.goto(url, wait_until="networkidle")
    assert answer is not None and answer.ok, f"{url} answered {answer and answer.status}"
    got = p.evaluate(OVERFLOW)
    problems = []
    if got["scrollWidth"] > got["viewport"]:
        problems.append(f"the page scrolls sideways: {got['scrollWidth']} px in {got['viewport']}")
    problems += [
        f"{w['selector']}: {w['width']} px wide, from {w['left']} to {w['right']}"
        for w in got["wide"]
    ]
    return problems


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_the_main_pages_fit_390_px(phone: Any, admin: Site, lang: str) -> None:
    urls = _pages(phone, admin)
    assert len(urls) == 19
    found = {}
    for url in urls:
        if problems := overflow(phone, f"{admin.url}{url}?lang={lang}"):
            found[url.replace(admin.case, "{case}")] = problems
    assert phone.get_attribute("html", "lang") == lang
    if found:
        lines = [f"{len(found)} of {len(urls)} pages wider than {WIDTH} px in {lang}:"]
        for url, problems in found.items():
            lines += [f"  {url}", *(f"    {p}" for p in problems)]
        pytest.fail("\n".join(lines), pytrace=False)


def test_the_measure_finds_an_element_wider_than_the_window(phone: Any, admin: Site) -> None:
    """The check itself: a 600 px wide block on a page is found, named and measured; the
    same block inside a box that scrolls sideways is not counted."""
    phone.goto(f"{admin.url}/cases/{admin.case}/team")
    phone.evaluate("""() => {
      const wide = document.createElement("div");
      wide.id = "too-wide"; wide.style.width = "600px"; wide.style.height = "10px";
      document.querySelector("main").append(wide);
    }""")
    got = phone.evaluate(OVERFLOW)
    assert got["scrollWidth"] > WIDTH
    found = [w for w in got["wide"] if w["selector"] == "div#too-wide"]
    assert len(found) == 1 and found[0]["width"] == 600 and found[0]["right"] > WIDTH, got
    phone.evaluate("""() => {
      const box = document.createElement("div");
      box.style.overflowX = "auto";
      box.append(document.getElementById("too-wide"));
      document.querySelector("main").append(box);
    }""")
    got = phone.evaluate(OVERFLOW)
    assert not [w for w in got["wide"] if "too-wide" in w["selector"]]
