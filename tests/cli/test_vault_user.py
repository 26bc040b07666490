"""Custody events from the CLI name the dalil user who acted (issue 22): ``--user``, else
the workspace's ``operator`` setting, else an explicitly set ``actor``; never the
operating-system account, and with none of them the vault command refuses to run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dalil.access import accounts
from dalil.cli import main
from dalil.config import load_settings
from dalil.vault.service import Vault
from dalil.workspace import Workspace

PASS = "correct horse battery staple"


def _run(home: Path, capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    capsys.readouterr()
    try:
        main(["--home", str(home), *args])
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _log(home: Path, capsys: pytest.CaptureFixture[str], case: str) -> list[dict[str, object]]:
    code, out, _ = _run(home, capsys, "vault", "log", case, "--json")
    assert code == 0
    entries: list[dict[str, object]] = json.loads(out)
    return entries


def test_without_user_or_operator_a_vault_command_refuses_naming_both_ways(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, case, _ = _run(home, capsys, "case", "create", "A")
    case = case.strip()
    f = tmp_path / "statement.txt"
    f.write_text("what the witness saw", encoding="utf-8")
    code, out, err = _run(home, capsys, "vault", "add", case, str(f))
    assert code == 2
    assert err.startswith("error [input.invalid] --user:"), err
    assert "--user NAME" in err and "DALIL_OPERATOR" in err and "operator" in err
    assert "ledger" not in out
    ws = Workspace.open(load_settings(home))
    try:
        assert not Vault.exists(ws)  # not even the vault was created under "root"
    finally:
        ws.close()


def test_the_ledger_names_the_user_given_or_the_workspace_operator(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    case = _run(home, capsys, "case", "create", "A")[1].strip()
    f = tmp_path / "statement.txt"
    f.write_text("what the witness saw", encoding="utf-8")
    code, out, err = _run(home, capsys, "vault", "add", case, str(f), "--user", "amal")
    assert code == 0, err
    sha = out.split()[0]
    (home / "dalil.toml").write_text('operator = "karim"\n', encoding="utf-8")
    assert _run(home, capsys, "vault", "show", case, sha)[0] == 0
    monkeypatch.setenv("DALIL_OPERATOR", "huda")  # the environment wins over the file
    assert _run(home, capsys, "vault", "get", case, sha, str(tmp_path / "copy"))[0] == 0
    actors = [(e["action"], e["actor"]) for e in _log(home, capsys, case)]
    assert actors == [("ingest", "amal"), ("view", "karim"), ("download", "huda")]
    assert all(actor != "root" for _, actor in actors)


def test_with_accounts_the_name_must_be_an_active_user(
    home: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    case = _run(home, capsys, "case", "create", "A")[1].strip()
    ws = Workspace.open(load_settings(home))
    try:
        with ws.session() as s:
            accounts.add_user(s, "amal", "a long enough password 1")
            gone = accounts.add_user(s, "nadia", "a long enough password 2")
            accounts.disable_user(s, gone)
    finally:
        ws.close()
    f = tmp_path / "statement.txt"
    f.write_text("what the witness saw", encoding="utf-8")
    code, _, err = _run(home, capsys, "vault", "add", case, str(f), "--user", "amall")
    assert code == 2 and "'amall' is not a user of this workspace" in err, err
    code, _, err = _run(home, capsys, "vault", "add", case, str(f), "--user", "nadia")
    assert code == 2 and "'nadia' is disabled" in err, err
    code, _, err = _run(home, capsys, "vault", "add", case, str(f), "--user", "amal")
    assert code == 0, err
