"""A case file asked for from a screen is in the language of that screen (issue 23): the
job passes the requester's page language to the case file, whose headings, legal texts
and direction follow it."""

from __future__ import annotations

import pytest

from dalil.records import Records
from tests_support import World


def _incident(w: World) -> None:
    with w.ws.session() as s, s.begin():
        book = Records(s, w.a, "t", w.ws.vocabularies(s))
        event = book.add("event", label="EV-01", facts={"title": "Killings at the mill"})
        victim = book.add("person", facts={"civilian_status": "civilian"})
        book.add("act", refs={"event": event.id, "victim": victim.id},
                 facts={"act_type": "summary_execution"})  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_case_file_from_a_page_is_in_the_page_language(world: World, lang: str) -> None:
    c, a = world.client, world.a
    _incident(world)
    c.cookies.set("dalil_lang", lang)  # the language chosen on an earlier page
    try:
        r = c.post(
            f"/cases/{a}/casefile",
            headers=world.h("analyst"),
            data={"audience": "internal", "format": "html"},
            follow_redirects=False,
        )
        assert r.status_code == 303
        job = r.headers["location"].rsplit("/", 1)[1]
        c.app.state.jobs.wait()  # type: ignore[attr-defined]
        got = c.get(f"/cases/{a}/casefile/{job}", headers=world.h("analyst"))
    finally:
        c.cookies.delete("dalil_lang")
    assert got.status_code == 200
    if lang == "ar":
        assert '<html lang="ar" dir="rtl">' in got.text
        assert "مصفوفة الأركان" in got.text and "Element matrix" not in got.text
        assert "Killings at the mill" in got.text  # the records' own words stay as written
    else:
        assert '<html lang="en" dir="ltr">' in got.text and "Element matrix" in got.text
        assert "مصفوفة الأركان" not in got.text
