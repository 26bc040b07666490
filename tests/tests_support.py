"""Helpers shared by fixtures and tests: PostgreSQL schemas for isolated test workspaces,
and a two-case world with one user per role served by the web app."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import create_engine, select, text

from dalil.access import accounts, policy
from dalil.access.tables import User
from dalil.config import Settings, load_settings
from dalil.model.tables import Case
from dalil.records import cases
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.workspace import Workspace

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


PASSWORD = "records api tester password"
ROLES = ("investigator", "analyst", "legal", "protection_officer", "viewer")


@dataclass
class World:
    client: TestClient
    ws: Workspace
    a: str
    b: str
    tokens: dict[str, str]  # role (or outsider/admin) -> API token
    witness: str  # a protected person in case A

    def h(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


@contextmanager
def open_world(ws: Workspace, vault: Vault) -> Iterator[World]:
    tokens: dict[str, str] = {}
    with ws.session() as s:
        a = cases.create_case(s, "Case A", actor="t").id
        b = cases.create_case(s, "Case B", actor="t").id
        for role in (*ROLES, "outsider", "admin"):
            user = accounts.add_user(s, role, PASSWORD, admin=role == "admin")
            if role in ROLES:
                policy.add_member(s, a, user, role, "t")
            tokens[role] = accounts.create_token(s, user)
    with TestClient(create_app(workspace=ws, vault=vault), base_url="https://testserver") as c:
        w = World(c, ws, a, b, tokens, "")
        r = c.post(f"/api/v1/cases/{a}/records", headers=w.h("investigator"),
                   json={"kind": "person", "protection_level": "protected",
                         "facts": {"sex": "female"}})  # fmt: skip
        assert r.status_code == 201, r.text
        w.witness = r.json()["id"]
        yield w


def investigator_token(ws: Workspace, name: str, password: str) -> str:
    """An API token of ``name``, an investigator of the workspace's one case (the demo's),
    added with ``password`` the first time it is asked for."""
    with ws.session() as s:
        user = s.scalar(select(User).where(User.name == name))
        if user is None:
            user = accounts.add_user(s, name, password)
            policy.add_member(s, s.scalars(select(Case.id)).one(), user, "investigator", "t")
        return accounts.create_token(s, user)


def finished_linkage_job(client: TestClient, case: str) -> str:
    """Start a linkage job of ``case`` through the API, wait for the job runner to finish
    it, and return the job's id."""
    started = client.post(f"/api/v1/cases/{case}/jobs", json={"kind": "linkage"})
    assert started.status_code == 202, started.text
    client.app.state.jobs.wait()  # type: ignore[attr-defined]
    return str(started.json()["id"])
