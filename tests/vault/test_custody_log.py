"""Reading the custody ledger back (:mod:`dalil.vault.custody_log`): newest first, filtered
on the canonical entries, paged back from an index."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dalil.vault import custody_log, ledger
from dalil.vault.service import Vault
from dalil.workspace import Workspace


def _append(ws: Workspace, *entries: dict[str, object]) -> None:
    with ws.session() as s:
        ledger.append(s, list(entries))


def test_entries_are_newest_first_and_filtered(ws: Workspace, vault: Vault) -> None:
    past = datetime(2020, 1, 1, tzinfo=UTC)
    _append(
        ws,
        ledger.make_entry("view", "ana", case="c1", item="a" * 64, at=past),
        ledger.make_entry("view", "ben", case="c2", item="b" * 64),
        ledger.make_entry("download", "ana", case="c1", item="b" * 64),
        ledger.make_entry("sign_in", "ana"),
    )
    with ws.session() as s:
        size = ledger.size(s)
        everything = custody_log.entries(s, custody_log.Query(limit=None))
        assert [e["index"] for e in everything] == list(range(size - 1, -1, -1))
        ana = custody_log.entries(s, custody_log.Query(actor="ana"))
        assert [e["action"] for e in ana] == ["sign_in", "download", "view"]
        case = custody_log.entries(s, custody_log.Query(case="c1", action="view"))
        assert [(e["actor"], e["item"]) for e in case] == [("ana", "a" * 64)]
        items = custody_log.entries(s, custody_log.Query(items=frozenset({"b" * 64})))
        assert {e["actor"] for e in items} == {"ana", "ben"}
        old = custody_log.entries(s, custody_log.Query(until=past + timedelta(seconds=1)))
        assert [e["time"] for e in old] == [ledger.utc_stamp(past)]
        recent = custody_log.entries(s, custody_log.Query(actor="ana", since=past + timedelta(1)))
        assert len(recent) == 2


def test_entries_page_back_from_an_index_in_small_batches(ws: Workspace, vault: Vault) -> None:
    _append(ws, *(ledger.make_entry("view", f"user-{n}") for n in range(7)))
    with ws.session() as s:
        size = ledger.size(s)
        first = custody_log.entries(s, custody_log.Query(limit=3), batch=2)
        assert [e["index"] for e in first] == [size - 1, size - 2, size - 3]
        page = custody_log.entries(s, custody_log.Query(limit=3, before=size - 3), batch=2)
        assert [e["index"] for e in page] == [size - 4, size - 5, size - 6]
        assert custody_log.entries(s, custody_log.Query(before=0)) == []


def test_the_vault_log_and_the_audit_query_are_this_reader(ws: Workspace, vault: Vault) -> None:
    from dalil.access import audit
    from dalil.records import cases

    assert audit.entries is custody_log.entries and audit.Query is custody_log.Query
    with ws.session() as s:
        case_id = cases.create_case(s, "Log", actor="t").id
    _append(ws, ledger.make_entry("view", "ana", case=case_id))
    log = vault.log(case_id)
    assert [e["action"] for e in log][-1] == "view"
    assert [e["index"] for e in log] == sorted(e["index"] for e in log)  # oldest first


def test_an_index_past_the_end_pages_back_from_the_end(ws: Workspace, vault: Vault) -> None:
    """A far index (the API allows 2**31 - 1) used to scan a million empty batches."""
    with ws.session() as s:
        size = ledger.size(s)
        newest = custody_log.entries(s, custody_log.Query(limit=1))
        far = custody_log.entries(s, custody_log.Query(limit=1, before=2**62), batch=1)
        assert far == newest and far[0]["index"] == size - 1
