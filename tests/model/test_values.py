from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from dalil.model.values import (
    Age,
    UncertainCount,
    UncertainDate,
    UncertainPlace,
    parse_count_wording,
)


@pytest.mark.parametrize(
    ("text", "low", "best", "high", "qualifier"),
    [
        ("more than 100", 101, None, None, "more_than"),
        ("over 40 civilians", 41, None, None, "more_than"),
        ("at least 32", 32, None, None, "at_least"),
        ("ما لا يقل عن ٣٢", 32, None, None, "at_least"),
        ("أكثر من 100 قتيل", 101, None, None, "more_than"),
        ("نحو 30", None, 30, None, "about"),
        ("about 40", None, 40, None, "about"),
        ("up to 25", None, None, 25, "up_to"),
        ("fewer than 10", None, None, 9, "at_most"),
        ("32", 32, 32, 32, "exact"),
        ("1,200", 1200, 1200, 1200, "exact"),
        ("50+", 50, None, None, "at_least"),
    ],
)
def test_reported_counts_keep_their_qualifier(
    text: str, low: int | None, best: int | None, high: int | None, qualifier: str
) -> None:
    c = UncertainCount.from_reported(text)
    assert (c.low, c.best, c.high, c.qualifier, c.as_reported) == (low, best, high, qualifier, text)


def test_more_than_100_is_never_100() -> None:
    c = UncertainCount.from_reported("more than 100")
    assert 100 not in (c.low, c.best, c.high)


def test_count_wording_without_number() -> None:
    with pytest.raises(ValueError, match="no number"):
        parse_count_wording("dozens")


@pytest.mark.parametrize(
    "kw",
    [
        {"low": 10, "high": 5, "qualifier": "about"},
        {"low": 1, "high": 2, "qualifier": "exact"},
        {"qualifier": "at_least"},
        {"qualifier": "up_to", "low": 3},
        {"low": -1},
    ],
)
def test_inconsistent_counts_are_refused(kw: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        UncertainCount.model_validate(kw)


def test_dates_are_ordered_intervals() -> None:
    assert UncertainDate.between(date(2025, 3, 6), date(2025, 3, 6)).precision == "day"
    with pytest.raises(ValidationError, match="after"):
        UncertainDate(earliest=date(2025, 3, 8), latest=date(2025, 3, 6), precision="week")
    with pytest.raises(ValidationError, match="day"):
        UncertainDate(earliest=date(2025, 3, 6), latest=date(2025, 3, 8), precision="day")


def test_places_and_ages() -> None:
    with pytest.raises(ValidationError, match="together"):
        UncertainPlace(lat=35.1)
    with pytest.raises(ValidationError):
        UncertainPlace(lat=35.1, lon=35.9, precision=4)
    with pytest.raises(ValidationError):
        Age(low=40, high=30)
    with pytest.raises(ValidationError, match="category"):
        Age()
    assert Age(category="child").category == "child"
