"""Report intake in a workspace: a report's proposals stored sealed, accepted with their
provenance back to the original, rejected, and feeding the lexicon; a bad file stores
nothing. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from dalil.cli import cli
from dalil.config import load_settings
from dalil.errors import Conflict, InvalidInput
from dalil.extract.document import read
from dalil.extract.tables import LexiconEntry, Report, Suggestion
from dalil.model.tables import Record
from dalil.records import Records, cases, suggestions
from dalil.vault import ledger
from dalil.vault.service import Vault
from dalil.vault.tables import VaultItem
from dalil.workspace import Workspace

REPORT = """Witness statement W-03. Interview conducted on 19 March 2025.

On 7 March, gunmen from the Desert Hawks took my brother Zumurrud Qandilji to the square in Baniyas.
They asked about our sect, and killed more than 30 men there. They looted the shops."""


@pytest.fixture
def case(ws: Workspace) -> str:
    with ws.session() as s:
        return cases.create_case(s, "Intake", actor="t").id


def test_a_report_is_proposed_reviewed_and_accepted_with_provenance(
    ws: Workspace, vault: Vault, case: str, tmp_path: Path
) -> None:
    path = tmp_path / "statement-Zumurrud-Qandilji.txt"  # a file name can name a witness
    path.write_text(REPORT, "utf-8")
    added = suggestions.add_report(ws, vault, case, path, "ana")
    assert str(added.published) == "2025-03-19" and added.suggestions > 5
    db = ws.home / "dalil.sqlite3"
    if db.exists():  # SQLite: the database file's bytes never hold the statement's words
        with ws.session() as s:
            s.connection().exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        assert b"Zumurrud" not in db.read_bytes() and b"Qandilji" not in db.read_bytes()
    # the witness's words are not in the database in plaintext
    with ws.session() as s:
        sealed = b"".join(g.sealed for g in s.scalars(select(Suggestion)))
        assert b"Zumurrud" not in sealed and b"Baniyas" not in sealed
        shown = {(g.kind, g.text): g for g in suggestions.shown(s, vault, case, added.report_id)}
        assert shown[("count", "more than 30")].value["low"] == 31
        event = Records(s, case, "ana").add("event", facts={"title": "Square killings"}).id
        count = suggestions.accept(s, vault, case, shown[("count", "more than 30")].id, "ana",
                                   record_id=event)  # fmt: skip
        day = suggestions.accept(
            s, vault, case, shown[("date", "7 March")].id, "ana", record_id=event
        )
        place = suggestions.accept(s, vault, case, shown[("place", "Baniyas")].id, "ana",
                                   record_id=event)  # fmt: skip
        suggestions.reject(s, case, shown[("act", "looted")].id, "ana", "not this incident")
        with pytest.raises(Conflict, match="already rejected"):
            suggestions.reject(s, case, shown[("act", "looted")].id, "ana")
        with pytest.raises(InvalidInput, match="say which record"):
            suggestions.accept(s, vault, case, shown[("act", "killed")].id, "ana")
    with ws.session() as s:
        book = Records(s, case, "ana")
        view = book.get(event)
        assert view.value("casualties").qualifier == "more_than"
        assert view.value("casualties").as_reported == "more than 30"
        assert str(view.value("date").earliest) == "2025-03-07"
        assert view.value("place").kind == "place"
        info = book.get(count.sources[0].id)
        assert info.value("excerpt").startswith("They asked about our sect")
        assert "characters" in info.value("locator")
        report = s.get(Report, added.report_id)
        assert report is not None and info.refs["source"] == report.source_id
        assert book.get(report.source_id).value("date").earliest.isoformat() == "2025-03-19"
        assert {day.subject_id, place.subject_id} == {event}
        # every read of the original for an acceptance is a custody event
        views = [
            e
            for e in map(lambda i: ledger.entry(s, i), range(ledger.size(s)))
            if e["action"] == "view"
        ]
        assert len(views) == 3
        # the same place accepted twice is one place record
        assert s.scalar(select(func.count()).select_from(Record).where(Record.kind == "place")) == 1


def test_confirmed_actors_feed_the_lexicon(ws: Workspace, vault: Vault, case: str,
                                           tmp_path: Path) -> None:  # fmt: skip
    path = tmp_path / "statement.txt"
    path.write_text(REPORT, "utf-8")
    added = suggestions.add_report(ws, vault, case, path, "ana")
    with ws.session() as s:
        assert suggestions.add_lexicon_entry(
            s, "actor", "Desert Hawks", {"role": "perpetrator", "name": "Desert Hawks"}, "ana"
        )
        assert not suggestions.add_lexicon_entry(
            s, "actor", "Desert  Hawks", {"role": "perpetrator", "name": "x"}, "ana"
        )
    second = tmp_path / "second.txt"
    second.write_text("The Desert Hawks killed 12 men in Jableh on 9 March 2025.", "utf-8")
    again = suggestions.add_report(ws, vault, case, second, "ana")
    with ws.session() as s:
        shown = {(g.kind, g.text): g for g in suggestions.shown(s, vault, case, again.report_id)}
        hawks = shown[("actor", "Desert Hawks")]
        made = suggestions.accept(s, vault, case, hawks.id, "ana")  # a new organisation
        assert Records(s, case, "ana").get(made.subject_id).value("name") == "Desert Hawks"
        assert not any("Zumurrud" in t for _, t in shown)  # the second report does not name him
        assert s.scalar(select(func.count()).select_from(LexiconEntry)) == 1
    assert added.report_id != again.report_id


def test_unreadable_reports_store_nothing(ws: Workspace, vault: Vault, case: str,
                                          tmp_path: Path) -> None:  # fmt: skip
    bad = tmp_path / "scan.txt"
    bad.write_bytes(b"\x00\x01binary\x00" * 50)
    with pytest.raises(InvalidInput, match="not a text file"):
        suggestions.add_report(ws, vault, case, bad, "ana")
    with ws.session() as s:
        for table in (Report, Suggestion, VaultItem):
            assert s.scalar(select(func.count()).select_from(table)) == 0


def test_adding_the_same_report_twice_is_one_report(ws: Workspace, vault: Vault, case: str,
                                                     tmp_path: Path) -> None:  # fmt: skip
    path = tmp_path / "statement.txt"
    path.write_text(REPORT, "utf-8")
    first = suggestions.add_report(ws, vault, case, path, "ana")
    second = suggestions.add_report(ws, vault, case, path, "ana")
    assert second.duplicate and second.report_id == first.report_id
    assert second.suggestions == first.suggestions


def test_cli_docs_add_show_accept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DALIL_DATABASE_URL", raising=False)
    monkeypatch.setenv("DALIL_PASSPHRASE", "correct horse battery staple")
    monkeypatch.setenv("DALIL_OPERATOR", "amal")  # named in the custody ledger
    home = str(tmp_path / "ws")

    def run(*args: str) -> str:
        result = CliRunner().invoke(cli, ["--home", home, *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return result.output

    run("init")
    case = run("case", "create", "Intake").strip()
    report = tmp_path / "statement.txt"
    report.write_text(REPORT, "utf-8")
    assert "proposals; published 2025-03-19" in run("docs", "add", case, str(report))
    listed = json.loads(run("docs", "list", case, "--json"))
    shown = json.loads(run("docs", "show", case, listed[0]["id"], "--json"))
    count = next(g for g in shown if g["kind"] == "count")
    with Workspace.open(load_settings(Path(home))) as ws, ws.session() as s:
        event = Records(s, case, "t").add("event", facts={"title": "Square"}).id
    assert "accepted as assertion" in run(
        "suggestion", "accept", case, count["id"], "--record", event
    )
    assert json.loads(run("docs", "list", case, "--json"))[0]["open"] == listed[0]["open"] - 1
    assert "added" in run("lexicon", "add", "act", "نحروا", "--type", "killing")


def test_villages_of_an_imported_geonames_dump_are_found(ws: Workspace) -> None:
    from dalil.places import gazetteer

    fixture = Path(__file__).parent.parent / "fixtures" / "geonames_sample.txt"
    with ws.session() as s:
        gazetteer.import_geonames(s, fixture)
        found = suggestions.extractor(s).propose(
            read(Path("r.txt"), "قُتل 5 رجال في بيت عانا. Families fled to Ras al-Bassit.".encode())
        )
    places = {(p.text, p.value["geonameid"], p.value["role"]) for p in found if p.kind == "place"}
    assert places == {("بيت عانا", 9000001, "incident"), ("Ras al-Bassit", 9000002, "destination")}


def test_accepting_a_shipped_conditional_phrase_keeps_its_condition(
    ws: Workspace, vault: Vault, case: str, tmp_path: Path
) -> None:
    """The shipped "Daesh" is a perpetrator only where violence is told; confirming it once must
    not store an unconditional workspace copy that names it wherever it appears."""
    first = tmp_path / "a.txt"
    first.write_text("Daesh executed 20 villagers in Baniyas on 7 March 2015.", "utf-8")
    added = suggestions.add_report(ws, vault, case, first, "ana")
    with ws.session() as s:
        shown = {(g.kind, g.text): g for g in suggestions.shown(s, vault, case, added.report_id)}
        suggestions.accept(s, vault, case, shown[("actor", "Daesh")].id, "ana")
        assert s.scalar(select(func.count()).select_from(LexiconEntry)) == 0
    second = tmp_path / "b.txt"
    second.write_text("Residents returned after Daesh withdrew from the area in 2019.", "utf-8")
    again = suggestions.add_report(ws, vault, case, second, "ana")
    with ws.session() as s:
        kinds = {(g.kind, g.text) for g in suggestions.shown(s, vault, case, again.report_id)}
    assert ("actor", "Daesh") not in kinds
