"""Real browser flows: Debian's Chromium (``/usr/bin/chromium``, installed by ``make test``
and ``.ci/run``; Playwright never downloads a browser here) driving a real uvicorn server
over loopback, on a fresh demo workspace (SQLite; the storage paths these flows touch are
covered on PostgreSQL by the API tests).

The server, browser and signed-in page fixtures are in ``tests/web/conftest.py`` (made
with ``tests/browser_support.py``).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from sqlalchemy import func, select

from browser_support import Site, sign_in
from dalil.extract.tables import Suggestion
from dalil.linkage.tables import ReviewDecision
from dalil.model.tables import Record
from dalil.vault.bundle import verify_bundle


def test_sign_in_needs_the_totp_code(browser: object, site: Site) -> None:
    context = browser.new_context()  # type: ignore[attr-defined]
    p = context.new_page()
    sign_in(p, site, f"/cases/{site.case}", code="000000")
    assert "/login" in p.url
    assert "wrong name or password" in p.inner_text("[role=alert]")
    sign_in(p, site, f"/cases/{site.case}")
    assert p.url.endswith(f"/cases/{site.case}")
    assert "Deaths documented" in p.inner_text("main")
    cookies = {c["name"]: c for c in context.cookies()}
    assert cookies["dalil_session"]["httpOnly"] and cookies["dalil_session"]["sameSite"] == "Strict"
    p.click("#user-menu")  # the user menu holds sign-out
    p.click("form.signout button")
    p.goto(f"{site.url}/cases/{site.case}")
    assert "/login" in p.url  # the session is gone
    context.close()


def test_add_an_incident_with_a_sourced_assertion(page: object, site: Site) -> None:
    p = page
    p.goto(f"{site.url}/cases/{site.case}/incidents")  # type: ignore[attr-defined]
    p.click("details.entry summary")  # type: ignore[attr-defined]
    form = p.locator("form.entry")  # type: ignore[attr-defined]
    form.locator("input[name=title]").fill("Shooting at the olive press")
    form.locator("input[name=date]").fill("7 March")  # wrong on purpose: refused, kept
    form.locator("input[name=casualties]").fill("more than 30")
    form.locator("select[name=source]").select_option(index=1)
    source_title = form.locator("select[name=source] option").nth(1).inner_text().strip()
    form.locator("select[name=confidence]").select_option("consistent")
    form.locator("button[type=submit]").click()
    assert "YYYY-MM-DD" in p.inner_text("#form-error")  # type: ignore[attr-defined]
    assert p.input_value("input[name=title]") == "Shooting at the olive press"  # type: ignore[attr-defined]
    p.fill("input[name=date]", "2025-03-06/2025-03-08")  # type: ignore[attr-defined]
    p.locator("form.entry button[type=submit]").click()  # type: ignore[attr-defined]
    p.wait_for_url(re.compile(r"/incidents/[0-9a-f-]+$"))  # type: ignore[attr-defined]
    table = p.inner_text("table.assertions")  # type: ignore[attr-defined]
    assert "more than 30" in table and "Consistent but uncorroborated" in table
    assert source_title in table and "information_record" not in table  # cited by title
    # a second, differing date from the incident page: shown side by side
    form = p.locator("form.entry")  # type: ignore[attr-defined]
    form.locator("select[name=field]").select_option("date")
    form.locator("input[name=value]").fill("2025-03-09")
    form.locator("select[name=source]").select_option(index=1)
    with p.expect_navigation():  # type: ignore[attr-defined]
        form.locator("button[type=submit]").click()
    assert "Sources disagree" in p.inner_text("main")  # type: ignore[attr-defined]
    assert p.locator("tr.differs").count() == 2  # type: ignore[attr-defined]
    with site.ws.session() as s:
        n = s.scalar(select(func.count()).select_from(Record).where(
            Record.kind == "event", Record.created_by == "amal"))  # fmt: skip
    assert n == 1  # the refused form wrote nothing


def test_ingest_evidence_and_download_its_bundle(page: object, site: Site, tmp_path: Path) -> None:
    p = page
    original = tmp_path / "وثيقة-statement.txt"
    original.write_text("A witness statement, fictional, for the browser test.\n", "utf-8")
    p.goto(f"{site.url}/cases/{site.case}/evidence")  # type: ignore[attr-defined]
    p.click("details.entry summary")  # type: ignore[attr-defined]
    p.set_input_files("input[name=file]", str(original))  # type: ignore[attr-defined]
    p.fill("input[name=source]", "given by hand")  # type: ignore[attr-defined]
    p.click("form.entry button[type=submit]")  # type: ignore[attr-defined]
    added = p.locator("section.item.added")  # type: ignore[attr-defined]
    sha = added.locator("code.hash").inner_text().strip()
    assert re.fullmatch(r"[0-9a-f]{64}", sha)
    added.locator("summary").click()
    assert "ingest" in added.inner_text()
    with p.expect_download() as info:  # type: ignore[attr-defined]
        p.click("text=Download the evidence bundle")  # type: ignore[attr-defined]
    bundle = tmp_path / "bundle.zip"
    info.value.save_as(bundle)
    faults, summary = verify_bundle(bundle)
    assert faults == [], faults
    assert f"evidence/{sha}" in zipfile.ZipFile(bundle).namelist() and summary["items"] >= 2


def test_decide_a_linkage_pair_with_one_key(page: object, site: Site) -> None:
    p = page
    p.goto(f"{site.url}/cases/{site.case}/estimates")  # type: ignore[attr-defined]
    p.click("button[value=linkage]")  # type: ignore[attr-defined]
    p.wait_for_url(re.compile(r"/jobs/[0-9a-f-]+$"))  # type: ignore[attr-defined]
    # the page polls the job and reloads itself when it is done
    p.wait_for_selector("#job[data-state=done]", timeout=120_000)  # type: ignore[attr-defined]
    assert p.get_attribute("progress", "value") is not None  # type: ignore[attr-defined]
    p.goto(f"{site.url}/cases/{site.case}/review")  # type: ignore[attr-defined]
    waiting = int(p.inner_text("p.pending").split()[0])  # type: ignore[attr-defined]
    assert waiting > 0
    assert p.locator("tr.differs").count() >= 1  # type: ignore[attr-defined]
    url = p.url  # type: ignore[attr-defined]
    p.keyboard.press("n")  # type: ignore[attr-defined]  # one key: different people
    # htmx swaps in the next pair without leaving the page
    left = "parseInt(document.querySelector('p.pending').textContent)"
    p.wait_for_function(f"() => {left} == {waiting - 1}")  # type: ignore[attr-defined]
    assert p.url == url  # type: ignore[attr-defined]
    with site.ws.session() as s:
        decided = s.scalars(select(ReviewDecision).where(ReviewDecision.reviewer == "amal")).all()
    assert [d.decision for d in decided] == ["no_match"]


def test_map_and_dashboard_in_arabic(page: object, site: Site, tmp_path: Path) -> None:
    p = page
    p.goto(f"{site.url}/cases/{site.case}?lang=ar")  # type: ignore[attr-defined]
    html = p.locator("html")  # type: ignore[attr-defined]
    assert html.get_attribute("dir") == "rtl" and html.get_attribute("lang") == "ar"
    main = p.locator("main")  # type: ignore[attr-defined]
    assert main.evaluate("e => getComputedStyle(e).direction") == "rtl"
    assert "الوفيات الموثقة" in main.inner_text()
    # right-to-left for real: the case navigation starts at the right edge
    nav = p.locator("nav.case a").first  # type: ignore[attr-defined]
    box, width = nav.bounding_box(), p.viewport_size["width"]  # type: ignore[attr-defined]
    assert box["x"] > width / 2
    p.screenshot(path=str(tmp_path / "dashboard-ar.png"))  # type: ignore[attr-defined]
    p.click("nav.case >> text=الخريطة")  # type: ignore[attr-defined]
    p.wait_for_url(re.compile(r"/map$"))  # type: ignore[attr-defined]
    p.wait_for_selector("#map[data-layers='1']")  # type: ignore[attr-defined]
    assert p.locator(".leaflet-overlay-pane path").count() >= 3  # type: ignore[attr-defined]
    markers = p.locator(".m-cluster, .m-event")  # type: ignore[attr-defined]
    assert markers.count() >= 3 and p.locator(".m-burial").count() >= 1  # type: ignore[attr-defined]
    assert p.locator("#map").bounding_box()["width"] > 300  # type: ignore[attr-defined]
    # Arabic is shaped with a real font: a word is narrower than its isolated letters
    widths = p.evaluate(  # type: ignore[attr-defined]
        """() => { const c = document.createElement('canvas').getContext('2d');
                   c.font = '20px sans-serif';
                   return [c.measureText('مرحبا').width,
                           [...'مرحبا'].reduce((w, ch) => w + c.measureText(ch).width, 0)]; }"""
    )
    assert 0 < widths[0] < widths[1]


def test_review_a_report_and_accept_a_count_into_an_incident(
    page: object, site: Site, tmp_path: Path
) -> None:
    p = page
    report = tmp_path / "إفادة.txt"
    report.write_text("بيروت - قُتل أكثر من 40 مدنياً في جبلة يوم 8 آذار 2025.\n\n"
                      "Gunmen killed at least 12 men in Baniyas.", "utf-8")  # fmt: skip
    p.goto(f"{site.url}/cases/{site.case}/reports")  # type: ignore[attr-defined]
    p.set_input_files("input[name=file]", str(report))  # type: ignore[attr-defined]
    p.fill("input[name=published]", "2025-03-09")  # type: ignore[attr-defined]
    with p.expect_navigation():  # type: ignore[attr-defined]
        p.click("form.entry button[type=submit]")  # type: ignore[attr-defined]
    span = p.locator("a.span.count", has_text="أكثر من 40")  # type: ignore[attr-defined]
    assert span.count() == 1
    # the Arabic paragraph is laid out right to left
    direction = p.eval_on_selector("article.document p", "e => getComputedStyle(e).direction")  # type: ignore[attr-defined]
    assert direction == "rtl"
    span.click()  # jumps to its proposal
    target = span.get_attribute("href")
    proposal = p.locator(f"li{target}")  # type: ignore[attr-defined]
    proposal.locator("select[name=record]").select_option(index=1)
    with p.expect_navigation():  # type: ignore[attr-defined]
        proposal.locator("button[value=accept]").click()
    assert "accepted" in p.locator(f"li{target}").inner_text()  # type: ignore[attr-defined]
    with site.ws.session() as s:
        made = s.scalars(select(Suggestion).where(Suggestion.status == "accepted")).all()
    assert [g.kind for g in made] == ["count"] and made[0].decided_by == "amal"


def test_confirm_a_finding_and_generate_a_case_file_in_arabic(page: object, site: Site) -> None:
    p = page
    p.goto(f"{site.url}/cases/{site.case}/legal?lang=ar")  # type: ignore[attr-defined]
    assert p.locator("html").get_attribute("dir") == "rtl"  # type: ignore[attr-defined]
    with p.expect_navigation():  # type: ignore[attr-defined]
        p.click("main li a >> text=EV-00")  # type: ignore[attr-defined]
    table = p.locator("#crime-7-1-h-persecution-religious + p + table")  # type: ignore[attr-defined]
    # the element reads in Arabic on an Arabic page (its English text is not shown)
    row = table.locator("tr", has_text="بسبب انتمائهم إلى فئة أو جماعة")
    assert table.locator("tr", has_text="by reason of the identity").count() == 0
    assert "مدعوم" in row.locator("td").nth(2).inner_text()  # suggested, not yet found
    with p.expect_navigation():  # type: ignore[attr-defined]
        row.locator("button[name=confirm]").click()
    row = p.locator("#crime-7-1-h-persecution-religious + p + table tr",  # type: ignore[attr-defined]
                    has_text="بسبب انتمائهم إلى فئة أو جماعة")  # fmt: skip
    assert "amal" in row.locator("td").nth(1).inner_text()
    # the case file, generated in the background with a progress bar, then downloaded
    p.goto(f"{site.url}/cases/{site.case}/legal")  # type: ignore[attr-defined]
    p.select_option("select[name=format]", "html")  # type: ignore[attr-defined]
    with p.expect_navigation():  # type: ignore[attr-defined]
        p.click("form.entry button[type=submit]")  # type: ignore[attr-defined]
    assert p.locator("#job progress").count() == 1  # type: ignore[attr-defined]
    p.wait_for_selector('#job[data-state="done"]', timeout=120_000)  # type: ignore[attr-defined]
    with p.expect_download() as got:  # type: ignore[attr-defined]
        p.click('#job a[href*="/casefile/"]')  # type: ignore[attr-defined]
    text = Path(got.value.path()).read_text("utf-8")
    # in the language chosen on the first page (remembered), with the confirmed finding
    assert '<html lang="ar" dir="rtl">' in text
    assert "مصفوفة الأركان" in text and "amal" in text  # "Element matrix"
    # the server holds the vault: the evidence index names items, not only their hashes
    assert re.search(r"VID_\d{8}_\d{6}\.avi", text)
    assert "الاسم مختوم" not in text and "name sealed" not in text
