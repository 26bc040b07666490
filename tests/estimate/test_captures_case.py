"""Linkage's capture-history API (dalil.linkage.captures), as estimation reads it."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from dalil.errors import InvalidInput, NotFound
from dalil.estimate import service as estimates
from dalil.linkage import captures
from dalil.linkage import service as linkage
from dalil.places.index import GOVERNORATES
from dalil.records import cases
from dalil.workspace import Workspace


def test_captures_of_a_linked_case(demo_ws: Workspace) -> None:
    with demo_ws.session() as s:
        case_id = cases.all_cases(s)[0].id
        linkage.run_linkage(s, case_id, "t")
    try:
        with demo_ws.session() as s:
            run = linkage.latest_run(s, case_id)
            members = linkage.persons(s, run.id)
            strata = ("governorate", "month", "year", "sex")
            got = captures.case_captures(s, case_id, strata)
            tables, inputs = estimates.case_tables(s, case_id, ("governorate",))
            versions = {vl.source: vl.sha256 for vl in linkage.lists(s, case_id)}
            # without strata a person carries no values, and the case is one table
            plain = captures.case_captures(s, case_id)

        assert got.run_id == run.id and got.strata == strata
        assert got.lists == tuple(sorted(versions)) and got.versions == versions
        assert "em_sessions" in got.training
        assert [p.person for p in got.persons] == list(members)
        histories = linkage.capture_histories(members, list(got.lists))
        for p in got.persons:
            assert p.history == histories[p.person] and any(p.history)
            gov, month, year, sex = p.strata
            assert gov is None or gov in GOVERNORATES
            assert month is None or re.fullmatch(r"\d{4}-\d{2}", month)
            assert year is None or (month is not None and month.startswith(year))
            # the value as the list wrote it (not parsed: "ذكر" and "M" are two strata today)
            assert sex is None or (sex and sex == sex.strip())
        # estimation's tables are the persons grouped by their value ("unknown" for none)
        by_gov = Counter(p.strata[0] or "unknown" for p in got.persons)
        assert {k: t.n for k, t in tables.items()} == dict(by_gov)
        assert inputs["lists"] == versions and inputs["linkage_run"] == run.id
        assert [(p.person, p.history) for p in plain.persons] == [
            (p.person, p.history) for p in got.persons
        ]
        assert all(p.strata == () for p in plain.persons)
    finally:
        with demo_ws.session() as s:
            linkage.delete_runs(s, case_id)


def test_captures_refuse_unknown_fields_and_unlinked_cases(ws: Workspace) -> None:
    with ws.session() as s:
        case_id = cases.create_case(s, "Unlinked", actor="t").id
    with ws.session() as s:
        with pytest.raises(InvalidInput, match="cannot stratify by 'religion'"):
            captures.case_captures(s, case_id, ("religion",))
        with pytest.raises(NotFound, match="not been linked"):
            captures.case_captures(s, case_id, ("sex",))


def test_a_count_column_under_another_name_is_named_in_the_error() -> None:
    from dalil.estimate.captures import parse_csv

    with pytest.raises(InvalidInput) as err:
        parse_csv("A,B,freq\n1,0,5\n0,1,3\n1,1,2\n", "lists.csv")
    assert err.value.path == "lists.csv:1:freq" and "name it count" in str(err.value)
