"""What the app does before a route runs, and around the API's own docs: request bodies
are read only once the caller is admitted (review M1), anonymous noise is summarised
instead of growing the custody ledger (M2), the API docs are served from dalil itself
behind sign-in and the CSP (M9), and every unsafe route refuses a browser session without
its CSRF token (L1)."""

from __future__ import annotations

import copy
import os
import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from sqlalchemy import select

from dalil.access import accounts, policy
from dalil.access.tables import User
from dalil.vault import ledger
from dalil.vault.service import Vault
from dalil.web import ROUTERS, create_app, guard
from dalil.workspace import Workspace
from tests_support import ROLES, World

CHROMIUM = "/usr/bin/chromium"
NOBODY = "00000000-0000-4000-8000-000000000000"


def ledger_size(ws: Workspace) -> int:
    with ws.session() as s:
        return ledger.size(s)


def session_cookie(ws: Workspace, name: str) -> tuple[str, str]:
    """A browser session for ``name`` (its cookie value and CSRF token)."""
    with ws.session() as s:
        user = s.scalars(select(User).where(User.name == name)).one()
        new = accounts.start_session(s, user)
    return new.token, new.csrf


# -- M1: bodies are read after the caller is admitted ---------------------------------------


@contextmanager
def serving(app: FastAPI) -> Iterator[int]:
    """``app`` served by uvicorn on a loopback port (plain HTTP, as ``make run``)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(10)


def upload_head(port: int, path: str, length: int | None, headers: dict[str, str]) -> bytes:
    """Send an upload's headers and its first 64 KiB (of ``length`` announced bytes, or
    chunked), then read the answer without sending the rest: a server that reads the body
    before answering never answers, and the socket times out."""
    part = (b"--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.bin\"\r\n"
            b"Content-Type: application/octet-stream\r\n\r\n") + b"\0" * (64 << 10)  # fmt: skip
    lines = [f"POST {path} HTTP/1.1", "Host: 127.0.0.1",
             "Content-Type: multipart/form-data; boundary=xyz"]  # fmt: skip
    lines.append(f"Content-Length: {length}" if length else "Transfer-Encoding: chunked")
    lines += [f"{k}: {v}" for k, v in headers.items()]
    body = part if length else f"{len(part):x}\r\n".encode() + part + b"\r\n"
    with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
        s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            got = s.recv(65536)
            if not got:
                break
            answer += got
    return answer


def test_uploads_are_refused_before_their_body_is_read(world: World, vault: Vault) -> None:
    """Review M1: an anonymous 1.5 GB upload filled 1.4 GB of disk before its 401."""
    app = create_app(workspace=world.ws, vault=vault)
    ws, a, inv = world.ws, world.a, world.tokens["investigator"]
    huge = 1500 << 20
    with serving(app) as port:
        app.state.max_upload = 1 << 20  # one MiB: the multipart slack comes on top
        path = f"/api/v1/cases/{a}/evidence"
        before = ledger_size(ws)
        anonymous = upload_head(port, path, huge, {})
        assert anonymous.startswith(b"HTTP/1.1 401"), anonymous[:200]
        assert b"connection: close" in anonymous.lower() and b"auth.required" in anonymous
        html = upload_head(port, f"/cases/{a}/evidence", huge, {})  # the screens: to sign-in
        assert html.startswith(b"HTTP/1.1 303") and b"location: /login" in html.lower()
        forged = upload_head(port, path, huge, {"Authorization": "Bearer dalil_forged"})
        assert forged.startswith(b"HTTP/1.1 401")
        # signed in, but the announced size is over the limit: 413 before the body
        big = upload_head(port, path, huge, {"Authorization": f"Bearer {inv}"})
        assert big.startswith(b"HTTP/1.1 413") and b"input.too_large" in big, big[:300]
        # a case the caller may not write to: refused before the body too, and recorded
        viewer = upload_head(port, path, 1 << 20,
                             {"Authorization": f"Bearer {world.tokens['viewer']}"})  # fmt: skip
        assert viewer.startswith(b"HTTP/1.1 403"), viewer[:200]
        outsider = upload_head(port, path, 1 << 20,
                               {"Authorization": f"Bearer {world.tokens['outsider']}"})  # fmt: skip
        assert outsider.startswith(b"HTTP/1.1 404"), outsider[:200]
        # a chunked body (no announced size) is cut off once past the limit
        with socket.create_connection(("127.0.0.1", port), timeout=20) as s:
            s.sendall((f"POST {path} HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {inv}\r\n"
                       "Content-Type: multipart/form-data; boundary=xyz\r\n"
                       "Transfer-Encoding: chunked\r\n\r\n").encode())  # fmt: skip
            first = b'--xyz\r\nContent-Disposition: form-data; name="file"; filename="a"\r\n\r\n'
            s.sendall(b"%x\r\n%s\r\n" % (len(first), first))
            answer = b""
            try:
                for _ in range(8):  # 4 MiB, twice what may come in
                    s.sendall(b"80000\r\n" + b"\0" * (512 << 10) + b"\r\n")
                s.sendall(b"0\r\n\r\n")
            except OSError:  # the server answered and closed the connection
                pass
            while b"\r\n\r\n" not in answer and (got := s.recv(65536)):
                answer += got
        assert answer.startswith(b"HTTP/1.1 413"), answer[:300]
    denied = [e for e in ledger_entries_since(ws, before) if e["action"] == "access_denied"]
    assert {e["actor"] for e in denied} >= {"viewer", "outsider"}


def ledger_entries_since(ws: Workspace, start: int) -> list[dict[str, Any]]:
    with ws.session() as s:
        return [ledger.entry(s, i) for i in range(start, ledger.size(s))]


def test_a_sign_in_form_of_any_size_is_refused_before_it_is_read(world: World) -> None:
    c = world.client
    r = c.post("/login", content=b"name=x&password=" + b"y" * (guard.SMALL_BODY + 1),
               headers={"Content-Type": "application/x-www-form-urlencoded"})  # fmt: skip
    assert r.status_code == 413 and r.headers["connection"] == "close"


# -- M2: anonymous noise does not grow the ledger -------------------------------------------


def test_anonymous_requests_are_summarised_not_leaves(world: World) -> None:
    """Review M2: 400 anonymous requests had added 401 ledger leaves."""
    c, ws = world.client, world.ws
    c.app.state.audit.roll()  # type: ignore[attr-defined]
    before = ledger_size(ws)
    for i in range(200):
        r = c.get("/api/v1/cases" if i % 2 else f"/api/v1/cases/{'A' * 36}{i}")
        assert r.status_code == 401
    form = c.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf
    for _ in range(5):
        c.post("/login", data={"name": "no-such-account", "password": "x", "csrf": csrf.group(1)})
    assert ledger_size(ws) == before  # nothing yet: counted in memory
    # a signed-in read is still its own leaf, before its response leaves
    assert c.get(f"/api/v1/cases/{world.a}", headers=world.h("legal")).status_code == 200
    assert ledger_size(ws) == before + 1
    c.app.state.audit.roll()  # type: ignore[attr-defined]  # the window ends
    added = ledger_entries_since(ws, before + 1)
    assert len(added) == 2, added
    denied = next(e for e in added if e["action"] == "access_denied")
    assert denied["actor"] == "anonymous" and denied["detail"]["count"] == 200
    routes = denied["detail"]["routes"]
    assert len(routes) <= 21 and sum(routes.values()) == 200 and routes["GET /api/v1/cases"] == 100
    assert denied["detail"]["why"] == {"no credentials": 200}
    failed = next(e for e in added if e["action"] == "sign_in_failed")
    assert failed["actor"] == "unknown account" and failed["detail"]["count"] == 5
    # an empty window adds nothing
    c.app.state.audit.roll()  # type: ignore[attr-defined]
    assert ledger_size(ws) == before + 3


def test_the_last_window_is_appended_at_shutdown(ws: Workspace, vault: Vault) -> None:
    from fastapi.testclient import TestClient

    with TestClient(create_app(workspace=ws, vault=vault), base_url="https://testserver") as c:
        before = ledger_size(ws)
        for _ in range(3):
            assert c.get("/api/v1/cases").status_code == 401
    added = ledger_entries_since(ws, before)
    assert [(e["actor"], e["detail"]["count"]) for e in added] == [("anonymous", 3)]


# -- M9: the API docs ----------------------------------------------------------------------


def test_api_docs_are_served_by_dalil_behind_sign_in(world: World) -> None:
    c = world.client
    assert c.get("/openapi.json").status_code == 401
    page = c.get("/api/docs", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"].startswith("/login")
    docs = c.get("/api/docs", headers=world.h("viewer"))
    assert docs.status_code == 200
    assert docs.headers["content-security-policy"] == guard.CSP
    assert not re.search(r"(https?:)?//", docs.text), "the page names another origin"
    assert "<script>" not in docs.text and " style=" not in docs.text  # nothing inline
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert len([x for x in assets if x.startswith("/static/")]) == 3
    for asset in assets:
        r = c.get(asset, headers=world.h("viewer"))
        assert r.status_code == 200 and len(r.content) > 300, asset
    spec = c.get("/openapi.json", headers=world.h("viewer")).json()
    assert "/api/v1/cases" in spec["paths"] and "/openapi.json" not in spec["paths"]
    vendor = Path(__file__).parents[2] / "src/dalil/web/static/vendor"
    assert (vendor / "swagger-ui-LICENSE.txt").read_text().startswith("Swagger UI 5.36.0")


@pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"{CHROMIUM} is not installed")
def test_api_docs_render_offline_in_a_browser(world: World, vault: Vault, browser: Any) -> None:
    """Swagger UI draws the operations with every request to another origin refused (as
    offline) and no CSP violation; a screenshot goes to $DALIL_SCREENSHOTS if set. In the
    test process's one Chromium (the ``browser`` fixture: a second Playwright in the same
    thread is refused)."""
    token, _ = session_cookie(world.ws, "viewer")
    with serving(create_app(workspace=world.ws, vault=vault)) as port:
        site = f"http://127.0.0.1:{port}"
        context = browser.new_context()
        context.add_cookies([{"name": "dalil_session", "value": token, "url": site}])
        elsewhere: list[str] = []
        problems: list[str] = []

        def route(r: Any) -> None:
            if r.request.url.startswith(site):
                r.continue_()
            else:
                elsewhere.append(r.request.url)
                r.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(f"{site}/api/docs")
        page.wait_for_selector(".opblock-summary-path", timeout=20_000)
        assert page.locator(".opblock").count() >= 25
        assert "dalil" in page.inner_text(".info .title")
        if folder := os.environ.get("DALIL_SCREENSHOTS"):
            page.screenshot(path=str(Path(folder) / "apidocs.png"), full_page=False)
        context.close()
    assert elsewhere == [] and problems == [], (elsewhere, problems)


# -- L1: CSRF on every unsafe route ----------------------------------------------------------

#: values for form fields whose pattern or meaning the generic sample would miss
KNOWN = {"decision": "accept", "format": "pdf", "audience": "court"}


def sample(schema: dict[str, Any], defs: dict[str, Any]) -> Any:
    """The smallest value a JSON schema accepts (required properties only)."""
    if "$ref" in schema:
        return sample(defs[schema["$ref"].rsplit("/", 1)[1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return schema["enum"][0]
    for key in ("anyOf", "oneOf", "allOf"):
        if key in schema:
            options = [o for o in schema[key] if o.get("type") != "null"]
            return sample(options[0], defs)
    kind = schema.get("type")
    if kind == "object":
        props = schema.get("properties", {})
        found = {k: sample(props[k], defs) for k in schema.get("required", [])}
        return {k: KNOWN[k] if k in KNOWN and v == "x" else v for k, v in found.items()}
    if kind == "array":
        return [sample(schema.get("items", {}), defs) for _ in range(schema.get("minItems", 0))]
    if kind in ("integer", "number"):
        return schema.get("minimum", 0)
    if kind == "boolean":
        return False
    return "x" * max(1, schema.get("minLength", 1))


def every_route() -> list[APIRoute]:
    return [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]


def unsafe_routes() -> list[tuple[str, str, dict[str, Any]]]:
    """Every unsafe (method, path, OpenAPI operation) of the app, HTML forms included."""
    routes = []
    for route in every_route():
        shown = copy.copy(route)
        shown.include_in_schema = True
        routes.append(shown)
    spec = get_openapi(title="all", version="0", routes=routes)
    found = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            if method.upper() in ("POST", "PUT", "PATCH", "DELETE"):
                found.append((method.upper(), path, op | {"components": spec["components"]}))
    return found


def test_every_unsafe_route_refuses_a_browser_session_without_its_csrf_token(
    world: World,
) -> None:
    """Review L1: the legal finding and checklist routes took a session without the token.
    Each route is called with a body it accepts, as a role allowed to call it, from a
    browser session, without the token: 403 ``auth.csrf`` everywhere."""
    c = world.client
    sessions = {who: session_cookie(world.ws, who)[0] for who in (*ROLES, "admin")}
    checked = []
    for method, path, op in unsafe_routes():
        route = next(r for r in every_route() if r.path == path and method in r.methods)
        needs = guard._case_policy(route)
        who = next((r for r in ROLES if needs is None or policy.allowed_role(r, needs)), "admin")
        url = re.sub(r"\{(\w+)\}", lambda m: world.a if m.group(1) == "case_id" else NOBODY, path)
        kw: dict[str, Any] = {}
        defs = op["components"].get("schemas", {})
        content = op.get("requestBody", {}).get("content", {})
        if "application/json" in content:
            kw["json"] = sample(content["application/json"]["schema"], defs)
        elif "multipart/form-data" in content:
            schema = content["multipart/form-data"]["schema"]
            props = defs[schema["$ref"].rsplit("/", 1)[1]]["properties"]
            files = {k for k, v in props.items() if "format" in v or "contentMediaType" in v}
            kw["files"] = {k: ("a.txt", b"a", "text/plain") for k in files}
            kw["data"] = {k: v for k, v in sample(schema, defs).items() if k not in files}
        elif "application/x-www-form-urlencoded" in content:
            kw["data"] = sample(content["application/x-www-form-urlencoded"]["schema"], defs)
        c.cookies.clear()
        c.cookies.set("__Host-dalil_session", sessions[who])
        r = c.request(method, url, follow_redirects=False, **kw)
        assert r.status_code == 403, (method, path, who, r.status_code, r.text[:300])
        if path.startswith("/api/"):
            assert r.json()["error"]["code"] == "auth.csrf", (method, path)
        else:
            assert 'data-code="auth.csrf"' in r.text, (method, path)
        checked.append(f"{method} {path}")
    c.cookies.clear()
    assert len(checked) >= 25 and "POST /api/v1/cases/{case_id}/legal/{subject}" in checked
    assert "POST /api/v1/cases/{case_id}/checklists/{protocol}" in checked
