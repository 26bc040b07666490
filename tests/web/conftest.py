"""Fixtures for the tests of ``dalil.web`` (the shared ones are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from browser_support import Site, chromium, require_chromium, serve_demo, signed_in
from dalil.vault.service import Vault
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE


@pytest.fixture(scope="session")
def demo_vault(demo_ws: Workspace) -> Vault:
    """The demo workspace's vault, unlocked."""
    return Vault.unlock(demo_ws, DEMO_PASSPHRASE)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    """A fresh demo workspace served on a loopback port (one per test module)."""
    require_chromium()
    with serve_demo(tmp_path_factory.mktemp("browser") / "ws") as served:
        yield served


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    require_chromium()
    with chromium() as b:
        yield b


@pytest.fixture
def page(browser: object, site: Site, tmp_path: Path) -> Iterator[object]:
    """A fresh browser context signed in as the investigator, on the case's front page."""
    with signed_in(browser, site) as p:
        yield p
