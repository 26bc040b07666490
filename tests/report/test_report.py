"""Case-file reports: the demo case in every format and audience, read back with
pdftotext; witness identities never in any report; consent scopes decide what goes in.

pdftotext comes from poppler-utils, which ``make test`` installs (``make report-tools``);
without it the PDF checks are skipped, unless ``DALIL_REQUIRE_REPORT_TOOLS`` is set (as
``.ci/run`` does), when its absence fails the run."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import select

from dalil.access.identities import identity_key
from dalil.access.tables import WitnessIdentity
from dalil.cli import cli
from dalil.demo import build_demo
from dalil.estimate import service as estimates
from dalil.legal import assessments
from dalil.linkage import service as linkage
from dalil.records.cases import all_cases
from dalil.report import casefile
from dalil.vault.crypto import open_sealed
from dalil.vault.service import Vault
from dalil.vault.tables import VaultItem
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE, make_settings

PDFTOTEXT = shutil.which("pdftotext")
if PDFTOTEXT is None and os.environ.get("DALIL_REQUIRE_REPORT_TOOLS"):
    raise RuntimeError("pdftotext (poppler-utils) is missing: run `make report-tools`")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, str, list[str]]]:
    """The demo case with its lists linked, a stored estimate and one confirmed finding;
    also the witnesses' true names (from the identity vault) to look for in reports."""
    settings, _ = make_settings(tmp_path_factory.mktemp("report") / "ws", "sqlite")
    ws = Workspace.create(settings)
    vault = Vault.create(ws, DEMO_PASSPHRASE, "tester")
    build_demo(ws, vault=vault)
    with ws.session() as s:
        case_id = all_cases(s)[0].id
        linkage.run_linkage(s, case_id, "t")
    with ws.session() as s:
        estimates.estimate_case(s, case_id, "analyst", "loglinear", replicates=50)
        estimates.estimate_case(s, case_id, "analyst", "loglinear", ("governorate",),
                                replicates=50)  # fmt: skip
        event = next(
            r for r in casefile.CaseBook.load(s, case_id).of("event") if r.label == "EV-00"
        )
        assessments.confirm(
            s,
            case_id,
            event.id,
            "7-1-h-persecution-religious",
            "group_targeted",
            standard="reasonable_grounds",
            actor="lawyer-1",
        )
        s.commit()
        key = identity_key(s, vault.ring)
        names = []
        for row in s.scalars(select(WitnessIdentity)):
            names += json.loads(open_sealed(key, row.sealed, row.person_id.encode()))["names"]
    assert len(names) >= 10
    yield ws, case_id, names
    ws.close()


def _pdf_text(path: Path) -> str:
    if PDFTOTEXT is None:
        pytest.skip("pdftotext (poppler-utils) is missing: `make report-tools` installs it")
    return subprocess.run(
        [PDFTOTEXT, str(path), "-"], check=True, capture_output=True, text=True
    ).stdout


@pytest.mark.parametrize("audience", ["internal", "committee", "public"])
def test_case_file_in_every_format_holds_every_section_and_no_identity(
    demo: tuple[Workspace, str, list[str]], audience: str, tmp_path: Path
) -> None:
    ws, case_id, identities = demo
    html_path, pdf_path = tmp_path / "case.html", tmp_path / "case.pdf"
    runner = CliRunner()
    for fmt, path in (("html", html_path), ("pdf", pdf_path)):
        result = runner.invoke(
            cli,
            [
                "--home",
                str(ws.home),
                "report",
                case_id,
                "--format",
                fmt,
                "--out",
                str(path),
                "--audience",
                audience,
            ],
        )
        assert result.exit_code == 0, result.output
    html = html_path.read_text("utf-8")
    assert pdf_path.read_bytes().startswith(b"%PDF-")
    text = _pdf_text(pdf_path)
    flat = " ".join(text.split())
    for section in casefile.SECTIONS:
        assert section in flat and section in html, section
    # the element matrix: each hypothesis, the confirmed finding with its assessor
    for title in (
        "War crime of murder",
        "Crime against humanity of persecution",
        "Crime against humanity of extermination",
        "Superior responsibility",
    ):
        assert title in flat, title
    assert "lawyer-1" in flat and "reasonable grounds" in flat
    # documented against estimated, with an interval
    assert "Documented individually: 150" in flat and "95%:" in flat
    assert "stratum Latakia" in flat  # the stratified estimate, per governorate
    # every evidence item's SHA-256 and the signed tree head's root
    with ws.session() as s:
        hashes = [
            i.sha256 for i in s.scalars(select(VaultItem).where(VaultItem.case_id == case_id))
        ]
        head = casefile.ledger.latest_head(s)
    assert hashes and head is not None
    squeezed = "".join(text.split())
    for h in [*hashes, head.root_hash.hex()]:
        assert h in squeezed and h in html
    # Arabic names stay Arabic and right to left, set in the Noto Arabic font `make
    # report-tools` installs (not a fallback), and every page carries the audience
    fonts = subprocess.run(["pdffonts", str(pdf_path)], capture_output=True, text=True).stdout
    assert "Noto-Naskh-Arabic" in fonts or "Noto-Sans-Arabic" in fonts, fonts
    assert f"dalil · {audience} case file · page 1 of" in flat
    assert "لواء درع الساحل" in text and 'dir="rtl" lang="ar">لواء درع الساحل' in html
    # no witness identity in any report's bytes
    for name in identities:  # "given family" (victims' names have four parts between)
        assert name not in html and name not in text, (audience, name)
    if audience == "internal":
        assert "W-007" in html  # every witness by pseudonym
    else:  # W-007 withdrew consent: withheld from any report that leaves the team
        assert "W-007: consent withdrawn" in flat
        assert "Testimony of W-007" not in html
    if audience == "public":  # no individual victim or alleged commander named
        assert "Victims documented individually" not in html
        assert "alleged commander (name withheld)" in html


def test_case_file_on_each_backend_and_refusals(demo_ws: Workspace) -> None:
    with demo_ws.session() as s:
        case_id = all_cases(s)[0].id
        cf = casefile.build(s, demo_ws.home, case_id, "committee")
        html = casefile.render_html(cf)
        assert "Consent scope <b>state_committee</b>" in html and "Element matrix" in html
        with pytest.raises(casefile.InvalidInput, match="audience"):
            casefile.build(s, demo_ws.home, case_id, "press")


def test_case_file_head_covers_the_demo_evidence(
    demo: tuple[Workspace, str, list[str]], tmp_path: Path
) -> None:
    """Issue 20: the demo's case file showed the head signed when the vault was made (size
    1) while its evidence sat at ledger index 11. Made with the vault unlocked, the file
    signs a head over its evidence, and the offline verifier accepts its appendix."""
    from dalil.vault.bundle import verify_bundle

    ws, case_id, _ = demo
    vault = Vault.unlock(ws, DEMO_PASSPHRASE)
    with ws.session() as s:
        cf = casefile.build(s, ws.home, case_id, "public", sign=vault.checkpoint)
    assert cf.head is not None and cf.appendix is not None and cf.evidence
    assert cf.head.tree_size > max(e["ledger_index"] for e in cf.evidence)
    assert cf.appendix["not_covered"] == []
    path = tmp_path / "case.html"
    path.write_text(casefile.render_html(cf), encoding="utf-8")
    assert verify_bundle(path, vault.ring.public_key) == (
        [],
        {
            "items": len(cf.evidence),
            "kind": "case file",
            "tree_size": cf.head.tree_size,
            "root_hash": cf.head.root_hash.hex(),
            "public_key": cf.head.public_key.hex(),
            "case": case_id,
        },
    )
