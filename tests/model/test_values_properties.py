"""The typed values of facts under Hypothesis (issue 21, item 4).

Every value is stored and exchanged as JSON (the case-document format), so each must come
back from its JSON unchanged, and must refuse what it was not given a field for. The
invariants the validators promise (ordered date intervals and counts, ages within their
bounds) hold for every value that constructs, and the count wording reader gives the
number and qualifier the wording says, in Western or Eastern digits.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from dalil.model.values import (
    Affiliation,
    Age,
    LogEntry,
    PersonName,
    Ref,
    UncertainCount,
    UncertainDate,
    UncertainPlace,
    Value,
    parse_count_wording,
)

code = st.from_regex(r"[a-z0-9_]{1,20}", fullmatch=True)
text = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=40)
days = st.dates(date(1900, 1, 1), date(2100, 12, 31))
count = st.integers(0, 10**7)
qualifiers = st.sampled_from(
    ["exact", "at_least", "more_than", "about", "up_to", "at_most", "unknown"]
)


@st.composite
def uncertain_dates(draw: st.DrawFn) -> UncertainDate:
    a, b = sorted([draw(days), draw(days)])
    if draw(st.booleans()):
        return UncertainDate.on(a, draw(st.none() | text))
    precision = draw(st.sampled_from(["week", "month", "year", "unknown"]))
    return UncertainDate.between(a, b, precision, draw(st.none() | text))


@st.composite
def uncertain_counts(draw: st.DrawFn) -> UncertainCount:
    bounds = sorted(draw(st.lists(count, min_size=3, max_size=3)))
    low, best, high = (draw(st.none() | st.just(b)) for b in bounds)
    qualifier = draw(qualifiers)
    if qualifier == "exact":
        low = best = high = bounds[1]
    if qualifier in ("at_least", "more_than") and low is None:
        low = bounds[0]
    if qualifier in ("up_to", "at_most") and high is None:
        high = bounds[2]
    return UncertainCount(
        low=low,
        best=best,
        high=high,
        qualifier=qualifier,
        as_reported=draw(st.none() | text),
        count_kind=draw(code),
        what=draw(code),
        population=draw(code),
    )


places = st.builds(
    UncertainPlace,
    name=st.none() | text,
    name_ar=st.none() | text,
    admin1=st.none() | text,
    admin2=st.none() | text,
    precision=st.integers(1, 3),
    gazetteer_ref=st.none() | st.text(max_size=64),
    sensitive=st.booleans(),
) | st.builds(
    lambda lat, lon, **kw: UncertainPlace(lat=lat, lon=lon, **kw),
    st.floats(-90, 90, allow_nan=False),
    st.floats(-180, 180, allow_nan=False),
    name=st.none() | text,
)


@st.composite
def ages(draw: st.DrawFn) -> Age:
    low, high = sorted([draw(st.integers(0, 130)), draw(st.integers(0, 130))])
    kind = draw(st.sampled_from(["range", "low", "high", "category"]))
    if kind == "category":
        return Age(category=draw(code), as_reported=draw(st.none() | text))
    return Age(low=low if kind != "high" else None, high=high if kind != "low" else None)


names = st.builds(
    PersonName,
    script=st.sampled_from(["Arab", "Latn", "Cyrl"]),
    full=text,
    given=st.none() | text,
    father=st.none() | text,
    family=st.none() | text,
    mother=st.none() | text,
    kind=st.sampled_from(["primary", "variant", "nickname"]),
)
values: st.SearchStrategy[Value] = st.one_of(
    uncertain_dates(),
    uncertain_counts(),
    places,
    ages(),
    names,
    st.builds(Affiliation, status=code, period=st.none() | uncertain_dates()),
    st.builds(
        LogEntry,
        date=st.none() | uncertain_dates(),
        kind=st.none() | code,
        who=st.none() | text,
        text=st.text(max_size=200),
    ),
    st.builds(Ref, kind=code, id=st.text(min_size=1, max_size=64)),
)


@settings(max_examples=300, deadline=None)
@given(values)
def test_every_value_comes_back_from_its_json(value: Value) -> None:
    kind = type(value)
    assert kind.model_validate_json(value.model_dump_json()) == value
    assert kind.model_validate(value.model_dump(mode="json")) == value
    assert kind.model_validate_json(value.model_dump_json(exclude_defaults=True)) == value


@settings(max_examples=100, deadline=None)
@given(values, st.from_regex(r"[a-z_]{1,12}", fullmatch=True))
def test_an_unknown_key_is_refused(value: Value, key: str) -> None:
    data: dict[str, Any] = value.model_dump(mode="json")
    if key in type(value).model_fields:
        return
    with pytest.raises(ValidationError):
        type(value).model_validate({**data, key: 1})


@settings(max_examples=300, deadline=None)
@given(
    st.none() | days,
    st.none() | days,
    st.sampled_from(["day", "week", "month", "year", "unknown"]),
)
def test_a_date_that_constructs_is_an_ordered_interval(
    earliest: date | None, latest: date | None, precision: str
) -> None:
    try:
        d = UncertainDate(earliest=earliest, latest=latest, precision=precision)
    except ValidationError:
        assert (earliest and latest and earliest > latest) or (
            precision == "day" and earliest != latest
        )
        return
    assert not (d.earliest and d.latest) or d.earliest <= d.latest
    assert d.precision != "day" or d.earliest == d.latest


@settings(max_examples=200, deadline=None)
@given(days, days)
def test_between_is_a_day_exactly_when_the_ends_meet(a: date, b: date) -> None:
    if a > b:
        with pytest.raises(ValidationError):
            UncertainDate.between(a, b)
        return
    d = UncertainDate.between(a, b)
    assert (d.precision == "day") == (a == b)


@settings(max_examples=300, deadline=None)
@given(st.none() | count, st.none() | count, st.none() | count, qualifiers)
def test_a_count_that_constructs_is_ordered_and_fits_its_qualifier(
    low: int | None, best: int | None, high: int | None, qualifier: str
) -> None:
    try:
        c = UncertainCount(low=low, best=best, high=high, qualifier=qualifier)  # type: ignore[arg-type]
    except ValidationError:
        return
    bounds = [b for b in (c.low, c.best, c.high) if b is not None]
    assert bounds == sorted(bounds)
    if c.qualifier == "exact":
        assert len(set(bounds)) <= 1
    if c.qualifier in ("at_least", "more_than"):
        assert c.low is not None
    if c.qualifier in ("up_to", "at_most"):
        assert c.high is not None


_WORDINGS = [
    ("{n}", "exact", 0),
    ("more than {n}", "more_than", 0),
    ("أكثر من {n}", "more_than", 0),
    ("at least {n}", "at_least", 0),
    ("ما لا يقل عن {n}", "at_least", 0),
    ("{n}+", "at_least", 0),
    ("about {n}", "about", 0),
    ("نحو {n}", "about", 0),
    ("up to {n}", "up_to", 0),
    ("fewer than {n}", "at_most", -1),
    ("أقل من {n}", "at_most", -1),
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(_WORDINGS), count, st.booleans(), st.booleans())
def test_count_wordings_give_their_number_and_qualifier(
    wording: tuple[str, str, int], n: int, eastern: bool, grouped: bool
) -> None:
    template, qualifier, shift = wording
    number = f"{n:,}" if grouped else str(n)
    if eastern:
        number = number.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"))
    assert parse_count_wording(template.format(n=number)) == (max(n + shift, 0), qualifier)
    c = UncertainCount.from_reported(template.format(n=number))
    assert c.qualifier == qualifier
    assert c.as_reported == template.format(n=number)
    if qualifier == "more_than":
        assert c.low == n + 1  # "more than 100" is never 100


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30))
def test_any_wording_gives_a_count_or_a_value_error(wording: str) -> None:
    try:
        c = UncertainCount.from_reported(wording)
    except ValueError:  # pydantic's ValidationError is one
        return
    assert c.as_reported == wording
