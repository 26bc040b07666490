"""Jobs in words (issue 22, item 4): a job page says what runs, how far it is (a bar that
reaches its end), when it started and ended, what it produced with links to it, and a
failure as a sentence a person can act on; never raw JSON. Timestamps are ``<time>``
elements in UTC that the browser rewrites to its own zone; codes show as labels."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime

import pytest
from fastapi.testclient import TestClient
from jinja2 import Environment
from sqlalchemy import delete, select

from browser_support import Site, signed_in
from dalil.estimate import diagnostics
from dalil.estimate.tables import EstimateRecord
from dalil.jobs import Job
from dalil.linkage import service as linkage
from dalil.model.keys import new_id
from dalil.model.tables import Case, utcnow
from dalil.model.words import Phrase, to_json
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.web.deps import templates, timestamp
from dalil.workspace import Workspace
from tests_support import finished_linkage_job, investigator_token

PASSWORD = "jobs pages password"
TWO = Phrase(diagnostics.TWO_LISTS)


@pytest.fixture
def client(demo_ws: Workspace, demo_vault: Vault) -> Iterator[TestClient]:
    """An investigator of the demo case, calling with an API token."""
    token = investigator_token(demo_ws, "jobs-tester", PASSWORD)
    app = create_app(workspace=demo_ws, vault=demo_vault)
    with TestClient(app, base_url="https://testserver") as c:
        c.headers["Authorization"] = f"Bearer {token}"
        yield c


def _case(ws: Workspace) -> str:
    with ws.session() as s:
        return s.scalars(select(Case.id)).one()


def _job(ws: Workspace, case: str, **values: object) -> str:
    job_id = new_id()
    row = dict(kind="linkage", state="failed", done=1, total=4, message="", result=None,
               created_by="jobs-tester", created_at=utcnow(), finished_at=utcnow())  # fmt: skip
    row.update(values)
    with ws.session() as s:
        s.add(Job(id=job_id, case_id=case, runner=None, **row))
    return job_id


def test_a_finished_linkage_says_what_ran_and_links_to_its_result(
    client: TestClient, demo_ws: Workspace
) -> None:
    case = _case(demo_ws)
    job = finished_linkage_job(client, case)
    try:
        page = client.get(f"/cases/{case}/jobs/{job}").text
        assert "Linking the case&#39;s victim lists" in page and 'data-state="done"' in page
        # the bar is full and says its last step; polling has stopped
        assert re.search(r'<progress[^>]* max="4" value="4"', page), page
        assert (
            "Step <bdi>4</bdi> of <bdi>4</bdi>: <strong>Grouping the records into persons" in page
        )
        assert "hx-get" not in page.split('id="job"', 1)[1].split(">", 1)[0]
        assert f'href="/cases/{case}/review"' in page and f'href="/cases/{case}/estimates"' in page
        assert re.search(r'<time datetime="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"', page)
        shown = page.split('id="job"', 1)[1]
        assert "run_id" not in shown and "{&#34;" not in shown and '{"' not in shown  # no JSON
        listed = client.get(f"/cases/{case}/jobs").text
        assert f'href="/cases/{case}/jobs/{job}"' in listed and "Finished" in listed
        arabic = client.get(f"/cases/{case}/jobs/{job}?lang=ar").text
        assert (
            "ربط قوائم الضحايا في القضية" in arabic
            and "الخطوة <bdi>4</bdi> من <bdi>4</bdi>" in arabic
        )
    finally:
        with demo_ws.session() as s:
            linkage.delete_runs(s, case)
            s.execute(delete(Job).where(Job.id == job))


def test_a_failure_is_a_sentence_with_a_way_on(client: TestClient, demo_ws: Workspace) -> None:
    case = _case(demo_ws)
    error = {"code": "record.not_found", "message": "the case has no victim lists", "path": None}
    failed = _job(demo_ws, case, message=error["message"], result={"error": error})
    cut = _job(demo_ws, case, kind="casefile", total=5,
               message="interrupted by a server restart; start it again")  # fmt: skip
    crashed = _job(demo_ws, case, kind="estimate", total=1, message="internal error (KeyError)",
                   result={"error": {"code": "job.internal", "message": "KeyError",
                                     "path": None}})  # fmt: skip
    try:
        page = client.get(f"/cases/{case}/jobs/{failed}").text
        assert 'role="alert"' in page and "Import a list on the lists page" in page
        assert f'href="/cases/{case}/lists"' in page
        shown = page.split('id="job"', 1)[1]
        assert (
            "Step <bdi>2</bdi> of <bdi>4</bdi>" in shown
            and "Traceback" not in shown
            and '{"' not in shown
        )
        assert "The server restarted" in client.get(f"/cases/{case}/jobs/{cut}").text
        page = client.get(f"/cases/{case}/jobs/{crashed}?lang=ar").text
        assert "خلل في دليل لا في بياناتك" in page
        listed = client.get(f"/cases/{case}/jobs?lang=en").text
        assert "Import a list on the lists page" in listed and "Failed" in listed
    finally:
        with demo_ws.session() as s:
            s.execute(delete(Job).where(Job.id.in_((failed, cut, crashed))))


def test_the_bar_refreshes_while_a_job_runs_and_stops_when_it_ends(
    client: TestClient, demo_ws: Workspace
) -> None:
    case = _case(demo_ws)
    running = _job(demo_ws, case, kind="casefile", state="running", done=2, total=5,
                   message="protocol checklists", finished_at=None)  # fmt: skip
    try:
        part = client.get(f"/cases/{case}/jobs/{running}", headers={"HX-Request": "true"}).text
        assert part.lstrip().startswith("{#") is False and "<html" not in part
        assert f'hx-get="/cases/{case}/jobs/{running}"' in part and 'hx-trigger="every 1s"' in part
        assert "Step <bdi>3</bdi> of <bdi>5</bdi>: <strong>Protocol checklists" in part
        with demo_ws.session() as s:
            job = s.get(Job, running)
            assert job is not None
            job.state, job.message, job.finished_at = "done", "finished", utcnow()
            job.done, job.result = 5, {"file": "x.pdf", "audience": "internal", "format": "pdf",
                                       "bytes": 2048}  # fmt: skip
        part = client.get(f"/cases/{case}/jobs/{running}", headers={"HX-Request": "true"}).text
        assert "hx-get" not in part and 'value="5"' in part
        assert f'href="/cases/{case}/casefile/{running}"' in part and "2.0 kB" in part
        assert "Internal (the team)" in part
    finally:
        with demo_ws.session() as s:
            s.execute(delete(Job).where(Job.id == running))


def test_estimation_methods_show_by_their_names(client: TestClient, demo_ws: Workspace) -> None:
    case = _case(demo_ws)
    payload = {"method": "loglinear", "model": "[12][3]", "observed": 150, "estimate": 201.4,
               "interval": [170.0, 260.0], "level": 0.95, "assumptions": [],
               "warnings": [str(TWO)], "warnings_words": [to_json(TWO)]}  # fmt: skip
    made = new_id()
    with demo_ws.session() as s:
        s.add(EstimateRecord(id=made, case_id=case, created_at=utcnow(), created_by="t",
                             method="loglinear", result=json.dumps(payload),
                             inputs="{}"))  # fmt: skip
    try:
        page = client.get(f"/cases/{case}/estimates").text
        assert "Log-linear models" in page and ">loglinear<" not in page
        arabic = client.get(f"/cases/{case}/estimates?lang=ar").text
        assert "لوغاريتمي" in arabic
        # a stored warning is said in the page's language, from the words it was made of
        assert "with two lists the estimate assumes" in page
        assert "مع قائمتين فقط يفترض التقدير" in arabic and "with two lists" not in arabic
    finally:
        with demo_ws.session() as s:
            s.execute(delete(EstimateRecord).where(EstimateRecord.id == made))


def test_timestamps_are_utc_time_elements_and_codes_are_labels() -> None:
    got = str(timestamp(datetime(2026, 12, 7, 1, 2, 3)))
    assert got == '<time datetime="2026-12-07T01:02:03Z" dir="auto">2026-12-07 01:02:03 UTC</time>'
    assert "2026-12-07 00:02:03 UTC" in str(timestamp("2026-12-07T01:02:03+01:00"))
    env: Environment = templates.env
    page = env.from_string(
        "{{ term('shooting_close_range', 'method_of_violence') }}|{{ term('reasonable_grounds',"
        " 'standard_of_proof') }}|{{ 'not_started'|term('checklist_status') }}|"
        "{{ term('some_new_code', 'nonesuch') }}"
    )
    english = page.render(lang="en").split("|")
    assert "_" not in "".join(english), english
    assert english[1:] == ["Reasonable grounds to believe", "Not started", "some new code"]
    arabic = page.render(lang="ar").split("|")
    assert arabic[1] == "أسباب معقولة للاعتقاد" and arabic[0] != english[0]


def test_legal_pages_show_labels_and_a_legend_for_the_evidence_letters(
    client: TestClient, demo_ws: Workspace
) -> None:
    case = _case(demo_ws)
    page = client.get(f"/cases/{case}/legal/EV-00").text
    assert "Legend" in page and "Witness or victim testimony" in page
    assert '<abbr title="Forensic (autopsy, scene, ballistics, grave excavation)">' in page
    text = re.sub(r"<[^>]+>", " ", page)  # what a reader sees, not the forms' values
    for code in ("not_assessed", "reasonable_grounds", "some_information"):
        assert code not in text, code
    checklist = client.get(f"/cases/{case}/checklists/minnesota").text
    assert not re.search(r"\b(not_started|not_applicable|burial_site|digital_item)\b",
                         re.sub(r'<[^>]+>', " ", checklist))  # fmt: skip
    home = client.get(f"/cases/{case}/legal").text
    assert "Not started" in home and "not started<" not in home


def test_run_linkage_in_the_browser_and_follow_it_to_its_result(
    browser: object, site: Site
) -> None:
    with signed_in(browser, site, timezone_id="Asia/Amman") as p:
        p.goto(f"{site.url}/cases/{site.case}/estimates")  # type: ignore[attr-defined]
        with p.expect_navigation():  # type: ignore[attr-defined]
            p.click("button[value=linkage]")  # type: ignore[attr-defined]
        assert p.inner_text("h1") == "Linking the case's victim lists"  # type: ignore[attr-defined]
        # htmx swaps the card in every second until the job ends, then stops
        p.wait_for_selector("#job[data-state=done]", timeout=120_000)  # type: ignore[attr-defined]
        bar = p.locator("#job progress")  # type: ignore[attr-defined]
        assert bar.get_attribute("value") == bar.get_attribute("max") == "4"
        assert p.get_attribute("#job", "hx-get") is None  # type: ignore[attr-defined]
        assert "Step 4 of 4" in p.inner_text("#job")  # type: ignore[attr-defined]
        # the moments in the viewer's zone (Amman is UTC+3), the UTC text as the tooltip
        moment = p.locator("#job time").first  # type: ignore[attr-defined]
        # ... in the page's language: the month by its name, Latin digits ("7 March 2025")
        shown = moment.inner_text()
        assert re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4} \d\d:\d\d:\d\d GMT\+3", shown), shown
        assert (moment.get_attribute("title") or "").endswith(" UTC")
        with p.expect_navigation():  # type: ignore[attr-defined]
            p.click("#job a:has-text('Review the uncertain pairs')")  # type: ignore[attr-defined]
        assert p.url.endswith(f"/cases/{site.case}/review")  # type: ignore[attr-defined]
        p.goto(f"{site.url}/cases/{site.case}/jobs")  # type: ignore[attr-defined]
        row = p.locator("table.jobs tbody tr").first  # type: ignore[attr-defined]
        assert (
            "Linking the case's victim lists" in row.inner_text() and "Finished" in row.inner_text()
        )
        # in Arabic the month's Arabic name ("كانون الأول" is two words), the rest the same
        p.goto(f"{site.url}/cases/{site.case}/jobs?lang=ar")  # type: ignore[attr-defined]
        shown = p.locator("table.jobs tbody tr time").first.inner_text()  # type: ignore[attr-defined]
        month = r"[\u0621-\u064a]+(?: [\u0621-\u064a]+)?"
        assert re.fullmatch(rf"\d{{1,2}} {month} \d{{4}} \d\d:\d\d:\d\d GMT\+3", shown), shown


def test_an_estimate_job_over_drawn_linkages_stores_both_intervals(
    client: TestClient, demo_ws: Workspace
) -> None:
    case = _case(demo_ws)
    finished_linkage_job(client, case)
    bad = client.post(f"/cases/{case}/jobs", data={"kind": "estimate", "linkage_draws": "x"})
    assert bad.status_code == 400 and "linkage_draws" in bad.text
    one = client.post(f"/api/v1/cases/{case}/jobs", json={"kind": "estimate", "linkage_draws": 1})
    assert one.status_code == 422 and "linkage_draws" in one.text
    started = client.post(
        f"/api/v1/cases/{case}/jobs",
        json={"kind": "estimate", "method": "dga", "linkage_draws": 3},
    )
    assert started.status_code == 202, started.text
    client.app.state.jobs.wait()  # type: ignore[attr-defined]
    try:
        with demo_ws.session() as s:
            stored = s.scalars(select(EstimateRecord).where(EstimateRecord.case_id == case)).all()[
                -1
            ]
        doubt = json.loads(stored.result)["linkage_doubt"]
        assert doubt["draws"] == 3 and len(doubt["linkage_blind_interval"]) == 2
        job = client.get(f"/api/v1/cases/{case}/jobs/{started.json()['id']}").json()
        assert job["result"]["linkage_doubt"]["draws"] == 3, job
        assert "linkage doubt" in job["result"]["interval_covers"]
        page = client.get(f"/cases/{case}/estimates").text
        assert "over 3 plausible linkages" in page
    finally:
        with demo_ws.session() as s:
            s.execute(delete(EstimateRecord).where(EstimateRecord.case_id == case))
            linkage.delete_runs(s, case)
            s.execute(delete(Job).where(Job.case_id == case))
