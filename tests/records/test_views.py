"""Records as read (dalil.records.views): views in the order asked, current facts without
the superseded and withdrawn ones, and references."""

from __future__ import annotations

from dalil.model.tables import Record
from dalil.model.values import Ref
from dalil.records import Records, cases, ref, ref_id
from dalil.records.views import record_views
from dalil.workspace import Workspace


def test_views_keep_the_order_given_and_only_current_facts(ws: Workspace) -> None:
    with ws.session() as s:
        case_id = cases.create_case(s, "Views", actor="t").id
        book = Records(s, case_id, "t")
        town = book.add("place", facts={"name": "Baniyas"})
        event = book.add("event", facts={"title": "Killings", "place": [ref(town)]})
        first = book.assert_fact(town.id, "name", "Banias")  # a second name: disputed
        book.withdraw(first.id, "misspelt")
        rows = [s.get_one(Record, event.id), s.get_one(Record, town.id)]
        views = record_views(s, rows)
        assert [v.id for v in views] == [event.id, town.id]
        place = views[1]
        assert place.value("name") == "Baniyas" and place.disagreements() == {}
        assert len(place.history) == 3  # the name, its rival and the withdrawal
        assert views[0].values("place") == [Ref(kind="place", id=town.id)]
        assert ref_id(views[0].value("place")) == town.id
        assert ref_id({"kind": "place", "id": town.id}) == town.id
        assert ref_id("not a reference") is None
        assert views[0].title == "Killings"
