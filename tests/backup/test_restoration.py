"""Where a restore puts the workspace (:mod:`dalil.backup.restoration`): into an absent
or empty folder in one rename, beside files already there entry by entry, never over a
file, and what earlier restores left behind is cleared first."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from dalil import backup
from dalil.config import load_settings
from dalil.errors import WorkspaceExists
from dalil.records import cases
from dalil.workspace import MARKER, Workspace


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A backup of a small SQLite workspace holding one case."""
    root = tmp_path_factory.mktemp("restoration")
    with Workspace.create(load_settings(root / "source")) as ws:
        with ws.session() as s:
            cases.create_case(s, "Placed", actor="t")
        backup.backup(ws, root / "backup.zip")
    return root / "backup.zip"


def restored_case(home: Path) -> str:
    with Workspace.open(load_settings(home)) as ws, ws.session() as s:
        return cases.find_case(s, "Placed").title


def test_an_empty_folder_becomes_the_workspace(archive: Path, tmp_path: Path) -> None:
    home = tmp_path / "empty"
    home.mkdir()
    assert backup.restore(archive, load_settings(home)).ok
    assert restored_case(home) == "Placed"
    assert [p.name for p in tmp_path.iterdir()] == ["empty"]


def test_files_already_there_are_kept_beside_it(archive: Path, tmp_path: Path) -> None:
    home = tmp_path / "notes"
    home.mkdir()
    (home / "README.txt").write_text("our notes", encoding="utf-8")
    assert backup.restore(archive, load_settings(home)).ok
    assert (home / "README.txt").read_text(encoding="utf-8") == "our notes"
    assert (home / MARKER).is_file() and restored_case(home) == "Placed"
    assert [p.name for p in tmp_path.iterdir()] == ["notes"]


def test_a_file_where_the_workspace_goes_is_refused(archive: Path, tmp_path: Path) -> None:
    home = tmp_path / "taken"
    home.write_text("not a folder", encoding="utf-8")
    with pytest.raises(WorkspaceExists, match="taken is there"):
        backup.restore(archive, load_settings(home))
    assert home.read_text(encoding="utf-8") == "not a folder"


def test_what_a_dead_restore_left_unfinished_is_removed(archive: Path, tmp_path: Path) -> None:
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    left = tmp_path / f".home.restoring-{dead}-abc"
    (left / "vault").mkdir(parents=True)
    odd = tmp_path / ".home.restoring-notapid-abc"  # not one of ours: left alone
    odd.mkdir()
    assert backup.restore(archive, load_settings(tmp_path / "home")).ok
    assert sorted(p.name for p in tmp_path.iterdir()) == [odd.name, "home"]
