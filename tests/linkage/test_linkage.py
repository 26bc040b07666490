"""Victim-list import, the linkage engine, clustering, review decisions, outputs."""

from __future__ import annotations

import csv
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from dalil.cli import cli
from dalil.errors import Conflict, InvalidInput
from dalil.intake import fields
from dalil.intake.victim_lists import ListInvalid, detect_encoding, parse_mapping, read_list
from dalil.linkage import service
from dalil.linkage.engine import LinkageConfig, cluster, link, plan_blocking, prepare, record_key
from dalil.linkage.outputs import upset_svg
from dalil.linkage.synth import generate, pairs_within
from dalil.records import cases
from dalil.workspace import Workspace

HEADER = "record_id,full_name,sex,age,date_of_death,place_of_death\n"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


# -- field parsers ---------------------------------------------------------------------------


def test_field_parsers() -> None:
    assert fields.parse_sex("أنثى") == "f" and fields.parse_sex("Male") == "m"
    assert fields.parse_sex("") is None
    assert fields.parse_age("٣٤") == 34 and fields.parse_age("30-40") == 35
    d = fields.parse_date("8 آذار 2025")
    assert d is not None and d[0] == d[1] and d[0].isoformat() == "2025-03-08"
    month = fields.parse_date("March 2025")
    assert month is not None and (month[0].day, month[1].day) == (1, 31)
    for bad, parse in (
        ("maybe", fields.parse_sex),
        ("old", fields.parse_age),
        ("31/02/2025", fields.parse_date),
        ("8 Brumaire 2025", fields.parse_date),
    ):
        with pytest.raises(ValueError):
            parse(bad)


# -- import ----------------------------------------------------------------------------------


def test_detects_windows_1256_arabic(tmp_path: Path) -> None:
    text = HEADER + "1,محمد علي حسن,ذكر,34,2025-03-08,بانياس\n"
    f = write(tmp_path / "ar.csv", text, "cp1256")
    assert detect_encoding(f.read_bytes()) == "cp1256"
    parsed = read_list(f)
    assert parsed.encoding == "cp1256"
    assert parsed.rows[0].values["full_name"] == "محمد علي حسن"
    assert detect_encoding("record_id\n1\n".encode("utf-16")) == "utf-16"
    assert detect_encoding(b"\xef\xbb\xbfa") == "utf-8-sig"
    assert detect_encoding("José".encode("cp1252")) == "cp1252"


def test_xlsx_and_column_mapping(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["الرقم", "الاسم الكامل", "العمر", "تاريخ الوفاة"])
    sheet.append([7, "أحمد خليل ديب", 41.0, "2025-03-07"])
    path = tmp_path / "list.xlsx"
    book.save(path)
    parsed = read_list(
        path,
        parse_mapping(
            ["الرقم=record_id", "الاسم الكامل=full_name", "العمر=age", "تاريخ الوفاة=date_of_death"]
        ),
    )
    assert parsed.encoding == "xlsx"
    assert parsed.rows[0].values == {
        "record_id": "7",
        "full_name": "أحمد خليل ديب",
        "age": "41",
        "date_of_death": "2025-03-07",
    }
    assert parsed.rows[0].raw["الرقم"] == "7"


def test_every_bad_row_is_reported_with_file_row_and_column(tmp_path: Path) -> None:
    text = HEADER + (
        "1,Ali Hasan,M,34,2025-03-08,Baniyas\n"
        "1,Omar Dib,M,30,2025-03-08,Baniyas\n"
        "3,,X,200,2025-13-01,Baniyas\n"
    )
    f = write(tmp_path / "bad.csv", text)
    with pytest.raises(ListInvalid) as info:
        read_list(f)
    problems = info.value.problems
    assert "bad.csv:3:record_id: record_id repeats row 2" in problems
    assert "bad.csv:4:full_name: empty full_name" in problems
    assert any(p.startswith("bad.csv:4:sex:") for p in problems)
    assert any(p.startswith("bad.csv:4:age:") for p in problems)
    assert any(p.startswith("bad.csv:4:date_of_death:") for p in problems)


@pytest.mark.parametrize(
    ("text", "where", "what"),
    [
        ("", "empty.csv", "empty"),
        ("record_id,name\n1,x\n", "empty.csv:1", "missing required column(s) full_name"),
        ("record_id,full_name\n", "empty.csv:2", "no rows"),
    ],
)
def test_structural_errors(tmp_path: Path, text: str, where: str, what: str) -> None:
    f = write(tmp_path / "empty.csv", text)
    with pytest.raises(InvalidInput) as info:
        read_list(f)
    assert info.value.path == where and what in info.value.message


def test_unreadable_encoding_and_bad_map(tmp_path: Path) -> None:
    f = tmp_path / "bin.csv"
    f.write_bytes(b"record_id,full_name\n1,\x00\x81\x9d\n")
    with pytest.raises(InvalidInput, match="encoding"):
        read_list(f)
    good = write(tmp_path / "ok.csv", "id,name\n1,Ali\n")
    with pytest.raises(InvalidInput, match="unknown field"):
        read_list(good, {"id": "identifier"})
    with pytest.raises(InvalidInput, match="does not have"):
        read_list(good, {"nope": "record_id"})
    with pytest.raises(InvalidInput, match="COLUMN=FIELD"):
        parse_mapping(["nonsense"])


def test_failed_or_repeated_import_changes_nothing(ws: Workspace, tmp_path: Path) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Linkage test", actor="t")
        case_id = case.id
    good = write(tmp_path / "a.csv", HEADER + "1,Ali Hasan,M,34,2025-03-08,Baniyas\n")
    with ws.session() as s:
        service.import_list(s, case_id, "ngo_a", read_list(good), "t")
    with pytest.raises(Conflict), ws.session() as s:
        service.import_list(s, case_id, "ngo_a", read_list(good), "t")
    with ws.session() as s:
        assert [v.source for v in service.lists(s, case_id)] == ["ngo_a"]
        assert len(service.case_rows(s, case_id)) == 1


# -- clustering ------------------------------------------------------------------------------


def test_clustering_refuses_chains_and_honours_decisions() -> None:
    keys = ["a", "b", "c", "d"]
    pairs = [("a", "b", 0.99), ("b", "c", 0.98), ("a", "c", 0.01), ("c", "d", 0.2)]
    result = cluster(keys, pairs, config=LinkageConfig(threshold=0.8), n_sources=2)
    assert result.cluster_of["a"] == result.cluster_of["b"] != result.cluster_of["c"]
    assert any(item.kind == "conflict" for item in result.review)
    decided = cluster(
        keys,
        pairs,
        [("a", "b", "no_match"), ("c", "d", "match")],
        LinkageConfig(threshold=0.8),
        n_sources=2,
    )
    assert decided.cluster_of["a"] != decided.cluster_of["b"]
    assert decided.cluster_of["b"] == decided.cluster_of["c"] == decided.cluster_of["d"]
    # decided pairs never come back for review
    assert all({i.left, i.right} != {"c", "d"} for i in decided.review)


def test_cluster_size_cap_sends_merges_to_review() -> None:
    keys = [f"k{i}" for i in range(6)]
    pairs = [(a, b, 0.95) for i, a in enumerate(keys) for b in keys[i + 1 :]]
    result = cluster(keys, pairs, config=LinkageConfig(max_cluster_size=4), n_sources=2)
    assert max(len(m) for m in result.members().values()) == 4
    assert any(item.kind == "large" for item in result.review)


# -- engine on generated lists ---------------------------------------------------------------


def _pairwise(members: dict[str, list[str]]) -> set[tuple[str, str]]:
    return pairs_within(members.values())


def test_links_arabic_and_latin_lists_of_generated_population() -> None:
    data = generate(800, 3, seed=5)
    rows = [dict(r, source=src) for src, rs in data.lists.items() for r in rs]
    result = link(rows)
    truth = {tuple(sorted((record_key(*a), record_key(*b)))) for a, b in data.true_pairs()}
    found = _pairwise(result.clusters.members())
    tp = len(found & truth)
    precision, recall = tp / len(found), tp / len(truth)
    assert precision > 0.7 and recall > 0.8, (precision, recall)
    cross = [(a, b) for a, b in found & truth if a.startswith("list_a") != b.startswith("list_a")]
    assert len(cross) > 0.5 * tp  # most correct links join the Arabic list with a Latin one
    assert result.scored.model["link_type"] == "dedupe_only"
    assert {c["output_column_name"] for c in result.scored.model["comparisons"]} >= {
        "given",
        "middle",
        "family",
        "date_of_death",
        "place",
    }
    sources, hist = result.captures()
    assert len(sources) == 3 and all(any(h) for h in hist.values())


# -- workspace: run, review, decisions honoured --------------------------------------------------


def test_run_review_and_decision_honoured_on_rerun(demo_ws: Workspace, tmp_path: Path) -> None:
    home = demo_ws.home
    with demo_ws.session() as s:
        case_id = cases.all_cases(s)[0].id
        service.delete_runs(s, case_id)
        if not service.lists(s, case_id):
            for f in sorted((home / "demo" / "lists").glob("*.csv")):
                service.import_list(s, case_id, f.stem, read_list(f), "t")
    with demo_ws.session() as s:
        summary, _ = service.run_linkage(s, case_id, "t")
    assert summary.records == 377 and 150 < summary.persons < 260
    with demo_ws.session() as s:
        run = service.latest_run(s, case_id)
        model = json.loads(run.model)
        assert model["comparisons"] and json.loads(run.inputs).keys() == {
            "coastal_documentation_network",
            "families_for_truth",
            "olive_branch_monitor",
        }
        members = service.persons(s, run.id)
        sources = sorted(json.loads(run.inputs))
        histories = service.capture_histories(members, sources)
        assert len(histories) == summary.persons
        assert sum(map(sum, histories.values())) >= summary.persons  # each on >= 1 list
        _person, recs = next((p, r) for p, r in members.items() if len(r) >= 2)
        left, right = (record_key(*recs[0]), record_key(*recs[1]))
        service.decide(s, case_id, left, right, "no_match", "reviewer", "different fathers")
    with demo_ws.session() as s:
        service.run_linkage(s, case_id, "t")
        members = service.persons(s, service.latest_run(s, case_id).id)
        where = {rec: p for p, recs in members.items() for rec in recs}
        assert where[recs[0]] != where[recs[1]]
        for item in service.next_reviews(s, case_id, 50):
            assert {item.left_key, item.right_key} != {left, right}
        service.delete_runs(s, case_id)


# -- outputs and CLI -------------------------------------------------------------------------


def test_upset_chart_is_valid_svg() -> None:
    svg = upset_svg(["ngo_a", "ngo_b"], {"P1": (1, 1), "P2": (1, 0), "P3": (1, 0)})
    root = ET.fromstring(svg)
    assert root.tag.endswith("svg")
    texts = {
        kind: [
            e.text for e in root.iter("{http://www.w3.org/2000/svg}text") if e.get("class") == kind
        ]
        for kind in ("list-name", "size-label")
    }
    assert texts == {
        "list-name": ["ngo_a", "ngo_b"],
        "size-label": ["\u20663\u2069", "\u20661\u2069"],
    }


def test_link_lists_cli_writes_clusters_captures_model_and_chart(tmp_path: Path) -> None:
    data = generate(150, 3, seed=9)
    paths = data.write(str(tmp_path / "lists"))
    out, caps, chart = tmp_path / "clusters.csv", tmp_path / "captures.csv", tmp_path / "o.svg"
    result = CliRunner().invoke(
        cli,
        ["link-lists", *paths, "--out", str(out), "--captures", str(caps), "--chart", str(chart),
         "--compare", "mother_name"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    with out.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == sum(len(v) for v in data.lists.values())
    assert set(rows[0]) == {"source", "record_id", "cluster_id"}
    with caps.open(encoding="utf-8") as fh:
        cap_rows = list(csv.DictReader(fh))
    assert list(cap_rows[0]) == [*sorted(data.lists), "count"]
    assert sum(int(r["count"]) for r in cap_rows) == len({r["cluster_id"] for r in rows})
    model = json.loads(out.with_suffix(".model.json").read_text())
    names = {c["output_column_name"] for c in model["comparisons"]}
    assert {"given", "family", "date_of_death", "x_mother_name"} <= names
    assert "birth_date" not in names  # no list has birth dates: no comparison for them
    assert model["dalil_training"]["em_sessions"]
    ET.fromstring(chart.read_text(encoding="utf-8"))


def test_lists_import_cli_reports_every_problem(tmp_path: Path, settings: object) -> None:
    from dalil.cli import main

    bad = write(tmp_path / "bad.csv", HEADER + "1,Ali,M,x,2025-03-08,B\n1,Omar,M,3,nope,B\n")
    home = str(settings.home)
    Workspace.create(settings).close()  # type: ignore[arg-type]
    runner = CliRunner()
    assert runner.invoke(cli, ["--home", home, "case", "create", "T"]).exit_code == 0
    with pytest.raises(SystemExit) as exit_info:
        main(["--home", home, "lists", "import", "T", str(bad), "--source", "x"])
    assert exit_info.value.code == 2


def test_demo_lists_link_to_their_true_persons(demo_ws: Workspace) -> None:
    """The demo's three lists (Arabic script and two Latin styles) against demo/truth.csv."""
    with demo_ws.session() as s:
        case_id = cases.all_cases(s)[0].id
        rows = service.case_rows(s, case_id)
    result = link(rows)
    with (demo_ws.home / "demo" / "truth.csv").open(encoding="utf-8") as fh:
        truth = {
            record_key(r["source"], r["record_id"]): r["true_person"] for r in csv.DictReader(fh)
        }
    by_person: dict[str, list[str]] = {}
    for key, person in truth.items():
        by_person.setdefault(person, []).append(key)
    true_pairs, found = _pairwise(by_person), _pairwise(result.clusters.members())
    tp = len(true_pairs & found)
    assert tp / len(found) > 0.95 and tp / len(true_pairs) > 0.95


def test_blocking_rules_are_tightened_to_the_budget() -> None:
    data = generate(400, 3, seed=2)
    prepared = prepare([dict(r, source=src) for src, rs in data.lists.items() for r in rs])
    wide, notes = plan_blocking(prepared, LinkageConfig())
    assert not notes and ("given_k", "family_k") in wide
    assert plan_blocking(prepared, LinkageConfig(), present={"given_k"})[0] == []
    # everyone a namesake: 1,000 x 60 records with one name give ~1.8e9 pairs on that rule
    many = pd.concat([prepared.assign(given_k="mhmd", family_k="ahmd")] * 60)
    rules, notes = plan_blocking(many, LinkageConfig())
    assert ("given_k", "family_k") not in rules
    assert any(n.startswith("blocking rule given_k + family_k") for n in notes)


def test_options_for_western_style_data() -> None:
    rows = [
        {
            "source": "a",
            "record_id": "1",
            "full_name": "John Smith",
            "birth_date": "1956-03-12",
            "place_of_death": "Springfield",
            "address": "12 Elm Street",
        },
        {
            "source": "b",
            "record_id": "1",
            "full_name": "Smith John",
            "birth_date": "1965-03-12",
            "place_of_death": "Springfield",
            "address": "12 Elm Street",
        },
    ]
    prepared = prepare(rows, extra=("address",))
    assert list(prepared["x_address"]) == ["12 elm street", "12 elm street"]
    assert list(prepared["dob_s"]) == ["19560312", "19650312"]


def test_spark_backend_links_like_duckdb() -> None:
    pytest.importorskip("pyspark", reason="pyspark not installed: pip install 'dalil[spark]'")
    data = generate(150, 3, seed=4)
    rows = [dict(r, source=src) for src, rs in data.lists.items() for r in rs]
    truth = {tuple(sorted((record_key(*a), record_key(*b)))) for a, b in data.true_pairs()}
    spark = link(rows, LinkageConfig(backend="spark"))
    found = _pairwise(spark.clusters.members())
    tp = len(found & truth)
    assert tp / len(found) > 0.7 and tp / len(truth) > 0.7
