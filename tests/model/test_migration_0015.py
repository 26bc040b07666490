"""Migration 0015 builds the ranked search keys of a workspace made before it: a person
recorded then under a Latin spelling (their keys as the old code wrote them, without the
names that spelling spells) is found by the name in Arabic once the workspace is upgraded."""

from __future__ import annotations

from alembic import command
from sqlalchemy import delete, select

from dalil.model.tables import SearchKey
from dalil.model.values import PersonName
from dalil.records import Records, cases, person_search
from dalil.workspace import Workspace, alembic_config


def test_upgrading_builds_the_keys_of_persons_recorded_before(ws: Workspace) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Before", actor="t").id
        book = Records(s, case, "t")
        pid = book.add(
            "person", facts={"name": [PersonName(script="Latn", full="Mohammed Khalil")]}
        ).id
        event = book.add("event", facts={"title": "Killings"}).id
        book.add("act", refs={"event": event, "victim": pid},
                 facts={"act_type": "deliberate_killing_non_combatant"})  # fmt: skip
        s.commit()
        assert person_search.ranked(s, case, "محمد").ids == [pid]
        # as an older dalil left it: no "vl:" key (the Arabic names a Latin spelling spells)
        s.execute(delete(SearchKey).where(SearchKey.record_id == pid, SearchKey.key.like("vl:%")))
        s.commit()
        assert person_search.ranked(s, case, "محمد").ids == []
    cfg = alembic_config()
    with ws.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0014")
        command.upgrade(cfg, "head")
    with ws.session() as s:
        assert person_search.ranked(s, case, "محمد").ids == [pid]
        keys = s.scalars(select(SearchKey.key).where(SearchKey.record_id == pid)).all()
        assert {"vl:محمد", "vl:خليل"} <= set(keys)
