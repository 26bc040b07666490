"""``dalil link`` and ``dalil link-lists`` are quiet by default (issue 25): a summary on
standard output, Splink's log lines in a log file (on standard error only with --verbose).

The link-lists tests run the installed ``dalil`` as a real process, so that what reaches
its standard error is exactly what a person would see; ``dalil link`` runs in-process on a
fresh workspace, which also checks that the command gives the "splink" logger back as it
found it (tests run many commands in one process).
"""

from __future__ import annotations

import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from dalil.cli import cli
from dalil.linkage.synth import generate

DALIL = Path(sys.executable).with_name("dalil")
#: A line only Splink writes (its predict() warning on these small lists), and its loggers.
SPLINK_LINE = "m values not fully trained"
EXPECTED = re.compile(r"the model expects precision (0|1)\.\d+ and recall (0|1)\.\d+")


@pytest.fixture(scope="module")
def lists(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    """Two synthetic lists of about 130 records each (one Arabic, one English script)."""
    return generate(300, 2, seed=3).write(str(tmp_path_factory.mktemp("lists")))


def dalil(*args: str | Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DALIL_")}
    return subprocess.run(
        [str(DALIL), *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
        check=False,
    )


def test_link_lists_prints_a_summary_and_logs_splink_to_a_file(
    lists: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "clusters.csv"
    done = dalil("link-lists", *lists, "--out", out, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no stage lines, no bar (not a terminal), no Splink lines
    text = done.stdout
    records = sum(len(Path(p).read_text(encoding="utf-8").splitlines()) - 1 for p in lists)
    assert text.startswith(f"{records} records from 2 lists -> ")
    assert re.search(r"-> \d+ persons", text)
    assert re.search(r"\d+ candidate pairs compared", text)
    assert re.search(r"merge threshold 0\.\d\d \(the best expected F1 on 0\.80-0\.99\)", text)
    assert EXPECTED.search(text), text
    assert "uncertain pairs" in text
    log = tmp_path / "clusters.log"
    assert f"Splink's messages in {log}" in text
    logged = log.read_text(encoding="utf-8")
    assert SPLINK_LINE in logged and " WARNING splink." in logged
    assert "dalil.link: scoring candidate pairs" in logged  # the stages, with their times
    assert log.stat().st_mode & 0o077 == 0
    assert out.exists() and out.with_suffix(".model.json").exists()


def test_link_lists_verbose_shows_the_stages_and_splink_on_stderr(
    lists: list[str], tmp_path: Path
) -> None:
    out = tmp_path / "clusters.csv"
    done = dalil("link-lists", *lists, "--out", out, "--threshold", "0.9", "--verbose",
                 cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert SPLINK_LINE in done.stderr and "splink." in done.stderr
    assert "scoring candidate pairs" in done.stderr
    assert SPLINK_LINE not in done.stdout
    assert "merge threshold 0.90 (set by --threshold)" in done.stdout
    assert SPLINK_LINE in (tmp_path / "clusters.log").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["missing.csv", "--out", "c.csv"], "'missing.csv' does not exist"),
        (["LIST", "--out", "c.csv", "--backend", "sparky"], "'sparky' is not one of"),
        (["LIST", "--out", "c.csv", "--threshold", "0.3"], "0.3 is not in the range"),
        (["LIST", "--out", "nowhere/c.csv"], "error [input.invalid] --out: no folder"),
    ],
)
def test_bad_input_is_one_clear_error(
    lists: list[str], tmp_path: Path, args: list[str], message: str
) -> None:
    done = dalil("link-lists", *[lists[0] if a == "LIST" else a for a in args], cwd=tmp_path)
    assert done.returncode == 2 and done.stdout == ""
    assert message in done.stderr and "Traceback" not in done.stderr
    assert not list(tmp_path.glob("*.log"))  # refused before linking


def invoke(home: Path, *args: str) -> Result:
    return CliRunner().invoke(cli, ["--home", str(home), *args])


def test_link_json_carries_the_threshold_and_what_the_model_expects(
    home: Path, lists: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DALIL_OPERATOR", "tester")
    case = invoke(home, "case", "create", "T").output.strip()
    for path, source in zip(lists, ("a", "b"), strict=True):
        done = invoke(home, "lists", "import", case, path, "--source", source)
        assert done.exit_code == 0, done.output
    # A Splink default handler left by an earlier Linker in this process (it writes to the
    # stream it was given) must hear nothing during the command and be there after it.
    splink = logging.getLogger("splink")
    before = (list(splink.handlers), splink.propagate)
    leftover = io.StringIO()
    handler = logging.StreamHandler(leftover)
    splink.addHandler(handler)
    try:
        result = invoke(home, "link", case, "--json")
        assert (list(splink.handlers), splink.propagate) == ([*before[0], handler], before[1])
    finally:
        splink.removeHandler(handler)
    assert result.exit_code == 0, (result.output, result.exception)
    assert leftover.getvalue() == ""
    assert result.stderr == ""
    found = json.loads(result.stdout)
    assert found["threshold_chosen"] is True and 0.6 <= found["threshold"] <= 0.99
    assert 0 < found["expected_precision"] <= 1 and 0 < found["expected_recall"] <= 1
    assert found["lists"] == 2 and found["persons"] < found["records"]
    assert found["candidate_pairs"] > 0 and found["review_items"] >= 0
    log = Path(found["log"])
    assert log == home.resolve() / "logs" / "linkage.log"
    first = log.read_text(encoding="utf-8")
    assert SPLINK_LINE in first and f"dalil link {case}" in first

    text = invoke(home, "link", case, "--threshold", "0.95")
    assert text.exit_code == 0, text.output
    assert text.stdout.startswith("run ") and "merge threshold 0.95 (set by --threshold)" in (
        text.stdout
    )
    assert EXPECTED.search(text.stdout) and f"dalil review next {case}" in text.stdout
    assert f"Splink's messages in {log}" in text.stdout
    assert log.read_text(encoding="utf-8").startswith(first)  # runs append to one log


def test_link_on_a_missing_case_is_refused(home: Path) -> None:
    result = invoke(home, "link", "nope")
    assert result.exit_code != 0 and "no case 'nope'" in str(result.exception)
