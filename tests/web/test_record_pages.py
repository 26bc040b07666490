"""The record pages on the demo case (read-only) and in a fresh world (writes): a person
reached from the victims list and from an incident, an incident with its victims, groups,
places by name and codes by label, other records and their lists, corrections that
supersede, and identity reveal and erasure from a protected person's page."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from browser_support import PASSWORD as BROWSER_PASSWORD
from browser_support import Site, signed_in
from dalil.access import accounts, audit, policy
from dalil.access.tables import User
from dalil.model.tables import Case, Person, Record
from dalil.records import Records
from dalil.vault import holdings
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.workspace import Workspace
from tests_support import PASSWORD, World

DEMO_PASSWORD = "record pages tester password"
CANARY = "Canary Qasim al-Witness"


@pytest.fixture
def demo(demo_ws: Workspace, demo_vault: Vault) -> Iterator[tuple[TestClient, str]]:
    """An investigator of the demo case (API token) and the case id."""
    with demo_ws.session() as s:
        case = s.scalars(select(Case.id)).one()
        user = s.scalar(select(User).where(User.name == "records-tester"))
        if user is None:
            user = accounts.add_user(s, "records-tester", DEMO_PASSWORD)
            policy.add_member(s, case, user, "investigator", "t")
        token = accounts.create_token(s, user)
    with TestClient(create_app(workspace=demo_ws, vault=demo_vault),
                    base_url="https://testserver") as c:  # fmt: skip
        c.headers["Authorization"] = f"Bearer {token}"
        yield c, case


def ledger_entries(ws: Workspace, **filters: Any) -> list[dict[str, Any]]:
    with ws.session() as s:
        return audit.entries(s, audit.Query(limit=10_000, **filters))


def _links(html: str, case: str, kind: str) -> list[str]:
    return re.findall(rf'href="/cases/{case}/{kind}/([0-9a-f-]+)"', html)


def test_a_person_is_reached_from_the_victims_list_and_from_an_incident(
    demo: tuple[TestClient, str],
) -> None:
    c, case = demo
    victims = c.get(f"/cases/{case}/victims").text
    assert _links(victims, case, "persons"), "victim names link to their pages"
    events = _links(c.get(f"/cases/{case}/incidents").text, case, "incidents")
    shown = {e: _links(c.get(f"/cases/{case}/incidents/{e}").text, case, "persons")
             for e in events[:4]}  # fmt: skip
    event, persons = max(shown.items(), key=lambda kv: len(kv[1]))
    assert persons, "an incident lists its victims"
    page = c.get(f"/cases/{case}/persons/{persons[0]}")
    assert page.status_code == 200 and "What was done to them" in page.text
    assert event in _links(page.text, case, "incidents"), "acts link to their incident"
    assert "deliberate_killing" not in page.text  # codes by their label
    arabic = c.get(f"/cases/{case}/persons/{persons[0]}", params={"lang": "ar"})
    assert arabic.status_code == 200 and 'dir="rtl"' in arabic.text


def test_an_incident_names_its_places_groups_and_codes_by_label(
    demo: tuple[TestClient, str], demo_ws: Workspace
) -> None:
    c, case = demo
    with demo_ws.session() as s:
        book = Records(s, case, "t")
        placed = [e for e in book.all("event") if e.values("place")]
        event = next(e for e in placed if e.label) if placed else book.all("event")[0]
        place = book.get(event.values("place")[0].id)
    html = c.get(f"/cases/{case}/incidents/{event.id}").text
    assert not re.search(r"place [0-9a-f]{8}\b", html), "places by name, never by id"
    assert place.title in html and f"/cases/{case}/records/{place.id}" in html
    table = html[html.index("assertions") : html.index("</table>", html.index("assertions"))]
    assert "single_source" not in table and "Single source" in table  # codes by label
    assert "<svg" in html, "a small map"
    # a group with a name, not an image: an image may not hold links (axe nested-interactive)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'role="group"' in svg and 'aria-label="' in svg and 'role="img"' not in svg
    assert f'/cases/{case}/records/{place.id}"><circle' in svg and 'r="3.5"' in svg
    again = c.get(f"/cases/{case}/incidents/{event.id}").text  # the others' markup is kept
    assert again[again.index("<svg") : again.index("</svg>")] == svg
    # the place's page lists the incident; the organisations list reaches a group's page
    place_page = c.get(f"/cases/{case}/records/{place.id}").text
    assert event.id in _links(place_page, case, "incidents")
    groups = c.get(f"/cases/{case}/organisations").text
    orgs = _links(groups, case, "records")
    assert orgs and all(c.get(f"/cases/{case}/records/{o}").status_code == 200 for o in orgs)
    for listing in ("places", "sources", "burial-sites"):
        r = c.get(f"/cases/{case}/{listing}")
        assert r.status_code == 200 and _links(r.text, case, "records"), listing


def test_an_incident_page_kept_per_revision_shows_a_new_fact_at_once(world: World) -> None:
    """An incident page's acts, facts, map and sources are drawn once per case revision
    and language: a fact added after a visit is on the next visit, in either language."""
    c, a, inv = world.client, world.a, world.h("investigator")
    made = c.post(f"/api/v1/cases/{a}/records", headers=inv,
                  json={"kind": "event", "facts": {"title": "Shelling of the market"}})  # fmt: skip
    url = f"/cases/{a}/incidents/{made.json()['id']}"
    first = c.get(f"{url}?lang=en", headers=inv).text
    arabic = c.get(f"{url}?lang=ar", headers=inv).text
    assert "Gunmen came at dawn" not in first + arabic and 'lang="ar"' in arabic
    assert c.get(f"{url}?lang=en", headers=inv).text.count("Shelling of the market") == first.count(
        "Shelling of the market"
    )  # the kept parts are drawn once, not twice
    added = c.post(f"/api/v1/cases/{a}/records/{made.json()['id']}/assertions", headers=inv,
                   json={"field": "description", "value": "Gunmen came at dawn"})  # fmt: skip
    assert added.status_code == 201
    assert "Gunmen came at dawn" in c.get(f"{url}?lang=en", headers=inv).text.split("Assertions")[1]
    assert "Gunmen came at dawn" in c.get(f"{url}?lang=ar", headers=inv).text


def test_a_correction_supersedes_and_a_bad_one_writes_nothing(world: World) -> None:
    c, a, inv = world.client, world.a, world.h("investigator")
    made = c.post(f"/api/v1/cases/{a}/records", headers=inv,
                  json={"kind": "organisation", "facts": {"name": "Brigade X"}})  # fmt: skip
    org = made.json()["id"]
    fact = made.json()["facts"]["name"][0]["id"]
    url = f"/cases/{a}/records/{org}/corrections"
    bad = c.post(url, headers=inv, data={"supersedes": "", "value": "Brigade Y"})
    assert bad.status_code == 400 and "choose the fact to correct" in bad.text
    assert 'value="Brigade Y"' in bad.text  # what was typed is kept
    ok = c.post(url, headers=inv, data={"supersedes": fact, "value": "Brigade Y",
                                        "note": "misread"}, follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303 and ok.headers["location"] == f"/cases/{a}/records/{org}"
    detail = c.get(f"/api/v1/cases/{a}/records/{org}", headers=inv).json()
    assert [f["value"] for f in detail["facts"]["name"]] == ["Brigade Y"]
    assert len(detail["history"]) == 2  # the old fact stays in the history
    again = c.post(url, headers=inv, data={"supersedes": fact, "value": "Brigade Z"})
    assert again.status_code == 400  # already superseded: nothing overwritten
    viewer = c.post(url, headers=world.h("viewer"), data={"supersedes": fact, "value": "Q"})
    assert viewer.status_code == 403


def test_a_protection_officer_reveals_and_erases_from_the_page(world: World) -> None:
    c, a, wid = world.client, world.a, world.witness
    inv, po = world.h("investigator"), world.h("protection_officer")
    put = c.put(f"/api/v1/cases/{a}/persons/{wid}/identity", headers=inv,
                json={"names": [CANARY], "contact": "+000 555 0101"})  # fmt: skip
    assert put.status_code == 204
    page = c.get(f"/cases/{a}/persons/{wid}", headers=inv).text
    assert "W-001" in page and CANARY not in page
    assert "identity/reveal" not in page  # an investigator gets no form ...
    body = {"reason": "court disclosure request 2025/17", "password": PASSWORD}
    url = f"/cases/{a}/persons/{wid}/identity"
    assert c.post(f"{url}/reveal", headers=inv, data=body).status_code == 403  # ... nor a reveal
    assert "identity/reveal" in c.get(f"/cases/{a}/persons/{wid}", headers=po).text
    wrong = c.post(f"{url}/reveal", headers=po, data={**body, "password": "nope"})
    assert wrong.status_code == 400 and CANARY not in wrong.text
    assert "court disclosure" in wrong.text  # the reason is kept for another try
    shown = c.post(f"{url}/reveal", headers=po, data=body)
    assert shown.status_code == 200 and CANARY in shown.text
    assert shown.headers["cache-control"] == "no-store" and CANARY not in str(shown.url)
    assert CANARY not in c.get(f"/cases/{a}/persons/{wid}", headers=po).text  # shown once
    revealed = ledger_entries(world.ws, action="identity_revealed", case=a)
    assert revealed[-1]["detail"]["reason"] == body["reason"]
    assert c.post(f"{url}/erase", headers=inv, data=body).status_code == 403
    erased = c.post(f"{url}/erase", headers=po, data=body)
    assert erased.status_code == 200 and "identity was erased" in erased.text
    assert ledger_entries(world.ws, action="identity_erased", case=a)
    with world.ws.session() as s:
        assert s.get(Person, wid) is not None and s.get(Record, wid) is not None


def test_browser_person_from_victims_and_incident_and_a_reveal(
    browser: object, site: Site, page: object
) -> None:
    """In Chromium: a person opened from the victims page and from an incident; a protected
    witness's identity revealed by a protection officer, whom an investigator is refused."""
    p = page
    p.goto(f"{site.url}/cases/{site.case}/victims")  # type: ignore[attr-defined]
    with p.expect_navigation():  # type: ignore[attr-defined]
        p.locator("table a[href*='/persons/']").first.click()  # type: ignore[attr-defined]
    assert "/persons/" in p.url and p.locator("h1").inner_text().strip()  # type: ignore[attr-defined]
    p.goto(f"{site.url}/cases/{site.case}/incidents")  # type: ignore[attr-defined]
    events = p.locator("a[href*='/incidents/']")  # type: ignore[attr-defined]
    p.goto(site.url + events.nth(events.count() - 1).get_attribute("href"))  # type: ignore[attr-defined]
    victim = p.locator("#victims-h").locator("xpath=../..").locator("a[href*='/persons/']").first  # type: ignore[attr-defined]
    label = victim.locator("xpath=..").inner_text()
    with p.expect_navigation():  # type: ignore[attr-defined]
        victim.click()
    assert "What was done to them" in p.inner_text("main")  # type: ignore[attr-defined]
    assert any(w in label for w in p.inner_text("h1").split())  # type: ignore[attr-defined]
    with site.ws.session() as s:
        witness = s.scalars(select(Person.id).where(Person.protection_level == "protected")).first()
        if s.scalar(select(User).where(User.name == "pat")) is None:
            officer = accounts.add_user(s, "pat", BROWSER_PASSWORD)
            policy.add_member(s, site.case, officer, "protection_officer", "t")
    p.goto(f"{site.url}/cases/{site.case}/persons/{witness}")  # type: ignore[attr-defined]
    assert p.locator("form.identity-reveal").count() == 0  # type: ignore[attr-defined]
    with signed_in(browser, site, "pat") as po:
        po.goto(f"{site.url}/cases/{site.case}/persons/{witness}")  # type: ignore[attr-defined]
        form = po.locator("form.identity-reveal")  # type: ignore[attr-defined]
        form.locator("textarea[name=reason]").fill("prosecutor's request 2025/3 for a statement")
        form.locator("input[name=password]").fill(BROWSER_PASSWORD)
        with po.expect_navigation():  # type: ignore[attr-defined]
            form.locator("button[type=submit]").click()
        shown = po.inner_text(".revealed")  # type: ignore[attr-defined]
        assert "Names" in shown and "/identity/" in po.url  # type: ignore[attr-defined]
    assert ledger_entries(site.ws, action="identity_revealed", case=site.case)


def test_a_record_names_the_evidence_attached_to_it(
    demo: tuple[TestClient, str], demo_ws: Workspace
) -> None:
    """The server holds the vault: an incident's and a burial site's evidence are named by
    their original file names (sealed metadata), each name read a custody view of the
    signed-in user; never only by media type and hash (issue 22, item 2)."""
    c, case = demo
    with demo_ws.session() as s:
        site = s.scalars(select(Record.id).where(Record.case_id == case,
                                                 Record.kind == "burial_site")).first()  # fmt: skip
        event = s.scalars(select(Record.id).where(Record.case_id == case, Record.kind == "event",
                                                  Record.label == "EV-00")).one()  # fmt: skip
    before = len(ledger_entries(demo_ws, actor="records-tester", action="view"))
    for page in (f"/cases/{case}/records/{site}", f"/cases/{case}/incidents/{event}"):
        html = c.get(page).text
        assert re.search(r"IMG_\d{8}_\d{6}\.jpg|\.pdf|\.avi|\.txt", html), page
        assert "image/jpeg · <code" not in html
    assert len(ledger_entries(demo_ws, actor="records-tester", action="view")) > before


def test_evidence_is_attached_from_the_records_side(world: World) -> None:
    """The record page's attach form: the item then supports the record (an ``attached``
    custody event); an item of no case or a reader without write is refused."""
    c, a, inv = world.client, world.a, world.h("investigator")
    made = c.post(f"/api/v1/cases/{a}/records", headers=inv,
                  json={"kind": "organisation", "facts": {"name": "Brigade X"}})  # fmt: skip
    org = made.json()["id"]
    up = c.post(f"/api/v1/cases/{a}/evidence", headers=inv,
                files={"file": ("statement.txt", b"a statement\n", "text/plain")})  # fmt: skip
    item = up.json()["id"]
    page = c.get(f"/cases/{a}/records/{org}", headers=inv).text
    assert f'action="/cases/{a}/records/{org}/evidence"' in page and f'value="{item}"' in page
    url = f"/cases/{a}/records/{org}/evidence"
    assert c.post(url, headers=inv, data={"item_id": "nope"}).status_code == 400
    assert c.post(url, headers=world.h("viewer"), data={"item_id": item}).status_code == 403
    done = c.post(url, headers=inv, data={"item_id": item}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"].startswith(
        f"/cases/{a}/records/{org}"
    )
    with world.ws.session() as s:
        assert [e.id for e in holdings.supporting(s, a, org)] == [item]
    assert any(e["detail"].get("record_id") == org
               for e in ledger_entries(world.ws, case=a, action="attached"))  # fmt: skip
    page = c.get(f"/cases/{a}/records/{org}", headers=inv).text
    assert "statement.txt" in page and f'value="{item}"' not in page  # listed, no longer offered
