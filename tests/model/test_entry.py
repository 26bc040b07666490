"""Fact values typed into one form field, and the screens' forms that use them."""

from __future__ import annotations

import re
from datetime import date

import pytest

from dalil.errors import InvalidInput
from dalil.model import kind_spec
from dalil.model.entry import read_date, read_value
from tests_support import World


def test_dates_are_read_as_the_interval_they_stand_for() -> None:
    day = read_date("2025-03-07")
    assert (day.earliest, day.latest, day.precision) == (date(2025, 3, 7),) * 2 + ("day",)
    month = read_date("2025-02")
    assert (month.earliest, month.latest, month.precision) == (
        date(2025, 2, 1), date(2025, 2, 28), "month")  # fmt: skip
    span = read_date("2025-03-06/2025-03-10")
    assert (span.precision, span.as_reported) == ("week", "2025-03-06/2025-03-10")
    assert read_date("2024").latest == date(2024, 12, 31)
    bad_dates = {"7 March": "YYYY-MM-DD", "2025-02-30": "not a calendar date",
                 "2025-03-10/2025-03-06": "ends before", "2025-13": "no month"}  # fmt: skip
    for bad, words in bad_dates.items():
        with pytest.raises(InvalidInput, match=words):
            read_date(bad)


def test_counts_keep_their_wording_and_other_kinds_are_read() -> None:
    event, person = kind_spec("event"), kind_spec("person")
    count = read_value(event.field("casualties"), "أكثر من 100")
    assert (count.low, count.qualifier, count.as_reported) == (101, "more_than", "أكثر من 100")
    assert read_value(person.field("age"), "30-40").high == 40
    assert read_value(person.field("name"), "محمد الأحمد").script == "Arab"
    assert read_value(event.field("place"), "abc") == {"kind": "place", "id": "abc"}
    for spec, text in ((event.field("casualties"), "many"), (person.field("age"), "old"),
                       (event.field("title"), "  ")):  # fmt: skip
        with pytest.raises(InvalidInput):
            read_value(spec, text)


def _csrf(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]*)"', page)
    assert found
    return found.group(1)


def test_incident_form_creates_a_sourced_incident_and_refuses_bad_input(world: World) -> None:
    c, a, h = world.client, world.a, world.h("investigator")
    facts = {"title": "Press release", "material_type": "ngo_report"}
    src = c.post(f"/api/v1/cases/{a}/records", headers=h, json={"kind": "source", "facts": facts})
    info = c.post(f"/api/v1/cases/{a}/records", headers=h, json={
        "kind": "information_record", "refs": {"source": src.json()["id"]}})  # fmt: skip
    iid = info.json()["id"]
    page = c.get(f"/cases/{a}/incidents", headers=h)
    assert 'action="/cases/' in page.text and iid in page.text  # the form offers the source
    form = {"title": "Shooting at the bakery", "date": "2025-03-07", "casualties": "at least 12",
            "source": iid, "confidence": "consistent", "csrf": _csrf(page.text)}  # fmt: skip
    # bad input comes back with the error and the typed values; nothing is written
    bad = c.post(f"/cases/{a}/incidents", headers=h, data=form | {"date": "7 March"})
    assert (
        bad.status_code == 400 and "YYYY-MM-DD" in bad.text and "Shooting at the bakery" in bad.text
    )
    count = c.get(f"/api/v1/cases/{a}/records/count", params={"kind": "event"}, headers=h)
    assert count.json() == {"count": 0}
    made = c.post(f"/cases/{a}/incidents", headers=h, data=form, follow_redirects=False)
    assert made.status_code == 303
    eid = made.headers["location"].rsplit("/", 1)[1]
    got = c.get(f"/api/v1/cases/{a}/records/{eid}", headers=h).json()
    assert {f["field"] for f in got["history"]} == {"title", "date", "casualties"}
    assert all(f["sources"] == [iid] and f["confidence"] == "consistent" for f in got["history"])
    assert got["facts"]["casualties"][0]["value"]["qualifier"] == "at_least"
    # one more assertion from the incident page; a second title stands beside the first
    detail = c.get(f"/cases/{a}/incidents/{eid}", headers=h).text
    more = {"field": "title", "value": "Killings at the bakery", "source": iid, "note": "2nd",
            "csrf": _csrf(detail), "confidence": "single_source"}  # fmt: skip
    r = c.post(f"/cases/{a}/incidents/{eid}/assertions", headers=h, data=more)
    assert r.status_code == 200 and "Sources disagree" in r.text
    refused = c.post(f"/cases/{a}/incidents/{eid}/assertions", headers=h,
                     data=more | {"field": "date", "value": "soon"})  # fmt: skip
    assert refused.status_code == 400 and "soon" in refused.text
    gone = c.post(f"/cases/{a}/incidents/{eid}/assertions", headers=h,
                  data=more | {"source": "no-such-source"})  # fmt: skip
    assert gone.status_code == 400  # the error beside the source field
    assert re.search(r'class="form-select is-invalid" id="[^"]*-source"', gone.text)
    assert len(c.get(f"/api/v1/cases/{a}/records/{eid}", headers=h).json()["history"]) == 4
    # an analyst sees no form and may not post one
    assert 'action="/cases/' not in c.get(f"/cases/{a}/incidents", headers=world.h("analyst")).text
    denied = c.post(f"/cases/{a}/incidents", headers=world.h("analyst"), data=form)
    assert denied.status_code == 403


def test_evidence_form_uploads_and_marks_the_new_item(world: World) -> None:
    c, a, h = world.client, world.a, world.h("investigator")
    page = c.get(f"/cases/{a}/evidence", headers=h).text
    r = c.post(f"/cases/{a}/evidence", headers=h, data={"csrf": _csrf(page), "source": "phone"},
               files={"file": ("../../video.mp4", b"frames", "video/mp4")})  # fmt: skip
    assert r.status_code == 200 and 'class="badge text-bg-success"' in r.text
    listed = c.get(f"/api/v1/cases/{a}/evidence", headers=h).json()
    assert len(listed) == 1 and listed[0]["sha256"] in r.text
