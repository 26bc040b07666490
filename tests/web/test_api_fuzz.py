"""No input makes the server answer 5xx, on any route.

* Schemathesis against the app's own ``/openapi.json``, once per role: requests generated
  from every operation's schema (valid and invalid bodies, queries and path values), sent
  with that role's API token into case A; every refusal in the canonical error shape.
* The same over every route of the app, the HTML screens and their forms included (their
  schema is built from the routes, which leave them out of the published document), from
  a signed-in investigator's browser session that sends its CSRF token.
* Raw input no schema describes, on every route: path segments and queries of any text
  (percent-encoded invalid UTF-8, control characters, huge strings, negative and huge
  numbers), bodies of arbitrary bytes under each content type the app reads.

Hypothesis drives the generation (10 examples per operation; ``DALIL_FUZZ_EXAMPLES``
raises it for a longer run); requests go through the app's TestClient, so the audit
middleware, the body gate and the ledger are exercised too.
"""

from __future__ import annotations

import copy
import os
import re
from typing import Any
from urllib.parse import quote

import pytest
import schemathesis
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from dalil.access import accounts
from dalil.access.tables import User
from dalil.web import ROUTERS
from tests_support import ROLES, World

EXAMPLES = int(os.environ.get("DALIL_FUZZ_EXAMPLES", "10"))
CALLERS = (*ROLES, "outsider", "admin", "anonymous")


def _request(case: Any, world: World, who: str) -> dict[str, Any]:
    """The generated request as TestClient arguments, into case A as ``who``."""
    if "case_id" in (case.path_parameters or {}):
        case.path_parameters["case_id"] = world.a
    kw = case.as_transport_kwargs(base_url="https://testserver")
    headers = {k: v for k, v in kw.get("headers", {}).items() if k.lower() != "authorization"}
    if who != "anonymous":
        headers |= world.h(who)
    out: dict[str, Any] = {"method": kw["method"], "url": kw["url"], "headers": headers,
                           "params": kw.get("params"), "follow_redirects": False}  # fmt: skip
    if "json" in kw:
        out["json"] = kw["json"]
    if isinstance(kw.get("data"), bytes | str):
        out["content"] = kw["data"]
    elif kw.get("data") is not None:
        out["data"] = kw["data"]
    if kw.get("files"):
        out["files"] = kw["files"]
    return out


@pytest.mark.parametrize("who", CALLERS)
def test_no_server_errors_for_any_role(world: World, who: str) -> None:
    document = world.client.get("/openapi.json", headers=world.h("viewer")).json()
    schema = schemathesis.openapi.from_dict(document)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 25
    seen: dict[str, set[int]] = {}

    def checker(label: str) -> Any:
        def probe(case: Any) -> None:
            r = world.client.request(**_request(case, world, who))
            seen.setdefault(label, set()).add(r.status_code)
            assert r.status_code < 500, (label, r.status_code, r.text[:300])
            if r.status_code >= 400 and "json" in r.headers.get("content-type", ""):
                assert set(r.json()["error"]) == {"code", "message", "path"}, (label, r.text[:300])

        return probe

    runs = settings(max_examples=EXAMPLES, deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))  # fmt: skip
    for op in operations:
        runs(given(case=op.as_strategy())(checker(op.label)))()
    assert len(seen) == len(operations)
    if who == "anonymous":  # only the health check and signing in/out work without credentials
        # (a malformed body is refused, 400/422, before credentials are looked at)
        public = {"GET /healthz", "GET /login", "POST /login", "POST /logout"}
        refused = {label: codes for label, codes in seen.items() if label not in public}
        wrong = {label: codes for label, codes in refused.items() if not codes <= {400, 401, 422}}
        assert not wrong, wrong


# -- every route, the screens and forms included, from a browser session -------------------


def every_route() -> list[APIRoute]:
    return [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]


def full_schema() -> dict[str, Any]:
    """An OpenAPI document of every route, the HTML screens and forms included."""
    routes = []
    for route in every_route():
        shown = copy.copy(route)
        shown.include_in_schema = True
        routes.append(shown)
    return get_openapi(title="every route", version="0", routes=routes)


def browser_session(world: World, who: str) -> dict[str, str]:
    """Headers of a signed-in browser: the session cookie and its CSRF token."""
    with world.ws.session() as s:
        new = accounts.start_session(s, s.scalars(select(User).where(User.name == who)).one())
    return {"Cookie": f"__Host-dalil_session={new.token}", "X-CSRF-Token": new.csrf}


#: routes left out of the session's run: signing out ends the session the run uses
SESSION_ENDING = {"POST /logout"}


def test_no_server_errors_on_any_page_or_form(world: World) -> None:
    schema = schemathesis.openapi.from_dict(full_schema())
    operations = [r.ok() for r in schema.get_all_operations()]
    operations = [op for op in operations if op.label not in SESSION_ENDING]
    assert len(operations) >= 60
    headers = browser_session(world, "investigator")
    seen: set[str] = set()

    def checker(label: str) -> Any:
        def probe(case: Any) -> None:
            kw = _request(case, world, "anonymous")
            kw["headers"] = kw["headers"] | headers
            r = world.client.request(**kw)
            seen.add(label)
            assert r.status_code < 500, (label, r.status_code, r.text[:300])

        return probe

    runs = settings(max_examples=max(EXAMPLES // 2, 3), deadline=None, database=None,
                    suppress_health_check=list(HealthCheck))  # fmt: skip
    for op in operations:
        runs(given(case=op.as_strategy())(checker(op.label)))()
    assert len(seen) == len(operations)
    # the session was used throughout: it still works
    assert world.client.get("/", headers=headers).status_code == 200


# -- raw input no schema describes --------------------------------------------------------

#: path segments and query values: invalid UTF-8, traversal, control and bidi characters,
#: huge, negative and fractional numbers, and any text
SEGMENT = st.one_of(
    st.sampled_from(["%FF", "%C3%28", "%00", "..", "%2e%2e%2f", "-1", "0", "2147483648",
                     "99999999999999999999999", "1e309", "NaN", "-0", "%E2%80%AE", " ",
                     "EV-01", "W-001", "x" * 5000]),
    st.text(max_size=300).map(lambda t: quote(t, safe="")),
)  # fmt: skip
QUERY_VALUE = st.one_of(SEGMENT, st.integers().map(str))
BODY = st.one_of(
    st.binary(max_size=3000),
    st.sampled_from([b"\xff\xfe\x00", b"{", b'{"kind": "event", "facts": {"title": "\xff"}}',
                     b"[]", b"null", b'"x"', b"1e99999", b'{"a": ' * 200, b"csrf=%FF&title=%FF",
                     b"--x\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n\xff",
                     b"=" * 70_000]),
)  # fmt: skip
MEDIA = st.sampled_from([
    "application/json", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x",
    "multipart/form-data", "text/plain", "application/json; charset=latin-1", "",
])  # fmt: skip


def _concrete(path: str, case: str, segments: list[str]) -> str:
    """``path`` with case A for ``{case_id}`` and the generated segments for the others."""
    values = iter(segments)
    return re.sub(r"\{(\w+)\}", lambda m: case if m.group(1) == "case_id" else next(values),
                  path)  # fmt: skip


def test_no_server_errors_for_raw_input_on_any_route(world: World) -> None:
    routes = [(m, r.path) for r in every_route() for m in sorted(r.methods)
              if f"{m} {r.path}" not in SESSION_ENDING]  # fmt: skip
    headers = browser_session(world, "investigator")
    token = world.h("investigator")

    @settings(max_examples=max(EXAMPLES * 15, 100), deadline=None, database=None,
              suppress_health_check=list(HealthCheck))  # fmt: skip
    @given(
        route=st.sampled_from(routes),
        segments=st.lists(SEGMENT, min_size=3, max_size=3),
        query=st.dictionaries(st.sampled_from(["q", "limit", "offset", "before", "kind", "lang",
                                               "page", "sex", "since", "action", "x"]),
                              QUERY_VALUE, max_size=3),
        body=BODY,
        media=MEDIA,
        as_browser=st.booleans(),
    )  # fmt: skip
    def probe(route: tuple[str, str], segments: list[str], query: dict[str, str], body: bytes,
              media: str, as_browser: bool) -> None:  # fmt: skip
        method, path = route
        url = _concrete(path, world.a, segments)
        sent = (headers if as_browser else token) | ({"Content-Type": media} if media else {})
        query_string = "&".join(f"{k}={v}" for k, v in query.items())
        r = world.client.request(
            method, f"{url}?{query_string}" if query_string else url, headers=sent,
            content=body if method != "GET" else None, follow_redirects=False,
        )  # fmt: skip
        assert r.status_code < 500, (method, url[:200], media, body[:100], r.status_code,
                                     r.text[:300])  # fmt: skip

    probe()
    assert world.client.get("/", headers=headers).status_code == 200


def test_inputs_that_once_answered_500(world: World) -> None:
    """What the fuzzers found, kept as fixed examples (random runs may not meet them again)."""
    c, a, h = world.client, world.a, world.h("investigator")
    # the estimates screen's job form with a kind it does not offer (pydantic's error escaped)
    r = c.post(f"/cases/{a}/jobs", headers=h, data={"kind": "0"})
    assert r.status_code == 400 and 'data-code="input.invalid"' in r.text
