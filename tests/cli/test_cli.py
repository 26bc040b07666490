from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dalil.cli import cli, main


def run(home: Path, *args: str) -> str:
    result = CliRunner().invoke(cli, ["--home", str(home), *args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_case_workflow(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DALIL_DATABASE_URL", raising=False)
    home = tmp_path / "ws"
    assert "created workspace" in run(home, "init")
    case_id = run(home, "case", "create", "Coastal killings", "--description", "test").strip()
    listed = json.loads(run(home, "case", "list", "--json"))
    assert [c["id"] for c in listed] == [case_id]
    shown = json.loads(run(home, "case", "show", case_id[:8], "--json"))
    assert shown["summary"]["title"] == "Coastal killings"
    out = tmp_path / "case.json"
    run(home, "export", case_id, str(out))
    home2 = tmp_path / "ws2"
    run(home2, "init")
    assert case_id in run(home2, "import", str(out))
    assert json.loads(run(home2, "case", "list", "--json"))[0]["id"] == case_id
    hits = json.loads(run(home, "gazetteer", "search", "Jableh", "--json"))
    assert hits[0]["ref"] == "geonames:169304"
    fixture = Path(__file__).parent.parent / "fixtures" / "geonames_sample.txt"
    assert "imported 4 places" in run(home, "gazetteer", "import", str(fixture))
    run(home, "vocab", "add", "method_of_violence", "drowning", "--en", "Drowning", "--ar", "إغراق")
    terms = json.loads(run(home, "vocab", "list", "method_of_violence", "--json"))
    assert any(t["code"] == "drowning" and t["extension"] for t in terms)


def test_demo_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DALIL_DATABASE_URL", "DALIL_PASSPHRASE", "DALIL_PASSPHRASE_FILE"):
        monkeypatch.delenv(name, raising=False)
    out = run(tmp_path / "demo", "demo")
    assert "FICTIONAL" in out and "victims: 150" in out
    # no passphrase given: the demo keeps its own beside it, for `make run`
    assert (tmp_path / "demo" / "demo" / "passphrase.txt").stat().st_mode & 0o777 == 0o600
    text = run(
        tmp_path / "demo",
        "case",
        "show",
        "[FICTIONAL DEMO] Killings in three coastal towns, 6–8 March 2025",
    )
    assert "EV-00" in text and "more than 100" in text
    # a search index emptied behind dalil's back is rebuilt by `case reindex`
    from dalil.config import load_settings
    from dalil.model.tables import PersonCard, SearchKey
    from dalil.records import person_search
    from dalil.workspace import Workspace

    with Workspace.open(load_settings(tmp_path / "demo")) as ws, ws.session() as s:
        case_id = json.loads(run(tmp_path / "demo", "case", "list", "--json"))[0]["id"]
        before = person_search.search(s, case_id, "")
        s.query(SearchKey).delete()
        s.query(PersonCard).delete()
        s.commit()
        assert person_search.search(s, case_id, "")[0] == before[0] and not person_search.found(
            s, before[2]
        )
    assert "persons" in run(tmp_path / "demo", "case", "reindex", case_id)
    with Workspace.open(load_settings(tmp_path / "demo")) as ws, ws.session() as s:
        assert person_search.search(s, case_id, "", "female") != (0, False, [])
        assert [f.id for f in person_search.found(s, before[2])] == before[2]


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["case", "list"], "error [workspace.missing]"),
        (["case", "show", "nothing"], "error [record.not_found] case:"),
        (["import", "{bad}"], "error [input.invalid] $:"),
        (["serve", "--host", "0.0.0.0"], "error [input.invalid] --host:"),
    ],
)
def test_user_errors_are_one_line_and_exit_2(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    expected: str,
) -> None:
    monkeypatch.delenv("DALIL_DATABASE_URL", raising=False)
    monkeypatch.delenv("DALIL_DEBUG", raising=False)
    home = tmp_path / "ws"
    if args[0] != "case" or args[1] != "list":
        run(home, "init")
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "dalil-case", "version": 1, "case": {')
    argv = ["--home", str(home), *[str(bad) if a == "{bad}" else a for a in args]]
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(expected), err
    assert "\n" not in err and "Traceback" not in err


def test_installed_entry_point(tmp_path: Path) -> None:
    """The real `dalil` executable: one line on stderr, exit 2, no traceback."""
    exe = Path(sys.executable).with_name("dalil")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DALIL_")}
    done = subprocess.run(
        [str(exe), "--home", str(tmp_path / "none"), "case", "list"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error [workspace.missing]") and "Traceback" not in done.stderr
    version = subprocess.run(
        [str(exe), "--version"], capture_output=True, text=True, env=env, check=False
    )
    assert version.returncode == 0 and "0.1.0" in version.stdout


def test_identity_erase_needs_the_officer_and_keeps_the_pseudonym(tmp_path: Path) -> None:
    from dalil.access import audit
    from dalil.config import load_settings
    from dalil.workspace import Workspace

    home = tmp_path / "ws"
    run(home, "demo")
    case_id = json.loads(run(home, "case", "list", "--json"))[0]["id"]
    password = "protection officer password"
    invoke = CliRunner().invoke
    assert invoke(cli, ["--home", str(home), "user", "add", "po", "--password-stdin", "--user",
                        "demo"], input=password + "\n").exit_code == 0  # fmt: skip
    run(home, "case", "add-member", case_id, "po", "--role", "protection_officer", "--user", "demo")
    args = ["--home", str(home), "identity", "erase", case_id, "W-003", "--user", "po",
            "--reason", "retention period over", "--password-stdin"]  # fmt: skip
    refused = invoke(cli, args, input="wrong password\n")
    assert refused.exit_code != 0 and "wrong name or password" in str(refused.exception)
    done = invoke(cli, args, input=password + "\n")
    assert done.exit_code == 0 and "erased the identity of W-003" in done.output
    with Workspace.open(load_settings(home)) as ws, ws.session() as s:
        erased = audit.entries(s, audit.Query(action="identity_erased"))
    assert erased[0]["detail"] == {"person": "W-003", "reason": "retention period over"}
    shown = json.loads(run(home, "case", "show", case_id[:8], "--json"))
    assert shown["summary"]["counts"]["interviews"] == 10  # the testimonies stay
