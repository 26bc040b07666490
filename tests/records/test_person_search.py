"""The person search index: either script, word prefixes, sex, corrections and
withdrawals, and never a protected person."""

from __future__ import annotations

from datetime import date

import pytest
from alembic import command
from sqlalchemy import select

from dalil import workspace
from dalil.model.tables import SearchKey
from dalil.model.values import Age, PersonName, UncertainDate
from dalil.records import Records, cases, person_search
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


def test_cards_show_the_current_facts(ws: Workspace) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Cards", actor="t").id
        book = Records(s, case, "t")
        huda = book.add("person", facts={"name": _names("هدى خليل", "Huda Khalil"), "sex": "female",
                                         "age": Age.years(30)})  # fmt: skip
        witness = book.add("person", protection_level="protected", facts={"sex": "female"})
        [card] = person_search.found(s, [huda.id, witness.id])  # never a protected person
        assert (card.label, card.names, card.sex) == (huda.label, ["هدى خليل", "Huda Khalil"],
                                                       "female")  # fmt: skip
        assert (card.age, card.died) == (Age.years(30), None)
        age = next(f for f in book.get(huda.id).history if f.field == "age")
        book.correct(age.id, Age.years(31))
        book.assert_fact(huda.id, "date_of_death", UncertainDate.on(date(2025, 3, 7)))
        [card] = person_search.found(s, [huda.id])
        assert (card.age, card.died) == (Age.years(31), UncertainDate.on(date(2025, 3, 7)))
        # a second, disagreeing age: the first asserted is shown
        book.assert_fact(huda.id, "age", Age.years(35))
        assert person_search.found(s, [huda.id])[0].age == Age.years(31)


def test_an_older_workspace_gets_its_index_when_upgraded(
    ws: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    """From before the index existed (0006), through every migration since: the keys and
    cards of the persons already recorded are built, as a fresh index would be."""
    with ws.session() as s:
        case = cases.create_case(s, "Old", actor="t").id
        book = Records(s, case, "t")
        made = [book.add("person", facts={"name": _names(full), "sex": "male",
                                          "age": Age.years(40)}).id
                for full in ("محمد أحمد الأحمد", "Mohammed Said")]  # fmt: skip
        before = person_search.search(s, case, "محمد"), person_search.found(s, made)
    assert before[0] == (2, False, made)
    cfg = workspace.alembic_config()
    sqlite = ws.engine.dialect.name == "sqlite"
    with ws.engine.connect() as conn:
        # SQLite rebuilds a table to drop a column, which its foreign keys would refuse
        # (outside a transaction, or the pragma does nothing)
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")
            conn.commit()
        with conn.begin():
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, "0006")
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=ON")
            conn.commit()
    workspace.migrate(ws.engine)  # as opening the workspace does
    assert "upgrading the workspace schema from 0006" in caplog.text
    with ws.session() as s:
        assert (person_search.search(s, case, "محمد"), person_search.found(s, made)) == before


def test_a_person_is_counted_once_whatever_matches(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Several words of one person start with the query, and both ways of matching find
    them: still one person, also when counting up to the cap."""
    with ws.session() as s:
        case = cases.create_case(s, "Once", actor="t").id
        book = Records(s, case, "t")
        one = book.add("person", facts={"name": _names("Ahmad Ahmadi Ahmadiyya", "أحمد أحمدي")})
        assert person_search.search(s, case, "ahm") == (1, False, [one.id])
        assert person_search.search(s, case, "Ahmad") == (1, False, [one.id])
        assert person_search.search(s, case, "احمد") == (1, False, [one.id])
        other = book.add("person", facts={"name": _names("Ahmadz")})
        # one person's three keys come first in the prefix's range: the cap counts persons
        monkeypatch.setattr(person_search, "COUNT_CAP", 1)
        assert person_search.search(s, case, "ahm") == (1, True, [one.id, other.id])
