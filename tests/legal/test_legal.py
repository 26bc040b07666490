"""Legal analysis: the elements catalogue, assessments with suggestions from the records,
and protocol checklists that follow the records (on SQLite and PostgreSQL)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from dalil.errors import InvalidInput, NotFound
from dalil.legal import assessments, checklists, suggest
from dalil.legal.assessments import Link
from dalil.legal.casebook import CaseBook
from dalil.legal.elements import catalogue, parse
from dalil.model.values import Affiliation, UncertainDate
from dalil.records import Records, ref
from dalil.records.cases import create_case, ensure_mandate
from dalil.workspace import Workspace

MURDER_WC, MURDER_CAH = "8-2-c-i-murder", "7-1-a-murder"


@dataclass
class Small:
    case: str
    event: str
    act: str
    site: str
    group: str
    place: str
    testimony_info: str


def small_case(ws: Workspace) -> Small:
    """One incident: a civilian asked their sect, then shot; buried by force without rites;
    a militia tied to the State; one witness account."""
    with ws.session() as s, s.begin():
        case = create_case(s, "Legal test case", actor="t")
        book = Records(s, case.id, "t", ws.vocabularies(s))
        place = book.add("place", facts={"name": "Ayn al-Ward"})
        event = book.add("event", label="EV-01", facts={"title": "Killings at the checkpoint"})
        witness = book.add("person", protection_level="protected", facts={"sex": "female"})
        testimony = book.add(
            "source",
            refs={"person": witness.id},
            facts={"title": "Testimony of W", "material_type": "witness_testimony"},
        )
        info = book.add(
            "information_record",
            refs={"source": testimony.id, "event": event.id},
            facts={"connection": "witness", "access": "direct"},
        )
        victim = book.add(
            "person", facts={"civilian_status": "civilian", "sex": "male"}, sources=[info.id]
        )
        site = book.add(
            "burial_site",
            label="BS-1",
            facts={"forced_burial": "yes", "rites_permitted": "no", "place": ref(place)},
        )
        act = book.add(
            "act",
            refs={"event": event.id, "victim": victim.id},
            sources=[info.id],
            facts={
                "act_type": "summary_execution",
                "identity_questioned": ["sect"],
                "victim_characteristic": ["religious_minority"],
                "status_at_end": "dead",
                "autopsy": "impossible",
                "burial_site": ref(site),
                "rites_denied": "yes",
                "date": UncertainDate.on(date(2025, 3, 7)),
            },
        )
        group = book.add("organisation", facts={"name": "Falcons", "org_type": "identity_militia"})
        book.assert_fact(group.id, "affiliation", Affiliation(status="affiliated"))
        book.add(
            "involvement",
            refs={"act": act.id, "organisation": group.id},
            facts={"degree": "directly_carried_out"},
        )
        return Small(case.id, event.id, act.id, site.id, group.id, place.id, info.id)


def test_catalogue_holds_the_crimes_the_issue_names_with_their_evidence() -> None:
    cat = catalogue()
    codes = {c.code for c in cat.crimes}
    assert codes == {
        MURDER_WC,
        "8-2-c-ii-dignity",
        MURDER_CAH,
        "7-1-b-extermination",
        "7-1-h-persecution-religious",
        "28-superior",
    }
    for crime in cat.crimes:
        assert crime.elements and all(e.evidence and e.text for e in crime.elements)
        for e in crime.elements:
            assert e.suggest is None or e.suggest in suggest.RULES, e.suggest
    # contextual elements are copied into each crime, so each hypothesis has its own
    assert {"niac_nexus", "niac_awareness"} <= {e.code for e in cat.crime(MURDER_WC).elements}
    assert {"cah_attack", "cah_policy"} <= {e.code for e in cat.crime(MURDER_CAH).elements}
    assert "cah_attack" not in {e.code for e in cat.crime(MURDER_WC).elements}
    with pytest.raises(InvalidInput, match="unknown evidence kind"):
        parse(
            'version="x"\nsource="y"\n[evidence]\nT="t"\n[[crimes]]\ncode="c"\nfamily="f"\n'
            'title="t"\narticle="a"\nelements=[{code="e", text="t", evidence=["Q"]}]'
        )
    for p in checklists.protocols():
        assert p.items and all(i.rule is None or i.rule in checklists.RULES for i in p.items)
    assert {p.code for p in checklists.protocols()} == {
        "minnesota",
        "bournemouth",
        "berkeley",
        "casualty_recording",
    }


def _row(found: list[assessments.CrimeMatrix], crime: str, element: str) -> assessments.Row:
    matrix = next(m for m in found if m.crime.code == crime)
    return next(r for r in matrix.rows if r.element.code == element)


def test_suggestions_confirmed_by_a_lawyer_and_hypotheses_stay_independent(ws: Workspace) -> None:
    c = small_case(ws)
    with ws.session() as s:
        found = assessments.matrix(s, c.case, c.event)
        killed = _row(found, MURDER_WC, "killed")
        assert killed.status == "not_assessed" and killed.suggestion is not None
        assert killed.suggestion.status == "supported"
        assert _row(found, "7-1-h-persecution-religious", "group_targeted").suggestion
        assert _row(found, "8-2-c-ii-dignity", "degraded").suggestion.status == "supported"  # type: ignore[union-attr]
        assert _row(found, MURDER_WC, "niac_nexus").suggestion is None  # by hand only
        policy = assessments.matrix(s, c.case, c.group)
        assert _row(policy, MURDER_CAH, "cah_policy").suggestion.status == "supported"  # type: ignore[union-attr]
    with ws.session() as s, s.begin():
        row = assessments.confirm(
            s, c.case, c.event, MURDER_WC, "killed", standard="reasonable_grounds", actor="lawyer"
        )
        assert row.suggestion == "killed" and row.links
    with ws.session() as s:
        found = assessments.matrix(s, c.case, c.event)
        wc = _row(found, MURDER_WC, "killed")
        assert (wc.status, wc.standard, wc.assessed_by) == (
            "supported",
            "reasonable_grounds",
            "lawyer",
        )
        assert wc.evidence_found == {"T"}  # the act's facts rest on witness testimony
        assert "T" not in wc.evidence_missing and "F" in wc.evidence_missing
        # the crime-against-humanity hypothesis is untouched by the war-crime finding
        assert _row(found, MURDER_CAH, "killed").status == "not_assessed"
        gaps = next(m for m in found if m.crime.code == MURDER_WC).gaps
        assert "killed" not in {r.element.code for r in gaps}
        assert "niac_nexus" in {r.element.code for r in gaps}
    with ws.session() as s, s.begin():  # a later finding supersedes, the history keeps both
        assessments.assess(
            s,
            c.case,
            c.event,
            MURDER_WC,
            "killed",
            status="contested",
            standard="some_information",
            actor="lawyer2",
            note="autopsy impossible; only one account",
            links=[Link("record", c.testimony_info)],
        )
    with ws.session() as s:
        assert (
            _row(assessments.matrix(s, c.case, c.event), MURDER_WC, "killed").status == "contested"
        )
        assert [a.status for a in assessments.history(s, c.case, c.event)] == [
            "supported",
            "contested",
        ]


def test_assessments_refuse_what_is_not_there(ws: Workspace) -> None:
    c = small_case(ws)
    other = small_case(ws)
    ok = {"status": "supported", "standard": "reasonable_grounds", "actor": "l"}
    with ws.session() as s:
        with pytest.raises(InvalidInput, match="unknown crime"):
            assessments.assess(s, c.case, c.event, "genocide", "killed", **ok)
        with pytest.raises(InvalidInput, match="no element"):
            assessments.assess(s, c.case, c.event, MURDER_WC, "nexus", **ok)
        with pytest.raises(InvalidInput, match="not a place"):
            assessments.assess(s, c.case, c.place, MURDER_WC, "killed", **ok)
        with pytest.raises(NotFound):
            assessments.assess(s, c.case, other.event, MURDER_WC, "killed", **ok)
        with pytest.raises(NotFound, match="no record"):
            assessments.assess(
                s, c.case, c.event, MURDER_WC, "killed", links=[Link("record", other.act)], **ok
            )
        with pytest.raises(InvalidInput, match="what contests"):
            assessments.assess(
                s,
                c.case,
                c.event,
                MURDER_WC,
                "killed",
                status="contested",
                standard="strong",
                actor="l",
            )
        with pytest.raises(InvalidInput):
            assessments.assess(
                s,
                c.case,
                c.event,
                MURDER_WC,
                "killed",
                status="supported",
                standard="beyond_doubt",
                actor="l",
            )
        with pytest.raises(NotFound, match="suggest nothing"):
            assessments.confirm(
                s, c.case, c.event, MURDER_WC, "niac_nexus", standard="strong", actor="l"
            )


def _status(ws: Workspace, case: str, proto: str, item: str) -> checklists.ItemStatus:
    with ws.session() as s:
        return next(i for i in checklists.evaluate(s, case, proto) if i.item.code == item)


def test_checklist_items_follow_the_records_and_a_persons_decision(ws: Workspace) -> None:
    c = small_case(ws)
    assert _status(ws, c.case, "bournemouth", "families_informed").status == "not_started"
    with ws.session() as s, s.begin():
        book = Records(s, c.case, "t", ws.vocabularies(s))
        site = book.get(c.site)
        book.assert_fact(site.id, "families_informed", "yes")
        book.assert_fact(site.id, "religious_requirements", "Washing, shrouding and prayers.")
    assert _status(ws, c.case, "bournemouth", "families_informed").status == "complete"

    autopsy = _status(ws, c.case, "minnesota", "autopsy")
    assert autopsy.status == "impossible"
    assert "buried by force" in autopsy.checks[0].reason
    assert autopsy.checks[0].prevented_by == "Falcons"  # the perpetrators recorded for the act
    assert _status(ws, c.case, "minnesota", "methodology").status == "not_started"
    with ws.session() as s, s.begin():
        book = Records(s, c.case, "t", ws.vocabularies(s))
        mandate = ensure_mandate(book)
        book.assert_fact(mandate.id, "methodology", "Interviews and lists.")
        book.assert_fact(mandate.id, "standard_of_proof", "reasonable_grounds")
    assert _status(ws, c.case, "minnesota", "methodology").status == "complete"

    with ws.session() as s, s.begin():
        with pytest.raises(InvalidInput, match="say why"):
            checklists.decide(
                s,
                c.case,
                "bournemouth",
                "return",
                status="impossible",
                actor="po",
                subject_id=c.site,
            )
        with pytest.raises(InvalidInput, match="per burial_site"):
            checklists.decide(s, c.case, "bournemouth", "return", status="complete", actor="po")
        checklists.decide(
            s,
            c.case,
            "bournemouth",
            "return",
            status="impossible",
            actor="po",
            subject_id=c.site,
            reason="site under militia control",
            prevented_by="Falcons",
        )
    back = _status(ws, c.case, "bournemouth", "return")
    assert back.status == "impossible" and back.why is not None
    assert (back.why.decided_by, back.why.prevented_by) == ("po", "Falcons")


def test_the_case_wide_pattern_names_methods_by_their_label(ws: Workspace) -> None:
    """The matrix shows this text to lawyers: a method is "Shooting at close range", never
    the code ``shooting_close_range`` (issue 22, item 4)."""
    c = small_case(ws)
    with ws.session() as s, s.begin():
        Records(s, c.case, "t", ws.vocabularies(s)).assert_fact(
            c.act, "method", "shooting_close_range"
        )
    with ws.session() as s:
        cb = CaseBook.load(s, c.case)
        found = suggest.widespread_pattern(cb, cb.of("act"))
        assert found is not None
        assert "Shooting at close range" in found.reason
        assert "shooting_close_range" not in found.reason
