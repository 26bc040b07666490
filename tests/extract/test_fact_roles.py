"""Dates and places get their role from their sentence (issue 26,
docs/extraction-guideline.md §2-3): the report's own date and the day a monitor spoke are
not incident dates; a place in a sentence without violence, or a country beside a
village, is not an incident place."""

from __future__ import annotations

from datetime import date

import pytest

from dalil.extract.document import Document
from dalil.extract.proposals import Extractor


def _roles(text: str, kind: str, published: date | None = None) -> list[tuple[str, str]]:
    doc = Document(text=text, format="txt", encoding="utf-8")
    return [(p.text, p.value["role"]) for p in Extractor().propose(doc, published)
            if p.kind == kind]  # fmt: skip


def test_the_report_date_and_the_day_a_monitor_spoke_are_not_incident_dates() -> None:
    text = (
        "GENEVA (11 March 2025) - The Observatory said on Monday that gunmen killed 41 "
        "civilians in Baniyas on 8 March. The group was founded in 2018."
    )
    assert _roles(text, "date", date(2025, 3, 11)) == [
        ("11 March 2025", "publication"),
        ("on Monday", "other"),
        ("8 March", "incident"),
        ("in 2018", "other"),
    ]
    arabic = "قال المرصد يوم الأحد إن مسلحين قتلوا 12 مدنياً في جبلة يوم 7 آذار 2025."
    assert _roles(arabic, "date", date(2025, 3, 10)) == [
        ("يوم الأحد", "other"),
        ("7 آذار 2025", "incident"),
    ]


def test_places_are_incident_places_only_where_violence_is_told() -> None:
    text = (
        "Gunmen killed 20 civilians in Syria, in the towns of Baniyas, Jableh and Qardaha. "
        "The delegation then travelled on to Latakia."
    )
    roles = dict(_roles(text, "place"))
    assert roles["Syria"] == "mentioned"  # a more precise place is given
    assert roles["Baniyas"] == roles["Jableh"] == roles["Qardaha"] == "incident"
    assert roles["Latakia"] == "mentioned"
    arabic = "قُتل ما لا يقل عن 803 مدنيين في محافظتي اللاذقية وطرطوس."
    assert dict(_roles(arabic, "place")) == {"اللاذقية": "incident", "طرطوس": "incident"}


def test_places_listed_after_a_plural_cue_are_incident_places() -> None:
    text = "قُتل 40 مدنياً في مدينة حمص وفي بلدات تلكلخ والرستن وتلبيسة، بما في ذلك سرمين."
    roles = dict(_roles(text, "place"))
    assert roles == {
        "مدينة حمص": "incident", "تلكلخ": "incident", "الرستن": "incident", "تلبيسة": "incident",
        "سرمين": "incident",
    }  # fmt: skip


def test_two_dates_joined_as_a_range_are_one_span() -> None:
    text = "قُتل مئات المدنيين من أواسط نيسان إلى نهاية آب 2011 في حمص."
    doc = Document(text=text, format="txt", encoding="utf-8")
    spans = [(p.value["start"], p.value["end"]) for p in Extractor().propose(doc, date(2012, 1, 9))
             if p.kind == "date"]  # fmt: skip
    assert spans == [("2011-04-11", "2011-08-31")]


def test_a_place_after_its_own_preposition_or_a_violent_noun_is_an_incident_place() -> None:
    # "بطرطوس": the preposition is written onto the place's word
    arabic = 'مقتل 12 شخصا في "عمليات انتقامية" بطرطوس وحمص أمس.'
    assert dict(_roles(arabic, "place")) == {"طرطوس": "incident", "حمص": "incident"}
    assert dict(_roles('نشرت إفادة ناج من مجزرة "الحولة" حيث قتل 100 شخص.', "place")) == {
        "الحولة": "incident"
    }
    english = "The shelling of Houla by regime forces killed 92 people."
    assert dict(_roles(english, "place")) == {"Houla": "incident"}
    visited = "Observers visited the town Houla and counted 92 bodies of people who were killed."
    assert dict(_roles(visited, "place")) == {"Houla": "incident"}


def test_a_place_that_only_locates_the_one_before_it_is_mentioned() -> None:
    # guideline §3: the most specific place is where it happened
    arabic = "قُتل 20 مدنياً في مدينة الرستن بريف حمص، وتلبيسة في محافظة حمص."
    assert dict(_roles(arabic, "place")) == {
        "الرستن": "incident", "حمص": "mentioned", "تلبيسة": "incident",
    }  # fmt: skip
    english = "Gunmen killed 12 people in Baniyas countryside in Tartus governorate."
    assert dict(_roles(english, "place")) == {"Baniyas": "incident", "Tartus": "mentioned"}
    # a list is not a location: the towns stay incident places
    listed = "Gunmen killed 12 people in Baniyas, Jableh and Qardaha."
    assert set(dict(_roles(listed, "place")).values()) == {"incident"}
    repeated = "Gunmen attacked villages in Homs, in Hama and in Idlib, killing 20 civilians."
    assert set(dict(_roles(repeated, "place")).values()) == {"incident"}


def _dates(text: str, published: date) -> list[tuple[str, str, str]]:
    doc = Document(text=text, format="txt", encoding="utf-8")
    return [(p.text, p.value["start"], p.value["role"])
            for p in Extractor().propose(doc, published) if p.kind == "date"]  # fmt: skip


def test_weekdays_of_a_news_report_fall_before_it_and_a_same_day_weekday_is_the_incident() -> None:
    # a report of Sunday 27 May 2012: Saturday and Friday are the 26th and the 25th,
    # not the Friday after the Saturday
    text = (
        "Observers visited Houla on Saturday and counted 92 bodies of people killed. "
        "The shelling of Houla began at midday on Friday and killed dozens. "
        "Witnesses said 20 more were killed in Friday's attack."
    )
    assert _dates(text, date(2012, 5, 27)) == [
        ("on Saturday", "2012-05-26", "incident"),
        ("on Friday", "2012-05-25", "incident"),
        ("Friday", "2012-05-25", "incident"),
    ]
    # the wire style "، الإثنين،": a weekday set off by commas, on the day of publication
    arabic = "قُتل 12 سوريا، الإثنين، برصاص مسلحين في حمص."
    assert _dates(arabic, date(2025, 3, 31)) == [("الإثنين", "2025-03-31", "incident")]
    # after a stated day, a weekday still moves the story forward
    narrative = "On 6 March gunmen killed 20 people in Baniyas. On Saturday they killed 15 more."
    assert _dates(narrative, date(2025, 3, 20))[1][1] == "2025-03-08"


def test_a_country_is_an_incident_place_only_where_the_text_gives_no_more_precise_one() -> None:
    text = "Gunmen killed 20 civilians in Baniyas. The UN condemned the killings in Syria."
    assert dict(_roles(text, "place")) == {"Baniyas": "incident", "Syria": "mentioned"}
    alone = "The UN condemned the killings of 20 civilians in Syria."
    assert dict(_roles(alone, "place")) == {"Syria": "incident"}


def test_incidents_that_took_place_are_violence_told() -> None:
    text = "Gunmen shot 20 civilians. These incidents took place in the Aleppo countryside."
    assert dict(_roles(text, "place")) == {"Aleppo": "incident"}


def test_a_day_and_month_across_a_slash_as_snhr_writes_them() -> None:
    text = "أضخم المجازر في مدينة دوما بتاريخ 11 / أيلول أودت بحياة 58 شخصاً."
    assert _dates(text, date(2014, 10, 1)) == [("11 / أيلول", "2014-09-11", "incident")]


def test_named_regions_are_places_in_both_scripts() -> None:
    text = "Gunmen killed 1,500 civilians on the Syrian coast. Shelling in Eastern Ghouta killed 9."
    found = {p.text: (p.value["precision"], p.value["role"])
             for p in Extractor().propose(Document(text=text, format="txt", encoding="utf-8"))
             if p.kind == "place"}  # fmt: skip
    assert found == {
        "Syrian coast": ("region", "incident"), "Eastern Ghouta": ("region", "incident"),
    }  # fmt: skip
    assert dict(_roles("قتل مسلحون 1500 مدني في الساحل السوري.", "place")) == {
        "الساحل السوري": "incident"
    }
    # not every coast is the Syrian coast
    assert _roles("Boats reached the coast of Cyprus after 20 people drowned.", "place") == []


def _acts(text: str) -> list[tuple[str, str]]:
    doc = Document(text=text, format="txt", encoding="utf-8")
    return [(p.text, p.value["type"]) for p in Extractor().propose(doc) if p.kind == "act"]


def test_an_attack_or_shelling_is_a_killing_only_where_its_sentence_tells_deaths() -> None:
    """Guideline §8: shelling, air strikes and attacks that killed people are killings; the
    same words in a sentence that reports no death name no act."""
    assert _acts("The attack on the village killed 12 civilians.") == [
        ("attack", "killing"),
        ("killed", "killing"),
    ]
    assert _acts("The attack on the checkpoint was repelled. Shelling went on all night.") == []
    assert ("القصف", "killing") in _acts("أسفر القصف على البلدة عن مقتل 5 مدنيين.")
    assert _acts("استمر القصف على الحي طوال الليل.") == []
    # a count of the injured is not a death, and a death in the next sentence is not this one's
    assert _acts("The shelling injured 7 people.") == []
    assert _acts("Shelling went on all night. Two men were killed in a raid.") == [
        ("killed", "killing")
    ]


def _perpetrators(text: str) -> list[tuple[str, str | None]]:
    doc = Document(text=text, format="txt", encoding="utf-8")
    return [(p.text, p.value.get("name")) for p in Extractor().propose(doc)
            if p.kind == "actor" and p.value["role"] == "perpetrator"]  # fmt: skip


def test_a_party_to_the_conflict_is_a_perpetrator_only_where_its_sentence_tells_violence() -> None:
    assert ("Daesh", "Islamic State") in _perpetrators("Daesh executed 20 villagers on Friday.")
    assert _perpetrators("Residents returned after Daesh withdrew from the area in 2019.") == []
    assert ("داعش", "Islamic State") in _perpetrators("قتل تنظيم داعش 12 مدنياً في القرية.")
    assert _perpetrators("عاد السكان بعد انسحاب داعش من المنطقة.") == []
    # violence in the next sentence is not this one's
    named = [t for t, _ in _perpetrators("Daesh withdrew in 2019. Gunmen killed 5 people.")]
    assert "Daesh" not in named and "Gunmen" in named


def test_a_lexicon_condition_must_be_one_dalil_knows(monkeypatch: pytest.MonkeyPatch) -> None:
    from dalil.extract import lexicon

    rows = {"acts.tsv": [{"value": "killing?death", "phrase": "shelling"}], "actors.tsv": []}
    monkeypatch.setattr(lexicon, "_read", lambda name: rows[name])
    with pytest.raises(ValueError, match="unknown condition"):
        lexicon.shipped.__wrapped__()
