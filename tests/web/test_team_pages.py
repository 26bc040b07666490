"""Case and team set-up in the browser (dalil.web.team): a new case, members and roles,
users; admins only where the policy says so, CSRF on every form, changes audited."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import func, select

from browser_support import Site, signed_in
from dalil.access import accounts, audit, policy
from dalil.access.tables import User
from dalil.linkage.tables import VictimList
from dalil.model.tables import Case
from dalil.records import Records
from dalil.vault.service import Vault
from dalil.workspace import Workspace
from setup_pages_support import PASSWORD, field_error, team


def test_an_admin_creates_a_case_and_lands_on_its_front_page(ws: Workspace, vault: Vault) -> None:
    with team(ws, vault) as t, t.as_user("root") as (c, csrf), t.as_user("amal") as (amal, _):
        assert amal.get("/cases/new").status_code == 403
        form = c.get("/cases/new")
        assert form.status_code == 200 and 'name="title"' in form.text
        assert c.post("/cases/new", data={"title": "X"}).status_code == 403  # no CSRF token
        refused = c.post("/cases/new", data={"title": "  ", "description": "kept", "csrf": csrf})
        assert refused.status_code == 400 and field_error(refused.text, "case-title")
        assert "kept" in refused.text
        made = c.post("/cases/new", data={"title": "Hama 2026", "fictional": "1",
                                          "role": "investigator", "csrf": csrf},
                      follow_redirects=False)  # fmt: skip
        assert made.status_code == 303
        case_id = made.headers["location"].removeprefix("/cases/")
        assert c.get(made.headers["location"]).status_code == 200
        with ws.session() as s:
            case = s.get(Case, case_id)
            assert case is not None and case.fictional and case.created_by == "root"
            root = s.scalars(select(User).where(User.name == "root")).one()
            assert policy.role_in(s, root, case_id) == "investigator"
            made_by = audit.entries(s, audit.Query(limit=100, actor="root", case=case_id))
            assert "case_created" in {e["action"] for e in made_by}
        assert amal.get(f"/cases/{case_id}/team").status_code == 404  # not her case


def test_members_are_added_changed_and_removed_by_admins_only(ws: Workspace, vault: Vault) -> None:
    with team(ws, vault) as t, t.as_user("root") as (c, csrf), t.as_user("amal") as (amal, a):
        page = amal.get(f"/cases/{t.case}/team")  # a member sees the team, without forms
        assert page.status_code == 200 and "amal" in page.text and "Add a member" not in page.text
        denied = amal.post(f"/cases/{t.case}/team", data={"user": "rana", "role": "viewer",
                                                            "csrf": a})  # fmt: skip
        assert denied.status_code == 403
        text = c.get(f"/cases/{t.case}/team").text
        assert "Add a member" in text and '<option value="rana"' in text
        assert c.post(f"/cases/{t.case}/team", data={"user": "rana", "role": "viewer"}
                      ).status_code == 403  # fmt: skip  # CSRF
        bad = c.post(f"/cases/{t.case}/team", data={"user": "rana", "role": "owner", "csrf": csrf})
        assert bad.status_code == 400 and field_error(bad.text, "member-role")
        for role in ("viewer", "analyst"):
            data = {"user": "rana", "role": role, "csrf": csrf}
            done = c.post(f"/cases/{t.case}/team", data=data, follow_redirects=False)
            assert done.status_code == 303
        assert re.search(r'<option value="analyst" selected>', c.get(f"/cases/{t.case}/team").text)
        gone = c.post(f"/cases/{t.case}/team/remove", data={"user": "rana", "csrf": csrf},
                      follow_redirects=False)  # fmt: skip
        assert gone.status_code == 303
        again = c.post(f"/cases/{t.case}/team/remove", data={"user": "rana", "csrf": csrf})
        assert again.status_code == 400 and "not a member" in again.text
    with ws.session() as s:
        found = audit.entries(s, audit.Query(limit=1000, case=t.case))
    changes = sorted((int(e["index"]), e["action"], e["detail"].get("role")) for e in found
                     if e["action"] in ("member_added", "member_removed"))  # fmt: skip
    assert [c[1:] for c in changes] == [("member_added", "viewer"), ("member_added", "analyst"),
                                        ("member_removed", "analyst")]  # fmt: skip
    decisions = {
        (e["actor"], e["action"]) for e in found if e["detail"].get("permission") == "manage"
    }
    assert decisions >= {("root", "authorised"), ("amal", "access_denied")}


def test_admins_create_and_disable_users_and_reset_a_second_factor(
    ws: Workspace, vault: Vault
) -> None:
    with team(ws, vault) as t, t.as_user("root") as (c, csrf), t.as_user("amal") as (amal, a):
        assert amal.get("/admin/users").status_code == 403
        assert (
            amal.post("/admin/users/disable", data={"user": "rana", "csrf": a}).status_code == 403
        )
        page = c.get("/admin/users")
        assert page.status_code == 200 and "rana" in page.text
        short = c.post("/admin/users", data={"name": "huda", "password": "short", "csrf": csrf})
        assert short.status_code == 400 and field_error(short.text, "user-password")
        assert 'value="huda"' in short.text and 'value="short"' not in short.text
        taken = c.post("/admin/users", data={"name": "rana", "password": PASSWORD, "csrf": csrf})
        assert taken.status_code == 400 and field_error(taken.text, "user-name")
        made = c.post("/admin/users", data={"name": "huda", "password": PASSWORD, "csrf": csrf},
                      follow_redirects=False)  # fmt: skip
        assert made.status_code == 303
        reset = c.post("/admin/users/second-factor", data={"user": "huda", "csrf": csrf})
        assert reset.status_code == 200 and "otpauth://totp/dalil:huda?secret=" in reset.text
        assert reset.headers["cache-control"] == "no-store"
        assert "otpauth://" not in c.get("/admin/users").text  # shown once
        own = c.post("/admin/users/disable", data={"user": "root", "csrf": csrf})
        assert own.status_code == 400 and "your own account" in own.text
        assert c.post("/admin/users/disable", data={"user": "amal", "csrf": csrf},
                      follow_redirects=False).status_code == 303  # fmt: skip
        assert amal.get(f"/cases/{t.case}", follow_redirects=False).status_code == 303  # signed out
    with ws.session() as s:
        users = {u.name: u for u in s.scalars(select(User))}
        assert users["amal"].disabled and users["huda"].totp_secret
        found = audit.entries(s, audit.Query(limit=1000, actor="root"))
    asked = {e["detail"].get("change") for e in found if e["action"] == "authorised"}
    assert asked >= {"user_added", "user_disabled", "second_factor_reset"}
    # and each change that happened is an entry of its own, naming the account
    done = {(e["action"], e["detail"].get("user")) for e in found}
    assert {("user_added", "huda"), ("second_factor_reset", "huda"),
            ("user_disabled", "amal")} <= done  # fmt: skip
    assert ("user_added", "rana") not in done  # refused: nothing happened


def test_set_up_in_a_browser(browser: object, site: Site, tmp_path: Path) -> None:
    """An admin adds a member on the team page; the investigator uploads a list with bad
    rows (refused, every row shown, nothing stored), then a good one, and adds an incident
    at a place found by typing in the gazetteer search (htmx)."""
    with site.ws.session() as s:
        accounts.add_user(s, "lead", PASSWORD, admin=True)
        accounts.add_user(s, "nour", PASSWORD)
        lists_before = s.scalar(select(func.count()).select_from(VictimList)) or 0
    with signed_in(browser, site, "lead") as p:
        p.goto(f"{site.url}/cases/{site.case}/team")  # type: ignore[attr-defined]
        p.select_option("#member-user", "nour")  # type: ignore[attr-defined]
        p.select_option("#member-role", "analyst")  # type: ignore[attr-defined]
        p.click("text=Add the member")  # type: ignore[attr-defined]
        assert "nour" in p.inner_text("main table")  # type: ignore[attr-defined]
    bad, good = tmp_path / "bad.csv", tmp_path / "good.csv"
    bad.write_text("id,name,age\n1,Ahmad,34\n2,,20\n3,Sara,abc\n", "utf-8")
    good.write_text("id,name,age\n1,Ahmad,34\n2,Huda,20\n", "utf-8")
    with signed_in(browser, site) as p:
        p.goto(f"{site.url}/cases/{site.case}/lists")  # type: ignore[attr-defined]
        p.set_input_files("#list-file", str(bad))  # type: ignore[attr-defined]
        p.fill("#list-source", "Browser group")  # type: ignore[attr-defined]
        p.click("text=Check the file")  # type: ignore[attr-defined]
        assert "Nothing was stored" in p.inner_text("#refused")  # type: ignore[attr-defined]
        rows = p.inner_text("table[aria-labelledby=bad-rows] tbody")  # type: ignore[attr-defined]
        assert "full name is empty" in rows and "not an age" in rows
        with site.ws.session() as s:
            assert s.scalar(select(func.count()).select_from(VictimList)) == lists_before
        p.click("text=Upload another file")  # type: ignore[attr-defined]
        p.set_input_files("#list-file", str(good))  # type: ignore[attr-defined]
        p.fill("#list-source", "Browser group")  # type: ignore[attr-defined]
        p.click("text=Check the file")  # type: ignore[attr-defined]
        p.click("text=Import 2 rows")  # type: ignore[attr-defined]
        assert "Imported 2 rows" in p.inner_text("main")  # type: ignore[attr-defined]
        p.goto(f"{site.url}/cases/{site.case}/incidents")  # type: ignore[attr-defined]
        p.click("#new-incident summary")  # type: ignore[attr-defined]
        p.fill("#inc-title", "Raid on the harbour")  # type: ignore[attr-defined]
        p.fill("#inc-place-q", "بانيا")  # type: ignore[attr-defined]
        p.check("#place-choices input[value='171830']")  # type: ignore[attr-defined]
        p.click("text=Add the incident")  # type: ignore[attr-defined]
        p.wait_for_url(re.compile(r"/incidents/[0-9a-f-]+$"))  # type: ignore[attr-defined]
    with site.ws.session() as s:
        assert s.scalar(select(func.count()).select_from(VictimList)) == lists_before + 1
        places = Records(s, site.case, "t").all("place")
        refs = [getattr(p.value("location"), "gazetteer_ref", None) for p in places]
        assert refs.count("geonames:171830") == 1
