"""Fixtures for the tests of ``dalil.web`` (the shared ones are in tests/conftest.py)."""

from __future__ import annotations

import pytest

from dalil.vault.service import Vault
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE


@pytest.fixture(scope="session")
def demo_vault(demo_ws: Workspace) -> Vault:
    """The demo workspace's vault, unlocked."""
    return Vault.unlock(demo_ws, DEMO_PASSPHRASE)
