"""The person search index: either script, word prefixes, sex, corrections and
withdrawals, and never a protected person."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from dalil import cases, person_search
from dalil.model.tables import SearchKey
from dalil.model.values import PersonName
from dalil.records import Records
from dalil.workspace import Workspace


def _names(*full: str) -> list[PersonName]:
    return [PersonName(script="Arab" if "\u0600" <= f[0] <= "\u06ff" else "Latn", full=f)
            for f in full]  # fmt: skip


def test_search_follows_the_current_facts(ws: Workspace) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Search", actor="t").id
        book = Records(s, case, "t")
        ahmad = book.add("person", facts={"name": _names("محمد أحمد الأحمد"), "sex": "male"})
        huda = book.add("person", facts={"name": _names("Huda Khalil"), "sex": "female"})
        book.add("person", facts={"name": _names("Mohammed Said"), "sex": "male"})
        witness = book.add("person", protection_level="protected", facts={"sex": "female"})

        def found(q: str, sex: str = "") -> set[str]:
            return set(person_search.search(s, case, q, sex)[2])

        assert found("Mohammad al-Ahmad") == {ahmad.id}  # Latin finds Arabic script
        assert len(found("محمد")) == 2  # and Arabic finds Latin: Mohammed Said too
        assert person_search.search(s, case, "محمد", offset=50) == (2, False, [])  # past the end
        assert found("احمد") == {ahmad.id}  # hamza folded
        assert found("hud") == {huda.id}  # word prefix
        assert found("", "female") == {huda.id}  # the witness is never in the index
        assert found("Mohammed", "female") == set()
        total, more, page = person_search.search(s, case, "", limit=2)
        assert (total, more, page) == (3, False, [ahmad.id, huda.id])  # in documentation order
        # a correction replaces the old name's keys; a withdrawal removes them
        first = next(f for f in book.get(huda.id).history if f.field == "name")
        book.correct(first.id, PersonName(script="Latn", full="Hoda Halabi"))
        assert found("Khalil") == set() and found("Halabi") == {huda.id}
        sex = next(f for f in book.get(huda.id).history if f.field == "sex")
        book.withdraw(sex.id, "entered on the wrong record")
        assert found("", "female") == set()
        keys = set(s.scalars(select(SearchKey.key).where(SearchKey.record_id == witness.id)))
        assert keys == set()
        # a rebuild from scratch gives the same index
        before = sorted(s.execute(select(SearchKey.record_id, SearchKey.key)).all())
        s.query(SearchKey).delete()
        assert person_search.rebuild(s, case) == 4
        assert sorted(s.execute(select(SearchKey.record_id, SearchKey.key)).all()) == before


def test_counts_stop_at_the_cap_and_say_so(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(person_search, "COUNT_CAP", 2)
    with ws.session() as s:
        case = cases.create_case(s, "Cap", actor="t").id
        book = Records(s, case, "t")
        made = [book.add("person", facts={"name": _names(f"Ahmad {n}"), "sex": "male"}).id
                for n in ("Karim", "Salim", "Hasan", "Nabil")]  # fmt: skip
        assert person_search.search(s, case, "") == (2, True, made)
        assert person_search.search(s, case, "", "male", limit=1, offset=1) == (2, True, made[1:2])
        total, more, page = person_search.search(s, case, "Ahmad")
        assert (total, more) == (2, True) and set(page) <= set(made) and len(page) == 3
        assert person_search.search(s, case, "Ahmad Nabil") == (1, False, made[3:])
