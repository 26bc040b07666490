"""Evidence items attached to the records they support (dalil.vault.links), read back by
other packages through dalil.vault.holdings; every attach and detach is a custody event."""

from __future__ import annotations

from pathlib import Path

import pytest

from dalil.errors import NotFound
from dalil.records.book import Records
from dalil.records.cases import create_case
from dalil.vault import ledger
from dalil.vault.holdings import records_of, supporting
from dalil.vault.service import Vault
from dalil.vault.tables import VaultItem
from dalil.workspace import Workspace


def _setup(ws: Workspace, tmp_path: Path) -> tuple[Vault, dict[str, str]]:
    vault = Vault.create(ws, "correct horse battery", "tester")
    with ws.session() as s:
        a = create_case(s, "A", actor="tester").id
        b = create_case(s, "B", actor="tester").id
        place = Records(s, a, "tester").add("place", facts={"name": "Baniyas"}).id
        org = Records(s, a, "tester").add("organisation", facts={"name": "Brigade"}).id
        other_place = Records(s, b, "tester").add("place", facts={"name": "Homs"}).id
    ids = {"a": a, "b": b, "place": place, "org": org, "other_place": other_place}
    for name, body in (("one", b"first"), ("two", b"second"), ("other", b"third")):
        f = tmp_path / f"{name}.txt"
        f.write_bytes(body)
        ids[name] = vault.add(b if name == "other" else a, f, "tester").item_id
    return vault, ids


def _actions(ws: Workspace, case_id: str) -> list[tuple[str, str, dict[str, object]]]:
    with ws.session() as s:
        size = ledger.state(s).ledger_size
        entries = [ledger.entry(s, i) for i in range(size)]
    return [(e["action"], e["actor"], e["detail"]) for e in entries if e["case"] == case_id]


def test_attach_links_an_item_to_a_record_of_its_case_and_records_the_event(
    ws: Workspace, tmp_path: Path
) -> None:
    vault, ids = _setup(ws, tmp_path)
    a = ids["a"]
    vault.attach(a, ids["one"], ids["place"], "amal")
    vault.attach(a, ids["two"], ids["place"], "amal")
    vault.attach(a, ids["one"], ids["org"], "amal")
    vault.attach(a, ids["one"], ids["org"], "amal")  # again: nothing new
    with ws.session() as s:
        assert [i.id for i in supporting(s, a, ids["place"])] == [ids["one"], ids["two"]]
        assert [i.id for i in supporting(s, a, ids["org"])] == [ids["one"]]
        assert supporting(s, ids["b"], ids["place"]) == []
        found = records_of(s, a, [ids["one"], ids["two"], ids["other"]])
        assert sorted(found[ids["one"]]) == sorted([ids["place"], ids["org"]])
        assert found[ids["two"]] == [ids["place"]] and found[ids["other"]] == []
    attached = [a_ for a_ in _actions(ws, a) if a_[0] == "attached"]
    assert len(attached) == 3
    assert attached[0] == ("attached", "amal", {"item_id": ids["one"], "record_id": ids["place"]})

    vault.detach(a, ids["one"], ids["place"], "karim")
    with ws.session() as s:
        assert [i.id for i in supporting(s, a, ids["place"])] == [ids["two"]]
    assert ("detached", "karim", {"item_id": ids["one"], "record_id": ids["place"]}) in _actions(
        ws, a
    )
    with pytest.raises(NotFound):
        vault.detach(a, ids["one"], ids["place"], "karim")  # no longer attached


def test_attach_refuses_a_record_or_an_item_of_another_case(ws: Workspace, tmp_path: Path) -> None:
    vault, ids = _setup(ws, tmp_path)
    a = ids["a"]
    before = len(_actions(ws, a)) + len(_actions(ws, ids["b"]))
    with pytest.raises(NotFound) as err:
        vault.attach(a, ids["one"], ids["other_place"], "amal")
    assert err.value.path == "record_id"
    with pytest.raises(NotFound) as err:
        vault.attach(a, ids["other"], ids["place"], "amal")
    assert err.value.path == "item_id"
    with pytest.raises(NotFound):
        vault.attach(a, ids["one"], "no-such-record", "amal")
    with pytest.raises(NotFound):
        vault.detach(ids["b"], ids["one"], ids["place"], "amal")
    with ws.session() as s:
        assert records_of(s, a, [ids["one"]]) == {ids["one"]: []}
    assert len(_actions(ws, a)) + len(_actions(ws, ids["b"])) == before


def test_an_items_history_is_its_case_events_only(ws: Workspace, tmp_path: Path) -> None:
    """custody_log.item_histories: the events naming an item's bytes in its case, oldest
    first; the same bytes ingested into another case have their own history there."""
    from dalil.vault import custody_log

    vault, ids = _setup(ws, tmp_path)
    a, b = ids["a"], ids["b"]
    same = tmp_path / "again.txt"
    same.write_bytes(b"first")  # the bytes of item "one", now in case B
    in_b = vault.add(b, same, "karim")
    vault.attach(a, ids["one"], ids["place"], "amal")
    vault.describe(b, in_b.item_id, "karim")
    with ws.session() as s:
        sha = s.get(VaultItem, ids["one"]).sha256  # type: ignore[union-attr]
        mine = custody_log.item_histories(s, a, [sha])[sha]
        theirs = custody_log.item_histories(s, b, [sha])[sha]
        last = custody_log.item_histories(s, a, [sha], per_item=1)[sha]
    assert [e["action"] for e in mine] == ["ingest", "attached"]
    assert [e["action"] for e in theirs] == ["ingest", "view"]
    assert [e["action"] for e in last] == ["attached"]
    assert [e["index"] for e in mine] == sorted(e["index"] for e in mine)
