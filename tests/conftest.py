"""Shared fixtures. Storage tests run on SQLite and, when DALIL_TEST_POSTGRES_URL is set,
on PostgreSQL too (each test in its own schema, dropped afterwards)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from dalil.config import Settings, load_settings
from dalil.workspace import Workspace

PG_URL = os.environ.get("DALIL_TEST_POSTGRES_URL")
PG_SKIP = "DALIL_TEST_POSTGRES_URL is not set: PostgreSQL storage tests skipped"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def _pg_schema() -> tuple[str, str]:
    assert PG_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in PG_URL else "?"
    return schema, f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


def _drop_schema(schema: str) -> None:
    assert PG_URL
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not PG_URL:
        pytest.skip(PG_SKIP)
    return str(request.param)


def make_settings(home: Path, backend: str) -> tuple[Settings, str | None]:
    if backend == "postgresql":
        schema, url = _pg_schema()
        return load_settings(home, database_url=url), schema
    return load_settings(home), None


@pytest.fixture
def settings(tmp_path: Path, backend: str) -> Iterator[Settings]:
    s, schema = make_settings(tmp_path / "ws", backend)
    yield s
    if schema:
        _drop_schema(schema)


@pytest.fixture
def ws(settings: Settings) -> Iterator[Workspace]:
    workspace = Workspace.create(settings)
    yield workspace
    workspace.close()


@pytest.fixture(scope="session", params=BACKENDS)
def demo_ws(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Workspace]:
    """A workspace holding the demo case, built once per backend (treat as read-only)."""
    from dalil.demo import build_demo

    if request.param == "postgresql" and not PG_URL:
        pytest.skip(PG_SKIP)
    s, schema = make_settings(tmp_path_factory.mktemp("demo") / "ws", str(request.param))
    workspace = Workspace.create(s)
    build_demo(workspace)
    yield workspace
    workspace.close()
    if schema:
        _drop_schema(schema)
