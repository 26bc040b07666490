"""The demo case a seed gives, pinned: ``dalil demo`` must keep building the same case.

The digests were taken before the demo builder was split into story, book, actors,
incidents, evidence, victims and victim_lists, and before its name lexicon moved to
``dalil.linkage.name_pool`` (issue 21). The records are created in a fixed order because
ids and timestamps count up, so moving a call changes the export: a deliberate change to
the demo must say so by changing these digests.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from dalil.config import load_settings
from dalil.demo import TITLE, build_demo
from dalil.demo.story import NAMESPACE
from dalil.model.tables import Case
from dalil.records import exchange
from dalil.workspace import Workspace

#: sha256 of the case document (``dalil export``), parsed and dumped with sorted keys.
EXPORT = "df92585df2a32f62134ad89c9e42bac5040532e80d461e458efc035fb98d40b3"
#: sha256 of the files under <home>/demo.
FILES = {
    "lists/coastal_documentation_network.csv": (
        "aecfd43b0c9e5c5a1a85c94697c3b8cf7d6a882440ec4fe04104203b6b3f5107"
    ),
    "lists/families_for_truth.csv": (
        "fcd96eea4fe2995f67dfeece04a8dded1204ef1fdebe7425d3b7853cff994d4e"
    ),
    "lists/olive_branch_monitor.csv": (
        "7be0e883c1e16d6beb263629105308c23e1725fa41237df9bbde21a3321512e8"
    ),
    "truth.csv": "069fa046e62e88718e7138f7e11dcc4b315437e637cf7d8a1deb067fca880458",
    "README.txt": "f4b383ab6f0bac6cfeaccdac79c8a009f5ad8597f2cf315860c8472f7acb0369",
}


@pytest.fixture(scope="module")
def fresh(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A demo built for this module alone (the shared demo workspace is written to by
    other tests)."""
    ws = Workspace.create(load_settings(tmp_path_factory.mktemp("seed") / "ws"))
    build_demo(ws)
    yield ws
    ws.close()


def test_the_default_seed_gives_the_case_it_always_gave(fresh: Workspace) -> None:
    with fresh.session() as s:
        case = s.scalars(select(Case)).one()
        assert case.title == TITLE
        doc = exchange.export_case(s, case.id)
    dumped = json.dumps(doc, sort_keys=True, ensure_ascii=False)
    assert hashlib.sha256(dumped.encode()).hexdigest() == EXPORT


def test_the_default_seed_gives_the_lists_it_always_gave(fresh: Workspace) -> None:
    folder = fresh.home / "demo"
    digests = {name: hashlib.sha256((folder / name).read_bytes()).hexdigest() for name in FILES}
    assert digests == FILES
    assert sorted(p.name for p in Path(folder / "lists").iterdir()) == sorted(
        Path(name).name for name in FILES if name.startswith("lists/")
    )


def test_case_id_comes_from_the_seed(fresh: Workspace) -> None:
    with fresh.session() as s:
        assert s.scalars(select(Case.id)).one() == str(uuid.uuid5(NAMESPACE, "case-2025"))
