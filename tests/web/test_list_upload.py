"""Victim-list upload in the browser (dalil.web.lists): the mapping shown and editable,
every bad row listed, nothing stored before a good file is confirmed, and then the same
import as ``dalil lists import``."""

from __future__ import annotations

import json
import re
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from dalil.intake.victim_lists import read_list
from dalil.linkage.tables import ListRecord, VictimList
from dalil.model.tables import Base
from dalil.vault.service import Vault
from dalil.workspace import Workspace
from setup_pages_support import Team, field_error, team

#: what the access audit trail appends to on every request (not the upload's doing)
AUDIT_TABLES = {"ledger_entry", "ledger_node", "tree_head", "web_session"}

HEADER = "الرقم,الاسم الكامل,الجنس,العمر,ملاحظات\n"
BAD = HEADER + "1,أحمد,ذكر,34,\n2,,أنثى,20,\n3,سارة,x,abc,\n1,عمر,ذكر,5,\n"
GOOD = HEADER + "1,أحمد,ذكر,34,-\n2,سارة,أنثى,20,\n"


def snapshot(ws: Workspace) -> dict[str, int]:
    """Rows per table, but for the audit trail's."""
    with ws.session() as s:
        return {name: s.execute(text(f'SELECT count(*) FROM "{name}"')).scalar_one()
                for name in Base.metadata.tables if name not in AUDIT_TABLES}  # fmt: skip


def upload(c: TestClient, t: Team, csrf: str, body: str, source: str = "") -> tuple[int, str]:
    r = c.post(f"/cases/{t.case}/lists", data={"csrf": csrf, "source": source},
               files={"file": ("list.csv", body.encode(), "text/csv")})  # fmt: skip
    return r.status_code, r.text


def key_of(page: str, case: str) -> str:
    found = re.search(rf'action="/cases/{case}/lists/([\w-]+)"', page)
    assert found, page[:500]
    return found.group(1)


def test_a_list_with_bad_rows_is_refused_whole_and_changes_nothing(
    ws: Workspace, vault: Vault
) -> None:
    with team(ws, vault) as t, t.as_user("amal") as (c, csrf):
        empty = c.get(f"/cases/{t.case}/lists").text
        assert "No victim lists yet" in empty and 'type="file"' in empty
        before = snapshot(ws)
        status, page = upload(c, t, csrf, BAD, "Group A")
        assert status == 400 and "Nothing was stored" in page
        rows = re.findall(r'<td class="num">(\d+)</td><td>(?:<bdi dir="auto">)?([^<]+)', page)
        assert rows == [("3", "الاسم الكامل"), ("4", "الجنس"), ("4", "العمر"), ("5", "الرقم")]
        # each problem in words of the page's language, its values isolated
        assert 'the record id repeats row <bdi dir="ltr">2</bdi>' in page
        assert "not a recognised sex (<bdi" in page
        # the mapping it used, each column with a select, guessed from Arabic names
        assert re.search(r'<option value="full_name" selected>', page)
        assert re.search(r'<option value="record_id" selected>', page)
        key = key_of(page, t.case)
        forced = c.post(f"/cases/{t.case}/lists/{key}", data={
            "csrf": csrf, "source": "Group A", "step": "import",
            "field": ["record_id", "full_name", "sex", "age", ""]})  # fmt: skip
        assert forced.status_code == 400 and "Nothing was stored" in forced.text
        assert snapshot(ws) == before


def test_a_good_list_is_imported_after_the_mapping_is_changed_and_confirmed(
    ws: Workspace, vault: Vault, tmp_path: Path
) -> None:
    with team(ws, vault) as t, t.as_user("amal") as (c, csrf), t.as_user("root") as (other, o):
        status, page = upload(c, t, csrf, GOOD)
        assert status == 200 and "Every row is good" in page and "Import <bdi>2</bdi> rows" in page
        key = key_of(page, t.case)
        with ws.session() as s:
            assert s.scalar(select(func.count()).select_from(VictimList)) == 0  # not yet
        fields = ["record_id", "full_name", "", "", ""]  # sex and age left out this time
        checked = c.post(f"/cases/{t.case}/lists/{key}", data={
            "csrf": csrf, "source": "Group B", "step": "check", "field": fields})  # fmt: skip
        assert checked.status_code == 200 and 'value="Group B"' in checked.text
        assert (
            other.post(
                f"/cases/{t.case}/lists/{key}",
                data={"csrf": o, "source": "Group B", "step": "import", "field": fields},
            ).status_code
            == 403
        )
        done = c.post(f"/cases/{t.case}/lists/{key}", data={
            "csrf": csrf, "source": "Group B", "step": "import", "field": fields},
            follow_redirects=False)  # fmt: skip
        assert done.status_code == 303
        shown = c.get(done.headers["location"]).text
        assert "Imported <bdi>2</bdi> rows" in shown and "Group B" in shown
        again = c.post(f"/cases/{t.case}/lists/{key}", data={
            "csrf": csrf, "source": "Group B", "step": "import", "field": fields})  # fmt: skip
        assert again.status_code == 400 and "upload the file again" in again.text
        _, page = upload(c, t, csrf, GOOD, "Group B")  # a source name is used once
        key = key_of(page, t.case)
        taken = c.post(f"/cases/{t.case}/lists/{key}", data={
            "csrf": csrf, "source": "Group B", "step": "import", "field": fields})  # fmt: skip
        assert taken.status_code == 400 and field_error(taken.text, "list-source")
    file = tmp_path / "list.csv"
    file.write_bytes(GOOD.encode())
    cli = read_list(file, {"الرقم": "record_id", "الاسم الكامل": "full_name", "الجنس": "",
                           "العمر": ""})  # fmt: skip
    with ws.session() as s:
        stored = s.scalars(select(VictimList)).one()
        assert (stored.sha256, json.loads(stored.mapping)) == (cli.sha256, cli.mapping)
        values = [json.loads(v) for v in s.scalars(select(ListRecord.values)
                                                   .order_by(ListRecord.row_number))]  # fmt: skip
    assert values == [r.values for r in cli.rows]
    assert "sex" not in values[0]


def test_only_writers_upload_and_files_that_cannot_be_read_are_named(
    ws: Workspace, vault: Vault
) -> None:
    with team(ws, vault) as t, t.as_user("amal") as (c, csrf), t.as_user("root") as (admin, a):
        assert upload(admin, t, a, GOOD)[0] == 403  # an admin without a role reads only
        assert "Import a victim list" not in admin.get(f"/cases/{t.case}/lists").text
        status, page = upload(c, t, csrf, "")
        assert status == 400 and field_error(page, "list-file")
        status, page = upload(c, t, csrf, 'id,name\n1,"open\n')
        assert status == 400 and "row <bdi>2</bdi>: unclosed quote" in page
        status, page = upload(c, t, csrf, "id,notes\n1,x\n")
        assert status == 400 and "missing required column" in page
