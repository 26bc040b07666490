"""The case file's evidence index names each item (issue 22, item 2): with the vault
unlocked, by original name, description, source and the records it supports; without
it, "name sealed"; for the public, a neutral description only; and what a consent scope
withholds stays withheld. The named index still verifies offline."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from dalil.demo import build_demo
from dalil.records.cases import all_cases
from dalil.report import casefile, evidence_index
from dalil.vault.bundle import verify_bundle
from dalil.vault.service import Vault
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE, make_settings


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Workspace, Vault, str]]:
    settings, _ = make_settings(tmp_path_factory.mktemp("index") / "ws", "sqlite")
    ws = Workspace.create(settings)
    vault = Vault.create(ws, DEMO_PASSPHRASE, "tester")
    build_demo(ws, vault=vault)
    with ws.session() as s:
        case_id = all_cases(s)[0].id
    yield ws, vault, case_id
    ws.close()


def _names(ws: Workspace) -> list[str]:
    return sorted(p.name for p in (ws.home / "demo" / "evidence").iterdir())


def _file(
    demo: tuple[Workspace, Vault, str], audience: str, unlocked: bool
) -> tuple[casefile.CaseFile, str]:
    ws, vault, case_id = demo

    def unseal(ids: list[str]) -> dict[str, dict[str, Any]]:
        return vault.describe_many(case_id, ids, "reporter", "case file")

    with ws.session() as s:
        cf = casefile.build(
            s, ws.home, case_id, audience, sign=vault.checkpoint,
            unseal=unseal if unlocked else None,
        )  # fmt: skip
    return cf, casefile.render_html(cf)


def test_internal_index_names_every_item_and_what_it_supports(
    demo: tuple[Workspace, Vault, str], tmp_path: Path
) -> None:
    ws, vault, _ = demo
    cf, html = _file(demo, "internal", unlocked=True)
    names = _names(ws)
    assert len(cf.evidence) == len(names) >= 25
    section = html[html.index('<section id="evidence">') :]
    section = section[: section.index("</section>")]
    for name in names:
        assert name in section, name
    assert all(e["name"] and e["description"] and e["supports"] for e in cf.evidence)
    assert "EV-02" in section and "BS-1" in section and "W-003" in section
    assert "Source: Field team FT-2" in section and "name sealed" not in section
    path = tmp_path / "case.html"
    path.write_text(html, encoding="utf-8")
    faults, summary = verify_bundle(path, vault.ring.public_key)
    assert faults == [] and summary["items"] == len(names)


def test_without_the_vault_names_are_sealed(demo: tuple[Workspace, Vault, str]) -> None:
    ws, _, _ = demo
    cf, html = _file(demo, "internal", unlocked=False)
    assert all(e["note"] == evidence_index.SEALED and not e["name"] for e in cf.evidence)
    assert html.count("name sealed") == len(cf.evidence)
    for name in _names(ws):
        assert name not in html
    assert all(e["supports"] for e in cf.evidence)  # links are not sealed


def test_public_index_describes_items_neutrally(demo: tuple[Workspace, Vault, str]) -> None:
    ws, _, _ = demo
    cf, html = _file(demo, "public", unlocked=True)
    for name in _names(ws):
        assert name not in html
    assert "Field team FT-2" not in html and "INV-1" not in html.split('id="evidence"')[1]
    kinds = {e["description"] for e in cf.evidence}
    assert {"Photograph", "Video", "PDF document", "Text", "Translation (text)"} <= kinds
    assert "Conversion (animated image)" in kinds
    assert any("person record(s)" in r for e in cf.evidence for r in e["supports"])


def test_committee_index_withholds_what_consent_withholds(
    demo: tuple[Workspace, Vault, str],
) -> None:
    ws, _, _ = demo
    cf, html = _file(demo, "committee", unlocked=True)
    withdrawn = [n for n in _names(ws) if n.startswith("W-007_")]
    assert withdrawn and not any(n in html for n in withdrawn)
    assert any(e["note"] == evidence_index.WITHHELD for e in cf.evidence)
    named = [e for e in cf.evidence if e["name"]]
    assert len(named) >= 20  # W-002 consented to the committee; W-001 did not
    assert "W-002_interview_2025-03-14_ar.txt" in html
    assert "W-001_interview_2025-03-13_ar.txt" not in html


def test_neutral_description_of_media_types() -> None:
    assert evidence_index.neutral("image/jpeg", None) == "Photograph"
    assert evidence_index.neutral("video/x-msvideo", None) == "Video"
    assert evidence_index.neutral("text/plain", "translation") == "Translation (text)"
    assert evidence_index.neutral("application/zip", None) == "File"
