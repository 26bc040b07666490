"""The legal screens: element matrix and findings, checklists, and a case file generated
in the background and downloaded; each behind its permission (on both backends)."""

from __future__ import annotations

from dalil.legal import checklists
from dalil.records import Records
from tests_support import World


def _incident(w: World) -> str:
    with w.ws.session() as s, s.begin():
        book = Records(s, w.a, "t", w.ws.vocabularies(s))
        event = book.add("event", label="EV-01", facts={"title": "Killings at the mill"})
        victim = book.add("person", facts={"civilian_status": "civilian"})
        book.add(
            "act",
            refs={"event": event.id, "victim": victim.id},
            facts={"act_type": "summary_execution", "identity_questioned": ["sect"]},
        )
        return event.id


def test_matrix_findings_and_checklists_from_the_screens(world: World) -> None:
    c, a = world.client, world.a
    event = _incident(world)
    home = c.get(f"/cases/{a}/legal", headers=world.h("legal"))
    assert home.status_code == 200 and "EV-01" in home.text and "Minnesota" in home.text
    page = c.get(f"/cases/{a}/legal/EV-01", headers=world.h("legal"))
    assert page.status_code == 200 and "Confirm suggestion" in page.text
    form = {
        "crime": "7-1-h-persecution-religious",
        "element": "group_targeted",
        "standard": "reasonable_grounds",
        "confirm": "yes",
    }
    for who in ("analyst", "viewer"):  # may read (or not even that) but not assess
        assert (
            c.post(f"/cases/{a}/legal/{event}", headers=world.h(who), data=form).status_code == 403
        )
    r = c.post(
        f"/cases/{a}/legal/{event}", headers=world.h("legal"), data=form, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    page = c.get(f"/cases/{a}/legal/{event}", headers=world.h("analyst"))
    assert "Record" not in page.text.split("<table", 1)[1]  # no forms for a reader
    # the standard by its label; the assessor's name is data, isolated from the sentence
    assert 'Reasonable grounds to believe · <bdi dir="auto">legal</bdi>' in page.text
    bad = dict(form, confirm="", status="contested")
    r = c.post(f"/cases/{a}/legal/{event}", headers=world.h("legal"), data=bad)
    assert r.status_code == 400 and "what contests" in r.text

    r = c.get(f"/cases/{a}/checklists/minnesota", headers=world.h("investigator"))
    assert r.status_code == 200 and "Set an item" in r.text
    r = c.post(
        f"/cases/{a}/checklists/minnesota",
        headers=world.h("investigator"),
        data={"item": "independent", "status": "complete"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    with world.ws.session() as s:
        found = {i.item.code: i for i in checklists.evaluate(s, a, "minnesota")}
    assert found["independent"].status == "complete"
    assert found["independent"].checks[0].decided_by == "investigator"
    assert c.get(f"/cases/{a}/checklists/nonesuch", headers=world.h("legal")).status_code == 400


def test_case_file_generated_with_progress_and_downloaded(world: World) -> None:
    c, a = world.client, world.a
    _incident(world)
    r = c.post(
        f"/cases/{a}/casefile",
        headers=world.h("analyst"),
        data={"audience": "public", "format": "html"},
    )
    assert r.status_code == 403  # a file for outside the team needs the share permission
    r = c.post(
        f"/cases/{a}/casefile",
        headers=world.h("analyst"),
        data={"audience": "internal", "format": "html"},
        follow_redirects=False,
    )
    assert r.status_code == 303
    job = r.headers["location"].rsplit("/", 1)[1]
    c.app.state.jobs.wait()  # type: ignore[attr-defined]
    page = c.get(f"/cases/{a}/jobs/{job}", headers=world.h("analyst"))
    assert "Download the case file" in page.text and 'data-state="done"' in page.text
    got = c.get(f"/cases/{a}/casefile/{job}", headers=world.h("analyst"))
    assert got.status_code == 200 and got.headers["content-type"].startswith("text/html")
    assert "Element matrix" in got.text and "Killings at the mill" in got.text
    # another case's member cannot fetch it
    assert c.get(f"/cases/{world.b}/casefile/{job}", headers=world.h("admin")).status_code in (
        403,
        404,
    )


def test_api_matrix_findings_and_checklists(world: World) -> None:
    c, a = world.client, world.a
    _incident(world)
    base = f"/api/v1/cases/{a}"
    crimes = c.get(f"{base}/legal/EV-01", headers=world.h("viewer"))
    assert crimes.status_code == 403  # a viewer sees the overview only
    crimes = c.get(f"{base}/legal/EV-01", headers=world.h("analyst")).json()
    persecution = next(m for m in crimes if m["crime"] == "7-1-h-persecution-religious")
    targeted = next(e for e in persecution["elements"] if e["element"] == "group_targeted")
    assert targeted["status"] == "not_assessed" and targeted["suggestion"]["status"] == "supported"
    assert "group_targeted" in persecution["gaps"]
    body = {
        "crime": "7-1-h-persecution-religious",
        "element": "group_targeted",
        "standard": "reasonable_grounds",
        "confirm": True,
    }
    assert c.post(f"{base}/legal/EV-01", headers=world.h("analyst"), json=body).status_code == 403
    r = c.post(f"{base}/legal/EV-01", headers=world.h("legal"), json=body)
    assert r.status_code == 201 and r.json()["status"] == "supported" and r.json()["links"] >= 1
    r = c.post(f"{base}/legal/EV-01", headers=world.h("legal"), json={**body, "confirm": False})
    assert r.status_code == 400 and r.json()["error"]["path"] == "status"
    again = c.get(f"{base}/legal/EV-01", headers=world.h("analyst")).json()
    persecution = next(m for m in again if m["crime"] == "7-1-h-persecution-religious")
    assert "group_targeted" not in persecution["gaps"]
    history = c.get(f"{base}/legal/EV-01/history", headers=world.h("analyst")).json()
    assert [(h["element"], h["status"], h["suggestion"]) for h in history] == [
        ("group_targeted", "supported", "identity_targeting")
    ]

    items = c.get(f"{base}/checklists/casualty_recording", headers=world.h("analyst")).json()
    civilian = next(i for i in items if i["item"] == "civilian_status")
    assert civilian["status"] == "complete" and civilian["computed"]
    r = c.post(
        f"{base}/checklists/minnesota",
        headers=world.h("legal"),
        json={"item": "transparent", "status": "not_applicable"},
    )
    assert r.status_code == 400 and "say why" in r.text
    r = c.post(
        f"{base}/checklists/minnesota",
        headers=world.h("legal"),
        json={"item": "transparent", "status": "partial", "reason": "families told"},
    )
    assert r.status_code == 201 and r.json()["decided_by"] == "legal"
