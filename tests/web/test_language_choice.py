"""The interface language chosen on any page holds on the next one, and follows the user
to a new browser (issue 23): ``?lang=`` sets the cookie on every page and redirect, and a
signed-in user's choice is saved on the account (dalil.web.i18n, dalil.web.deps)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from browser_support import Site
from dalil.access import accounts, policy
from dalil.access.tables import User
from dalil.records import cases
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.workspace import Workspace

PASSWORD = "language tester password"


def page_language(html: str) -> tuple[str, str]:
    found = re.search(r'<html lang="(\w+)" dir="(\w+)">', html)
    assert found, html[:300]
    return found.group(1), found.group(2)


@pytest.fixture
def served(ws: Workspace, vault: Vault) -> Iterator[tuple[TestClient, str]]:
    """The app over a workspace with one case and its investigator "rana"; the first
    client is not signed in."""
    with ws.session() as s:
        case = cases.create_case(s, "Language case", actor="t").id
        policy.add_member(s, case, accounts.add_user(s, "rana", PASSWORD), "investigator", "t")
    app = create_app(workspace=ws, vault=vault)
    with TestClient(app, base_url="https://testserver") as c:
        yield c, case


@contextmanager
def browser_of(client: TestClient) -> Iterator[TestClient]:
    """Another browser (its own cookie jar, an English Accept-Language) on the same app,
    signed in as rana."""
    with TestClient(
        client.app, base_url="https://testserver", headers={"Accept-Language": "en-GB,en"}
    ) as other:
        sign_in(other)
        yield other


def sign_in(c: TestClient) -> None:
    form = c.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf
    r = c.post("/login", data={"name": "rana", "password": PASSWORD, "csrf": csrf.group(1)})
    assert r.status_code == 200 and "/login" not in str(r.url)


def test_a_choice_on_the_cases_list_holds_on_the_next_pages(
    served: tuple[TestClient, str],
) -> None:
    c, case = served
    sign_in(c)
    assert page_language(c.get("/").text) == ("en", "ltr")
    chosen = c.get("/?lang=ar")
    assert page_language(chosen.text) == ("ar", "rtl")
    assert "dalil_lang=ar" in chosen.headers["set-cookie"]
    for path in (f"/cases/{case}", f"/cases/{case}/incidents", "/"):
        assert page_language(c.get(path).text) == ("ar", "rtl"), path
    # and back, from a record list this time
    assert page_language(c.get(f"/cases/{case}/sources?lang=en").text) == ("en", "ltr")
    assert page_language(c.get(f"/cases/{case}").text) == ("en", "ltr")


def test_the_switch_link_keeps_the_page_query(served: tuple[TestClient, str]) -> None:
    c, case = served
    sign_in(c)
    html = c.get(f"/cases/{case}/incidents?q=market&lang=en").text
    assert 'href="?q=market&amp;lang=ar"' in html


def test_a_choice_before_signing_in_is_remembered(served: tuple[TestClient, str]) -> None:
    c, case = served
    # a signed-out visitor is sent to sign in: the redirect carries the cookie
    r = c.get(f"/cases/{case}?lang=ar", follow_redirects=False)
    assert r.status_code in (302, 303, 307) and "dalil_lang=ar" in r.headers["set-cookie"]
    assert page_language(c.get("/login").text) == ("ar", "rtl")


def test_the_api_sets_no_cookie(served: tuple[TestClient, str], ws: Workspace) -> None:
    c, _case = served
    with ws.session() as s:
        token = accounts.create_token(s, accounts.find_user(s, "rana"))
    r = c.get("/api/v1/cases?lang=ar", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200 and "set-cookie" not in r.headers


def test_the_users_preference_opens_a_new_browser_in_their_language(
    served: tuple[TestClient, str], ws: Workspace
) -> None:
    c, case = served
    sign_in(c)
    c.get(f"/cases/{case}?lang=ar")
    with ws.session() as s:
        assert s.scalar(select(User.language).where(User.name == "rana")) == "ar"
    with browser_of(c) as laptop:  # no cookie, an English browser: the preference wins
        assert "dalil_lang" not in laptop.cookies
        assert page_language(laptop.get("/").text) == ("ar", "rtl")
        # its own cookie then wins over the preference, and a new choice is saved
        assert page_language(laptop.get("/?lang=en").text) == ("en", "ltr")
    with browser_of(c) as phone:
        assert page_language(phone.get(f"/cases/{case}").text) == ("en", "ltr")
    # the first browser keeps its own cookie
    assert page_language(c.get("/").text) == ("ar", "rtl")


def test_signed_out_pages_follow_the_browser(served: tuple[TestClient, str]) -> None:
    c, _case = served
    assert page_language(c.get("/login", headers={"Accept-Language": "ar-SY,ar"}).text)[0] == "ar"
    assert page_language(c.get("/login", headers={"Accept-Language": "en"}).text)[0] == "en"


def test_switching_once_in_chromium_holds_across_pages(page: object, site: Site) -> None:
    p = page
    assert p.get_attribute("html", "lang") == "en"  # type: ignore[attr-defined]
    with p.expect_navigation():  # type: ignore[attr-defined]
        p.click("header .lang a")  # type: ignore[attr-defined]
    assert p.get_attribute("html", "lang") == "ar"  # type: ignore[attr-defined]
    for section in ("/incidents", "/sources", "/team"):
        with p.expect_navigation():  # type: ignore[attr-defined]
            p.click(f'nav.case a[href="/cases/{site.case}{section}"]')  # type: ignore[attr-defined]
        assert "lang=" not in p.url  # type: ignore[attr-defined]
        assert p.get_attribute("html", "lang") == "ar", section  # type: ignore[attr-defined]
        assert p.get_attribute("html", "dir") == "rtl"  # type: ignore[attr-defined]
    # the user menu's way back to the cases list, still in Arabic
    p.click("#user-menu")  # type: ignore[attr-defined]
    with p.expect_navigation():  # type: ignore[attr-defined]
        p.click('.dropdown-menu a[href="/"]')  # type: ignore[attr-defined]
    assert p.get_attribute("html", "lang") == "ar"  # type: ignore[attr-defined]


def test_a_refused_sign_in_is_said_in_the_pages_language(served: tuple[TestClient, str]) -> None:
    c, _case = served
    form = c.get("/login?lang=ar").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf
    r = c.post("/login", data={"name": "rana", "password": "not it", "csrf": csrf.group(1)})
    assert r.status_code == 401 and "الاسم أو كلمة المرور غير صحيحة" in r.text
