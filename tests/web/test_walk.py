"""Issue 22's walk, in Chromium on a fresh demo: the daily work of a documentation team
done in the browser, from setting up a case to a finished linkage job.

An admin ("ada") creates a case and adds a member; a victim list with a bad row is
refused (the row shown, nothing stored) and a good one imported; an incident is added at
a gazetteer place and an evidence image attached to it, seen by its thumbnail. In the
demo case a person is opened from the victims page and from an incident; a protection
officer reveals a protected identity that an investigator cannot; linkage runs and its
job page finishes with a link to its result.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select

from browser_support import PASSWORD, Site, add_user, signed_in
from dalil.access import identities
from dalil.linkage.tables import ListRecord, VictimList
from dalil.model.tables import Case, Record

BANIYAS = 171830  # GeoNames id of Bāniyās / بانياس, in the bundled gazetteer
HEADER = "الرقم,الاسم الكامل,الجنس,العمر\n"
BAD = HEADER + "1,أحمد,ذكر,34\n2,سارة,x,20\n"  # row 3: not a recognised sex
GOOD = HEADER + "1,أحمد,ذكر,34\n2,سارة,أنثى,20\n"


@pytest.fixture(scope="module")
def team(site: Site) -> Site:
    """The demo with an admin (no case role yet) and a protection officer of its case."""
    add_user(site, "ada", admin=True)
    add_user(site, "pia", "protection_officer")
    return site


@pytest.fixture
def ada(browser: object, team: Site) -> Iterator[Any]:
    with signed_in(browser, team, "ada") as p:
        yield p


def lists_of(site: Site, case: str) -> tuple[int, int]:
    """Victim lists and list rows stored in ``case``."""
    with site.ws.session() as s:
        lists = s.scalar(select(func.count()).where(VictimList.case_id == case))
        rows = s.scalar(
            select(func.count())
            .select_from(ListRecord)
            .join(VictimList, ListRecord.list_id == VictimList.id)
            .where(VictimList.case_id == case)
        )
    return int(lists or 0), int(rows or 0)


def upload_list(p: Any, site: Site, case: str, path: Path) -> None:
    p.goto(f"{site.url}/cases/{case}/lists")
    p.set_input_files("#list-file", str(path))
    p.fill("#list-source", "Coastal families committee")
    with p.expect_navigation():
        p.click("form[action$='/lists'] button[type=submit]")


def test_an_admin_creates_a_case_and_adds_a_member(ada: Any, team: Site) -> None:
    p, site = ada, team
    p.goto(f"{site.url}/cases/new")
    assert p.locator("#case-title").count() == 1, p.inner_text("main")
    p.fill("#case-title", "Walk-through case (FICTIONAL)")
    p.check("#case-fictional")
    p.select_option("#case-role", "investigator")  # the admin's own role in it
    with p.expect_navigation():
        p.click("form[action='/cases/new'] button[type=submit]")
    with site.ws.session() as s:
        case = s.scalars(select(Case.id).where(Case.title.contains("Walk-through"))).one()
    assert p.url.endswith(f"/cases/{case}")
    p.goto(f"{site.url}/cases/{case}/team")
    p.select_option("#member-user", "amal")
    p.select_option("#member-role", "analyst")
    with p.expect_navigation():
        p.click("#add-member ~ form button[type=submit]")
    members = p.locator("main table tbody").inner_text()
    assert "amal" in members and "ada" in members


def test_import_a_list_add_an_incident_at_a_gazetteer_place_and_attach_a_photo(
    page: object, site: Site, tmp_path: Path
) -> None:
    p: Any = page
    case = site.case
    before = lists_of(site, case)
    # a list with a bad row: refused whole, the row shown, nothing stored
    bad, good = tmp_path / "families.csv", tmp_path / "families-fixed.csv"
    bad.write_text(BAD, "utf-8")
    good.write_text(GOOD, "utf-8")
    upload_list(p, site, case, bad)
    assert "Nothing was stored" in p.inner_text("#refused")
    # the column mapping guessed from the Arabic header, each column with its select
    mapping = p.locator("select[name=field]")
    assert mapping.count() == 4
    assert [mapping.nth(i).input_value() for i in range(4)][:2] == ["record_id", "full_name"]
    row = p.locator("table[aria-labelledby=bad-rows] tbody tr")
    assert row.count() == 1 and row.locator("td").first.inner_text() == "3"
    assert "الجنس" in row.inner_text()
    assert p.locator("button[value=import]").count() == 0
    assert lists_of(site, case) == before
    # the fixed list: checked, then imported
    upload_list(p, site, case, good)
    assert "Every row is good" in p.inner_text("main")
    with p.expect_navigation():
        p.click("button[value=import]")
    assert "Imported 2 rows" in p.inner_text("main")
    assert lists_of(site, case) == (before[0] + 1, before[1] + 2)
    # an incident at a place of the gazetteer, found by typing its Arabic name
    p.goto(f"{site.url}/cases/{case}/incidents")
    if not p.locator("#inc-title").is_visible():
        p.click("#new-incident summary")
    p.fill("#inc-title", "Shelling of the market (FICTIONAL)")
    p.fill("#inc-date", "2025-03-07")
    p.fill("#inc-place-q", "بانيا")
    p.check(f"#place-choices input[name=gazetteer][value='{BANIYAS}']")
    with p.expect_navigation():
        p.click("form.entry button[type=submit]")
    assert f"/cases/{case}/incidents/" in p.url
    incident = p.url.rsplit("/", 1)[1]
    assert "بانياس" in p.inner_text("main") or "Bāniyās" in p.inner_text("main")
    # a photo, uploaded attached to the incident, seen by its thumbnail
    photo = tmp_path / "market-photo.jpg"
    Image.new("RGB", (1200, 900), (120, 140, 90)).save(photo, "JPEG")
    p.goto(f"{site.url}/cases/{case}/evidence")
    p.click("details.ev-upload summary")
    p.set_input_files("#ev-file", str(photo))
    p.select_option("#ev-record", incident)
    p.fill("#ev-source", "field team phone")
    p.click("#ev-upload button[type=submit]")
    added = p.locator("section.item.added")
    assert "market-photo.jpg" in added.inner_text()
    assert "Shelling of the market" in added.inner_text()
    # the thumbnail is made just after the upload's response: reload until it is there
    for _ in range(60):
        if p.locator("section.item.added .ev-preview img").count():
            break
        p.wait_for_timeout(500)
        p.reload()
    # functions, not expressions: Playwright polls an expression through eval, which the
    # page's CSP (no 'unsafe-eval') refuses once the condition is not true at once
    p.wait_for_function(
        "() => document.querySelector('section.item.added .ev-preview img')?.naturalWidth > 0"
    )
    p.goto(f"{site.url}/cases/{case}/incidents/{incident}")
    assert p.locator("img[src$='/thumbnail']").count() == 1
    thumbnail = "img[src$='/thumbnail']"
    p.wait_for_function(f'() => document.querySelector("{thumbnail}")?.naturalWidth > 0')


def test_open_a_person_from_the_victims_page_and_from_an_incident(page: object, site: Site) -> None:
    p: Any = page
    p.goto(f"{site.url}/cases/{site.case}/victims")
    first = p.locator("main table tbody tr").first.locator("a").first
    label = first.inner_text()
    with p.expect_navigation():
        first.click()
    assert f"/cases/{site.case}/persons/" in p.url and label in p.inner_text("h1")
    # from an incident that has victims: the first victim's name leads to their page
    with site.ws.session() as s:
        incidents = s.scalars(
            select(Record.id).where(Record.case_id == site.case, Record.kind == "event")
        ).all()
    for incident in incidents:
        p.goto(f"{site.url}/cases/{site.case}/incidents/{incident}")
        victim = p.locator("#victims-h").locator("xpath=../..").locator("a[href*='/persons/']")
        if victim.count():
            break
    else:
        pytest.fail("no incident page links to a victim")
    href = victim.first.get_attribute("href")
    with p.expect_navigation():
        victim.first.click()
    assert p.url.endswith(str(href)) and p.locator("h1").count() == 1


def test_a_protection_officer_reveals_an_identity_and_an_investigator_cannot(
    browser: object, team: Site
) -> None:
    site = team
    with site.ws.session() as s:
        person = sorted(identities.recorded_persons(s, site.case))[0]
    url = f"{site.url}/cases/{site.case}/persons/{person}"
    with signed_in(browser, site, "amal") as investigator:  # no form, and refused
        p: Any = investigator
        p.goto(url)
        assert p.locator("form.identity-reveal").count() == 0
        assert "Only a protection officer may reveal it" in p.inner_text("main")
        csrf = p.locator("input[name=csrf]").first.get_attribute("value")
        forged = p.request.post(
            f"{url}/identity/reveal",
            form={"csrf": csrf, "reason": "checking the witness list", "password": PASSWORD},
        )
        assert forged.status == 403
        assert p.locator(".revealed").count() == 0
        hidden = p.inner_text("main")
    with signed_in(browser, site, "pia") as officer:
        p = officer
        p.goto(url)
        shown_before = p.inner_text("main")
        p.fill("#reveal-reason", "to arrange protection before the hearing")
        p.fill("#reveal-password", "not the password")
        with p.expect_navigation():
            p.click("form.identity-reveal button[type=submit]")
        assert p.locator(".revealed").count() == 0
        assert "wrong password or code" in p.inner_text("form.identity-reveal")
        p.fill("#reveal-password", PASSWORD)
        with p.expect_navigation():
            p.click("form.identity-reveal button[type=submit]")
        names = p.locator(".revealed dd").first.inner_text().strip()
        assert names and names not in shown_before and names not in hidden


def test_run_linkage_and_the_job_finishes_with_a_link_to_its_result(
    page: object, site: Site
) -> None:
    p: Any = page
    p.goto(f"{site.url}/cases/{site.case}/estimates")
    with p.expect_navigation():
        p.click("button[value=linkage]")
    assert f"/cases/{site.case}/jobs/" in p.url
    p.wait_for_selector("#job[data-state=done]", timeout=180_000)
    bar = p.locator("#job progress")
    assert bar.get_attribute("value") == bar.get_attribute("max")
    result = p.locator(f"#job a[href^='/cases/{site.case}/']").first
    target = str(result.get_attribute("href"))
    with p.expect_navigation():
        result.click()
    assert p.url.endswith(target) and p.locator("h1").count() == 1
