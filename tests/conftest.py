"""Shared fixtures. Storage tests run on SQLite and, when DALIL_TEST_POSTGRES_URL is set,
on PostgreSQL too (each test in its own schema, dropped afterwards)."""

from __future__ import annotations

import os
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

# CI draws the same examples every run (a red build is then a change, not a lucky draw);
# a developer's run draws new ones (HYPOTHESIS_PROFILE=explore) to look for more.
hypothesis_settings.register_profile("ci", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

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
def ws(settings: Settings) -> Iterator[Workspace]:
    workspace = Workspace.create(settings)
    yield workspace
    workspace.close()


@pytest.fixture(scope="session", params=BACKENDS)
def demo_ws(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Workspace]:
    """A workspace holding the demo case, built once per backend (treat as read-only)."""
    from dalil.demo import build_demo

    if request.param == "postgresql" and not PG_URL:
        pytest.skip(PG_SKIP)
    s, schema = make_settings(tmp_path_factory.mktemp("demo") / "ws", str(request.param))
    workspace = Workspace.create(s)
    build_demo(workspace, vault=Vault.create(workspace, DEMO_PASSPHRASE, "tester"))
    yield workspace
    workspace.close()
    if schema:
        drop_schema(schema)


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
