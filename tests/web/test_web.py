from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from dalil.linkage import service as linkage
from dalil.model.tables import Case, Record
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.workspace import Workspace, head_revision
from tests_support import finished_linkage_job, investigator_token

PASSWORD = "web tester password"


@pytest.fixture
def client(demo_ws: Workspace, demo_vault: Vault) -> Iterator[TestClient]:
    """Signed in as an investigator of the demo case (API token header and session)."""
    token = investigator_token(demo_ws, "web-tester", PASSWORD)
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
    # counts are said with their numbers isolated (<bdi>) and the kind of count by its label
    said = re.sub(r"<bdi[^>]*>|</bdi>", "", page.text)
    for text in (
        "more than 100 killed (Reported by a source)",
        "150 killed (Documented by this team)",
        "Sources disagree",
        "BS-1",
        "Deaths documented",
    ):
        assert text in said
    assert 'more than <bdi dir="auto">100</bdi> killed' in page.text
    assert 'dir="auto"' in page.text
    assert client.get("/openapi.json").json()["paths"].keys() >= {"/healthz", "/api/v1/cases"}


def test_every_screen_renders_in_english_and_arabic(client: TestClient, demo_ws: Workspace) -> None:
    case = _case_id(demo_ws)
    with demo_ws.session() as s:
        event = s.scalars(select(Record.id).where(Record.kind == "event")).first()
    pages = ["", "/incidents", f"/incidents/{event}", "/victims", "/evidence", "/burial-sites",
             "/map", "/timeline", "/estimates", "/review"]  # fmt: skip
    for lang, direction, word in (("en", "ltr", "Incidents"), ("ar", "rtl", "الحوادث")):
        for page in pages:
            r = client.get(f"/cases/{case}{page}", params={"lang": lang})
            assert r.status_code == 200, (page, r.text[:300])
            assert f'dir="{direction}"' in r.text and word in r.text, page
    # the language is remembered
    assert 'lang="ar" dir="rtl"' in client.get(f"/cases/{case}").text
    client.get("/", params={"lang": "en"})
    # the map draws points for placed incidents and burial sites; evidence shows hashes
    page = client.get(f"/cases/{case}/map").text
    assert page.count('class="event"') >= 3 and page.count('class="burial"') >= 1
    evidence = client.get(f"/cases/{case}/evidence").text
    assert re.search(r"[0-9a-f]{64}", evidence) and "ingest" in evidence


def test_victim_search_in_either_script(client: TestClient, demo_ws: Workspace) -> None:
    case = _case_id(demo_ws)
    latin = client.get(f"/cases/{case}/victims", params={"q": "Mohammad"}).text
    arabic = client.get(f"/cases/{case}/victims", params={"q": "محمد"}).text
    count = re.compile(r"<small>\((?:<bdi[^>]*>)?(\d+)(?:</bdi>)?\)</small>")
    n_latin, n_arabic = (int(m.group(1)) for m in (count.search(latin), count.search(arabic)) if m)
    assert n_latin > 0 and n_arabic > 0
    assert abs(n_latin - n_arabic) <= max(2, n_latin // 5)  # the same people, either script
    none = client.get(f"/cases/{case}/victims", params={"q": "Zzyzx"}).text
    found = count.search(none)
    assert found and found.group(1) == "0"


def test_background_job_runs_estimation_with_progress(
    client: TestClient, demo_ws: Workspace
) -> None:
    case = _case_id(demo_ws)
    started = finished_linkage_job(client, case)
    job = client.get(f"/api/v1/cases/{case}/jobs/{started}").json()
    assert job["state"] == "done" and job["result"]["persons"] > 150, job
    page = client.get(f"/cases/{case}/jobs/{job['id']}")
    assert page.status_code == 200 and "<progress" in page.text
    assert client.post(f"/api/v1/cases/{case}/jobs", json={"kind": "mining"}).status_code == 422
    with demo_ws.session() as s:
        linkage.delete_runs(s, case)


def test_jobs_cut_off_by_a_restart_are_failed_and_others_left_alone(ws: Workspace) -> None:
    import os
    import socket
    import subprocess
    import sys

    from dalil import jobs
    from dalil.jobs import Job
    from dalil.model.tables import utcnow
    from dalil.records import cases

    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                           capture_output=True, text=True, check=True).stdout.strip()  # fmt: skip
    host = socket.gethostname()
    runners = {"dead": f"{host}:{ended}", "alive": f"{host}:{os.getppid()}",
               "elsewhere": "another-host:1", "unknown": None}  # fmt: skip
    with ws.session() as s:
        case = cases.create_case(s, "Jobs", actor="t").id
        for name, runner in runners.items():
            s.add(Job(id=name, case_id=case, kind="linkage", state="running", done=0, total=0,
                      message="", created_by="t", created_at=utcnow(), runner=runner))  # fmt: skip
    jobs.Runner(ws).shutdown()
    with ws.session() as s:
        states = {j.id: j.state for j in s.scalars(select(Job))}
    assert states == {"dead": "failed", "alive": "running", "elsewhere": "running",
                      "unknown": "failed"}  # fmt: skip
