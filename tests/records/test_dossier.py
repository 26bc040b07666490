"""What a record's page shows (records.dossier, records.neighbours): an incident's victims
(a protected one by pseudonym only), its perpetrator groups with their degree, its place
by name and on the map, its timeline; a person's acts with their incident; a place's and
a burial site's neighbours found through facts; corrections followed everywhere."""

from __future__ import annotations

from datetime import date

from dalil.model.values import Age, PersonName, UncertainDate, UncertainPlace
from dalil.records import Records, ref
from dalil.records.cases import create_case
from dalil.records.dossier import current_values, incident_page, person_page, show
from dalil.records.neighbours import record_page
from dalil.workspace import Workspace


def test_incident_and_person_pages_name_everything(ws: Workspace) -> None:
    with ws.session() as s:
        case = create_case(s, "Dossier", actor="t").id
        book = Records(s, case, "t", vocabs=ws.vocabularies(s))
        town = book.add("place", facts={"name": "Baniyas", "location": UncertainPlace(
            name="Baniyas", lat=35.18, lon=35.94)})  # fmt: skip
        other = book.add("place", facts={"name": "Jableh", "location": UncertainPlace(
            name="Jableh", lat=35.36, lon=35.92)})  # fmt: skip
        event = book.add("event", facts={"title": "Killings at the mill", "place": [ref(town)]})
        victim = book.add("person", facts={"name": PersonName(script="Latn", full="Ali Hasan"),
                                           "age": Age.years(30)})  # fmt: skip
        witness = book.add("person", protection_level="protected")
        brigade = book.add("organisation", facts={"name": "Brigade X"})
        acts = []
        for who, day in ((victim, 7), (witness, 8)):
            act = book.add("act", refs={"event": event.id, "victim": who.id},
                           facts={"act_type": "summary_execution",
                                  "date": UncertainDate.on(date(2025, 3, day))})  # fmt: skip
            book.add("involvement", refs={"act": act.id, "organisation": brigade.id},
                     facts={"degree": "directly_carried_out"})  # fmt: skip
            acts.append(act)
        site = book.add("burial_site", facts={"name": "Grave by the mill", "place": ref(town)})
        book.assert_fact(acts[0].id, "burial_site", ref(site))
        s.flush()

        page = incident_page(book, event.id)
        victims = {line.victim.id: line.victim.title for line in page.acts if line.victim}
        assert victims == {victim.id: "Ali Hasan", witness.id: witness.label}
        assert [(g.who.title, g.degrees, g.acts) for g in page.groups] == [
            ("Brigade X", ("directly_carried_out",), 2)]  # fmt: skip
        assert [p.title for p, _ in page.places] == ["Baniyas"]
        assert page.timeline == [("2025-03-07", 1), ("2025-03-08", 1)]
        assert {(m.title, m.here) for m in page.map} == {("Baniyas", True), ("Jableh", False)}
        label = show(book.vocabs, page.names, "act", "act_type", "summary_execution", "en")
        assert label != "summary_execution" and "execution" in label.lower()
        assert show(book.vocabs, page.names, "event", "place", ref(town)) == "Baniyas"

        person = person_page(book, victim.id)
        assert [(a.event.title if a.event else None) for a in person.acts] == [
            "Killings at the mill"]  # fmt: skip
        assert person.acts[0].perpetrators[0].who.title == "Brigade X"
        assert person_page(book, witness.id).protected

        # neighbours found through facts: the place's incident and site, the site's dead
        near = {r.heading: [x.id for x in r.links] for r in record_page(book, town.id).related}
        assert near["Incidents"] == [event.id] and near["Burial sites"] == [site.id]
        buried = {r.heading: [x.title for x in r.links] for r in record_page(book, site.id).related}
        assert buried["Casualties buried here"] == ["Ali Hasan"]
        assert other.id not in near["Incidents"]

        # a correction is followed: the superseded value is no longer current
        first = page.view.current["title"][0].id
        book.correct(first, "Killings at the old mill")
        s.flush()
        assert current_values(s, [event.id], "title") == {event.id: ["Killings at the old mill"]}
        assert incident_page(book, event.id).view.title == "Killings at the old mill"
