from __future__ import annotations

from datetime import date

import pytest

from dalil.errors import Conflict, InvalidInput, NotFound, ProtectedData, UnknownTerm
from dalil.model.catalogue import KINDS
from dalil.model.values import Age, LogEntry, PersonName, Ref, UncertainCount, UncertainDate
from dalil.records import Records, add_term, ref
from dalil.records.cases import create_case, ensure_mandate, find_case, summarise
from dalil.workspace import Workspace


@pytest.fixture
def book(ws: Workspace):  # type: ignore[no-untyped-def]
    with ws.session() as s:
        case = create_case(s, "Case A", actor="tester")
        yield Records(s, case.id, "tester", ws.vocabularies(s))


def _minimal(book: Records) -> dict[str, object]:
    """One record of every kind, linked as the catalogue requires."""
    place = book.add("place", facts={"name": "Baniyas"})
    event = book.add("event", facts={"title": "Killings", "place": [ref(place)]})
    other = book.add("event", facts={"title": "Umbrella"})
    victim = book.add("person", facts={"name": PersonName(full="محمد علي"), "sex": "male"})
    witness = book.add("person", protection_level="protected")
    org = book.add("organisation", facts={"name": "Brigade", "org_type": "paramilitary"})
    unit = book.add("organisation", refs={"parent": org.id}, facts={"name": "Unit"})
    act = book.add(
        "act",
        refs={"event": event.id, "victim": victim.id},
        facts={"act_type": "summary_execution"},
    )
    source = book.add("source", refs={"organisation": org.id}, facts={"title": "Report"})
    info = book.add("information_record", refs={"source": source.id, "event": event.id})
    made = {
        "mandate": ensure_mandate(book),
        "place": place,
        "event": event,
        "person": victim,
        "organisation": unit,
        "event_relation": book.add(
            "event_relation",
            refs={"from_event": other.id, "to_event": event.id},
            facts={"relation": "encompasses"},
        ),
        "command": book.add("command", refs={"organisation": org.id, "commander": victim.id}),
        "act": act,
        "involvement": book.add(
            "involvement",
            refs={"act": act.id, "organisation": unit.id},
            facts={"degree": "directly_carried_out"},
        ),
        "burial_site": book.add(
            "burial_site", facts={"forced_burial": "yes", "site_kind": ["mass_grave"]}
        ),
        "source": source,
        "information_record": info,
        "interview": book.add(
            "interview", refs={"interviewee": witness.id}, facts={"mode": "in_person"}
        ),
        "consent_record": book.add(
            "consent_record", refs={"person": witness.id}, facts={"scope": ["internal_analysis"]}
        ),
        "risk_assessment": book.add(
            "risk_assessment", refs={"person": witness.id}, facts={"risk_level": "high"}
        ),
    }
    return made


def test_every_kind_can_be_created_and_read(book: Records) -> None:
    made = _minimal(book)
    assert set(made) == set(KINDS)
    for kind, record in made.items():
        view = book.get(record.id)  # type: ignore[attr-defined]
        assert view.kind == kind
    summary = summarise(book.session, find_case(book.session, book.case_id))
    assert (summary.events, summary.acts, summary.victims, summary.burial_sites) == (2, 1, 1, 1)


def test_corrections_supersede_and_keep_history(book: Records) -> None:
    person = book.add("person")
    first = book.assert_fact(person.id, "age", Age.years(34))
    second = book.correct(first.id, Age.years(36), note="birth certificate seen")
    view = book.get(person.id)
    assert view.value("age") == Age.years(36)
    assert [f.id for f in view.history] == [first.id, second.id]
    assert view.history[1].supersedes == first.id
    with pytest.raises(Conflict, match="already superseded"):
        book.correct(first.id, Age.years(40))
    book.withdraw(second.id, note="wrong person")
    assert book.get(person.id).value("age") is None
    assert len(book.get(person.id).history) == 3


def test_disagreements_stand_side_by_side(book: Records) -> None:
    event = book.add("event", facts={"title": "E"})
    src = book.add("source", facts={"title": "S"})
    info_a = book.add("information_record", refs={"source": src.id})
    info_b = book.add("information_record", refs={"source": src.id})
    book.assert_fact(event.id, "date", UncertainDate.on(date(2025, 3, 7)), sources=[info_a.id])
    book.assert_fact(event.id, "date", UncertainDate.on(date(2025, 3, 8)), sources=[info_b.id])
    view = book.get(event.id)
    assert view.value("date") is None
    assert set(view.disagreements()) == {"date"}
    assert {f.sources for f in view.current["date"]} == {(info_a.id,), (info_b.id,)}
    # counts are multi-valued: reported and documented stand together, not a dispute
    book.assert_fact(event.id, "casualties", UncertainCount.from_reported("more than 100"))
    book.assert_fact(event.id, "casualties", UncertainCount.exactly(32, count_kind="documented"))
    assert "casualties" not in book.get(event.id).disagreements()


def test_protected_identity_is_refused(book: Records) -> None:
    witness = book.add("person", protection_level="protected")
    assert witness.label == "W-001"
    with pytest.raises(ProtectedData) as err:
        book.assert_fact(witness.id, "name", PersonName(full="Secret Name"))
    assert "Secret Name" not in str(err.value)
    with pytest.raises(ProtectedData):
        book.add("person", protection_level="restricted", facts={"name": PersonName(full="X Y")})


def test_bad_values_name_the_field(book: Records) -> None:
    person = book.add("person")
    with pytest.raises(UnknownTerm) as err:
        book.assert_fact(person.id, "sex", "alien")
    assert err.value.path == "value"
    with pytest.raises(InvalidInput, match="no field"):
        book.assert_fact(person.id, "shoe_size", 42)
    with pytest.raises(InvalidInput) as err2:
        book.assert_fact(person.id, "age", {"low": "old"})
    assert err2.value.path == "value.low"
    with pytest.raises(UnknownTerm) as err3:
        book.assert_fact(
            person.id,
            "date_of_death",
            {"earliest": "2025-03-07", "latest": "2025-03-07", "precision": "fortnight"},
        )
    assert err3.value.path == "value.precision"
    with pytest.raises(InvalidInput, match="exceeds"):
        book.assert_fact(person.id, "occupation", "x" * 5000)
    with pytest.raises(UnknownTerm):
        book.assert_fact(person.id, "sex", "male", confidence="certain")


def test_links_stay_inside_one_case(ws: Workspace, book: Records) -> None:
    other_case = create_case(book.session, "Case B", actor="t")
    other = Records(book.session, other_case.id, "t")
    foreign_event = other.add("event", facts={"title": "Elsewhere"})
    with pytest.raises(NotFound):
        book.add("act", refs={"event": foreign_event.id})
    place = book.add("place", facts={"name": "P"})
    event = book.add("event", facts={"title": "E"})
    with pytest.raises(InvalidInput, match="not a person"):
        book.add("act", refs={"event": event.id, "victim": place.id})
    with pytest.raises(InvalidInput, match="must refer to a place"):
        book.assert_fact(event.id, "place", Ref(kind="event", id=event.id))
    with pytest.raises(InvalidInput, match="exactly one perpetrator"):
        act = book.add("act", refs={"event": event.id})
        book.add("involvement", refs={"act": act.id})
    with pytest.raises(InvalidInput, match="needs a title"):
        book.add("event")
    with pytest.raises(InvalidInput, match="itself"):
        book.add(
            "event_relation",
            refs={"from_event": event.id, "to_event": event.id},
            facts={"relation": "precedes"},
        )


def test_log_entries_check_their_vocabulary(book: Records) -> None:
    site = book.add("burial_site")
    book.assert_fact(site.id, "disturbance", LogEntry(kind="tampering", text="soil moved"))
    with pytest.raises(UnknownTerm):
        book.assert_fact(site.id, "disturbance", LogEntry(kind="party"))
    with pytest.raises(InvalidInput, match="takes no kind"):
        book.assert_fact(site.id, "access_log", LogEntry(kind="tampering"))


def test_workspace_vocabulary_extension(ws: Workspace, book: Records) -> None:
    add_term(book.session, "method_of_violence", "drowning", "Drowning", "إغراق")
    with pytest.raises(Conflict):
        add_term(book.session, "method_of_violence", "shooting", "Shooting")
    with pytest.raises(InvalidInput):
        add_term(book.session, "method_of_violence", "Bad Code", "x")
    book.vocabs = ws.vocabularies(book.session)
    event = book.add("event", facts={"title": "E"})
    act = book.add("act", refs={"event": event.id}, facts={"method": ["drowning", "shooting"]})
    assert book.get(act.id).values("method") == ["drowning", "shooting"]


def test_case_revision_follows_changes_and_keys_the_cached_overview(ws: Workspace) -> None:
    from dalil.model.tables import Case
    from dalil.records.overview import cached_overview

    with ws.session() as s:
        case = create_case(s, "Revision", actor="t").id
        book = Records(s, case, "t")
        before = s.get_one(Case, case).revision
        event = book.add("event", facts={"title": "First"})
        s.flush()
        s.refresh(s.get_one(Case, case))
        assert s.get_one(Case, case).revision > before
        first = cached_overview(s, case)
        assert cached_overview(s, case) is first  # nothing changed: reused
        book.assert_fact(event.id, "title", "Second title")
        s.flush()
        s.refresh(s.get_one(Case, case))
        again = cached_overview(s, case)
        assert again is not first and again.disagreements[0].field == "title"


def test_text_with_nul_is_a_clear_input_error_on_postgresql(ws: Workspace) -> None:
    """PostgreSQL text columns cannot hold NUL (0x00); the driver's refusal becomes an
    input error a person can act on, not a storage failure. SQLite stores it."""
    with ws.session() as s:
        case = create_case(s, "NUL", actor="t").id
    if ws.engine.dialect.name != "postgresql":
        with ws.session() as s:
            Records(s, case, "t").add("event", label="E-\x001", facts={"title": "x"})
        return
    with pytest.raises(InvalidInput, match="NUL"), ws.session() as s:
        Records(s, case, "t").add("event", label="E-\x001", facts={"title": "x"})
