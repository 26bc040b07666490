"""A fact value's words: ``describe`` writes the same English as always, and keeps what a
page needs to say it again in another language (the message, its data and its codes)."""

from __future__ import annotations

import copy
import json
import pickle
from datetime import date
from typing import Any

import pytest

from dalil.model.values import (
    Affiliation,
    Age,
    LogEntry,
    PersonName,
    Ref,
    UncertainCount,
    UncertainDate,
    UncertainPlace,
)
from dalil.model.words import Phrase, Term, joined, say
from dalil.records.overview import describe

WEEK = UncertainDate.between(date(2025, 3, 6), date(2025, 3, 8))
MONTH = UncertainDate.between(date(2025, 1, 1), date(2025, 1, 31), "month")

#: values and the English ``describe`` has always written for them (the case file, the
#: CLI and the API quote it)
ENGLISH: list[tuple[Any, str]] = [
    (UncertainCount.from_reported("more than 100"), "more than 100 killed (reported)"),
    (UncertainCount.exactly(150, count_kind="documented"), "150 killed (documented)"),
    (UncertainCount(low=3, qualifier="at_least"), "at least 3 killed (reported)"),
    (UncertainCount(high=9, qualifier="up_to", what="injured"), "up to 9 injured (reported)"),
    (
        UncertainCount(
            best=33, low=31, high=35, qualifier="about", as_reported="between 31 and 35 bodies"
        ),
        "between 31 and 35 bodies killed (reported)",
    ),
    (
        UncertainCount(best=4, qualifier="about", what="wounded_x", count_kind="estimated"),
        "about 4 wounded_x (estimated)",
    ),
    (UncertainCount.from_reported("over 100"), "over 100 killed (reported)"),
    (WEEK, "2025-03-06 – 2025-03-08 (week)"),
    (UncertainDate.on(date(2025, 3, 6)), "2025-03-06"),
    (UncertainDate(precision="unknown"), "date unknown"),
    (UncertainDate(latest=date(2025, 1, 1), precision="year"), "… – 2025-01-01 (year)"),
    (Age(low=3, high=5), "3–5"),
    (Age(low=40, high=40), "40"),
    (Age(category="child"), "child"),
    (
        Affiliation(status="integrated", period=MONTH),
        "integrated (2025-01-01 – 2025-01-31 (month))",
    ),
    (Affiliation(status="none"), "none"),
    (
        LogEntry(
            date=UncertainDate.on(date(2025, 3, 14)),
            kind="tampering",
            who="NGO team",
            text="Fresh soil",
        ),
        "2025-03-14 tampering NGO team: Fresh soil",
    ),
    (LogEntry(text="x"), ": x"),
    (LogEntry(kind="cordon"), "cordon"),
    (Ref(kind="place", id="f6410810-e530"), "place f6410810"),
    (PersonName(full="محمد الأحمد"), "محمد الأحمد"),
    (UncertainPlace(name="Ayn al-Ward", admin1="Latakia"), "Ayn al-Ward, Latakia"),
    (7, "7"),
]


@pytest.mark.parametrize(("value", "english"), ENGLISH)
def test_describe_writes_the_english_it_always_wrote(value: Any, english: str) -> None:
    assert str.__str__(describe(value)) == english
    assert json.dumps(describe(value)) == json.dumps(english)  # as the API sends it


def test_a_phrase_keeps_its_message_its_data_and_its_codes() -> None:
    said = describe(UncertainCount.from_reported("more than 100"))
    assert isinstance(said, Phrase) and said.msgid == "{count} ({kind})"
    kind = said.values["kind"]
    assert isinstance(kind, Term) and (kind.code, kind.vocabulary) == ("reported", "count_kind")
    counted = said.values["count"]
    assert isinstance(counted, Phrase) and counted.msgid == "{count} killed"
    number = counted.values["count"]
    assert isinstance(number, Phrase) and number.msgid == "more than {n}"
    assert number.values == {"n": 100}  # data: said as it is
    for again in (copy.deepcopy(said), pickle.loads(pickle.dumps(said))):  # cached, job results
        assert again == said and again.msgid == said.msgid and again.values == said.values
    date_range = describe(WEEK)
    assert isinstance(date_range, Phrase)
    assert date_range.values["precision"] == Term("week", "date_precision")


def test_a_source_wording_is_said_again_only_when_it_says_no_more_than_the_count() -> None:
    """ "over 100" says what "more than 100" says: a page may say it in its language (the
    English stays the source's words); "between 31 and 35 bodies" says more: it is data."""
    over = describe(UncertainCount.from_reported("over 100")).values["count"]
    assert isinstance(over, Phrase) and isinstance(over.values["count"], Phrase)
    assert over.values["count"].msgid == "more than {n}" and over.values["count"] == "over 100"
    arabic = describe(UncertainCount.from_reported("أكثر من ١٠٠")).values["count"]
    assert isinstance(arabic, Phrase) and arabic.values["count"].msgid == "more than {n}"
    quoted = UncertainCount(best=33, low=31, high=35, qualifier="about",
                            as_reported="between 31 and 35 bodies")  # fmt: skip
    words = describe(quoted).values["count"]
    assert isinstance(words, Phrase) and type(words.values["count"]) is str  # data


def test_say_translates_words_labels_codes_and_marks_data() -> None:
    words = {"{count} ({kind})": "{count} [{kind}]", "{count} killed": "KILLED {count}",
             "at least {n}": "{n} AT LEAST"}  # fmt: skip
    said = say(describe(UncertainCount(low=3, qualifier="at_least")), lambda m: words.get(m, m),
               lambda term: term.code.upper(), lambda data: f"<{data}>")  # fmt: skip
    assert said == "KILLED <3> AT LEAST [REPORTED]"
    assert say("Ayn al-Ward", str, str, lambda d: f"<{d}>") == "Ayn al-Ward"  # whole: as is


def test_joined_values_are_one_phrase_of_their_parts() -> None:
    both = joined([describe(WEEK), "2025-03-07"])
    assert both == "2025-03-06 – 2025-03-08 (week) / 2025-03-07"
    assert isinstance(both, Phrase) and both.values["p1"] == "2025-03-07"
    assert joined(["2025-03-07"]) == "2025-03-07" and joined([]) == ""
