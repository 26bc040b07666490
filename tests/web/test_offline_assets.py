"""Nothing is loaded from, or linked to, another host (issue 23's "Done when"): not by a
page of the app in English or Arabic, not by a script or stylesheet under
``dalil/web/static`` (vendored ones included), not by the case-file templates.

What counts as a reference to another host: an absolute ``http://``/``https://`` URL, or a
protocol-relative ``//host/...`` one, whose host is not the app's own, in a place where a
browser (or WeasyPrint, for the case file) would fetch it or follow it:

- in HTML: a URL attribute (``href``, ``src``, ``srcset``, ``action``, ``formaction``,
  ``poster``, ``data``, ``background``, ``manifest``, ``ping``, ``cite``, ``xlink:href``,
  ``content`` of a ``<meta http-equiv=refresh>``), and the code rules below inside
  ``style`` attributes, ``<style>`` and ``<script>``;
- in CSS and JavaScript: ``url(...)`` and ``@import``; ``import ... from``,
  ``import(...)``, ``fetch(``, ``importScripts(``, ``new Worker/EventSource/WebSocket(``,
  ``window.open(``, ``sendBeacon(``, an XHR ``.open(method, url``; ``src``/``href``/
  ``action``/``srcset`` given the URL as markup in a string (``'<a href="https://…'``),
  as a property (``el.src = "…"``, ``{href: "…"}``) or by ``setAttribute``.

Not references: a URL in a comment (the licence header of a vendored file) or in plain text
(a record value, an error message naming a web page), an XML namespace name (``xmlns``,
``createElementNS("http://www.w3.org/2000/svg", …)``), and what sits inside a ``data:``
URL (its own ``xmlns``). A rule matches the code around the URL, so a comment that quotes
``fetch("https://…")`` would be reported: that is on the safe side.

A vendored file may hold a reference that it only uses when the app turns a feature on:
Leaflet's attribution control links to leafletjs.com. Those are listed in
:data:`SWITCHED_OFF` with the line of the app's own script that keeps the feature off, and
that line is checked. What static reading cannot see is a URL built at run time; the one
such default in a vendored file, Swagger UI's validator badge (an image from
validator.swagger.io), is checked to be switched off in ``apidocs.js``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from dalil.report import casefile
from test_crawl import BASE, Demo, crawl, demo  # noqa: F401 (demo: the fixture, reused)

STATIC = Path(str(resources.files("dalil.web") / "static"))
CASE_FILE_TEMPLATES = Path(str(resources.files("dalil.report") / "templates"))
OWN_HOSTS = frozenset({"testserver"})

#: an absolute or protocol-relative URL; ``host`` is what follows the two slashes
URL = r"(?P<url>(?:https?:)?//(?P<host>[^/\s\"'`\\)>]+)[^\s\"'`\\)>]*)"
Q = r"\\?[\"'`]"  # a quote, maybe escaped (markup inside a JavaScript string)
#: the code around a URL that makes it a reference (see the module's docstring)
CODE_RULES = {
    "CSS url()": rf"url\(\s*(?:{Q})?\s*{URL}",
    "CSS @import": rf"@import\s+(?:url\(\s*)?(?:{Q})?{URL}",
    "import": rf"(?:\bimport\s*\(\s*|\bfrom\s*|\bimport\s*){Q}{URL}",
    "fetch()": rf"\b(?:fetch|importScripts|sendBeacon|window\.open)\s*\(\s*{Q}{URL}",
    "new Worker/EventSource/WebSocket()": (
        rf"\bnew\s+(?:Worker|SharedWorker|EventSource|WebSocket)\s*\(\s*{Q}{URL}"
    ),
    "XHR open()": rf"\.open\s*\(\s*{Q}[A-Za-z]+{Q}\s*,\s*{Q}{URL}",
    "src/href in code": (
        rf"(?<![\w-])(?:src|href|srcset|action|formaction|xlink:href)\s*[=:]\s*{Q}{URL}"
    ),
    "setAttribute": rf"setAttribute\(\s*{Q}(?:src|href|srcset|action){Q}\s*,\s*{Q}{URL}",
}
URL_ATTRIBUTES = frozenset(
    {"href", "src", "srcset", "action", "formaction", "poster", "data", "background",
     "manifest", "ping", "cite", "xlink:href"}
)  # fmt: skip
#: (vendored file, URL it refers to) -> (the app's script, what in it keeps that off)
SWITCHED_OFF = {
    ("vendor/leaflet-1.9.4/leaflet.js", "https://leafletjs.com"): (
        "map.js",
        r"L\.map\([^)]*attributionControl:\s*false",
    ),
}
DATA_URL = re.compile(r"data:[^\"')\s]*")


def _foreign(url: str) -> bool:
    """Whether ``url`` (absolute or protocol-relative) points to another host."""
    url = url.strip()
    if not url.startswith(("http://", "https://", "//")):
        return False
    return (urlsplit(url if "://" in url else f"https:{url}").hostname or "") not in OWN_HOSTS


def code_references(text: str) -> list[str]:
    """References to another host in CSS or JavaScript ``text``: each as "rule: url"."""
    text = DATA_URL.sub("data:", text)  # a data: URL's inside is not fetched
    found: dict[int, str] = {}  # where the URL starts -> the first rule that found it
    for name, rule in CODE_RULES.items():
        for m in re.finditer(rule, text):
            if _foreign(m.group("url")):
                found.setdefault(m.start("url"), f"{name}: {m.group('url')}")
    return [found[at] for at in sorted(found)]


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._code: str | None = None  # the tag whose content is code (script, style)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for name, value in a.items():
            if name in URL_ATTRIBUTES:
                urls = [p.split()[0] for p in value.split(",") if p.split()] if (
                    name in ("srcset", "ping")) else [value]  # fmt: skip
                self.found += [f"<{tag} {name}>: {u}" for u in urls if _foreign(u)]
            elif name == "style":
                self.found += [f"<{tag} style> {r}" for r in code_references(value)]
        if tag == "meta" and a.get("http-equiv", "").lower() == "refresh":
            target = a.get("content", "").partition("url=")[2]
            if _foreign(target):
                self.found.append(f"<meta refresh>: {target}")
        if tag in ("script", "style"):
            self._code = tag

    def handle_endtag(self, tag: str) -> None:
        if tag == self._code:
            self._code = None

    def handle_data(self, data: str) -> None:
        if self._code is not None:
            self.found += [f"<{self._code}> {r}" for r in code_references(data)]


def page_references(html: str) -> list[str]:
    """References to another host in an HTML page (see the module's docstring)."""
    parser = _Page()
    parser.feed(html)
    parser.close()
    return parser.found


# -- the checker itself: it must catch a CDN, and let the harmless through ------------------


def test_the_checker_finds_a_cdn_in_a_page_a_script_and_a_stylesheet() -> None:
    page = """<!doctype html><html><head>
    <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.3.8/dist/css/bootstrap.min.css">
    <script src="//unpkg.com/htmx.org@2.0.11"></script>
    <style>@font-face { src: url('https://fonts.gstatic.com/s/noto.woff2') }</style>
    <script>fetch("https://tiles.example.org/1/2/3.png")</script></head>
    <body style="background: url(http://images.example.com/bg.png)">
    <img srcset="/static/a.png 1x, https://cdn.example.com/a@2x.png 2x">
    <a href="https://leafletjs.com">Leaflet</a><form action="https://collect.example.net/"></form>
    </body></html>"""
    found = page_references(page)
    for host in ("cdn.jsdelivr.net", "unpkg.com", "fonts.gstatic.com", "tiles.example.org",
                 "images.example.com", "cdn.example.com", "leafletjs.com",
                 "collect.example.net"):  # fmt: skip
        assert any(host in f for f in found), (host, found)
    script = """import L from "https://esm.sh/leaflet@1.9.4";
    const m = await import('https://cdn.skypack.dev/x');
    el.src = "https://cdn.example.com/x.js"; box.innerHTML = '<a href=\\"https://a.example\\">';
    new Worker("https://w.example/worker.js"); xhr.open("GET", "//api.example.com/q");
    node.setAttribute("href", "https://b.example/"); h("a", {href: "https://c.example"});"""
    hosts = "esm.sh cdn.skypack.dev cdn.example.com a.example w.example api.example.com"
    for host in (*hosts.split(), "b.example", "c.example"):
        assert any(host in f for f in code_references(script)), (host, script)
    css = '@import "https://fonts.googleapis.com/css?family=Noto"; a{b:url("//x.example/i.png")}'
    assert sorted(f.split(": ")[1] for f in code_references(css)) == [
        "//x.example/i.png",
        "https://fonts.googleapis.com/css?family=Noto",
    ]


def test_the_checker_lets_comments_namespaces_data_urls_text_and_own_links_through() -> None:
    script = """/*! Leaflet 1.9.4, a JS library for interactive maps. https://leafletjs.com */
    // see https://github.com/Leaflet/Leaflet/issues/1 for why
    var s = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    throw new TypeError("Bootstrap's dropdowns require Popper (https://popper.js.org/docs/v2/)");"""
    assert code_references(script) == []
    css = """/* https://getbootstrap.com/ licensed MIT */
    .x{background:url("data:image/svg+xml,%3csvg xmlns='http://www.w3.org/2000/svg'%3e%3c/svg%3e")}
    .y{background:url(/static/a.png)}"""
    assert code_references(css) == []
    page = """<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">
    </svg><p>Source: https://news.example.com/story (a record value)</p>
    <a href="https://testserver/cases">own host</a><a href="/cases?lang=ar">relative</a>"""
    assert page_references(page) == []


# -- the app's pages, its static files, the case file ---------------------------------------


@dataclass
class _Recorder:
    """A TestClient for :func:`test_crawl.crawl` that keeps every HTML page it fetched."""

    client: TestClient
    pages: dict[str, str]

    @property
    def cookies(self) -> Any:
        return self.client.cookies

    def get(self, url: str, **options: Any) -> Any:
        answer = self.client.get(url, **options)
        if "text/html" in answer.headers.get("content-type", ""):
            self.pages[f"{url} [{self.client.cookies.get('dalil_lang')}]"] = answer.text
        return answer


@pytest.fixture(scope="module")
def pages(demo: Demo) -> Iterator[dict[str, str]]:  # noqa: F811 (the fixture imported above)
    """Every page the crawl of test_crawl reaches from the case's front page (each route,
    in English and in Arabic), plus the cases list, the sign-in, error and API-docs pages."""
    recorder = _Recorder(demo.client, {})
    for lang in ("en", "ar"):
        crawl(Demo(recorder, demo.case, demo.app), lang)  # type: ignore[arg-type]
        for url in ("/", "/api/docs", "/no-such-page", f"/cases/{demo.case}/no-such-page"):
            recorder.get(url)
        with TestClient(demo.app, base_url=BASE) as stranger:
            stranger.cookies.set("dalil_lang", lang)
            recorder.pages[f"/login [{lang}]"] = stranger.get("/login").text
    yield recorder.pages


def test_no_page_refers_to_another_host(pages: dict[str, str]) -> None:
    assert len(pages) > 60  # the crawl reached the case's pages in both languages
    found = {url: refs for url, html in pages.items() if (refs := page_references(html))}
    assert not found, "\n".join(f"{url}: {refs}" for url, refs in sorted(found.items()))


def test_no_script_or_stylesheet_refers_to_another_host() -> None:
    files = sorted(p for p in STATIC.rglob("*") if p.suffix in (".js", ".mjs", ".css"))
    assert any("vendor" in p.parts for p in files) and any(p.name == "look.js" for p in files)
    found: dict[str, list[str]] = {}
    for path in files:
        name = str(path.relative_to(STATIC))
        for ref in code_references(path.read_text("utf-8", errors="replace")):
            off = SWITCHED_OFF.get((name, ref.split(": ", 1)[1]))
            if off is None or not re.search(off[1], (STATIC / off[0]).read_text("utf-8")):
                found.setdefault(name, []).append(ref)
    assert not found, "\n".join(f"{name}: {refs}" for name, refs in sorted(found.items()))
    # the one fetch a vendored file makes by default from a URL it builds at run time
    assert re.search(r"validatorUrl:\s*null", (STATIC / "apidocs.js").read_text("utf-8"))


def test_the_case_file_refers_to_no_other_host(demo: Demo) -> None:  # noqa: F811
    """The case-file templates as written, and the case file made from them for each
    of two audiences, one per language (WeasyPrint would fetch what they refer to)."""
    for template in sorted(CASE_FILE_TEMPLATES.iterdir()):
        text = template.read_text("utf-8")
        refs = page_references(text) if template.suffix == ".html" else code_references(text)
        assert not refs, (template.name, refs)
    ws = demo.app.state.workspace
    # one audience per language: a case file takes seconds to gather
    for audience, lang in (("internal", "en"), ("public", "ar")):
        with ws.session() as s:
            cf = casefile.build(s, ws.home, demo.case, audience, lang=lang)
        html = casefile.render_html(cf)
        assert "<html" in html and page_references(html) == [], (audience, lang)
