"""Report intake over the API and on the review screen: upload, proposals, accept and reject
by role, the highlighted text, and no leak to other cases."""

from __future__ import annotations

from tests_support import World

STATEMENT = (
    "بيروت - قُتل أكثر من 100 مدني في بانياس يومي 8 و9 آذار 2025 على يد فصائل تابعة للحكومة."
    "\n\nWitnesses said gunmen killed at least 32 men in Jableh."
).encode()  # fmt: skip


def upload(w: World, who: str = "investigator") -> dict[str, str]:
    r = w.client.post(f"/api/v1/cases/{w.a}/reports", headers=w.h(who),
                      files={"file": ("statement.txt", STATEMENT, "text/plain")},
                      data={"published": "2025-03-10"})  # fmt: skip
    assert r.status_code == 201, r.text
    return dict(r.json())


def test_reports_are_proposed_accepted_and_rejected_by_role(world: World) -> None:
    w = world
    assert w.client.post(f"/api/v1/cases/{w.a}/reports", headers=w.h("viewer"),
                         files={"file": ("s.txt", STATEMENT)}).status_code == 403  # fmt: skip
    added = upload(w)
    assert added["suggestions"] > 4 and added["published"] == "2025-03-10"
    assert w.client.get(f"/api/v1/cases/{w.a}/reports", headers=w.h("viewer")).status_code == 403
    listed = w.client.get(f"/api/v1/cases/{w.a}/reports", headers=w.h("legal")).json()
    assert [r["id"] for r in listed] == [added["report"]]
    url = f"/api/v1/cases/{w.a}/reports/{added['report']}/suggestions"
    found = {(g["kind"], g["text"]): g for g in w.client.get(url, headers=w.h("legal")).json()}
    count = found[("count", "أكثر من 100")]
    assert (
        count["value"]["low"] == 101
        and STATEMENT.decode()[count["start"] : count["end"]] == "أكثر من 100"
    )
    event = w.client.post(
        f"/api/v1/cases/{w.a}/records",
        headers=w.h("investigator"),
        json={"kind": "event", "facts": {"title": "Baniyas"}},
    ).json()["id"]
    accept = f"/api/v1/cases/{w.a}/suggestions/{count['id']}/accept"
    assert w.client.post(accept, headers=w.h("analyst"), json={"record": event}).status_code == 403
    r = w.client.post(accept, headers=w.h("investigator"), json={"record": event})
    assert r.status_code == 200, r.text
    record = w.client.get(f"/api/v1/cases/{w.a}/records/{event}", headers=w.h("legal")).json()
    casualties = record["facts"]["casualties"]
    assert casualties[0]["value"]["qualifier"] == "more_than"
    assert (
        w.client.post(accept, headers=w.h("investigator"), json={"record": event}).status_code
        == 409
    )
    reject = f"/api/v1/cases/{w.a}/suggestions/{found[('place', 'Jableh')]['id']}/reject"
    assert (
        w.client.post(reject, headers=w.h("investigator"), json={"note": "no"}).status_code == 200
    )
    statuses = {g["status"] for g in w.client.get(url, headers=w.h("legal")).json()}
    assert statuses == {"open", "accepted", "rejected"}
    # nobody outside the case sees any of it
    assert w.client.get(url, headers=w.h("outsider")).status_code == 404
    other = f"/api/v1/cases/{w.b}/reports/{added['report']}/suggestions"
    assert w.client.get(other, headers=w.h("admin")).status_code == 404


def test_review_screen_highlights_every_span(world: World) -> None:
    w = world
    added = upload(w)
    page = w.client.get(f"/cases/{w.a}/reports/{added['report']}", headers=w.h("investigator"))
    assert page.status_code == 200
    html = page.text
    assert 'class="span count open"' in html and ">أكثر من 100</a>" in html
    assert 'dir="rtl" lang="ar"' in html  # the Arabic paragraph reads right to left
    assert 'name="decision" value="accept"' in html
    legal = w.client.get(f"/cases/{w.a}/reports/{added['report']}", headers=w.h("legal")).text
    assert 'value="accept"' not in legal  # may read, may not decide
    assert w.client.get(f"/cases/{w.a}/reports", headers=w.h("viewer")).status_code == 403
