"""Workspaces built once per test run and copied: a new workspace costs 1–2 s (it loads
the packaged gazetteer), the demo case 10–20 s, a copy of a closed SQLite workspace's
directory about 0.1 s. Nothing in a workspace names its own directory, so a copy opens
as the original would.

The fixtures in tests/conftest.py and tests/web/conftest.py use these; PostgreSQL
workspaces are still built from empty (a schema is not a directory to copy).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from dalil.config import load_settings
from dalil.vault.service import Vault
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE


def built_once(factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The directory ``name``, made by ``build(path)`` once in this test run and then only
    read (copy it). pytest-xdist workers share it: their base temporary directories have a
    common parent, and a lock file there makes the others wait while the first builds
    (fcntl: POSIX only, as the project is). A new run has a new base directory, so a
    template never outlives the code that built it."""
    base = factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        base = base.parent  # .../pytest-N/ above popen-gw0, popen-gw1...
    target, done = base / name, base / f"{name}.built"
    with (base / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            shutil.rmtree(target, ignore_errors=True)
            build(target)
            done.touch()
    return target


def copy_workspace(template: Path, home: Path) -> Workspace:
    """The workspace at ``home``, a copy of the closed SQLite workspace ``template`` (files,
    their modes, the vault's key file)."""
    shutil.copytree(template, home)
    return Workspace.open(load_settings(home))


def build_empty(home: Path) -> None:
    """A new, empty SQLite workspace at ``home``, closed."""
    Workspace.create(load_settings(home)).close()


def build_demo_workspace(home: Path) -> None:
    """The demo case in a new SQLite workspace at ``home``, with a vault under
    :data:`DEMO_PASSPHRASE`; closed (SQLite checkpoints its WAL), ready to copy."""
    from dalil.demo import build_demo

    workspace = Workspace.create(load_settings(home))
    build_demo(workspace, vault=Vault.create(workspace, DEMO_PASSPHRASE, "tester"))
    workspace.close()
