"""The evidence gallery and item page (issue 22): items people can recognise (name,
source, description, preview, the records they support, custody history), shown from
the sealed metadata only when the server holds the vault, each view a custody event; the
attach/detach form's contract (``record_id``, ``csrf``, ``next``)."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select

from browser_support import Site
from dalil.model.tables import Record
from dalil.records import Records
from dalil.vault import custody_log, ledger
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.workspace import Workspace
from tests_support import PASSWORD, World


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 90, 160)).save(out, "PNG")
    return out.getvalue()


def _sign_in(c: TestClient, name: str) -> str:
    form = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").text)
    assert form
    r = c.post("/login", data={"name": name, "password": PASSWORD, "csrf": form.group(1)})
    assert r.status_code in (200, 303), r.text
    token = re.search(r'name="csrf" value="([^"]+)"', c.get("/").text)
    assert token
    return token.group(1)


def _place(world: World, name: str, case: str | None = None) -> str:
    with world.ws.session() as s:
        return Records(s, case or world.a, "t").add("place", facts={"name": name}).id


def _views(ws: Workspace, case: str, actor: str) -> list[object]:
    with ws.session() as s:
        found = custody_log.entries(s, custody_log.Query(case=case, actor=actor, limit=None))
    return [e["detail"].get("purpose") for e in found if e["action"] == "view"]


def test_an_uploaded_photo_is_recognisable_in_the_gallery_and_on_its_page(world: World) -> None:
    c, a = world.client, world.a
    place = _place(world, "Baniyas market")
    csrf = _sign_in(c, "investigator")
    r = c.post(f"/cases/{a}/evidence", files={"file": ("market-street.png", _png(), "image/png")},
               data={"csrf": csrf, "source": "phone of a volunteer", "notes": "the street after",
                     "record_id": place})  # fmt: skip
    assert r.status_code == 200 and "added=" in str(r.url), r.text
    item = str(r.url).split("added=")[1].split("#")[0]
    page = r.text
    assert "market-street.png" in page and "phone of a volunteer" in page
    assert "the street after" in page and "Baniyas market" in page
    assert f"/cases/{a}/evidence/{item}/thumbnail" in page  # made after the upload's response
    assert f"/cases/{a}/records/{place}" in page
    thumb = c.get(f"/cases/{a}/evidence/{item}/thumbnail")
    assert thumb.status_code == 200 and thumb.content[:3] == b"\xff\xd8\xff"
    assert thumb.headers["cache-control"] == "private, no-store"
    assert "thumbnail" in _views(world.ws, a, "investigator")
    assert "metadata" in _views(world.ws, a, "investigator")
    one = c.get(f"/cases/{a}/evidence/{item}")
    assert one.status_code == 200
    for shown in ("market-street.png", "Custody history", "attached", "Detach", "ingest"):
        assert shown in one.text, shown
    # a member who may only read sees what the item is, and no upload or attach form
    analyst = c.get(f"/cases/{a}/evidence/{item}", headers=world.h("analyst"))
    assert "market-street.png" in analyst.text and "/attach" not in analyst.text
    assert "metadata" in _views(world.ws, a, "analyst")
    assert c.get(f"/cases/{a}/evidence", headers=world.h("viewer")).status_code == 403
    assert c.get(f"/cases/{a}/evidence", headers=world.h("outsider")).status_code == 404
    assert c.get(f"/cases/{a}/evidence/{item}/thumbnail",
                 headers=world.h("outsider")).status_code == 404  # fmt: skip


def test_attach_and_detach_follow_the_form_contract(world: World) -> None:
    c, a = world.client, world.a
    place, elsewhere = _place(world, "Al-Bayda"), _place(world, "Homs", world.b)
    up = c.post(f"/api/v1/cases/{a}/evidence", headers=world.h("investigator"),
                files={"file": ("note.txt", "ما رآه الشاهد".encode(), "text/plain")})  # fmt: skip
    item = up.json()["id"]
    csrf = _sign_in(c, "investigator")
    url = f"/cases/{a}/evidence/{item}/attach"
    assert c.post(url, data={"record_id": place}).status_code == 403  # no CSRF token
    refused = c.post(url, data={"record_id": elsewhere, "csrf": csrf})  # another case's
    assert refused.status_code == 400 and "invalid-feedback" in refused.text
    with world.ws.session() as s:
        before = ledger.size(s)
    back = f"/cases/{a}/records/{place}"
    r = c.post(url, data={"record_id": place, "csrf": csrf, "next": back},
               follow_redirects=False)  # fmt: skip
    assert r.status_code == 303 and r.headers["location"] == back
    gone = c.post(url, data={"record_id": place, "csrf": csrf, "next": "//evil.example/x"},
                  follow_redirects=False)  # fmt: skip
    assert gone.headers["location"] == f"/cases/{a}/evidence/{item}"  # never off-site
    page = c.get(f"/cases/{a}/evidence/{item}").text
    assert "Al-Bayda" in page and "ما رآه الشاهد" in page  # the text's excerpt
    with world.ws.session() as s:
        assert ledger.size(s) > before
    r = c.post(f"/cases/{a}/evidence/{item}/detach", data={"record_id": place, "csrf": csrf},
               follow_redirects=False)  # fmt: skip
    assert r.status_code == 303
    assert "It supports no record yet" in c.get(f"/cases/{a}/evidence/{item}").text
    label = c.post(url, data={"record_id": "", "label": "P-404", "csrf": csrf})
    assert label.status_code == 400 and "no record P-404 in this case" in label.text


def test_without_the_vault_the_gallery_shows_hashes_and_says_why(
    world: World, ws: Workspace, vault: Vault
) -> None:
    up = world.client.post(f"/api/v1/cases/{world.a}/evidence", headers=world.h("investigator"),
                           files={"file": ("secret-name.txt", b"words", "text/plain")})  # fmt: skip
    sha = up.json()["sha256"]
    with TestClient(create_app(workspace=ws, vault=None), base_url="https://testserver") as c:
        page = c.get(f"/cases/{world.a}/evidence", headers=world.h("investigator"))
        one = c.get(f"/cases/{world.a}/evidence/{up.json()['id']}", headers=world.h("investigator"))
    assert page.status_code == 200
    assert "vault is locked on this server" in page.text and sha[:16] in page.text
    assert "secret-name.txt" not in page.text
    assert one.status_code == 200 and "vault is locked on this server" in one.text
    assert "secret-name.txt" not in one.text and sha in one.text and "/attach" not in one.text


def test_capture_dates_read_as_dates_whatever_the_file_format() -> None:
    from dalil.web.evidence_view import _file_date, same_site

    assert _file_date("2025:03:13 16:22:03") == "2025-03-13 16:22:03"  # EXIF
    assert _file_date("D:20250313162203Z") == "2025-03-13 16:22:03 UTC"  # PDF
    assert _file_date("D:20250313162203+02'00'") == "2025-03-13 16:22:03 +0200"
    assert _file_date("spring 2025") == "spring 2025"
    for elsewhere in ("//evil.example", "/\\evil.example", "https://evil.example", "", "/a b"):
        assert same_site(elsewhere, "/home") == "/home"
    assert same_site("/cases/c/records/r?x=1#e", "/home") == "/cases/c/records/r?x=1#e"


def test_a_photo_uploaded_in_the_browser_is_attached_and_seen_by_its_thumbnail(
    page: object, site: Site, tmp_path: Path
) -> None:
    """The walk of issue 22: upload with the progress bar (JavaScript on), attach the item
    to an incident from its page, see its thumbnail; the custody history names amal."""
    p: Any = page
    photo = tmp_path / "checkpoint-photo.jpg"
    Image.new("RGB", (1200, 900), (140, 110, 80)).save(photo, "JPEG")
    with site.ws.session() as s:
        incident = s.scalars(select(Record.id).where(Record.case_id == site.case,
                                                     Record.kind == "event")).first()  # fmt: skip
    assert incident is not None
    p.goto(f"{site.url}/cases/{site.case}/evidence")
    p.click("details.ev-upload summary")
    p.set_input_files("#ev-file", str(photo))
    p.fill("#ev-source", "field team phone")
    p.fill("#ev-notes", "the checkpoint at the town entrance")
    p.click("#ev-upload button[type=submit]")
    added = p.locator("section.item.added")
    assert "checkpoint-photo.jpg" in added.inner_text()
    added.locator("h2 a").click()
    p.select_option("#at-record", incident)
    p.click("#attach button[type=submit]")
    p.wait_for_selector(f"#supports a[href='/cases/{site.case}/incidents/{incident}']")
    p.reload()  # the thumbnail was made after the upload's response
    img = p.locator(".ev-preview img")
    img.wait_for()
    # a function: an expression is polled through eval, which the page's CSP refuses
    p.wait_for_function("() => document.querySelector('.ev-preview img')?.naturalWidth > 0")
    history = p.locator("#custody").inner_text()
    assert "attached" in history and "thumbnail" in history and "amal" in history
