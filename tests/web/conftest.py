"""Fixtures for the tests of ``dalil.web`` (the shared ones are in tests/conftest.py)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import update

from browser_support import (
    Site,
    build_browser_demo,
    chromium,
    require_chromium,
    serve_demo,
    signed_in,
)
from dalil.access.tables import User
from dalil.vault.service import Vault
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE
from workspace_templates import built_once

_VAULTS: dict[int, Vault] = {}


@pytest.fixture(scope="session")
def demo_vault(demo_ws: Workspace) -> Vault:
    """The demo workspace's vault, unlocked (once per backend: ``demo_ws`` switches back
    and forth between backends, and unlocking costs about a second)."""
    if id(demo_ws) not in _VAULTS:
        _VAULTS[id(demo_ws)] = Vault.unlock(demo_ws, DEMO_PASSPHRASE)
    return _VAULTS[id(demo_ws)]


@pytest.fixture(scope="session")
def browser_template(tmp_path_factory: pytest.TempPathFactory, demo_template: Path) -> Path:
    """The demo with the browser tests' investigator, built once per run (to copy)."""
    return built_once(
        tmp_path_factory, "browser-demo", lambda home: build_browser_demo(home, demo_template)
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, browser_template: Path) -> Iterator[Site]:
    """A fresh demo workspace served on a loopback port, one per test module as before
    (what a module writes no other module sees), but copied rather than built: a copy and
    a server take about a second, a build 10–20 s."""
    require_chromium()
    with serve_demo(tmp_path_factory.mktemp("browser") / "ws", browser_template) as served:
        yield served


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    """One Chromium per test process; each test gets its own context (no shared cookies)."""
    require_chromium()
    with chromium() as b:
        yield b


@pytest.fixture(autouse=True)
def _no_remembered_language(request: pytest.FixtureRequest) -> None:
    """Every browser test starts as on a fresh demo, where nobody has chosen a language: a
    choice is remembered for the user (issue 23), so a test that switched to Arabic would
    otherwise open the next test's new browser context in Arabic."""
    if "site" in request.fixturenames:
        site: Site = request.getfixturevalue("site")
        with site.ws.session() as s:
            s.execute(update(User).values(language=None))


@pytest.fixture
def page(browser: object, site: Site, tmp_path: Path) -> Iterator[object]:
    """A fresh browser context signed in as the investigator, on the case's front page."""
    with signed_in(browser, site) as p:
        yield p
