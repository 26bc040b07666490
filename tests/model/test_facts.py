"""Fact values checked against their field (:mod:`dalil.model.facts`): every vocabulary
code inside a structured value is checked and a refusal names the sub-field."""

from __future__ import annotations

from typing import Any

import pytest

from dalil.errors import InvalidInput
from dalil.model.catalogue import kind_spec
from dalil.model.facts import normalise, typed
from dalil.model.kinds import FieldSpec
from dalil.model.values import Affiliation, Age, LogEntry, UncertainCount
from dalil.model.vocabulary import Vocabularies

VOCABS = Vocabularies()
DAY = {"earliest": "2013-08-21", "latest": "2013-08-21"}


def check(kind: str, field: str, value: Any) -> Any:
    return normalise(kind_spec(kind).field(field), value, VOCABS, path="v", max_chars=100)


def refused_at(kind: str, field: str, value: Any) -> str | None:
    with pytest.raises(InvalidInput) as err:
        check(kind, field, value)
    return err.value.path


@pytest.mark.parametrize(
    ("kind", "field", "value", "expected"),
    [
        ("event", "casualties", {"best": 3, "count_kind": "documented"}, UncertainCount),
        ("person", "age", {"low": 2, "high": 4, "category": "child"}, Age),
        ("person", "age", {"low": 30, "high": 30}, Age),
        ("organisation", "affiliation", {"status": "affiliated", "period": DAY}, Affiliation),
        ("burial_site", "disturbance", {"kind": "looting", "date": DAY}, LogEntry),
        ("burial_site", "access_log", {"text": "a visit", "who": "team 2"}, LogEntry),
    ],
)
def test_structured_values_with_their_codes(
    kind: str, field: str, value: dict[str, Any], expected: type
) -> None:
    stored = check(kind, field, value)
    back = typed(kind_spec(kind).field(field), stored)
    assert isinstance(back, expected)
    assert check(kind, field, back) == stored  # the typed object is accepted as it is


@pytest.mark.parametrize(
    ("kind", "field", "value", "path"),
    [
        ("event", "casualties", {"best": 3, "count_kind": "guessed"}, "v.count_kind"),
        ("event", "casualties", {"best": 3, "what": "bored"}, "v.what"),
        ("event", "casualties", {"best": 3, "population": "aliens"}, "v.population"),
        ("person", "age", {"low": 2, "category": "ancient"}, "v.category"),
        ("organisation", "affiliation", {"status": "married"}, "v.status"),
        (
            "organisation",
            "affiliation",
            {"status": "affiliated", "period": {**DAY, "date_type": "nope"}},
            "v.period.date_type",
        ),
        ("burial_site", "disturbance", {"kind": "party"}, "v.kind"),
        ("burial_site", "access_log", {"kind": "looting"}, "v.kind"),
        ("burial_site", "disturbance", {"date": {**DAY, "precision": "x"}}, "v.date.precision"),
    ],
)
def test_a_wrong_code_inside_a_value_is_refused_where_it_is(
    kind: str, field: str, value: dict[str, Any], path: str
) -> None:
    assert refused_at(kind, field, value) == path


def test_a_log_without_a_vocabulary_takes_no_kind() -> None:
    with pytest.raises(InvalidInput, match="this log takes no kind"):
        check("burial_site", "access_log", {"kind": "looting"})


def test_integers_are_strict() -> None:
    number = FieldSpec("n", "int", "A number.")
    assert normalise(number, 7, VOCABS, path="v", max_chars=1) == 7
    assert typed(number, 7) == 7
    for wrong in (True, "7", 7.5):
        with pytest.raises(InvalidInput):
            normalise(number, wrong, VOCABS, path="v", max_chars=1)
