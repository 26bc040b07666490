"""Helpers shared by fixtures and tests: PostgreSQL schemas for isolated test workspaces."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from dalil.config import Settings, load_settings

PG_URL = os.environ.get("DALIL_TEST_POSTGRES_URL")
DEMO_PASSPHRASE = "demo vault passphrase for tests"
PG_SKIP = "DALIL_TEST_POSTGRES_URL is not set: PostgreSQL storage tests skipped"


def _pg_schema() -> tuple[str, str]:
    assert PG_URL
    schema = f"t_{uuid.uuid4().hex[:12]}"
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine.dispose()
    sep = "&" if "?" in PG_URL else "?"
    return schema, f"{PG_URL}{sep}options=-csearch_path%3D{schema}"


def drop_schema(schema: str) -> None:
    assert PG_URL
    engine = create_engine(PG_URL)
    with engine.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    engine.dispose()


def make_settings(home: Path, backend: str) -> tuple[Settings, str | None]:
    """Settings for a fresh workspace at ``home`` on ``backend`` (and its PG schema)."""
    if backend == "postgresql":
        schema, url = _pg_schema()
        return load_settings(home, database_url=url), schema
    return load_settings(home), None
