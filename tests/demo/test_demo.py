from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path

from sqlalchemy import select

from dalil.config import load_settings
from dalil.demo import TITLE, build_demo
from dalil.model.tables import Case
from dalil.places.folding import is_arabic
from dalil.records import Records, exchange
from dalil.records.overview import case_overview
from dalil.workspace import Workspace


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _case_id(ws: Workspace) -> str:
    with ws.session() as s:
        return s.scalars(select(Case.id)).one()


def test_demo_is_realistic_and_marked_fictional(demo_ws: Workspace) -> None:
    with demo_ws.session() as s:
        case = s.get_one(Case, _case_id(demo_ws))
        assert case.fictional and "FICTIONAL" in case.title and case.title == TITLE
        o = case_overview(s, case.id)
        book = Records(s, case.id, "t")
        assert 18 <= o.summary.events - 1 <= 22  # incidents under one umbrella
        assert (
            o.summary.victims == 150 and o.summary.burial_sites == 2 and o.summary.interviews == 10
        )
        groups = [
            v
            for v in book.all("organisation")
            if v.value("org_type") in ("pro_government_forces", "armed_forces", "identity_militia")
        ]
        assert len([g for g in groups if "Division" not in g.title]) == 3
        assert all("FICTIONAL" in src.title for src in book.all("source"))
        assert len(book.all("consent_record")) == 10 and len(book.all("risk_assessment")) == 10
        assert o.disagreements, "the demo must show sources in disagreement"
        umbrella = next(e for e in o.events if e.label == "EV-00")
        assert "more than 100 killed (reported)" in umbrella.casualties
        victims = book.all("person")
        named = [v for v in victims if v.current.get("name")]
        scripts = {f.value.script for v in named for f in v.current["name"]}
        assert scripts == {"Arab", "Latn"}
        assert all(
            len(v.current["name"][0].value.full.split()) >= 4
            for v in named
            if v.protection_level == "public" and v.value("deceased") == "yes"
        )
        witnesses = [v for v in victims if v.protection_level != "public"]
        assert len(witnesses) == 10 and all(
            v.label and v.label.startswith("W-") and "name" not in v.current for v in witnesses
        )
        asked = [a for a in book.all("act") if "sect" in a.values("identity_questioned")]
        assert 30 <= len(asked) <= 90


def test_demo_lists_overlap_and_differ_in_script(demo_ws: Workspace) -> None:
    folder = demo_ws.home / "demo"
    lists = {p.stem: _rows(p) for p in sorted((folder / "lists").glob("*.csv"))}
    assert set(lists) == {
        "coastal_documentation_network",
        "olive_branch_monitor",
        "families_for_truth",
    }
    assert all(is_arabic(r["full_name"]) for r in lists["coastal_documentation_network"])
    assert not any(
        is_arabic(r["full_name"])
        for name in ("olive_branch_monitor", "families_for_truth")
        for r in lists[name]
    )
    truth = _rows(folder / "truth.csv")
    assert len(truth) == sum(len(rows) for rows in lists.values())
    per_person = Counter(t["true_person"] for t in truth)
    sources_per_person: dict[str, set[str]] = {}
    for t in truth:
        sources_per_person.setdefault(t["true_person"], set()).add(t["source"])
    assert any(len(v) == 3 for v in sources_per_person.values())  # overlap
    assert any(
        n > len(sources_per_person[p]) for p, n in per_person.items()
    )  # duplicates inside a list
    assert len(sources_per_person) < 220  # some deaths are on no list


def test_demo_is_deterministic(demo_ws: Workspace, tmp_path: Path) -> None:
    other = Workspace.create(load_settings(tmp_path / "again"))
    build_demo(other)
    with demo_ws.session() as a, other.session() as b:
        first = exchange.dumps(exchange.export_case(a, _case_id(demo_ws)))
        assert exchange.dumps(exchange.export_case(b, _case_id(other))) == first
    for name in ("coastal_documentation_network", "olive_branch_monitor", "families_for_truth"):
        path = Path("demo") / "lists" / f"{name}.csv"
        assert (demo_ws.home / path).read_bytes() == (other.home / path).read_bytes()
    other.close()
