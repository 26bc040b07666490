from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from dalil.access import accounts, policy
from dalil.access.tables import User
from dalil.model.tables import Case
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.workspace import Workspace, head_revision

PASSWORD = "web tester password"


@pytest.fixture
def client(demo_ws: Workspace, demo_vault: Vault) -> Iterator[TestClient]:
    """Signed in as an investigator of the demo case (API token header and session)."""
    with demo_ws.session() as s:
        user = s.scalar(select(User).where(User.name == "web-tester"))
        if user is None:
            user = accounts.add_user(s, "web-tester", PASSWORD)
            policy.add_member(s, s.scalars(select(Case.id)).one(), user, "investigator", "t")
        token = accounts.create_token(s, user)
    app = create_app(workspace=demo_ws, vault=demo_vault)
    with TestClient(app, base_url="https://testserver") as c:
        form = c.get("/login").text
        csrf = re.search(r'name="csrf" value="([^"]+)"', form)
        assert csrf
        c.post("/login", data={"name": "web-tester", "password": PASSWORD, "csrf": csrf.group(1)})
        c.headers["Authorization"] = f"Bearer {token}"
        yield c


def _case_id(ws: Workspace) -> str:
    with ws.session() as s:
        return s.scalars(select(Case.id)).one()


def test_health_and_cases_api(client: TestClient, demo_ws: Workspace) -> None:
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["schema"] == head_revision()
    cases = client.get("/api/v1/cases").json()
    assert len(cases) == 1 and cases[0]["counts"]["victims"] == 150
    detail = client.get(f"/api/v1/cases/{_case_id(demo_ws)}").json()
    assert detail["summary"]["fictional"] is True
    assert any(d["field"] == "date" for d in detail["disagreements"])


def test_error_shape(client: TestClient) -> None:
    r = client.get("/api/v1/cases/no-such-case")
    assert r.status_code == 404
    assert r.json() == {
        "error": {"code": "record.not_found", "message": "no such case", "path": "case_id"}
    }
    page = client.get("/cases/no-such-case")
    assert page.status_code == 404 and "no such case" in page.text


def test_overview_pages(client: TestClient, demo_ws: Workspace) -> None:
    index = client.get("/")
    assert index.status_code == 200
    assert "[FICTIONAL DEMO]" in index.text and "150</strong> victims documented" in index.text
    page = client.get(f"/cases/{_case_id(demo_ws)}")
    assert page.status_code == 200
    for text in (
        "more than 100 killed (reported)",
        "150 killed (documented)",
        "Disagreements",
        "BS-1",
        "Latest assertions",
    ):
        assert text in page.text
    assert 'dir="auto"' in page.text
    assert client.get("/openapi.json").json()["paths"].keys() >= {"/healthz", "/api/v1/cases"}
