"""Shared fixtures. Storage tests run on SQLite and, when DALIL_TEST_POSTGRES_URL is set,
on PostgreSQL too (each test in its own schema, dropped afterwards).

Building is the slow part of a fixture (a new workspace loads the packaged gazetteer, about
1–2 s; the demo case takes 10–20 s), so an SQLite workspace is built once per test run as a
template (:func:`built_once`, shared by the pytest-xdist workers) and each test or module
gets a copy of that directory (about 0.1 s). PostgreSQL workspaces are still built from
empty: a schema cannot be copied as files.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from dalil.config import Settings
from dalil.vault.service import Vault
from dalil.workspace import Workspace
from tests_support import (
    DEMO_PASSPHRASE,
    PG_SKIP,
    PG_URL,
    World,
    drop_schema,
    make_settings,
    open_world,
)
from workspace_templates import build_demo_workspace, build_empty, built_once, copy_workspace

# CI draws the same examples every run (a red build is then a change, not a lucky draw);
# a developer's run draws new ones (HYPOTHESIS_PROFILE=explore) to look for more.
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(autouse=True, scope="session")
def _cheap_key_stretching() -> Iterator[None]:
    """argon2id at its cheapest for the tests' passwords and vault passphrases.

    The app stretches each password (argon2-cffi's defaults: 64 MiB, 3 passes, 4 lanes)
    and each vault passphrase (``keys.DEFAULT_KDF``: 64 MiB, 3 passes) for 0.1–1.5 s of
    CPU, and the suite does it thousands of times: every user of every test world, every
    sign-in, every vault made or unlocked. The tests run the same code with the same
    algorithm at 1 pass over 8 KiB per lane; the production parameters stay in the source
    (a hash carries its parameters, so a ``dalil`` subprocess still verifies it). Tests of
    the KDF's own bounds pass their parameters explicitly."""
    from argon2 import PasswordHasher

    from dalil.access import accounts
    from dalil.vault import keys

    cheap = {"alg": "argon2id", "time_cost": 1, "memory_kib": 8, "parallelism": 1}
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
        for name, value in cheap.items():
            mp.setitem(keys.DEFAULT_KDF, name, value)
        yield


BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not PG_URL:
        pytest.skip(PG_SKIP)
    return str(request.param)


@pytest.fixture
def settings(tmp_path: Path, backend: str) -> Iterator[Settings]:
    s, schema = make_settings(tmp_path / "ws", backend)
    yield s
    if schema:
        drop_schema(schema)


@pytest.fixture
def ws(
    settings: Settings, backend: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workspace]:
    """A new, empty workspace (SQLite: a copy of one made once per run by Workspace.create)."""
    if backend == "sqlite":
        template = built_once(tmp_path_factory, "empty-workspace", build_empty)
        shutil.copytree(template, settings.home, dirs_exist_ok=True)
        workspace = Workspace.open(settings)
    else:
        workspace = Workspace.create(settings)
    yield workspace
    workspace.close()


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo case in a closed SQLite workspace, built once per run: copy, never open."""
    return built_once(tmp_path_factory, "demo-workspace", build_demo_workspace)


@pytest.fixture(scope="session")
def _demo_workspaces() -> Iterator[dict[str, tuple[Workspace, str | None]]]:
    """The demo workspace of each backend (and its PostgreSQL schema), open for the whole
    session: pytest drops a parametrized session fixture whenever the next test wants the
    other parameter, which under pytest-xdist happens again and again, so ``demo_ws``
    keeps its workspaces here."""
    made: dict[str, tuple[Workspace, str | None]] = {}
    yield made
    for workspace, schema in made.values():
        workspace.close()
        if schema:
            drop_schema(schema)


@pytest.fixture(scope="session", params=BACKENDS)
def demo_ws(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    _demo_workspaces: dict[str, tuple[Workspace, str | None]],
) -> Workspace:
    """A workspace holding the demo case, built once per backend (treat as read-only; the
    SQLite one is a copy of :func:`demo_template`)."""
    from dalil.demo import build_demo

    backend = str(request.param)
    if backend == "postgresql" and not PG_URL:
        pytest.skip(PG_SKIP)
    if backend not in _demo_workspaces:
        home = tmp_path_factory.mktemp("demo") / "ws"
        if backend == "sqlite":
            template = built_once(tmp_path_factory, "demo-workspace", build_demo_workspace)
            _demo_workspaces[backend] = (copy_workspace(template, home), None)
        else:
            s, schema = make_settings(home, backend)
            workspace = Workspace.create(s)
            _demo_workspaces[backend] = (workspace, schema)
            build_demo(workspace, vault=Vault.create(workspace, DEMO_PASSPHRASE, "tester"))
    return _demo_workspaces[backend][0]


@pytest.fixture
def vault(ws: Workspace) -> Vault:
    """A new vault in the test's workspace (the web app needs its custody ledger)."""
    return Vault.create(ws, DEMO_PASSPHRASE, "tester")


@pytest.fixture
def world(ws: Workspace, vault: Vault) -> Iterator[World]:
    """Cases A and B, one user per role in A plus an outsider and an admin, each with an
    API token, and a protected witness in A; served by the app over HTTPS."""
    with open_world(ws, vault) as w:
        yield w
