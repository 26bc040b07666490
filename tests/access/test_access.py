"""Accounts, sessions, tokens and per-case access through the web app and API."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from dalil.access import accounts, policy
from dalil.access.tables import ApiToken, User, WebSession
from dalil.config import Settings
from dalil.errors import Conflict, InvalidInput, NotFound
from dalil.records import cases
from dalil.vault.service import Vault
from dalil.web import ROUTERS, create_app
from dalil.workspace import Workspace

PASSWORD = "correct horse battery staple"


@pytest.fixture
def world(ws: Workspace) -> dict[str, str]:
    """Two cases; users with different roles; returns ids and tokens."""
    with ws.session() as s:
        a = cases.create_case(s, "Case A", actor="t")
        b = cases.create_case(s, "Case B", actor="t")
        ids = {"a": a.id, "b": b.id}
        for name, role in (("inv", "investigator"), ("viewer", "viewer"), ("outsider", None)):
            user = accounts.add_user(s, name, PASSWORD)
            if role:
                policy.add_member(s, a.id, user, role, "t")
            ids[f"token_{name}"] = accounts.create_token(s, user)
        admin = accounts.add_user(s, "admin", PASSWORD, admin=True)
        ids["token_admin"] = accounts.create_token(s, admin)
    return ids


@pytest.fixture
def client(ws: Workspace, vault: Vault) -> Iterator[TestClient]:
    with TestClient(create_app(workspace=ws, vault=vault), base_url="https://testserver") as c:
        yield c


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_passwords_and_names_are_checked(ws: Workspace) -> None:
    with ws.session() as s:
        with pytest.raises(InvalidInput):
            accounts.add_user(s, "x", "short")
        accounts.add_user(s, "x", PASSWORD)
        with pytest.raises(Conflict):
            accounts.add_user(s, "x", PASSWORD)
        stored = s.scalar(select(User.password_hash).where(User.name == "x")) or ""
        assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_api_shows_only_member_cases_and_404s_foreign_ones(
    client: TestClient, world: dict[str, str]
) -> None:
    assert client.get("/api/v1/cases").status_code == 401
    assert client.get("/api/v1/cases").json()["error"]["code"] == "auth.required"
    inv = client.get("/api/v1/cases", headers=bearer(world["token_inv"])).json()
    assert [c["title"] for c in inv] == ["Case A"]
    assert client.get("/api/v1/cases", headers=bearer(world["token_outsider"])).json() == []
    admin = client.get("/api/v1/cases", headers=bearer(world["token_admin"])).json()
    assert {c["title"] for c in admin} == {"Case A", "Case B"}
    own = client.get(f"/api/v1/cases/{world['a']}", headers=bearer(world["token_inv"]))
    assert own.status_code == 200
    for who, case in (("inv", "b"), ("outsider", "a"), ("outsider", "b")):
        r = client.get(f"/api/v1/cases/{world[case]}", headers=bearer(world[f"token_{who}"]))
        assert r.status_code == 404 and r.json()["error"]["code"] == "record.not_found"
        # same answer as for a case that does not exist: no existence oracle
        missing = client.get("/api/v1/cases/no-such-id", headers=bearer(world[f"token_{who}"]))
        assert missing.json() == r.json()
    # a viewer may see the overview list but not read the case in detail
    viewer = client.get(f"/api/v1/cases/{world['a']}", headers=bearer(world["token_viewer"]))
    assert viewer.status_code == 403
    assert client.get("/api/v1/cases", headers=bearer("dalil_forged")).status_code == 401


def test_every_route_requires_sign_in(client: TestClient, world: dict[str, str]) -> None:
    open_paths = {"/healthz", "/login"}
    routes = [r for router in ROUTERS for r in router.routes]
    assert len(routes) > 50  # every router's routes, not the app's wrappers of them
    for route in routes:
        path = getattr(route, "path", "")
        methods = getattr(route, "methods", None) or {"GET"}
        if path in open_paths or path.startswith("/static"):
            continue
        concrete = path.replace("{case_id}", world["a"])
        for method in methods - {"HEAD"}:
            r = client.request(method, concrete, follow_redirects=False)
            assert r.status_code in (401, 303), (method, path, r.status_code)
            if r.status_code == 303:
                assert r.headers["location"].startswith("/login")


def login(client: TestClient, name: str, password: str = PASSWORD) -> str:
    form = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf
    r = client.post("/login", data={"name": name, "password": password, "csrf": csrf.group(1),
                                     "next": "/"}, follow_redirects=False)  # fmt: skip
    return str(r.status_code)


def test_browser_sign_in_session_cookie_csrf_and_logout(
    client: TestClient, world: dict[str, str], ws: Workspace
) -> None:
    assert login(client, "inv") == "303"
    cookie = client.cookies.get("__Host-dalil_session")
    assert cookie
    set_cookie = client.get("/login").headers.get("set-cookie", "")
    assert "HttpOnly" in set_cookie and "Secure" in set_cookie and "SameSite=strict" in set_cookie
    home = client.get("/")
    assert home.status_code == 200 and "Case A" in home.text and "Case B" not in home.text
    assert client.get(f"/cases/{world['b']}").status_code == 404
    # logout without the CSRF token is refused; with it the server-side session is gone
    assert client.post("/logout", data={}).status_code == 403
    csrf = re.search(r'name="csrf" value="([^"]+)"', home.text)
    assert csrf
    client.post("/logout", data={"csrf": csrf.group(1)}, follow_redirects=False)
    client.cookies.set("__Host-dalil_session", cookie)
    assert client.get("/", follow_redirects=False).status_code == 303
    with ws.session() as s:
        assert s.scalar(select(WebSession.token_hash)) is None


def test_login_forms_need_their_token_and_failures_lock_the_account(
    client: TestClient, world: dict[str, str], ws: Workspace
) -> None:
    no_token = client.post("/login", data={"name": "inv", "password": PASSWORD, "csrf": "x"})
    assert no_token.status_code == 403
    unknown = client.post("/login", data={"name": "nobody", "password": PASSWORD, "csrf": "x"})
    assert unknown.status_code == 403  # CSRF first: nothing learnt about the name
    now = [0.0]  # the sign-in throttle's clock (seconds): the test moves it on
    client.app.state.sign_in_throttle = accounts.SignInThrottle(clock=lambda: now[0])  # type: ignore[attr-defined]
    for _ in range(accounts.MAX_FAILURES):
        assert login(client, "viewer", "wrong password!!") == "401"
    assert login(client, "viewer") == "429"  # this address now waits before each attempt
    now[0] += 1
    assert login(client, "viewer") == "401"  # locked, same message as a wrong password
    now[0] += accounts.LOCK_MINUTES * 60
    assert login(client, "viewer") == "303"
    # without a client address (re-authentication, the CLI) the lock is account-wide
    with ws.session() as s:
        for _ in range(accounts.MAX_FAILURES):
            with pytest.raises(accounts.AuthenticationFailed):
                accounts.authenticate(s, "inv", "wrong password!!")
    with ws.session() as s:
        user = accounts.find_user(s, "inv")
        assert user.locked_until is not None and user.locked_until > datetime.now(UTC)
        with pytest.raises(accounts.AuthenticationFailed):
            accounts.authenticate(s, "inv", PASSWORD)
        user.locked_until = datetime.now(UTC) - timedelta(seconds=1)
        assert accounts.authenticate(s, "inv", PASSWORD).name == "inv"


def test_sessions_expire_and_disabling_kills_sessions_and_tokens(
    client: TestClient, world: dict[str, str], ws: Workspace
) -> None:
    assert login(client, "inv") == "303"
    with ws.session() as s:
        row = s.scalars(select(WebSession)).one()
        row.last_seen = datetime.now(UTC) - accounts.IDLE - timedelta(seconds=1)
    assert client.get("/", follow_redirects=False).status_code == 303
    assert login(client, "inv") == "303"
    with ws.session() as s:
        accounts.disable_user(s, accounts.find_user(s, "inv"))
    assert client.get("/", follow_redirects=False).status_code == 303
    assert client.get("/api/v1/cases", headers=bearer(world["token_inv"])).status_code == 401


def test_revoking_membership_applies_on_the_next_request(
    client: TestClient, world: dict[str, str], ws: Workspace
) -> None:
    url = f"/api/v1/cases/{world['a']}"
    assert client.get(url, headers=bearer(world["token_inv"])).status_code == 200
    with ws.session() as s:
        policy.remove_member(s, world["a"], accounts.find_user(s, "inv"))
    assert client.get(url, headers=bearer(world["token_inv"])).status_code == 404
    with pytest.raises(NotFound), ws.session() as s:
        policy.require(s, accounts.find_user(s, "inv"), world["a"], "read")


def test_cli_user_token_and_membership(settings: Settings, ws: Workspace, vault: Vault) -> None:
    from click.testing import CliRunner

    from dalil.cli import cli

    home = str(settings.home)
    url = settings.database_url
    runner = CliRunner(env={"DALIL_DATABASE_URL": url} if url else {})
    with ws.session() as s:
        case_id = cases.create_case(s, "CLI case", actor="t").id
    added = runner.invoke(cli, ["--home", home, "user", "add", "ana", "--password-stdin"],
                          input=PASSWORD + "\n")  # fmt: skip
    assert added.exit_code == 0, added.output
    short = runner.invoke(cli, ["--home", home, "user", "add", "bob", "--password-stdin",
                                "--user", "ana"], input="short\n")  # fmt: skip
    assert short.exit_code != 0
    token = runner.invoke(cli, ["--home", home, "token", "create", "ana", "--user", "ana"])
    assert token.exit_code == 0
    secret = token.output.strip().splitlines()[-1]
    assert secret.startswith("dalil_")
    member = runner.invoke(cli, ["--home", home, "case", "add-member", case_id, "ana",
                                 "--role", "analyst", "--user", "ana"])  # fmt: skip
    assert member.exit_code == 0, member.output
    with TestClient(create_app(workspace=ws, vault=vault), base_url="https://testserver") as c:
        listed = c.get("/api/v1/cases", headers=bearer(secret)).json()
        assert [x["title"] for x in listed] == ["CLI case"]
    with ws.session() as s:
        assert secret not in str(s.execute(select(ApiToken.token_hash)).all())


def test_rfc6238_vectors_and_totp_sign_in(client: TestClient, world: dict[str, str],
                                          ws: Workspace) -> None:  # fmt: skip
    import base64

    from dalil.access import totp

    rfc = base64.b32encode(b"12345678901234567890").decode()
    assert [totp.code(rfc, t) for t in (59, 1111111109, 1234567890)] == [
        "287082", "081804", "005924"]  # RFC 6238 appendix B, last 6 digits  # fmt: skip
    assert totp.verify(rfc, "287 082", at=59) and not totp.verify(rfc, "٢٨٧٠٨٢\udc80", at=59)
    with ws.session() as s:
        link = accounts.enable_totp(accounts.find_user(s, "inv"))
        secret = link.split("secret=")[1].split("&")[0]
    assert link.startswith("otpauth://totp/dalil:inv?")
    assert login(client, "inv") == "401"  # password alone is no longer enough
    form = client.get("/login")
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf
    form_data = {"name": "inv", "password": PASSWORD, "csrf": csrf.group(1),
                 "code": totp.code(secret)}  # fmt: skip
    ok = client.post("/login", data=form_data, follow_redirects=False)
    assert ok.status_code == 303
    with ws.session() as s, pytest.raises(accounts.AuthenticationFailed):
        accounts.authenticate(s, "inv", PASSWORD, "000000" if totp.code(secret) != "000000"
                              else "111111")  # fmt: skip


def test_security_headers(client: TestClient, world: dict[str, str]) -> None:
    r = client.get("/api/v1/cases", headers=bearer(world["token_inv"]))
    assert r.headers["Cache-Control"] == "no-store"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]
    assert r.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    page = client.get("/login")
    assert page.headers["X-Frame-Options"] == "DENY"


def test_plain_http_sign_in_only_from_loopback(
    ws: Workspace, vault: Vault, world: dict[str, str]
) -> None:
    """``make run`` serves plain HTTP on loopback: a non-Secure cookie there; elsewhere
    sign-in over plain HTTP is refused."""
    with TestClient(create_app(workspace=ws, vault=vault), base_url="http://testserver",
                    client=("127.0.0.1", 5000)) as c:  # fmt: skip
        assert login(c, "inv") == "303"
        assert c.cookies.get("dalil_session") and not c.cookies.get("__Host-dalil_session")
        assert c.get("/").status_code == 200
    with TestClient(create_app(workspace=ws, vault=vault), base_url="http://testserver",
                    client=("203.0.113.7", 5000)) as remote:  # fmt: skip
        form = remote.get("/login")
        csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
        assert csrf
        r = remote.post("/login", data={"name": "inv", "password": PASSWORD,
                                        "csrf": csrf.group(1)})  # fmt: skip
        assert r.status_code == 403 and "HTTPS" in r.text
