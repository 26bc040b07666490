"""The catalogue of kinds (:mod:`dalil.model.catalogue` and the modules it puts
together): every link and vocabulary a kind names exists, and fact values are checked
against their field."""

from __future__ import annotations

from datetime import date

import pytest

from dalil.errors import InvalidInput
from dalil.model import catalogue
from dalil.model.case_kinds import CASE_KINDS
from dalil.model.catalogue import KINDS, SHORT_TEXT_CHARS, kind_spec, normalise, typed
from dalil.model.source_kinds import SOURCE_KINDS
from dalil.model.values import UncertainDate
from dalil.model.vocabulary import Vocabularies

VOCABS = Vocabularies()


def test_the_kinds_are_the_case_kinds_then_the_source_kinds() -> None:
    assert list(KINDS) == [k.name for k in (*CASE_KINDS, *SOURCE_KINDS)]
    assert len(KINDS) == len(CASE_KINDS) + len(SOURCE_KINDS) == 15


def test_every_link_and_vocabulary_named_exists() -> None:
    for spec in KINDS.values():
        for ref in spec.refs:
            assert ref.kind in KINDS, (spec.name, ref.name)
            assert ref.column == f"{ref.name}_id"
        for name, field in spec.fields.items():
            assert field.name == name
            if field.type == "term" or field.vocabulary:
                assert field.vocabulary in VOCABS.names(), (spec.name, name)
            if field.type == "ref":
                assert field.ref_kind in KINDS, (spec.name, name)


def test_unknown_kinds_and_fields_are_located_errors() -> None:
    with pytest.raises(InvalidInput, match="unknown record kind 'ghost'") as err:
        kind_spec("ghost", path="kind")
    assert err.value.path == "kind"
    with pytest.raises(InvalidInput, match="person has no field 'wings'"):
        kind_spec("person").field("wings", path="field")
    assert kind_spec("person").field("age").type == "age"


def test_text_is_bounded_and_never_empty() -> None:
    title = kind_spec("event").field("title")
    description = kind_spec("event").field("description")
    assert normalise(title, "x" * SHORT_TEXT_CHARS, VOCABS, path="v", max_chars=10) == (
        "x" * SHORT_TEXT_CHARS
    )
    with pytest.raises(InvalidInput, match="exceeds the limit of 2000"):
        normalise(title, "x" * (SHORT_TEXT_CHARS + 1), VOCABS, path="v", max_chars=10**6)
    with pytest.raises(InvalidInput, match="exceeds the limit of 10"):
        normalise(description, "x" * 11, VOCABS, path="v", max_chars=10)
    for empty in ("", "   ", 3):
        with pytest.raises(InvalidInput, match="expected non-empty text"):
            normalise(title, empty, VOCABS, path="v", max_chars=10)


def test_terms_and_integers_are_checked() -> None:
    sex = kind_spec("person").field("sex")
    code = next(iter(VOCABS.get("sex").terms))
    assert normalise(sex, code, VOCABS, path="v", max_chars=10) == code
    with pytest.raises(InvalidInput):
        normalise(sex, "no-such-code", VOCABS, path="v", max_chars=10)
    with pytest.raises(InvalidInput, match="expected a vocabulary code"):
        normalise(sex, 1, VOCABS, path="v", max_chars=10)


def test_structured_values_go_to_json_and_back() -> None:
    when = kind_spec("event").field("date")
    day = {"earliest": "2013-08-21", "latest": "2013-08-21"}
    stored = normalise(when, day, VOCABS, path="v", max_chars=10)
    assert stored == {**day, "precision": "day"}
    assert typed(when, stored) == UncertainDate.on(date(2013, 8, 21))
    assert normalise(when, typed(when, stored), VOCABS, path="v", max_chars=10) == stored
    assert typed(when, None) is None
    with pytest.raises(InvalidInput) as err:
        normalise(when, {"earliest": "not a date"}, VOCABS, path="v", max_chars=10)
    assert err.value.path == "v.earliest"
    with pytest.raises(InvalidInput) as err:
        normalise(when, {**day, "precision": "fortnight"}, VOCABS, path="v", max_chars=10)
    assert err.value.path == "v.precision"
    place = kind_spec("act").field("place")
    with pytest.raises(InvalidInput, match="must refer to a place, not a person"):
        normalise(place, {"kind": "person", "id": "x"}, VOCABS, path="v", max_chars=10)


def test_the_catalogue_still_offers_every_name_it_had() -> None:
    for name in ("FieldSpec", "FieldType", "KindSpec", "RefSpec", "KINDS", "kind_spec",
                 "normalise", "typed", "SHORT_TEXT_CHARS"):  # fmt: skip
        assert hasattr(catalogue, name), name
