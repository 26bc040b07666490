"""The place picker (dalil.web.place_picker) and the new-incident form at a gazetteer
place (dalil.web.entry): the place record is made with the incident, or not at all."""

from __future__ import annotations

import re

from dalil.model.values import UncertainPlace
from dalil.records import Records
from dalil.vault.service import Vault
from dalil.workspace import Workspace
from setup_pages_support import field_error, team

BANIYAS = 171830


def test_the_picker_answers_a_fragment_to_htmx_and_a_page_without_it(
    ws: Workspace, vault: Vault
) -> None:
    with team(ws, vault) as t, t.as_user("amal") as (c, _):
        url = f"/cases/{t.case}/places/pick"
        fragment = c.get(url, params={"q": "بانيا"}, headers={"HX-Request": "true"}).text
        assert "<html" not in fragment
        assert f'name="gazetteer" value="{BANIYAS}"' in fragment and "Bāniyās" in fragment
        assert "بانياس" in fragment
        page = c.get(url, params={"q": "Bani"}).text
        assert "<html" in page and f"/incidents?gazetteer={BANIYAS}#new-incident" in page
        assert "at least two letters" in c.get(url, params={"q": "b"}).text
        assert "No place of that name" in c.get(url, params={"q": "Zzyzx"}).text
        assert 'hx-get="/cases/' in c.get(f"/cases/{t.case}/incidents").text
        chosen = c.get(f"/cases/{t.case}/incidents", params={"gazetteer": BANIYAS}).text
        assert re.search(rf'value="{BANIYAS}"\s+checked', chosen)


def test_an_incident_at_a_gazetteer_place_makes_the_place_record_once(
    ws: Workspace, vault: Vault
) -> None:
    with team(ws, vault) as t, t.as_user("amal") as (c, csrf):
        form = {"title": "Shelling of the market", "date": "2025-03-07", "csrf": csrf,
                "gazetteer": str(BANIYAS)}  # fmt: skip
        for bad, field in (({"date": "07/13/2025x"}, "inc-date"),
                           ({"gazetteer": "1"}, "inc-place-q"),
                           ({"gazetteer": "x"}, "inc-place-q")):  # fmt: skip
            before = t.counts()
            refused = c.post(f"/cases/{t.case}/incidents", data=form | bad)
            assert refused.status_code == 400 and field_error(refused.text, field), bad
            assert t.counts() == before  # no place record left behind either
        first = c.post(f"/cases/{t.case}/incidents", data=form, follow_redirects=False)
        assert first.status_code == 303
        second = c.post(f"/cases/{t.case}/incidents", data=form | {"title": "Second"},
                        follow_redirects=False)  # fmt: skip
        assert second.status_code == 303
        with ws.session() as s:
            book = Records(s, t.case, "t")
            places = book.all("place")
            assert len(places) == 1
            location = places[0].value("location")
            assert isinstance(location, UncertainPlace)
            assert location.gazetteer_ref == f"geonames:{BANIYAS}" and location.lat
            assert set(places[0].values("name")) == {"Bāniyās", "بانياس"}
            assert {e.value("place").id for e in book.all("event")} == {places[0].id}
            place_id = places[0].id
        both = c.post(f"/cases/{t.case}/incidents", data=form | {"place": place_id})
        assert both.status_code == 400 and field_error(both.text, "inc-place")
        known = c.get(f"/cases/{t.case}/places/pick", params={"q": "Baniyas"},
                      headers={"HX-Request": "true"}).text  # fmt: skip
        assert "a place of this case" in known
