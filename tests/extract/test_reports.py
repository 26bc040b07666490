"""The rows of report intake read and written as frozen values (dalil.extract.reports)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dalil.errors import NotFound
from dalil.extract import reports as stored
from dalil.extract.lexicon import Entry
from dalil.records import Records, cases
from dalil.vault.service import Vault
from dalil.workspace import Workspace


def _report(ws: Workspace, vault: Vault, case_id: str, path: Path) -> stored.StoredReport:
    item = vault.add(case_id, path, "ana")
    with ws.session() as s:
        source = Records(s, case_id, "ana").add("source", facts={"title": "Release"}).id
        return stored.store_report(
            s, case_id=case_id, item_id=item.item_id, source_id=source, format="txt",
            published=None, characters=12, languages="en", added_by="ana",
        )  # fmt: skip


def test_reports_and_their_proposals_round_trip_within_their_case(
    ws: Workspace, vault: Vault, tmp_path: Path
) -> None:
    with ws.session() as s:
        a = cases.create_case(s, "A", actor="t").id
        b = cases.create_case(s, "B", actor="t").id
    (tmp_path / "one.txt").write_text("first report", "utf-8")
    (tmp_path / "two.txt").write_text("other report", "utf-8")
    first = _report(ws, vault, a, tmp_path / "one.txt")
    other = _report(ws, vault, b, tmp_path / "two.txt")
    with ws.session() as s:
        assert stored.stored_report(s, first.id, a) == first
        assert stored.stored_report(s, first.id, b) is None  # another case's report
        assert stored.report_for_item(s, a, first.item_id) == first
        assert stored.report_for_item(s, b, first.item_id) is None
        assert stored.case_reports(s, a) == [first]
        assert stored.report_sources(s, a) == {first.source_id: first.item_id}
        with pytest.raises(dataclasses.FrozenInstanceError):
            first.format = "pdf"  # type: ignore[misc]
        for sid, start, kind in (("s2", 9, "date"), ("s1", 2, "place"), ("s3", 2, "count")):
            stored.store_suggestion(
                s, suggestion_id=sid, case_id=a, report_id=first.id, kind=kind, start=start,
                end=start + 3, sealed=b"opaque", confidence=0.5, rule="r", needs_review=False,
            )  # fmt: skip
    with ws.session() as s:
        # text order: by offset, then kind
        assert [g.id for g in stored.report_suggestions(s, first.id)] == ["s3", "s1", "s2"]
        assert stored.count_suggestions(s, first.id) == 3
        assert stored.count_suggestions(s, other.id) == 0
        stored.decide_suggestion(s, "s1", "accepted", "ana", assertion_id=None)
        stored.decide_suggestion(s, "s2", "rejected", "bo", note="not in the text")
    with ws.session() as s:
        assert stored.count_suggestions(s, first.id, "open") == 1
        assert [g.id for g in stored.report_suggestions(s, first.id, "rejected")] == ["s2"]
        decided = stored.stored_suggestion(s, "s2", a)
        assert decided is not None and decided.status == "rejected"
        assert (decided.decided_by, decided.note) == ("bo", "not in the text")
        assert decided.decided_at is not None and decided.sealed == b"opaque"
        assert stored.stored_suggestion(s, "s2", b) is None
        with pytest.raises(NotFound):
            stored.decide_suggestion(s, "nothing", "rejected", "bo")


def test_lexicon_phrases_are_stored_once(ws: Workspace) -> None:
    with ws.session() as s:
        assert stored.add_lexicon_phrase(s, "actor", "Desert Owls", {"role": "x", "name": "y"}, "a")
        assert not stored.add_lexicon_phrase(s, "act", "Desert Owls", {"type": "killing"}, "b")
        assert stored.lexicon_additions(s) == [
            Entry("actor", "Desert Owls", (("name", "y"), ("role", "x")))
        ]
