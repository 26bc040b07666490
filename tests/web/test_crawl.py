"""Every page a case has is reached by links from the case's front page, and none fails.

Issue 22's "Done when": starting at ``/cases/{c}`` of a fresh demo, signed in as a
workspace admin who is also an investigator of the case (so every page and control is
shown), the crawl follows every same-site link and GET form (a search submitted with its
defaults) to an HTML page of the app, in English and then in Arabic. It skips the API,
static files and downloads (routes whose response is not an HTML page) and only ever
sends GET. It fails listing every page that answered 4xx/5xx, with the page that linked
to it, and every HTML page route under ``/cases/{case_id}`` or ``/admin`` that it never
reached.

Bound: at most :data:`PER_ROUTE` pages of each route template per template of the pages
linking to it (two incidents linked from the incidents list, two from the front page...),
so the crawl stays at about a hundred requests per language on the demo whatever it holds.
Before crawling, a linkage job and a report are added (through the API), so that the
demo has a job page and a report page to reach.
"""

from __future__ import annotations

import re
import time
import typing
from collections import Counter, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pytest
from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from dalil.access import accounts, policy, sessions
from dalil.model.tables import Case
from dalil.vault.service import Vault
from dalil.web import create_app
from tests_support import DEMO_PASSPHRASE
from workspace_templates import copy_workspace

BASE = "https://testserver"
#: pages fetched per route template (``/cases/{case_id}/incidents/{record_id}``...) and
#: template of the page that links to them
PER_ROUTE = 2
#: the route templates every case must reach by links (HTML pages of a case, and admin)
REQUIRED = re.compile(r"^/(cases/\{case_id\}|admin)(/|$)")
#: never followed: the API (and its docs page), static files, and the sign-in page
SKIPPED = re.compile(r"^/(api|static|openapi\.json|login|logout)(/|$|\.)")
REPORT = "بانياس - قُتل أكثر من 20 مدنياً يوم 8 آذار 2025.\n\nGunmen killed 7 men.".encode()


@dataclass
class Demo:
    client: TestClient
    case: str
    app: FastAPI


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[Demo]:
    """A fresh demo (a copy of the run's demo workspace) served in-process, signed in as
    admin "ada", also a case investigator."""
    ws = copy_workspace(demo_template, tmp_path_factory.mktemp("crawl") / "ws")
    vault = Vault.unlock(ws, DEMO_PASSPHRASE)
    with ws.session() as s:
        case = s.scalars(select(Case.id)).one()
        ada = accounts.add_user(s, "ada", "crawl admin password", admin=True)
        policy.add_member(s, case, ada, "investigator", "tester")
        token = accounts.create_token(s, ada)
        cookie = sessions.start_session(s, ada).token
    app = create_app(workspace=ws, vault=vault)
    with TestClient(app, base_url=BASE, raise_server_exceptions=False) as client:
        _seed(client, case, {"Authorization": f"Bearer {token}"})
        client.cookies.set("__Host-dalil_session", cookie)
        yield Demo(client, case, app)
    ws.close()


def _seed(client: TestClient, case: str, auth: dict[str, str]) -> None:
    """A report and a finished linkage job, so that their pages exist."""
    api = f"/api/v1/cases/{case}"
    added = client.post(f"{api}/reports", headers=auth, data={"published": "2025-03-09"},
                        files={"file": ("statement.txt", REPORT, "text/plain")})  # fmt: skip
    assert added.status_code == 201, added.text
    job = client.post(f"{api}/jobs", headers=auth, json={"kind": "linkage"})
    assert job.status_code == 202, job.text
    deadline = time.monotonic() + 300
    while (state := client.get(f"{api}/jobs/{job.json()['id']}", headers=auth).json())[
        "state"
    ] not in ("done", "failed"):
        assert time.monotonic() < deadline, state
        time.sleep(0.2)
    assert state["state"] == "done", state


# -- the app's routes ----------------------------------------------------------------------


def app_routes(routes: Iterable[object]) -> Iterator[APIRoute]:
    """The app's routes in the order Starlette tries them (routers included in the app are
    walked into)."""
    for route in routes:
        if isinstance(route, APIRoute):
            yield route
        inner = getattr(route, "original_router", None)
        if inner is not None:
            yield from app_routes(inner.routes)


def is_page(route: APIRoute) -> bool:
    """Whether a GET route answers an HTML page (declared by its response class, or by the
    return annotation of its function)."""
    if "GET" not in (route.methods or ()):
        return False
    declared = route.response_class
    if isinstance(declared, type) and issubclass(declared, HTMLResponse):
        return True
    try:
        returns = typing.get_type_hints(route.endpoint).get("return")
    except Exception:  # an annotation that does not resolve: not a page we can tell
        return False
    return isinstance(returns, type) and issubclass(returns, HTMLResponse)


def route_of(routes: list[APIRoute], path: str) -> APIRoute | None:
    """The GET route that serves ``path`` (the first that matches, as Starlette picks)."""
    for route in routes:
        if "GET" in (route.methods or ()) and route.path_regex.match(path):
            return route
    return None


# -- links of a page -----------------------------------------------------------------------


class Links(HTMLParser):
    """The targets of a page's links (``a``/``area`` ``href``) and GET forms (the form's
    action with its fields' default values: hidden and typed-in values, the selected or
    first option of a select)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self._form: tuple[str, list[tuple[str, str]]] | None = None
        self._select: tuple[str, list[str], list[str]] | None = None  # name, options, selected

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("a", "area") and a.get("href"):
            self.found.append(a["href"])
        elif tag == "form":
            get = a.get("method", "get").lower() == "get"
            self._form = (a.get("action", ""), []) if get else None
        elif self._form is not None and tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "image", "reset", "file"):
                self._form[1].append((a["name"], a.get("value", "")))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = (a["name"], [], [])
        elif self._select is not None and tag == "option":
            self._select[1].append(a.get("value", ""))
            if "selected" in a:
                self._select[2].append(a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._select is not None and self._form is not None:
            name, options, selected = self._select
            if selected or options:
                self._form[1].append((name, (selected or options)[0]))
            self._select = None
        elif tag == "form" and self._form is not None:
            action, fields = self._form
            self.found.append(f"{action.split('?')[0] or '?'}?{urlencode(fields)}")
            self._form = None


def links(page: str, url: str) -> list[str]:
    """Same-site targets of a page, as paths with their query (``lang`` and fragments
    dropped: the language is the crawl's, chosen by cookie)."""
    parser = Links()
    parser.feed(page)
    out = []
    for href in parser.found:
        if href.startswith(("mailto:", "javascript:", "tel:", "data:")):
            continue
        parts = urlsplit(urljoin(url, href))
        if f"{parts.scheme}://{parts.netloc}" != BASE or SKIPPED.match(parts.path):
            continue
        query = urlencode(sorted((k, v) for k, v in parse_qsl(parts.query, True) if k != "lang"))
        out.append(urlunsplit(("", "", parts.path, query, "")))
    return out


# -- the crawl -----------------------------------------------------------------------------


@dataclass
class Crawl:
    reached: set[str] = field(default_factory=set)  # route templates answered with a page
    failed: list[str] = field(default_factory=list)  # "status url (linked from page)"
    pages: int = 0
    #: English interface text found on Arabic pages: the text -> the first page showing it
    english: dict[str, str] = field(default_factory=dict)


def crawl(demo: Demo, lang: str) -> Crawl:
    """Breadth first from the case's front page, in ``lang``: at most :data:`PER_ROUTE`
    pages of a route template per route template linking to it (so the record pages
    linked from the burial sites and those linked from the sources are both tried)."""
    routes = list(app_routes(demo.app.routes))
    demo.client.cookies.set("dalil_lang", lang)
    seen: set[str] = set()
    per_route: Counter[tuple[str, str]] = Counter()
    out = Crawl()
    # (url, the page that links to it, that page's route template)
    queue: deque[tuple[str, str, str]] = deque([(f"/cases/{demo.case}", "the start", "")])
    while queue:
        url, came_from, from_template = queue.popleft()
        route = route_of(routes, urlsplit(url).path)
        if url in seen or (route is not None and not is_page(route)):
            continue  # a download, an image, a JSON answer: not a page
        template = route.path if route else url  # a link to no route: each one reported
        if per_route[template, from_template] >= PER_ROUTE:
            continue
        seen.add(url)
        per_route[template, from_template] += 1
        answer = demo.client.get(url, follow_redirects=False)
        out.pages += 1
        if answer.status_code >= 400:
            out.failed.append(f"{answer.status_code} {url} (linked from {came_from})")
            continue
        if answer.is_redirect:
            queue.append((answer.headers["location"], url, template))
            continue
        if "text/html" not in answer.headers.get("content-type", ""):
            continue
        out.reached.add(template)
        html = re.search(r"<html[^>]*>", answer.text)
        if lang == "ar" and (html is None or 'dir="rtl"' not in html.group(0)):
            out.failed.append(f"not right-to-left: {url} (linked from {came_from})")
        if lang == "ar":
            for text in untranslated(answer.text):
                out.english.setdefault(text, url)
        queue.extend((link, url, template) for link in links(answer.text, f"{BASE}{url}"))
    return out


# -- English left on Arabic pages ---------------------------------------------------------

#: elements whose content is data, not interface: record values are isolated in ``<bdi>``
#: (their own direction, whatever the page's language), machine text in code-like elements
DATA_TAGS = frozenset(
    {
        "bdi",
        "code",
        "kbd",
        "samp",
        "var",
        "pre",
        "script",
        "style",
        "textarea",
        "svg",
        "time",
        "data",
    }
)
#: attributes a person reads or hears (a screen reader speaks aria-label and alt)
SPOKEN = ("title", "placeholder", "aria-label", "alt")
VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "source",
        "track",
        "wbr",
    }
)
#: a Latin word of two letters or more that is not an acronym (PDF, CSV, SHA, TOTP, UTC...)
#: nor the program's name
ENGLISH = re.compile(r"\b(?![A-Z0-9]{2,6}\b|dalil\b)[A-Za-z][a-z]+\b")


class Words(HTMLParser):
    """The interface text of a page: text nodes and spoken attributes outside data (an
    element in :data:`DATA_TAGS`, or marked ``translate="no"`` or ``dir="auto"``, the
    markers of a record value, a name or a title)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self._stack: list[bool] = []  # per open element: whether it opens data

    def _in_data(self) -> bool:
        return any(self._stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        data = tag in DATA_TAGS or a.get("translate") == "no" or a.get("dir") == "auto"
        if not self._in_data() and not data:
            self.found += [a[k] for k in SPOKEN if a.get(k)]
            if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
                self.found.append(a["value"])
        if tag not in VOID:
            self._stack.append(data)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self._stack:
            self._stack.pop()

    def handle_data(self, data: str) -> None:
        if not self._in_data():
            self.found.append(data)


def untranslated(page: str) -> list[str]:
    """The pieces of a page's interface text that hold an English word."""
    parser = Words()
    parser.feed(page)
    return [" ".join(t.split()) for t in parser.found if ENGLISH.search(t)]


def required(app: FastAPI) -> set[str]:
    """Every HTML page route of a case (and of the admin pages)."""
    return {r.path for r in app_routes(app.routes) if is_page(r) and REQUIRED.match(r.path)}


@pytest.fixture(scope="module")
def crawls(demo: Demo) -> dict[str, Crawl]:
    """The crawl of each language, made once for the tests that read it."""
    return {lang: crawl(demo, lang) for lang in ("en", "ar")}


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_every_page_of_a_case_is_linked_from_its_front_page_and_answers(
    demo: Demo, crawls: dict[str, Crawl], lang: str
) -> None:
    found = crawls[lang]
    unreached = sorted(required(demo.app) - found.reached)
    report = [f"{len(found.failed)} failing of {found.pages} pages fetched:"]
    report += [*found.failed, f"never reached from the front page ({len(unreached)}):"]
    report += unreached
    if found.failed or unreached:
        pytest.fail("\n".join(report), pytrace=False)
    assert found.reached >= {"/cases/{case_id}", "/cases/{case_id}/incidents/{record_id}"}


def test_links_of_a_page() -> None:
    """What the crawl follows: same-site links (fragment and language dropped) and GET forms
    with their defaults; never other sites, static files or POST forms."""
    page = """<a href="/cases/c/nowhere#x">x</a> <a href="https://elsewhere.example/">y</a>
    <a href="/static/app.css">css</a> <a href="?lang=ar&page=2">ar</a>
    <form action="/cases/c/places/pick"><input name="q" value=""><select name="k">
    <option value="a">a</option><option value="b" selected>b</option></select></form>
    <form method="post" action="/cases/c/jobs"><input name="kind" value="linkage"></form>"""
    got = links(page, f"{BASE}/cases/c/victims")
    assert got == ["/cases/c/nowhere", "/cases/c/victims?page=2", "/cases/c/places/pick?k=b&q="]


def test_no_english_interface_text_on_arabic_pages(demo: Demo, crawls: dict[str, Crawl]) -> None:
    """Issue 23's "Done when": every page of a case (and the sign-in and error pages) in
    Arabic holds no English interface text. Names, titles and other record values are data
    (in ``<bdi>`` or ``dir="auto"``), not interface."""
    english = dict(crawls["ar"].english)
    demo.client.cookies.set("dalil_lang", "ar")
    for url in ("/cases/no-such-case", "/no-such-page"):  # the error page
        for text in untranslated(demo.client.get(url).text):
            english.setdefault(text, url)
    with TestClient(demo.app, base_url=BASE) as stranger:  # signed out: the sign-in page
        stranger.cookies.set("dalil_lang", "ar")
        for text in untranslated(stranger.get("/login").text):
            english.setdefault(text, "/login")
    if english:
        lines = [f"{len(english)} English texts on Arabic pages (text  <-  first page):"]
        lines += [
            f"{text!r}  <-  {url}" for text, url in sorted(english.items(), key=lambda i: i[1])
        ]
        pytest.fail("\n".join(lines), pytrace=False)


def test_english_is_found_outside_data_only() -> None:
    page = """<h1>Victims <bdi dir="auto">Wasim Jadid</bdi></h1><p dir="auto">Latakia</p>
    <span translate="no">single_source</span><code>dalil report</code> PDF · SHA-256
    <input type="search" placeholder="name"><img alt="الخريطة" src="x.png"><br>
    <button title="Close">×</button>"""
    assert untranslated(page) == ["Victims", "name", "Close"]
