"""``dalil estimate``: JSON on stdout, export for R, K sensitivity, bad options named.

In-process (click's runner) for speed; one subprocess test checks the one-line error a
user sees. The case tests run on a copy of the demo workspace, linked once per module.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dalil.cli import cli
from dalil.errors import InvalidInput
from dalil.estimate.captures import read_csv
from dalil.linkage import service as linkage
from dalil.records import cases
from workspace_templates import copy_workspace

KOSOVO = Path(__file__).parent.parent / "fixtures" / "mse" / "kosovo_1999.csv"
FAST_LCMCR = ["--burnin", "200", "--samples", "60", "--thinning", "2", "--chains", "2"]


def invoke(*args: str | Path, home: Path | None = None) -> Result:
    prefix = ["--home", str(home)] if home else []
    return CliRunner().invoke(cli, [*prefix, "estimate", *map(str, args)])


def ok(*args: str | Path, home: Path | None = None) -> Result:
    result = invoke(*args, home=home)
    assert result.exit_code == 0, (result.output, result.exception)
    return result


def refused(*args: str | Path, home: Path | None = None) -> InvalidInput:
    result = invoke(*args, home=home)
    assert isinstance(result.exception, InvalidInput), (result.output, result.exception)
    return result.exception


@pytest.fixture(autouse=True)
def _no_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DALIL_DATABASE_URL", raising=False)


def test_json_on_stdout_parses_and_carries_the_estimate() -> None:
    result = ok(KOSOVO, "--method", "loglinear", "--replicates", "20", "--json")
    found = json.loads(result.stdout)
    assert found["method"] == "loglinear" and found["observed"] == 4400
    assert found["lists"] == ["EXH", "ABA", "OSCE", "HRW"]
    lo, hi = found["interval"]
    assert lo <= found["estimate"] <= hi
    assert {"overlaps", "odds_ratios", "ranking", "fixed_terms"} <= set(found["diagnostics"])


def test_text_output_without_a_terminal_has_no_progress_bar() -> None:
    result = ok(KOSOVO, "--method", "loglinear", "--replicates", "20")
    assert "killed (estimate)" in result.output
    assert "fitting models" not in result.output  # the progress bar's label


def test_export_writes_the_three_files_for_r(tmp_path: Path) -> None:
    out = tmp_path / "for-r"
    ok(KOSOVO, "--method", "loglinear", "--replicates", "20", "--export", out)
    assert sorted(p.name for p in out.iterdir()) == ["captures.csv", "check.R", "model.json"]
    record = json.loads((out / "model.json").read_text(encoding="utf-8"))
    assert record["method"] == "loglinear" and record["hierarchy"].startswith("[")
    assert read_csv(out / "captures.csv").n == 4400


def test_export_to_a_file_is_refused_before_estimating(tmp_path: Path) -> None:
    (tmp_path / "taken").write_text("x")
    err = refused(KOSOVO, "--method", "loglinear", "--export", tmp_path / "taken")
    assert err.path == "--export" and "is a file" in str(err)


def test_k_sensitivity_adds_one_lcmcr_run_per_k() -> None:
    result = ok(KOSOVO, "--k", "3", "--k-sensitivity", "2, 4", *FAST_LCMCR, "--json")
    by_k = json.loads(result.stdout)["diagnostics"]["k_sensitivity"]
    assert [r["k"] for r in by_k] == [2, 4]
    assert all(4400 <= r["interval"][0] <= r["estimate"] <= r["interval"][1] for r in by_k)
    text = ok(KOSOVO, "--k", "3", "--k-sensitivity", "2", *FAST_LCMCR).output
    assert "LCMCR across K" in text


@pytest.mark.parametrize(
    ("args", "where", "says"),
    [
        (["--k-sensitivity", "5,ten"], "--k-sensitivity", "whole numbers"),
        (["--k-sensitivity", "0"], "--k-sensitivity", "whole numbers"),
        (["--k-sensitivity", "5", "--method", "dga"], "--k-sensitivity", "--method lcmcr"),
        (["--linkage-draws", "5"], "--linkage-draws", "only with --case"),
        (["--strata", "sex"], "--strata", "needs --case"),
    ],
)
def test_bad_options_are_named(args: list[str], where: str, says: str) -> None:
    err = refused(KOSOVO, *args)
    assert err.path == where and says in str(err)


def test_a_capture_file_with_a_wrong_column_is_located(tmp_path: Path) -> None:
    bad = tmp_path / "captures.csv"
    bad.write_text("a,b,c,count\n1,0,1,5\n0,2,1,3\n", encoding="utf-8")
    err = refused(bad, "--method", "loglinear")
    assert err.path == "captures.csv:3:b" and "0 or 1" in str(err)


def test_the_user_sees_one_line_naming_the_option(tmp_path: Path) -> None:
    exe = Path(sys.executable).with_name("dalil")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DALIL_")}
    (tmp_path / "taken").write_text("x")
    for args, line in (
        (["--k-sensitivity", "x"], "error [input.invalid] --k-sensitivity: "),
        (["--linkage-draws", "3"], "error [input.invalid] --linkage-draws: "),
        (["--export", str(tmp_path / "taken")], "error [input.invalid] --export: "),
    ):
        done = subprocess.run(
            [str(exe), "estimate", str(KOSOVO), *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 2 and done.stdout == ""
        assert done.stderr.startswith(line) and "Traceback" not in done.stderr


@pytest.fixture(scope="module")
def linked_demo(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Iterator[Path]:
    """A copy of the demo workspace whose case has one linkage run; yields its home."""
    home = tmp_path_factory.mktemp("estimate-cli") / "ws"
    ws = copy_workspace(demo_template, home)
    try:
        with ws.session() as s:
            linkage.run_linkage(s, cases.all_cases(s)[0].id, "tester")
    finally:
        ws.close()
    yield home


def _case(home: Path) -> str:
    listed = CliRunner().invoke(cli, ["--home", str(home), "case", "list", "--json"])
    return str(json.loads(listed.stdout)[0]["id"])


def test_a_case_by_strata_names_its_small_strata_and_exports_each(
    linked_demo: Path, tmp_path: Path
) -> None:
    case = _case(linked_demo)
    out = tmp_path / "strata"
    # the demo's lists write sex each their own way, so each sex stratum is mostly one
    # list's: small strata, and lists that hold everyone in theirs
    result = ok("--case", case, "--strata", "governorate,sex", *FAST_LCMCR,
                "--export", out, "--json", home=linked_demo)  # fmt: skip
    found = json.loads(result.stdout)
    assert found["small_strata"], found["warnings"]
    assert any("too small to estimate" in w for w in found["warnings"])
    held = [e for e in found["strata"].values() if any("holds every" in w for w in e["warnings"])]
    assert held or "overlaps" not in next(iter(found["strata"].values()))["diagnostics"]
    index = json.loads((out / "strata.json").read_text(encoding="utf-8"))
    assert set(index["strata"]) == set(found["strata"])
    for folder in index["strata"].values():
        assert (out / folder / "check.R").exists()


def test_linkage_draws_with_a_case(linked_demo: Path, tmp_path: Path) -> None:
    case = _case(linked_demo)
    args = ["--case", case, "--method", "loglinear", "--replicates", "20", "--linkage-draws", "3"]
    result = ok(*args, "--export", tmp_path, "--json", home=linked_demo)
    found = json.loads(result.stdout)
    doubt = found["linkage_doubt"]
    assert doubt["draws"] == 3 and len(doubt["linkage_blind_interval"]) == 2
    record = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    assert record["estimate"] == doubt["linkage_blind_estimate"]
    assert record["with_linkage_doubt"]["estimate"] == found["estimate"]
    text = ok("--case", case, "--method", "loglinear", "--replicates", "20",
              "--linkage-draws", "3", home=linked_demo).output  # fmt: skip
    assert "linkage-blind" in text
    err = refused("--case", case, "--strata", "sex", "--linkage-draws", "3", home=linked_demo)
    assert err.path == "--linkage-draws"


def test_text_output_prints_the_diagnostics_tables() -> None:
    text = ok(KOSOVO, "--method", "loglinear", "--replicates", "20").output
    for shown in ("only on it", "EXH + ABA", "2.93", "2.38 - 3.61", "ΔBIC", "fixed at -∞",
                  "the 10 best models give 7,665 - 20,704 (5 shown)",
                  "the interval covers the choice by BIC among the 100 best"):  # fmt: skip
        assert shown in text.replace("\n", " "), shown
