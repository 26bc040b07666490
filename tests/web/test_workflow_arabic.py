"""The work screens in Arabic: a report's proposals, a refused victim list and the audit
log read in Arabic words, with values (names, numbers, dates, ids) isolated as data.

The crawl (tests/web/test_crawl.py) walks every page of the demo; these tests reach what
the crawl cannot (a refused upload, a form's answer) and pin how a proposal's value, origin
and rule are put into words (dalil.web.proposal_text, dalil.web.list_problems).
"""

from __future__ import annotations

import re

from dalil.vault.service import Vault
from dalil.web.list_problems import said
from dalil.web.proposal_text import Part, origin_parts, rule_label, value_parts
from dalil.workspace import Workspace
from setup_pages_support import team
from test_crawl import untranslated
from test_list_upload import BAD, upload

REPORT = "بانياس - قُتل أكثر من 20 مدنياً يوم 8 آذار 2025.\n\nGunmen killed 7 men in Baniyas."


def main_of(page: str) -> str:
    """The page's <main> (the frame around it belongs to other tests)."""
    found = re.search(r"<main[^>]*>(.*)</main>", page, re.S)
    assert found, page[:300]
    return found.group(1)


def test_a_place_proposal_reads_as_labelled_parts() -> None:
    value = {"name": "Bāniyās", "country": "SY", "admin1": "Tartus", "lat": 35.18, "lon": 35.95,
             "geonameid": 171830, "precision": "town", "role": "dateline"}  # fmt: skip
    parts = value_parts("place", value)
    assert Part("name", "Bāniyās") in parts and Part("governorate", "Tartus") in parts
    assert Part("", "geonames:171830", "ltr") in parts  # an id, shown as it is
    assert Part("role", "dateline (where the report was written)", "say") in parts
    assert not any("35.1" in p.value for p in parts)  # coordinates are the map's


def test_a_count_and_a_date_and_an_act() -> None:
    count = value_parts("count", {"low": 21, "high": None, "qualifier": "at_least",
                                  "what": "killed", "said": "أكثر من",
                                  "civilian": True})  # fmt: skip
    assert count[0] == Part("number", "21", "ltr", words="at least")
    assert Part("", "killed", "say") in count and Part("", "civilians", "say") in count
    assert Part("as written", "أكثر من") in count
    span = value_parts("date", {"start": "2025-03-06", "end": "2025-03-08",
                                "granularity": "days", "year_stated": False})  # fmt: skip
    assert span[0] == Part("from … to", "2025-03-06 – 2025-03-08", "ltr")
    assert Part("", "year not stated", "say") in span
    act = value_parts("act", {"type": "killing", "method": "shooting_close_range"})
    method = Part("method", "shooting_close_range", "term", "method_of_violence")
    assert act == [Part("act", "killing", "term", "act_type"), method]


def test_what_a_formatter_does_not_read_is_shown_not_dropped() -> None:
    parts = value_parts("count", {"low": 3, "qualifier": "exact", "what": "killed", "new": "x"})
    assert Part("new", "x") in parts and Part("number", "3", "ltr") in parts
    assert value_parts("weapon", {"calibre": "7.62"}) == [Part("calibre", "7.62")]
    assert value_parts("place", {"name": "X", "role": "elsewhere"})[-1] == Part(
        "role", "elsewhere", "ltr"
    )


def test_origin_and_rule() -> None:
    assert origin_parts("page 3, paragraph 2, character 10") == [
        Part("page", "3", "ltr"), Part("paragraph", "2", "ltr"), Part("character", "10", "ltr")
    ]  # fmt: skip
    assert origin_parts("somewhere") == [Part("", "somewhere")]
    assert rule_label("place.gazetteer") == "a name in the gazetteer"
    assert rule_label("place.new_rule") is None  # the page then shows the code


def test_list_problems_known_and_unknown() -> None:
    assert said("empty full_name").values == (("field", "full_name", "field"),)
    located = said("row 4: the file has a header but no rows")
    assert located.row == "4" and located.template == "the file has a header but no rows"
    odd = said("something new went wrong")
    assert odd.template == "{message}" and odd.values[0][1] == "something new went wrong"


def test_a_refused_list_in_arabic_holds_no_english(ws: Workspace, vault: Vault) -> None:
    with team(ws, vault) as t, t.as_user("amal") as (c, csrf):
        c.cookies.set("dalil_lang", "ar")
        status, page = upload(c, t, csrf, BAD, "Group A")
        assert status == 400
        main = main_of(page)
        assert "معرّف السجل مكرر" in main and "ليست قيمةً معروفة للجنس" in main
        assert untranslated(main) == []
        status, page = upload(c, t, csrf, "id,notes\n1,x\n")
        assert "أعمدة مطلوبة غير موجودة" in page and untranslated(main_of(page)) == []


def test_a_report_and_the_audit_log_in_arabic_hold_no_english(ws: Workspace, vault: Vault) -> None:
    with team(ws, vault) as t, t.as_user("amal") as (c, csrf):
        c.cookies.set("dalil_lang", "ar")
        added = c.post(f"/cases/{t.case}/reports", data={"csrf": csrf, "published": "2025-03-09"},
                       files={"file": ("statement.txt", REPORT.encode(), "text/plain")},
                       follow_redirects=False)  # fmt: skip
        assert added.status_code == 303
        main = main_of(c.get(added.headers["location"]).text)
        assert "مكان التحرير (حيث كُتب التقرير)" in main and "درجة الثقة" in main
        assert '<bdi dir="auto">Bāniyās</bdi>' in main
        assert untranslated(main) == []
        with t.as_user("root") as (admin, _):
            admin.cookies.set("dalil_lang", "ar")
            main = main_of(admin.get("/admin/audit").text)
            assert "إنشاء قضية" in main and "السماح بالوصول" in main
            assert untranslated(main) == []
