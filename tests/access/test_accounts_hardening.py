"""Review findings M10, L5, L6 and L7: case membership and single API tokens can be
revoked, tokens expire, a TOTP code works once, sign-in is throttled per client address
(and an account's lock binds only the address that failed), and bearer tokens need HTTPS
except from this machine.

The web app is reached as ``dalil serve --behind-proxy`` runs it: behind uvicorn's proxy
headers middleware trusting the proxy on 127.0.0.1, so each request's client address and
scheme are the ones the proxy forwards (X-Forwarded-For, X-Forwarded-Proto).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import click
import pytest
from alembic import command
from click.testing import CliRunner, Result
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from dalil import workspace
from dalil.access import accounts, policy, totp
from dalil.access.sessions import digest
from dalil.access.tables import ApiToken, User
from dalil.config import Settings
from dalil.errors import InvalidInput
from dalil.records import cases
from dalil.vault.service import Vault
from dalil.vault.tables import LedgerEntry
from dalil.web import create_app
from dalil.workspace import Workspace

PASSWORD = "correct horse battery staple"
HERE, ATTACKER, OWNER = "127.0.0.1", "198.51.100.7", "203.0.113.5"


@dataclass
class Served:
    app: FastAPI
    client: TestClient
    case: str
    tokens: dict[str, str]
    clock: list[float]  # the sign-in throttle's clock, in seconds; tests move it on


@pytest.fixture
def served(ws: Workspace, vault: Vault) -> Iterator[Served]:
    """Case A with an investigator (``inv``) and a viewer, each with a token; the app
    behind the proxy headers middleware; the throttle on a clock the test moves."""
    with ws.session() as s:
        case = cases.create_case(s, "Case A", actor="t").id
        tokens = {}
        for name, role in (("inv", "investigator"), ("viewer", "viewer")):
            user = accounts.add_user(s, name, PASSWORD)
            policy.add_member(s, case, user, role, "t")
            tokens[name] = accounts.create_token(s, user)
    app = create_app(workspace=ws, vault=vault)
    clock = [1000.0]
    app.state.sign_in_throttle = accounts.SignInThrottle(clock=lambda: clock[0])
    proxied = ProxyHeadersMiddleware(app, trusted_hosts="127.0.0.1")  # type: ignore[arg-type]
    with TestClient(proxied, base_url="https://testserver", client=(HERE, 5000)) as c:  # type: ignore[arg-type]
        yield Served(app, c, case, tokens, clock)


def via(address: str, proto: str = "https", **more: str) -> dict[str, str]:
    return {"X-Forwarded-For": address, "X-Forwarded-Proto": proto, **more}


def bearer(token: str, address: str = OWNER, proto: str = "https") -> dict[str, str]:
    return via(address, proto, Authorization=f"Bearer {token}")


def sign_in(c: TestClient, address: str, name: str, password: str = PASSWORD,
            code: str = "") -> tuple[int, str]:  # fmt: skip
    """POST /login from ``address`` (through the proxy); the status and Retry-After."""
    form = c.get("/login", headers=via(address))
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text)
    assert csrf
    data = {"name": name, "password": password, "csrf": csrf.group(1), "code": code}
    r = c.post("/login", headers=via(address), data=data, follow_redirects=False)
    c.cookies.clear()  # each sign-in stands alone
    return r.status_code, r.headers.get("retry-after", "")


def cli(settings: Settings, *args: str) -> Result:
    """``dalil ARGS`` as the console script runs it (errors: one line, exit status 2), by
    the investigator ``inv`` (the workspace's operator, named in the custody ledger)."""
    from dalil.cli import main

    url = settings.database_url
    env = {"DALIL_OPERATOR": "inv"} | ({"DALIL_DATABASE_URL": url} if url else {})
    runner = CliRunner(env=env)
    entry = click.Command("dalil", callback=lambda: main(["--home", str(settings.home), *args]))
    return runner.invoke(entry, [])


def ledger_actions(ws: Workspace) -> list[dict[str, object]]:
    with ws.session() as s:
        rows = s.scalars(select(LedgerEntry.entry).order_by(LedgerEntry.idx))
        return [json.loads(row) for row in rows]


# M10: membership and single tokens can be revoked; tokens expire


def test_remove_member_cuts_access_at_once_and_is_recorded(
    served: Served, settings: Settings, ws: Workspace
) -> None:
    url = f"/api/v1/cases/{served.case}"
    assert served.client.get(url, headers=bearer(served.tokens["inv"])).status_code == 200
    removed = cli(settings, "case", "remove-member", served.case, "inv")
    assert removed.exit_code == 0, removed.output
    assert "no longer a member" in removed.output and "investigator" in removed.output
    gone = served.client.get(url, headers=bearer(served.tokens["inv"]))
    assert gone.status_code == 404 and gone.json()["error"]["code"] == "record.not_found"
    listed = served.client.get("/api/v1/cases", headers=bearer(served.tokens["inv"])).json()
    assert listed == []
    # the viewer keeps their place; removing someone who is not a member is a located error
    assert served.client.get("/api/v1/cases", headers=bearer(served.tokens["viewer"])).json()
    again = cli(settings, "case", "remove-member", served.case, "inv")
    assert again.exit_code == 2 and "not a member" in again.output
    assert "Traceback" not in again.output
    added = cli(settings, "case", "add-member", served.case, "inv", "--role", "analyst",
                "--user", "viewer")  # fmt: skip
    assert added.exit_code == 0, added.output
    entries = [e for e in ledger_actions(ws) if e["action"] in accounts.CHANGES]
    assert [(e["action"], e["actor"], e["case"], e["detail"]) for e in entries] == [
        ("member_removed", "inv", served.case, {"user": "inv", "role": "investigator"}),
        ("member_added", "viewer", served.case, {"user": "inv", "role": "analyst"}),
    ]


def test_tokens_are_listed_without_secrets_revoked_one_by_one_and_expire(
    served: Served, settings: Settings, ws: Workspace
) -> None:
    made = cli(settings, "token", "create", "inv", "--label", "ci", "--expires-in", "30")
    assert made.exit_code == 0, made.output
    ci = made.output.strip().splitlines()[-1]
    laptop = cli(settings, "token", "create", "inv", "--label", "laptop").output.splitlines()[-1]
    assert served.client.get("/api/v1/cases", headers=bearer(ci)).status_code == 200
    listing = cli(settings, "token", "list", "inv")
    assert listing.exit_code == 0, listing.output
    for secret in (ci, laptop, served.tokens["inv"]):
        assert secret not in listing.output
        assert secret[: accounts.PREFIX_LENGTH + 1] not in listing.output  # only the prefix
        assert secret[accounts.PREFIX_LENGTH :] not in listing.output
    assert ci[: accounts.PREFIX_LENGTH] in listing.output
    ci_line = next(line for line in listing.output.splitlines() if line.endswith("\tci"))
    _, state, _, last_used, expires, _ = ci_line.split("\t")
    assert state == "active" and last_used != "-"  # it was used just now
    expected = (datetime.now(UTC) + timedelta(days=30)).strftime("%Y-%m-%d")
    assert expires.startswith(expected)
    # revoked by label: that token fails at once, the others still work
    revoked = cli(settings, "token", "revoke", "inv", "ci")
    assert revoked.exit_code == 0, revoked.output
    refused = served.client.get("/api/v1/cases", headers=bearer(ci))
    assert refused.status_code == 401 and refused.json()["error"]["code"] == "auth.required"
    assert served.client.get("/api/v1/cases", headers=bearer(laptop)).status_code == 200
    # revoked by the prefix the list shows
    by_prefix = cli(settings, "token", "revoke", "inv", laptop[: accounts.PREFIX_LENGTH])
    assert by_prefix.exit_code == 0, by_prefix.output
    assert served.client.get("/api/v1/cases", headers=bearer(laptop)).status_code == 401
    assert "revoked" in cli(settings, "token", "list", "inv").output
    twice = cli(settings, "token", "revoke", "inv", "ci")
    assert twice.exit_code == 2 and "already revoked" in twice.output
    unknown = cli(settings, "token", "revoke", "inv", "nothing-like-it")
    assert unknown.exit_code == 2 and "Traceback" not in unknown.output
    # expiry: the viewer's token past its end is refused on the next request
    viewer = cli(settings, "token", "create", "viewer", "--expires-in", "1").output.splitlines()[-1]
    assert served.client.get("/api/v1/cases", headers=bearer(viewer)).status_code == 200
    with ws.session() as s:
        row = s.get(ApiToken, digest(viewer))
        assert row is not None and row.expires_at is not None
        row.expires_at = datetime.now(UTC) - timedelta(seconds=1)  # a day has gone by
    assert served.client.get("/api/v1/cases", headers=bearer(viewer)).status_code == 401
    assert "\texpired\t" in cli(settings, "token", "list", "viewer").output
    changes = [e for e in ledger_actions(ws) if e["action"] in ("token_created", "token_revoked")]
    assert {e["actor"] for e in changes} == {"inv"}  # the operator, not the OS account
    actions = [(e["action"], e["detail"]) for e in changes]
    assert [a for a, _ in actions] == ["token_created"] * 2 + ["token_revoked"] * 2 + [
        "token_created"
    ]
    assert actions[2][1] == {"user": "inv", "prefix": ci[: accounts.PREFIX_LENGTH]}
    assert not any(secret in json.dumps(actions) for secret in (ci, laptop, viewer))


def test_two_tokens_with_one_label_need_the_prefix(ws: Workspace) -> None:
    with ws.session() as s:
        user = accounts.add_user(s, "ana", PASSWORD)
        first = accounts.create_token(s, user, "script")
        accounts.create_token(s, user, "script")
        with pytest.raises(InvalidInput, match="2 tokens have this label"):
            accounts.revoke_token(s, user, "script")
        assert accounts.revoke_token(s, user, first[:14]).state == "revoked"
        assert accounts.token_user(s, first) is None
        with pytest.raises(InvalidInput):
            accounts.create_token(s, user, expires_in=timedelta(0))


def test_tokens_made_before_the_upgrade_keep_working_and_can_be_revoked(
    ws: Workspace, settings: Settings
) -> None:
    """Migration 0012 down and up again: a token of the older schema has no prefix and no
    expiry, still works, is listed by its hash's start and can be revoked by it."""
    with ws.session() as s:
        old = accounts.create_token(s, accounts.add_user(s, "ana", PASSWORD), "old")
    cfg = workspace.alembic_config()
    sqlite = ws.engine.dialect.name == "sqlite"
    with ws.engine.connect() as conn:
        if sqlite:  # batch mode rebuilds the tables, which the foreign keys would refuse
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0011")
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
    workspace.migrate(ws.engine)
    with ws.session() as s:
        user = accounts.find_user(s, "ana")
        assert accounts.token_user(s, old) is not None
        [info] = accounts.list_tokens(s, user)
        assert info.prefix.startswith("sha256:") and info.expires_at is None
        accounts.revoke_token(s, user, info.prefix)
        assert accounts.token_user(s, old) is None


# L5: a TOTP code works once


def test_a_totp_code_cannot_be_used_twice(served: Served, ws: Workspace) -> None:
    with ws.session() as s:
        link = accounts.enable_totp(accounts.find_user(s, "inv"))
    secret = link.split("secret=")[1].split("&")[0]
    code = totp.code(secret)
    assert sign_in(served.client, OWNER, "inv", code=code)[0] == 303
    assert sign_in(served.client, OWNER, "inv", code=code)[0] == 401  # replayed
    with ws.session() as s:
        last = s.scalar(select(User.totp_last_step).where(User.name == "inv"))
        assert last is not None and last >= totp.step() - 1
        with pytest.raises(accounts.AuthenticationFailed):
            accounts.authenticate(s, "inv", PASSWORD, code)
    # the step after it is accepted once; earlier steps never
    now = totp.step() * totp.STEP
    assert totp.accepted_step(secret, totp.code(secret, now + 30), at=now, after=last) == (
        totp.step(now + 30)
    )
    assert totp.accepted_step(secret, totp.code(secret, now - 30), at=now, after=last) is None


# L6: throttling per client address; the lock binds only the address that failed


def test_sign_in_is_throttled_per_client_and_others_still_sign_in(
    served: Served, ws: Workspace
) -> None:
    c = served.client
    for _ in range(accounts.FREE_FAILURES):
        assert sign_in(c, ATTACKER, "viewer", "wrong password!!")[0] == 401
    # spraying another account from the same address is slowed down too (1 s, then 2 s ...)
    assert sign_in(c, ATTACKER, "inv") == (429, "1")
    served.clock[0] += 1
    assert sign_in(c, ATTACKER, "inv", "wrong password!!")[0] == 401
    assert sign_in(c, ATTACKER, "inv") == (429, "2")
    # the owner, elsewhere, signs in although their account is locked for the attacker
    assert sign_in(c, OWNER, "viewer")[0] == 303
    served.clock[0] += 60
    assert sign_in(c, ATTACKER, "viewer")[0] == 401  # right password, locked for this address
    with ws.session() as s:  # nothing account-wide that would lock the owner out
        assert accounts.find_user(s, "viewer").locked_until is None
    served.clock[0] += accounts.LOCK_MINUTES * 60
    assert sign_in(c, ATTACKER, "viewer")[0] == 303


def test_throttle_waits_double_and_are_capped() -> None:
    now = [0.0]
    throttle = accounts.SignInThrottle(clock=lambda: now[0])
    waits = []
    for _ in range(accounts.FREE_FAILURES + 12):
        waits.append(throttle.wait("a"))
        throttle.failed("x", "a")
    assert waits[: accounts.FREE_FAILURES] == [0.0] * accounts.FREE_FAILURES
    assert throttle.wait("a") == accounts.MAX_DELAY and throttle.wait("b") == 0.0
    assert waits[accounts.FREE_FAILURES : accounts.FREE_FAILURES + 4] == [1.0, 2.0, 4.0, 8.0]
    now[0] += accounts.FORGET_AFTER
    assert throttle.wait("a") == 0.0  # forgotten after an hour without a failure
    # an IPv6 client counts as its /64 (one subscriber's); IPv4-mapped ones as IPv4
    key = accounts.client_key
    assert key("2001:db8:1:2::1") == key("2001:db8:1:2:ffff::9") == "2001:db8:1:2::/64"
    assert key("2001:db8:1:3::1") != key("2001:db8:1:2::1")
    assert key("::ffff:198.51.100.7") == key(ATTACKER) == ATTACKER and key(None) == "unknown"


# L7: bearer tokens obey the loopback-or-HTTPS rule


def test_bearer_tokens_need_https_except_from_this_machine(served: Served) -> None:
    token = served.tokens["inv"]
    plain = served.client.get("/api/v1/cases", headers=bearer(token, "8.8.8.8", "http"))
    assert plain.status_code == 403
    assert plain.json()["error"]["code"] == "auth.https"
    assert "HTTPS" in plain.json()["error"]["message"]
    # a forged token gets the same answer: nothing is looked up over plain HTTP
    forged = served.client.get("/api/v1/cases", headers=bearer("dalil_x", "8.8.8.8", "http"))
    assert forged.status_code == 403
    assert served.client.get("/api/v1/cases", headers=bearer(token, "8.8.8.8")).status_code == 200
    # plain HTTP from this machine (make run) is allowed, as for password sign-in
    here = served.client.get("/api/v1/cases", headers=bearer(token, HERE, "http"))
    assert here.status_code == 200
    ipv6_here = served.client.get("/api/v1/cases", headers=bearer(token, "::1", "http"))
    assert ipv6_here.status_code == 200
