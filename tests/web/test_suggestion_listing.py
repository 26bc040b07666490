"""The API's listing of a report's proposals (``SuggestionOut``): the fields of
:class:`dalil.records.suggestions.Proposal`, plus ``assertion``, the assertion made of an
accepted one, under that name (not the library's ``assertion_id``)."""

from __future__ import annotations

from test_api_reports import upload
from tests_support import World

FIELDS = {"id", "kind", "start", "end", "text", "value", "origin", "language", "confidence",
          "rule", "needs_review", "status", "assertion"}  # fmt: skip


def test_a_listed_proposal_names_the_assertion_made_of_it(world: World) -> None:
    w = world
    added = upload(w)
    url = f"/api/v1/cases/{w.a}/reports/{added['report']}/suggestions"
    listed = w.client.get(url, headers=w.h("legal")).json()
    assert listed and all(set(g) == FIELDS for g in listed)
    assert all(g["assertion"] is None and g["status"] == "open" for g in listed)
    count = next(g for g in listed if g["kind"] == "count")
    facts = {"kind": "event", "facts": {"title": "Baniyas"}}
    records = f"/api/v1/cases/{w.a}/records"
    event = w.client.post(records, headers=w.h("investigator"), json=facts).json()["id"]
    accept = f"/api/v1/cases/{w.a}/suggestions/{count['id']}/accept"
    made = w.client.post(accept, headers=w.h("investigator"), json={"record": event}).json()
    accepted = w.client.get(url, headers=w.h("legal"), params={"status": "accepted"}).json()
    assert [(g["id"], g["assertion"]) for g in accepted] == [(count["id"], made["assertion"])]
    assert made["assertion"]
