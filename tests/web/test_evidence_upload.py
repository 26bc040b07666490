"""The evidence upload form (:data:`dalil.web.api_evidence.UploadForm`), shared by the API
route and the evidence page: the same fields, the same CSRF check for a browser session,
the same refusal of a caller who may only read, and nothing stored when refused."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from tests_support import PASSWORD, World


def _sign_in(c: TestClient, name: str) -> str:
    """Sign ``name`` in with a browser session; the session's CSRF token."""
    form = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
    assert form
    r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf": form.group(1)})
    assert r.status_code in (200, 303), r.text
    page = c.get("/").text
    token = re.search(r'name="csrf" value="([^"]+)"', page) or re.search(
        r'data-csrf="([^"]+)"', page
    )
    assert token, page[:500]
    return token.group(1)


def _count(world: World) -> int:
    url = f"/api/v1/cases/{world.a}/evidence"
    listed = world.client.get(url, headers=world.h("investigator"))
    assert listed.status_code == 200
    return len(listed.json())


@pytest.mark.parametrize("route", ["/api/v1/cases/{a}/evidence", "/cases/{a}/evidence"])
def test_a_browser_upload_without_its_csrf_token_is_refused_and_nothing_is_stored(
    world: World, route: str
) -> None:
    c = world.client
    csrf = _sign_in(c, "investigator")
    url = route.format(a=world.a)
    file = {"file": ("statement.txt", b"what the witness saw", "text/plain")}
    for data in ({}, {"csrf": "not the token"}):
        r = c.post(url, data={"source": "phone", **data}, files=file)
        assert r.status_code == 403, r.text
    assert _count(world) == 0
    r = c.post(url, data={"source": "phone", "csrf": csrf}, files=file)
    assert r.status_code in (200, 201), r.text
    assert _count(world) == 1


@pytest.mark.parametrize("route", ["/api/v1/cases/{a}/evidence", "/cases/{a}/evidence"])
def test_an_upload_needs_write_permission_and_its_file_field(world: World, route: str) -> None:
    c, url = world.client, route.format(a=world.a)
    file = {"file": ("statement.txt", b"what the witness saw", "text/plain")}
    assert c.post(url, headers=world.h("viewer"), files=file).status_code == 403
    missing = c.post(url, headers=world.h("investigator"), data={"source": "phone"})
    assert missing.status_code in (400, 422), missing.text
    too_long = c.post(url, headers=world.h("investigator"), data={"source": "x" * 2001},
                      files=file)  # fmt: skip
    assert too_long.status_code in (400, 422), too_long.text
    assert _count(world) == 0
