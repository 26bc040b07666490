"""WCAG 2.1 A/AA checks of the screens in a real browser: axe-core 4.14.1 (vendored in
tests/web/assets, MPL-2.0) run in Chromium over the case list, the case front page, the
map, timeline, linkage review, report intake, audit log, sign-in and error pages, in
English and Arabic, at a desktop width (1366 px) and a phone width (390 px).

A violation of impact "serious" or "critical" fails the test (contrast below 4.5:1, an
input without a label, a link without a name...); "moderate" and "minor" findings are
best-practice advice axe reports outside the WCAG tags and are left to review. At 390 px no
page may scroll sideways: wide tables scroll inside their ``.table-responsive`` box.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select

from browser_support import Site, add_user, signed_in
from dalil.access import accounts, policy
from dalil.access.tables import User
from dalil.model.tables import Case
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.workspace import Workspace

AXE = Path(__file__).parent / "assets" / "axe-4.14.1.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
RUN = """async (tags) => {
  const only = {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']};
  const r = await axe.run(document, only);
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): '
              + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""
OVERFLOW = "document.documentElement.scrollWidth - window.innerWidth"


def _check(p: Any, url: str, width: int) -> list[str]:
    """The serious WCAG violations and any sideways overflow of the page at ``url``."""
    p.goto(url)
    found = [f"{url} @{width}px: {v}" for v in p.evaluate(RUN, WCAG)]
    if width < 500 and (extra := p.evaluate(OVERFLOW)) > 0:
        found.append(f"{url} @{width}px: scrolls sideways by {extra} px")
    return found


def test_screens_meet_wcag_21_aa_in_both_languages_and_widths(
    browser: object, site: Site, tmp_path: Path
) -> None:
    add_user(site, "axe-admin", "investigator", admin=True)  # sees the admin menu and audit log
    report = tmp_path / "statement.txt"
    report.write_text("Gunmen killed at least 12 men in Baniyas on 8 March 2025.", "utf-8")
    case = f"{site.url}/cases/{site.case}"
    problems: list[str] = []
    page: Any
    with signed_in(browser, site, "axe-admin") as page:
        p = page
        # axe goes in as an init script: the CSP (script-src 'self') stays on, as users have it,
        # and the 650 kB script is sent to the browser once rather than once per page
        p.context.add_init_script(path=str(AXE))
        p.goto(f"{case}/reports")
        p.set_input_files("input[name=file]", str(report))
        with p.expect_navigation():
            p.click("form.entry button[type=submit]")
        report_page = p.url
        # the audit log filtered to a few rows: its 100 rows of JSON take axe seconds a run
        pages = [f"{site.url}/", case, f"{case}/map", f"{case}/timeline", f"{case}/review",
                 f"{case}/reports", report_page, f"{site.url}/admin/audit?action=sign_in",
                 f"{site.url}/cases/no-such-case"]  # fmt: skip
        for width in (1366, 390):
            p.set_viewport_size({"width": width, "height": 900})
            for lang in ("en", "ar"):
                for url in pages:
                    sep = "&" if "?" in url else "?"
                    problems += _check(p, f"{url}{sep}lang={lang}", width)
    with signed_in(browser, site) as page:  # the sign-in form, signed out
        anonymous = page
        anonymous.context.clear_cookies()
        anonymous.context.add_init_script(path=str(AXE))
        for width in (1366, 390):
            anonymous.set_viewport_size({"width": width, "height": 900})
            for lang in ("en", "ar"):
                problems += _check(anonymous, f"{site.url}/login?lang={lang}", width)
    assert not problems, "\n".join(problems)


def test_the_frame_groups_a_cases_sections_and_marks_where_you_are(
    demo_ws: Workspace, demo_vault: Vault
) -> None:
    """Every page's frame: the Bootstrap build of the page's direction, the case's sections
    grouped under headings with the current one marked for screen readers, and the case's
    audit trail offered only to those who may read it (admins)."""
    with demo_ws.session() as s:
        case = s.scalars(select(Case.id)).one()
        tokens = {}
        for name, admin in (("frame-member", False), ("frame-admin", True)):
            user = s.scalar(select(User).where(User.name == name))
            if user is None:  # the demo workspace is shared by the module's tests
                user = accounts.add_user(s, name, "frame test password", admin=admin)
                policy.add_member(s, case, user, "investigator", "t")
            tokens[name] = accounts.start_session(s, user).token
    with TestClient(create_app(workspace=demo_ws, vault=demo_vault)) as c:
        c.cookies.set("dalil_session", tokens["frame-member"])
        page = c.get(f"/cases/{case}/map", params={"lang": "en"}).text
        nav = page[
            page.index('<nav class="case') : page.index("</nav>", page.index('<nav class="case'))
        ]
        for heading in ("Records", "Intake", "Analysis", "Views", "Case"):
            assert f">{heading}</p>" in nav, heading
        for path in ("", "/incidents", "/victims", "/organisations", "/places", "/burial-sites",
                     "/sources", "/evidence", "/lists", "/reports", "/review", "/estimates",
                     "/legal", "/map", "/timeline", "/team", "/jobs"):  # fmt: skip
            assert f'href="/cases/{case}{path}"' in nav, path
        current = re.findall(r'<a class="nav-link active" href="([^"]+)" aria-current="page">', nav)
        assert current == [f"/cases/{case}/map"]
        assert "/admin/audit" not in page and "bootstrap-5.3.8.min.css" in page
        c.cookies.set("dalil_session", tokens["frame-admin"])
        arabic = c.get(f"/cases/{case}", params={"lang": "ar"}).text
        assert f'href="/admin/audit?case={case}"' in arabic and 'href="/admin/users"' in arabic
        assert "bootstrap-5.3.8.rtl.min.css" in arabic and 'aria-current="page">نظرة عامة' in arabic
