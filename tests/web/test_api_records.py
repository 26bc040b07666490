"""API v1 for records, evidence and witness identities; the audit trail; the access matrix
generated from the app's own routes; the witness canary."""

from __future__ import annotations

import io
import logging
import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import func, select

from dalil.access import audit, policy
from dalil.model.values import UncertainCount
from dalil.records import exchange
from dalil.vault.bundle import verify_bundle
from dalil.vault.tables import VaultItem
from dalil.web import ROUTERS
from dalil.workspace import Workspace
from tests_support import PASSWORD, ROLES, World

CANARY = "Qandilji Zumurrud-Canary"
NOBODY = "00000000-0000-4000-8000-000000000000"
PUBLIC = {"/healthz", "/login"}


def reported(text: str) -> dict[str, Any]:
    return UncertainCount.from_reported(text, count_kind="reported").model_dump(mode="json")


def ledger_entries(ws: Workspace, **filters: Any) -> list[dict[str, Any]]:
    with ws.session() as s:
        return audit.entries(s, audit.Query(limit=10_000, **filters))


# -- records and assertions -------------------------------------------------------------


def test_incident_with_a_sourced_assertion_round_trips(world: World) -> None:
    c, a, h = world.client, world.a, world.h("investigator")
    facts = {"title": "NGO report (test)", "material_type": "ngo_report"}
    src = c.post(f"/api/v1/cases/{a}/records", headers=h, json={"kind": "source", "facts": facts})
    assert src.status_code == 201, src.text
    info = c.post(f"/api/v1/cases/{a}/records", headers=h, json={
        "kind": "information_record", "refs": {"source": src.json()["id"]},
        "facts": {"connection": "witness", "access": "direct"}})  # fmt: skip
    assert info.status_code == 201, info.text
    event = c.post(f"/api/v1/cases/{a}/records", headers=h, json={
        "kind": "event", "facts": {"title": "Killings at the checkpoint"}})  # fmt: skip
    assert event.status_code == 201, event.text
    eid, iid = event.json()["id"], info.json()["id"]
    fact = c.post(f"/api/v1/cases/{a}/records/{eid}/assertions", headers=h, json={
        "field": "casualties", "value": reported("more than 30"), "sources": [iid],
        "confidence": "consistent"})  # fmt: skip
    assert fact.status_code == 201, fact.text
    assert fact.json()["sources"] == [iid] and fact.json()["assessed_by"] == "investigator"
    other = c.post(f"/api/v1/cases/{a}/records/{eid}/assertions", headers=h,
                   json={"field": "casualties", "value": reported("32")})  # fmt: skip
    assert other.status_code == 201
    c.post(f"/api/v1/cases/{a}/records/{eid}/assertions", headers=h,
           json={"field": "title", "value": "Killings at the school"})  # fmt: skip
    got = c.get(f"/api/v1/cases/{a}/records/{eid}", headers=world.h("legal")).json()
    assert got["disagreements"] == ["title"] and len(got["history"]) == 4
    values = [f["value"] for f in got["facts"]["casualties"]]
    assert {v["qualifier"] for v in values} == {"more_than", "exact"}  # qualifiers kept
    listed = c.get(f"/api/v1/cases/{a}/records", params={"kind": "event"}, headers=h).json()
    assert [r["id"] for r in listed] == [eid]
    count = c.get(f"/api/v1/cases/{a}/records/count", params={"kind": "event"}, headers=h)
    assert count.json() == {"count": 1}
    # bad input: unknown kind, unknown field, extra keys, malformed JSON, invalid UTF-8
    for body in ({"kind": "spaceship"}, {"kind": "event", "facts": {"colour": "red"}},
                 {"kind": "event", "owner": "me"}):  # fmt: skip
        r = c.post(f"/api/v1/cases/{a}/records", headers=h, json=body)
        assert r.status_code in (400, 422) and set(r.json()["error"]) == {"code", "message", "path"}
    for raw in (b'{"kind": "event",', b'{"kind": "\xff\xfe"}'):
        r = c.post(f"/api/v1/cases/{a}/records", content=raw,
                   headers={**h, "Content-Type": "application/json"})  # fmt: skip
        assert r.status_code in (400, 422), r.text
        assert r.json()["error"]["code"] == "input.invalid", r.text
    assert c.get(
        f"/api/v1/cases/{a}/records/count", params={"kind": "event"}, headers=h
    ).json() == {"count": 1}  # nothing written by the refused requests
    # write permission: an analyst may read, not write
    denied = c.post(f"/api/v1/cases/{a}/records", headers=world.h("analyst"),
                    json={"kind": "event", "facts": {"title": "x"}})  # fmt: skip
    assert denied.status_code == 403


def test_identity_facts_of_protected_persons_are_refused(world: World) -> None:
    r = world.client.post(
        f"/api/v1/cases/{world.a}/records/{world.witness}/assertions",
        headers=world.h("investigator"), json={"field": "name", "value": CANARY},
    )  # fmt: skip
    assert r.status_code == 400 and r.json()["error"]["code"] == "protection.refused"
    assert CANARY not in r.text


# -- witness identities and the canary -----------------------------------------------------


def test_identity_vault_reveal_needs_role_reason_and_password(
    world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    c, a, wid = world.client, world.a, world.witness
    url = f"/api/v1/cases/{a}/persons/{wid}/identity"
    put = c.put(url, headers=world.h("investigator"),
                json={"names": [CANARY], "contact": "+000 555 0101"})  # fmt: skip
    assert put.status_code == 204, put.text
    assert c.put(url, headers=world.h("analyst"), json={"names": ["x"]}).status_code == 403
    body = {"reason": "court disclosure request 2025/17", "password": PASSWORD}
    # an investigator may record but not reveal; an outsider gets 404
    assert c.post(f"{url}/reveal", headers=world.h("investigator"), json=body).status_code == 403
    assert c.post(f"{url}/reveal", headers=world.h("outsider"), json=body).status_code == 404
    po = world.h("protection_officer")
    short = c.post(f"{url}/reveal", headers=po, json={**body, "reason": "why"})
    assert short.status_code == 400 and short.json()["error"]["path"] == "reason"
    wrong = c.post(f"{url}/reveal", headers=po, json={**body, "password": "not the password"})
    assert wrong.status_code == 401
    ok = c.post(f"{url}/reveal", headers=po, json=body)
    assert ok.status_code == 200 and ok.json()["names"] == [CANARY]
    # the ledger holds every attempt; the reveal with its reason, none with the name
    denied = ledger_entries(world.ws, action="access_denied", case=a)
    asked = [e["detail"] for e in denied]
    whys = {d["why"] for d in asked if "reveal_identity" in (d.get("action"), d.get("permission"))}
    assert {"access.forbidden", "input.invalid", "auth.failed"} <= whys
    revealed = ledger_entries(world.ws, action="identity_revealed")
    assert revealed[0]["actor"] == "protection_officer"
    assert revealed[0]["detail"]["reason"] == body["reason"]
    assert ledger_entries(world.ws, action="identity_recorded")
    # the canary is nowhere but in the reveal answer
    record = c.get(f"/api/v1/cases/{a}/records/{wid}", headers=world.h("legal"))
    assert record.json()["identity_recorded"] is True and CANARY not in record.text
    for who in ROLES:
        for path in (f"/api/v1/cases/{a}/records?kind=person", "/", f"/cases/{a}"):
            assert CANARY not in c.get(path, headers=world.h(who)).text
    with world.ws.session() as s:
        doc = exchange.dumps(exchange.export_case(s, a))
    assert CANARY not in doc
    assert all(CANARY not in m for m in caplog.messages)
    if world.ws.engine.dialect.name == "sqlite":  # the file bytes, and its write-ahead log
        files = list(world.ws.settings.home.glob("dalil.sqlite3*"))
        assert files and sum(f.stat().st_size for f in files) > 10_000
        for f in files:
            raw = f.read_bytes()
            assert CANARY.encode() not in raw and CANARY.encode("utf-16-le") not in raw


def test_identity_erasure_keeps_the_pseudonymous_records(world: World) -> None:
    c, a, wid = world.client, world.a, world.witness
    url = f"/api/v1/cases/{a}/persons/{wid}/identity"
    inv, po = world.h("investigator"), world.h("protection_officer")
    assert c.put(url, headers=inv, json={"names": [CANARY]}).status_code == 204
    interview = c.post(f"/api/v1/cases/{a}/records", headers=inv, json={
        "kind": "interview", "refs": {"interviewee": wid},
        "facts": {"summary": "Gunmen asked the family's sect before shooting."}})  # fmt: skip
    assert interview.status_code == 201
    body = {"reason": "retention period over; consent withdrawn", "password": PASSWORD}
    assert c.post(f"{url}/erase", headers=inv, json=body).status_code == 403
    wrong = c.post(f"{url}/erase", headers=po, json={**body, "password": "nope"})
    assert wrong.status_code == 401
    assert c.post(f"{url}/reveal", headers=po, json=body).json()["names"] == [CANARY]
    assert c.post(f"{url}/erase", headers=po, json=body).status_code == 204
    gone = c.post(f"{url}/reveal", headers=po, json=body)
    assert gone.status_code == 404 and "no identity is recorded for W-001" in gone.text
    # the statement stays readable under the pseudonym
    person = c.get(f"/api/v1/cases/{a}/records/{wid}", headers=world.h("legal")).json()
    assert person["label"] == "W-001" and person["identity_recorded"] is False
    said = c.get(f"/api/v1/cases/{a}/records/{interview.json()['id']}", headers=inv).json()
    assert said["facts"]["summary"][0]["value"].startswith("Gunmen asked")
    erased = ledger_entries(world.ws, action="identity_erased", case=a)
    assert [(e["actor"], e["detail"]) for e in erased] == [
        ("protection_officer", {"person": "W-001", "reason": body["reason"]})]  # fmt: skip
    assert c.post(f"{url}/erase", headers=po, json=body).status_code == 404  # nothing left


# -- evidence ------------------------------------------------------------------------------


def test_evidence_upload_custody_proof_download_and_bundle(world: World, tmp_path: Path) -> None:
    c, a, h = world.client, world.a, world.h("investigator")
    data = b"statement transcript (test)\n" * 100
    up = c.post(f"/api/v1/cases/{a}/evidence", headers=h,
                files={"file": ("../../etc/passwd\u202e.txt", data, "text/plain")},
                data={"source": "handed over"})  # fmt: skip
    assert up.status_code == 201, up.text
    item = up.json()
    meta = c.get(f"/api/v1/cases/{a}/evidence/{item['id']}", headers=world.h("legal")).json()
    assert meta["metadata"]["original_name"] == "passwd.txt"  # no directories, no bidi override
    assert [i["id"] for i in c.get(f"/api/v1/cases/{a}/evidence", headers=h).json()] == [item["id"]]
    got = c.get(f"/api/v1/cases/{a}/evidence/{item['id']}/download", headers=h)
    assert got.status_code == 200 and got.content == data
    custody = c.get(f"/api/v1/cases/{a}/evidence/{item['id']}/custody", headers=h).json()
    assert [e["action"] for e in custody] == ["ingest", "view", "download"]
    assert custody[1]["actor"] == "legal"
    c.get(f"/api/v1/cases/{a}/bundle", headers=h)  # signs a head covering the item
    proof = c.get(f"/api/v1/cases/{a}/evidence/{item['id']}/proof", headers=h)
    assert proof.status_code == 200 and proof.json()["leaf_index"] == item["ledger_index"]
    bundle = c.get(f"/api/v1/cases/{a}/bundle", headers=h)
    assert bundle.status_code == 200
    path = tmp_path / "bundle.zip"
    path.write_bytes(bundle.content)
    faults, summary = verify_bundle(path)
    assert faults == [] and summary["items"] == 1
    with zipfile.ZipFile(io.BytesIO(bundle.content)) as zf:
        assert zf.read(f"evidence/{item['sha256']}") == data
    # foreign cases, other cases' items and the viewer role see nothing
    assert (
        c.get(
            f"/api/v1/cases/{world.b}/evidence/{item['id']}", headers=world.h("admin")
        ).status_code
        == 404
    )
    assert c.get(f"/api/v1/cases/{a}/evidence/{item['id']}/download",
                 headers=world.h("viewer")).status_code == 403  # fmt: skip


def test_bad_uploads_are_refused_and_store_nothing(world: World) -> None:
    c, a, h = world.client, world.a, world.h("investigator")
    c.app.state.max_upload = 4096  # type: ignore[attr-defined]
    big = c.post(f"/api/v1/cases/{a}/evidence", headers=h,
                 files={"file": ("big.bin", b"x" * 5000, "application/octet-stream")})  # fmt: skip
    assert big.status_code == 413 and big.json()["error"]["code"] == "input.too_large"
    json_body = c.post(f"/api/v1/cases/{a}/evidence", headers=h, json={"file": "x"})
    assert json_body.status_code == 422 and json_body.json()["error"]["code"] == "input.invalid"
    nameless = c.post(f"/api/v1/cases/{a}/evidence", headers=h,
                      files={"file": ("..", b"abc", "text/plain")})  # fmt: skip
    assert nameless.status_code in (400, 422)
    empty = c.post(f"/api/v1/cases/{a}/evidence", headers=h,
                   files={"file": ("empty.txt", b"", "text/plain")})  # fmt: skip
    assert empty.status_code == 400
    with world.ws.session() as s:
        assert s.scalar(select(func.count()).select_from(VaultItem)) == 0
    leftovers = list((world.ws.home / "vault" / "tmp").iterdir())
    assert leftovers == []


def test_browser_posts_need_the_csrf_token(world: World) -> None:
    c = world.client
    form = c.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf
    c.post("/login", data={"name": "investigator", "password": PASSWORD, "csrf": csrf.group(1)})
    r = c.post(f"/api/v1/cases/{world.a}/records", json={"kind": "event", "facts": {"title": "x"}})
    assert r.status_code == 403 and r.json()["error"]["code"] == "auth.csrf"
    up = c.post(f"/api/v1/cases/{world.a}/evidence", files={"file": ("a.txt", b"a", "text/plain")})
    assert up.status_code == 403


# -- audit ---------------------------------------------------------------------------------


def test_sign_ins_and_authorization_decisions_are_in_the_ledger(world: World) -> None:
    c = world.client
    form = c.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf
    c.post("/login", data={"name": "legal", "password": "wrong password!", "csrf": csrf.group(1)})
    c.post("/login", data={"name": "typed-a-password", "password": "x", "csrf": csrf.group(1)})
    c.post("/login", data={"name": "legal", "password": PASSWORD, "csrf": csrf.group(1)})
    c.get(f"/api/v1/cases/{world.b}/records?kind=event", headers=world.h("legal"))
    c.get(f"/api/v1/cases/{world.a}/records?kind=event", headers=world.h("legal"))
    c.cookies.clear()
    c.get(f"/api/v1/cases/{world.a}")
    c.app.state.audit.roll()  # type: ignore[attr-defined]  # anonymous noise is summarised
    failed = ledger_entries(world.ws, action="sign_in_failed")
    assert {e["actor"] for e in failed} == {"legal", "unknown account"}
    unknown = next(e for e in failed if e["actor"] == "unknown account")
    assert unknown["detail"]["count"] == 1 and unknown["detail"]["aggregated"] is True
    assert ledger_entries(world.ws, action="sign_in", actor="legal")
    denied = ledger_entries(world.ws, action="access_denied", actor="legal")
    assert denied[0]["detail"]["requested_case"] == world.b
    allowed = ledger_entries(world.ws, action="authorised", actor="legal", case=world.a)
    assert allowed[0]["detail"]["permission"] == "read"
    assert ledger_entries(world.ws, action="access_denied", actor="anonymous")
    # only admins read the audit log, with filters
    assert c.get("/api/v1/audit", headers=world.h("investigator")).status_code == 403
    log = c.get("/api/v1/audit", params={"action": "sign_in_failed"}, headers=world.h("admin"))
    assert log.status_code == 200 and {e["action"] for e in log.json()} == {"sign_in_failed"}
    assert c.get("/admin/audit", headers=world.h("admin")).status_code == 200


# -- the access matrix ---------------------------------------------------------------------


def _policy(route: APIRoute) -> str | None:
    found = getattr(route.endpoint, "policy", None)
    for dep in route.dependant.dependencies:
        found = found or getattr(dep.call, "policy", None)
        for sub in dep.dependencies:
            found = found or getattr(sub.call, "policy", None)
    if found is None and any(d.call.__name__ == "_caller" for d in route.dependant.dependencies):
        return "signed_in"
    return found


def test_every_route_declares_a_policy_and_no_case_leaks(world: World) -> None:
    """Generated from the app's routes: every route has a policy; every case route answers
    404 to a user outside the case and for a case that does not exist, 401 (API) or a
    redirect (screens) to nobody, and 403 to a member whose role lacks the permission."""
    c = world.client
    routes = [r for router in ROUTERS for r in router.routes if isinstance(r, APIRoute)]
    assert len(routes) > 25
    case_routes = 0
    for route in routes:
        if route.path in PUBLIC:
            continue
        policy_name = _policy(route)
        assert policy_name, f"{route.path} declares no access policy"
        for method in route.methods:
            if "{case_id}" not in route.path:
                r = c.request(method, route.path, follow_redirects=False)
                assert r.status_code in (401, 303), (method, route.path, r.status_code)
                continue
            case_routes += 1

            def url(case: str, path: str = route.path) -> str:
                return re.sub(r"\{(\w+)\}", lambda m: case if m.group(1) == "case_id" else NOBODY,
                              path)  # fmt: skip

            anon = c.request(method, url(world.a), follow_redirects=False)
            assert anon.status_code in (401, 303), (method, route.path)
            for who in (*ROLES, "outsider", "admin"):
                for case in (world.b, NOBODY):
                    r = c.request(method, url(case), headers=world.h(who), json={})
                    if who == "admin" and case == world.b and policy_name in ("read", "overview"):
                        assert r.status_code != 403
                        continue
                    if who == "admin" and case == world.b:
                        assert r.status_code == 403, (who, method, route.path)
                        continue
                    assert r.status_code == 404, (who, method, route.path, r.status_code)
                    assert CANARY not in r.text
                if who in ROLES:
                    r = c.request(method, url(world.a), headers=world.h(who), json={})
                    if not policy.allowed_role(who, policy_name):
                        assert r.status_code == 403, (who, method, route.path, r.status_code)
                    else:
                        assert r.status_code < 500 and r.status_code != 401, (who, route.path)
    assert case_routes > 20


def test_a_read_that_cannot_be_recorded_is_not_served(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    c, a = world.client, world.a
    assert c.get(f"/api/v1/cases/{a}", headers=world.h("legal")).status_code == 200

    def broken(*args: Any, **kwargs: Any) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(audit.ledger, "append", broken)
    r = c.get(f"/api/v1/cases/{a}", headers=world.h("legal"))
    assert r.status_code == 503 and r.json()["error"]["code"] == "audit.unavailable"
    assert "Case A" not in r.text  # the case was read, but its data does not leave
    monkeypatch.undo()
    assert c.get(f"/api/v1/cases/{a}", headers=world.h("legal")).status_code == 200
