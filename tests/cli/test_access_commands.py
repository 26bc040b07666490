"""Account, token and membership commands name the dalil user who acted in the custody
ledger (issue 22): ``--user`` or the workspace's operator, never the operating-system
account; with neither they refuse in one line, except the workspace's very first account
(``dalil user add NAME --admin`` on a fresh workspace), which is its own creator."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from dalil.access import accounts
from dalil.cli import main
from dalil.config import load_settings
from dalil.vault.tables import LedgerEntry
from dalil.workspace import Workspace

NOBODY = "error [input.invalid] --user: custody events name the dalil user who acted"

PASS = "correct horse battery staple"


def _run(
    home: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    *args: str,
    stdin: str = "",
) -> tuple[int, str, str]:
    """``dalil ARGS`` as the console script runs it: exit status, stdout, stderr."""
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        main(["--home", str(home), *args])
        code = 0
    except SystemExit as done:
        code = int(done.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _changes(home: Path) -> list[tuple[str, str, str]]:
    """(action, actor, account) of every access change in the ledger, oldest first."""
    with Workspace.open(load_settings(home)) as ws, ws.session() as s:
        rows = [
            json.loads(r) for r in s.scalars(select(LedgerEntry.entry).order_by(LedgerEntry.idx))
        ]
    return [(e["action"], e["actor"], e["detail"]["user"]) for e in rows
            if e["action"] in accounts.CHANGES]  # fmt: skip


def test_first_account_needs_no_user_and_is_its_own_creator(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # the README's set-up: a fresh workspace, no vault, no operator
    code, out, err = _run(home, capsys, monkeypatch, "user", "add", "alice", "--admin",
                          "--password-stdin", stdin=PASS + "\n")  # fmt: skip
    assert code == 0 and "added user alice (admin)" in out, err
    # the second account is not a bootstrap: someone must be named
    code, _, err = _run(home, capsys, monkeypatch, "user", "add", "sami", "--password-stdin",
                        stdin=PASS + "\n")  # fmt: skip
    assert code == 2 and err.startswith(NOBODY), err
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    code, _, err = _run(home, capsys, monkeypatch, "user", "add", "sami", "--password-stdin",
                        "--user", "alice", stdin=PASS + "\n")  # fmt: skip
    assert code == 0, err


def test_the_ledger_names_the_user_given_for_each_access_change(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def run(*args: str, stdin: str = "") -> str:
        code, out, err = _run(home, capsys, monkeypatch, *args, stdin=stdin)
        assert code == 0, err
        return out

    run("vault", "init", "--user", "alice")  # the ledger exists before the first account
    run("user", "add", "alice", "--admin", "--password-stdin", stdin=PASS + "\n")
    run("user", "add", "sami", "--password-stdin", "--user", "alice", stdin=PASS + "\n")
    case = run("case", "create", "A").strip()
    run("case", "add-member", case, "sami", "--role", "investigator", "--user", "alice")
    run("token", "create", "sami", "--label", "script", "--user", "sami")
    monkeypatch.setenv("DALIL_OPERATOR", "alice")  # the operator when --user is not given
    run("token", "revoke", "sami", "script")
    run("user", "totp", "sami")
    run("case", "remove-member", case, "sami")
    run("user", "disable", "sami")
    assert _changes(home) == [
        ("user_added", "alice", "alice"),
        ("user_added", "alice", "sami"),
        ("member_added", "alice", "sami"),
        ("token_created", "sami", "sami"),
        ("token_revoked", "alice", "sami"),
        ("second_factor_reset", "alice", "sami"),
        ("member_removed", "alice", "sami"),
        ("user_disabled", "alice", "sami"),
    ]
    # a disabled user cannot be the one named, nor can someone who has no account
    for who, why in (("sami", "'sami' is disabled"), ("root", "'root' is not a user")):
        code, _, err = _run(home, capsys, monkeypatch, "token", "create", "alice", "--user", who)
        assert code == 2 and err.startswith("error [input.invalid] --user: ") and why in err, err


@pytest.mark.parametrize(
    "args",
    [
        ["case", "add-member", "{case}", "sami", "--role", "viewer"],
        ["case", "remove-member", "{case}", "sami"],
        ["token", "create", "sami"],
        ["token", "revoke", "sami", "script"],
        ["user", "disable", "sami"],
        ["user", "totp", "sami"],
    ],
)
def test_without_user_or_operator_an_access_change_is_refused_and_not_made(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
    args: list[str],
) -> None:  # fmt: skip
    with Workspace.open(load_settings(home)) as ws, ws.session() as s:
        accounts.add_user(s, "sami", PASS)
    case = _run(home, capsys, monkeypatch, "case", "create", "A")[1].strip()
    code, out, err = _run(home, capsys, monkeypatch, *(a.format(case=case) for a in args))
    assert code == 2 and err.startswith(NOBODY), err
    assert "--user NAME" in err and "DALIL_OPERATOR" in err and len(err.splitlines()) == 1
    assert out == ""
    with Workspace.open(load_settings(home)) as ws, ws.session() as s:
        sami = accounts.find_user(s, "sami")
        assert not sami.disabled and not sami.totp_secret
        assert accounts.list_tokens(s, sami) == []
