"""Sharing under consent scopes (standards note d, C-2 and C-3): the demo's witnesses,
a withdrawal, the earlier recipients, and the API route with its permission."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import select

from dalil.cli import cli
from dalil.config import load_settings
from dalil.model.tables import Case, Record
from dalil.model.values import UncertainDate
from dalil.records import Records, cases, exchange, sharing
from dalil.workspace import Workspace
from tests_support import World


def _case(ws: Workspace) -> str:
    with ws.session() as s:
        return s.scalars(select(Case.id)).one()


def test_state_committee_export_withholds_witnesses_without_that_consent(
    demo_ws: Workspace, ws: Workspace
) -> None:
    case = _case(demo_ws)
    with demo_ws.session() as s:
        stands = {x.label: x for x in sharing.standings(s, case, "state_committee")}
        full = exchange.export_case(s, case)
        doc = sharing.scoped_document(s, case, "state_committee")
        testimonies = {
            r.id: r.person_id for r in s.scalars(select(Record).where(Record.kind == "source"))
            if getattr(r, "person_id", None)
        }  # fmt: skip
    # the demo's consents: state committee for every third witness; W-007 withdrew
    assert stands["W-007"].why == "consent withdrawn" and not stands["W-007"].allowed
    assert [k for k, v in stands.items() if v.allowed] == ["W-002", "W-005", "W-008"]
    withheld = {x.person_id for x in stands.values() if not x.allowed}
    kept = {r["id"] for r in doc["records"]}
    assert not withheld & kept
    # a testimony goes with its witness: W-002's stays, W-001's (no such consent) does not
    assert {t for t, p in testimonies.items() if p in withheld}.isdisjoint(kept)
    assert {t for t, p in testimonies.items() if p not in withheld} <= kept
    # every link and source of what is left resolves, and nothing points at withheld ones
    for r in doc["records"]:
        assert all(v is None or v in kept for v in r["refs"].values()), r
    for a in doc["assertions"]:
        assert a["subject"] in kept and set(a["sources"]) <= kept
    note = doc["sharing"]
    assert note["withheld_records"] == len(full["records"]) - len(doc["records"]) > 7
    assert {w["label"] for w in note["withheld_persons"]} == set(stands) - {
        "W-002", "W-005", "W-008"}  # fmt: skip
    # the shared document is itself a valid case document a recipient can import
    parsed = exchange.parse(exchange.dumps(doc).encode(), max_bytes=10**8)
    with ws.session() as s:
        exchange.import_case(s, parsed)
    assert parsed.sharing is not None and parsed.sharing.scope == "state_committee"


def test_withdrawal_omits_material_from_new_exports_and_lists_earlier_recipients(
    ws: Workspace, vault: object
) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Consent test", actor="t").id
        book = Records(s, case, "t")
        info_src = book.add("source", facts={"title": "NGO report", "material_type": "ngo_report"})
        witness = book.add("person", protection_level="protected", facts={"sex": "male"})
        said_by = {"title": "Testimony", "material_type": "witness_testimony"}
        testimony = book.add("source", refs={"person": witness.id}, facts=said_by)
        said = book.add("information_record", refs={"source": testimony.id})
        report = book.add("information_record", refs={"source": info_src.id})
        event = book.add("event", facts={"title": "Shooting"})
        both = book.assert_fact(event.id, "date", UncertainDate.on(date(2025, 3, 7)),
                                sources=[said.id, report.id])  # fmt: skip
        only = book.assert_fact(event.id, "description", "Gunmen asked about sect first",
                                sources=[said.id])  # fmt: skip
        consent = book.add("consent_record", refs={"person": witness.id},
                           facts={"scope": ["un_mechanism", "internal_analysis"]})  # fmt: skip
        label = witness.label
    with ws.session() as s:
        first = sharing.scoped_document(s, case, "un_mechanism")
    sharing.record_export(ws, "t", first, "OHCHR fact-finding team")
    assert first["sharing"]["included_protected"] == [label]
    with ws.session() as s:
        Records(s, case, "t").assert_fact(
            consent.id, "withdrawn", UncertainDate.on(date(2025, 4, 20))
        )
        second = sharing.scoped_document(s, case, "un_mechanism")
        earlier = sharing.recipients(s, case, label)
    ids = {r["id"] for r in second["records"]}
    assert witness.id not in ids and testimony.id not in ids and said.id not in ids
    kept = {a["id"]: a for a in second["assertions"]}
    assert only.id not in kept  # its only source was the witness
    assert kept[both.id]["sources"] == [report.id]  # the other source stays
    assert second["sharing"]["assertions_with_withheld_sources"] == 1
    assert second["sharing"]["withheld_persons"] == [{"label": label, "why": "consent withdrawn"}]
    assert [(e["recipient"], e["scope"]) for e in earlier] == [
        ("OHCHR fact-finding team", "un_mechanism")]  # fmt: skip


def test_export_route_needs_the_share_permission_and_is_in_the_ledger(world: World) -> None:
    c, a = world.client, world.a
    r = c.get(f"/api/v1/cases/{a}/export", params={"scope": "prosecutors", "recipient": "ICC"},
              headers=world.h("legal"))  # fmt: skip
    assert r.status_code == 200, r.text
    doc = r.json()
    assert doc["sharing"]["withheld_persons"] == [{"label": "W-001", "why": "no consent record"}]
    assert all(rec["id"] != world.witness for rec in doc["records"])
    assert c.get(f"/api/v1/cases/{a}/export", params={"scope": "prosecutors"},
                 headers=world.h("analyst")).status_code == 403  # fmt: skip
    bad = c.get(f"/api/v1/cases/{a}/export", params={"scope": "everyone"}, headers=world.h("legal"))
    assert bad.status_code == 400 and bad.json()["error"]["path"] == "scope"
    with world.ws.session() as s:
        assert sharing.recipients(s, a, "W-001") == []  # withheld, so not sent to anyone
        logged = sharing.audit.entries(s, sharing.audit.Query(action="export", case=a))
    assert logged[0]["detail"]["recipient"] == "ICC"
    assert logged[0]["detail"]["withheld_persons"] == ["W-001"]


def test_cli_export_with_scope_reports_what_it_withheld(tmp_path: Path) -> None:
    home = tmp_path / "ws"
    run_cli(home, "demo")
    case_id = json.loads(run_cli(home, "case", "list", "--json"))[0]["id"]
    out = tmp_path / "shared.json"
    said = run_cli(home, "export", case_id, str(out), "--scope", "un_mechanism", "--to", "OHCHR",
                   "--user", "demo")  # fmt: skip
    assert "withheld W-007: consent withdrawn" in said and "under scope un_mechanism" in said
    doc = json.loads(out.read_text("utf-8"))
    assert doc["sharing"]["scope"] == "un_mechanism"
    with Workspace.open(load_settings(home)) as ws, ws.session() as s:
        sent = sharing.recipients(s, case_id, "W-001")
    assert [(e["recipient"], e["actor"]) for e in sent] == [("OHCHR", "demo")]
    complete = run_cli(home, "export", case_id, str(tmp_path / "all.json"))
    assert "for the team's own use" in complete
    refused = CliRunner().invoke(cli, ["--home", str(home), "export", case_id, str(out),
                                       "--scope", "everyone", "--user", "demo"])  # fmt: skip
    assert refused.exit_code != 0 and "consent_scope" in str(refused.exception)
    # a scoped export names who shared it: with no --user and no operator, nothing is written
    nobody = CliRunner(env={"DALIL_OPERATOR": None, "DALIL_ACTOR": None}).invoke(
        cli, ["--home", str(home), "export", case_id, str(tmp_path / "unnamed.json"),
              "--scope", "un_mechanism"])  # fmt: skip
    assert nobody.exit_code != 0 and "--user NAME" in str(nobody.exception)
    assert not (tmp_path / "unnamed.json").exists()


def run_cli(home: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _protection_details(doc: dict[str, object]) -> tuple[set[str], set[tuple[str, str]]]:
    records = doc["records"]
    assertions = doc["assertions"]
    assert isinstance(records, list) and isinstance(assertions, list)
    kind = {r["id"]: r["kind"] for r in records}
    return (
        {r["kind"] for r in records} & sharing.PROTECTION_KINDS,
        {(kind[a["subject"]], a["field"]) for a in assertions} & sharing.PROTECTION_FIELDS,
    )


def test_public_exports_carry_no_protection_details(demo_ws: Workspace, ws: Workspace) -> None:
    """Review L10: consent to publish an anonymised account is not consent to publish how
    its giver is protected. Only the internal scope keeps risk assessments, protection
    measures, interview places and referrals, and who obtained consent and how."""
    case = _case(demo_ws)
    with demo_ws.session() as s:
        public = sharing.scoped_document(s, case, "public_anonymised")
        internal = sharing.scoped_document(s, case, "internal_analysis")
        full = exchange.export_case(s, case)
    assert _protection_details(public) == (set(), set())
    assert _protection_details(internal) == _protection_details(full) == (
        {"risk_assessment"}, set(sharing.PROTECTION_FIELDS) - {
            ("consent_record", "conditions"), ("consent_record", "guardian")})  # fmt: skip
    text = exchange.dumps(public)
    details = ("Armed group named in the testimony", "no_home_visits", "Protection officer",
               "Safe location outside the town", "Interviewer INV-1", "Psychosocial")  # fmt: skip
    for detail in details:
        assert detail not in text and detail in exchange.dumps(internal), detail
    # the consenting witnesses' accounts and what they agreed to still go out
    kept = {r["id"]: r for r in public["records"]}
    consents = [r for r in kept.values() if r["kind"] == "consent_record"]
    assert len(consents) == 9 and len(public["sharing"]["included_protected"]) == 9
    consent_ids = {c["id"] for c in consents}
    agreed = {a["field"] for a in public["assertions"] if a["subject"] in consent_ids}
    assert agreed == {"date", "explained", "scope"}
    interviews = {r["id"] for r in kept.values() if r["kind"] == "interview"}
    assert {a["field"] for a in public["assertions"] if a["subject"] in interviews} >= {
        "date", "mode", "summary"}  # fmt: skip
    # counted as withheld, and still a valid document a recipient can import
    assert public["sharing"]["withheld_records"] == len(full["records"]) - len(public["records"])
    parsed = exchange.parse(exchange.dumps(public).encode(), max_bytes=10**8)
    with ws.session() as s:
        exchange.import_case(s, parsed)
