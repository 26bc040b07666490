"""Shared set-up of the CLI tests: a fresh workspace whose custody events cannot borrow
the operating-system account's name."""

from __future__ import annotations

from pathlib import Path

import pytest

from dalil.cli import main

PASS = "correct horse battery staple"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A new workspace made by ``dalil init``, with no actor, operator or database set
    in the environment and the login name "root" (which the ledger must never name)."""
    for var in ("DALIL_DATABASE_URL", "DALIL_ACTOR", "DALIL_OPERATOR", "DALIL_PASSPHRASE_FILE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DALIL_PASSPHRASE", PASS)
    monkeypatch.setenv("USER", "root")
    monkeypatch.setenv("LOGNAME", "root")
    home = tmp_path / "ws"
    main(["--home", str(home), "init"])
    return home
