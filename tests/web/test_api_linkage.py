"""API v1 routes for victim lists, persons, the review queue and estimates, per role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from dalil.access import accounts, policy
from dalil.access.tables import User
from dalil.linkage import service as linkage
from dalil.records import cases
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.workspace import Workspace

PASSWORD = "api tester password"


@pytest.fixture
def api(demo_ws: Workspace, demo_vault: Vault) -> Iterator[tuple[TestClient, dict[str, str], str]]:
    """The demo case, linked; tokens for an analyst, a viewer and an outsider."""
    tokens: dict[str, str] = {}
    with demo_ws.session() as s:
        case_id = cases.all_cases(s)[0].id
        for name, role in (("api-analyst", "analyst"), ("api-viewer", "viewer"),
                           ("api-outsider", None)):  # fmt: skip
            user = s.scalar(select(User).where(User.name == name))
            if user is None:
                user = accounts.add_user(s, name, PASSWORD)
                if role:
                    policy.add_member(s, case_id, user, role, "t")
            tokens[name] = accounts.create_token(s, user)
        linkage.run_linkage(s, case_id, "t")
    app = create_app(workspace=demo_ws, vault=demo_vault)
    with TestClient(app, base_url="https://testserver") as c:
        yield c, tokens, case_id
    with demo_ws.session() as s:
        linkage.delete_runs(s, case_id)


def h(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_lists_persons_review_and_estimates_by_role(
    api: tuple[TestClient, dict[str, str], str],
) -> None:
    c, tokens, case_id = api
    base = f"/api/v1/cases/{case_id}"
    lists = c.get(f"{base}/lists", headers=h(tokens["api-analyst"])).json()
    assert {x["source"] for x in lists} == {
        "coastal_documentation_network",
        "families_for_truth",
        "olive_branch_monitor",
    }
    persons = c.get(f"{base}/persons", headers=h(tokens["api-analyst"])).json()
    assert 150 < len(persons) < 260 and all(p["records"] for p in persons)
    queue = c.get(f"{base}/review?limit=5", headers=h(tokens["api-analyst"])).json()
    assert isinstance(queue, list)
    assert c.get(f"{base}/estimates", headers=h(tokens["api-analyst"])).status_code == 200
    for path in ("lists", "persons", "review", "estimates"):
        assert c.get(f"{base}/{path}", headers=h(tokens["api-viewer"])).status_code == 403
        outsider = c.get(f"{base}/{path}", headers=h(tokens["api-outsider"]))
        assert outsider.status_code == 404
        assert c.get(f"{base}/{path}").status_code == 401


def test_review_decision_input_is_validated_and_stored(
    api: tuple[TestClient, dict[str, str], str],
) -> None:
    c, tokens, case_id = api
    url = f"/api/v1/cases/{case_id}/review/decisions"
    persons = c.get(f"/api/v1/cases/{case_id}/persons", headers=h(tokens["api-analyst"])).json()
    left, right = persons[0]["records"][0], persons[1]["records"][0]
    body = {"left": left, "right": right, "decision": "no_match", "note": "different fathers"}
    ok = c.post(url, json=body, headers=h(tokens["api-analyst"]))
    assert ok.status_code == 201 and ok.json()["reviewer"] == "api-analyst"
    extra = c.post(url, json={**body, "reviewer": "someone else"}, headers=h(tokens["api-analyst"]))
    assert extra.status_code == 422  # no mass assignment of the reviewer
    bad = c.post(url, json={**body, "decision": "maybe"}, headers=h(tokens["api-analyst"]))
    assert bad.status_code == 422
    assert bad.json()["error"]["code"] == "input.invalid"
    assert bad.json()["error"]["path"] == "$.body.decision" and "maybe" not in bad.text
    headers = {**h(tokens["api-analyst"]), "Content-Type": "application/json"}
    broken = c.post(url, content=b"{not json", headers=headers)
    assert broken.status_code == 422 and "error" in broken.json()
    unknown = {**body, "left": {"source": "nope", "record_id": "1"}}
    missing = c.post(url, json=unknown, headers=h(tokens["api-analyst"]))
    assert missing.status_code == 404
    assert c.post(url, json=body, headers=h(tokens["api-viewer"])).status_code == 403
    assert c.post(url, json=body, headers=h(tokens["api-outsider"])).status_code == 404


def test_review_screen_shows_a_pair_and_takes_a_decision(
    api: tuple[TestClient, dict[str, str], str], demo_ws: Workspace
) -> None:
    import re

    c, _tokens, case_id = api
    c.headers.pop("Authorization", None)
    form = c.get("/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form)
    assert csrf
    c.post("/login", data={"name": "api-analyst", "password": PASSWORD, "csrf": csrf.group(1)})
    page = c.get(f"/cases/{case_id}/review")
    assert page.status_code == 200
    if "Nothing to review" in page.text:
        pytest.skip("the demo linkage left no pair to review")
    assert 'class="differs"' in page.text and 'dir="auto"' in page.text
    assert "review.js" in page.text and "full name" in page.text
    assert "الاسم الكامل" in c.get(f"/cases/{case_id}/review?lang=ar").text  # labels in Arabic
    c.get(f"/cases/{case_id}/review?lang=en")  # back to English for the counts below
    waiting = re.compile(r"(?:<bdi[^>]*>)?(\d+)(?:</bdi>)?</span> pair\(s\) waiting")
    before = int(waiting.search(page.text).group(1))  # type: ignore[union-attr]
    fields = dict(re.findall(r'name="(csrf|left|right)" value="([^"]*)"', page.text))
    no_csrf = c.post(f"/cases/{case_id}/review", data={**fields, "csrf": "", "decision": "unsure"})
    assert no_csrf.status_code == 403
    done = c.post(f"/cases/{case_id}/review", data={**fields, "decision": "unsure"},
                  follow_redirects=False)  # fmt: skip
    assert done.status_code == 303
    after = c.get(f"/cases/{case_id}/review").text
    match = waiting.search(after)
    assert match and int(match.group(1)) == before - 1
    assert c.get("/static/review.js").status_code == 200
