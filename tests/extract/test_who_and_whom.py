"""Who did it and to whom (issue 26): perpetrator and victim-group noun phrases with their
head, named units found by their form, the role from the clause; multi-word places kept
whole; bodies that relatives buried counted as burials, not killings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from dalil.extract.document import Document
from dalil.extract.proposals import Extractor


def _facts(text: str) -> list[tuple[str, str, dict[str, Any]]]:
    doc = Document(text=text, format="txt", encoding="utf-8")
    return [(p.kind, p.text, p.value) for p in Extractor().propose(doc, date(2025, 3, 10))]


def _actors(text: str) -> dict[str, tuple[str, str, bool]]:
    return {t: (v["role"], v["head"], v["named"]) for k, t, v in _facts(text)
            if k == "actor" and "head" in v}  # fmt: skip


@pytest.mark.parametrize(
    ("text", "unit", "head", "victims", "valley"),
    [
        (
            "Fighters of the Northern Hawks Brigade killed 12 villagers in Wadi al-Nasara on "
            "8 March 2025. Relatives later buried 20 bodies in a mass grave.",
            "Fighters of the Northern Hawks Brigade", "Fighters", "villagers", "Wadi al-Nasara",
        ),
        (
            "قتل عناصر من لواء صقور الشمال 12 مدنياً في وادي النصارى يوم 8 آذار 2025، "
            "ودفن الأهالي 20 جثة في مقبرة جماعية.",
            "عناصر من لواء صقور الشمال", "عناصر", "مدنيا", "وادي النصارى",
        ),
    ],
    ids=["en", "ar"],
)  # fmt: skip
def test_a_named_unit_its_fighters_their_victims_and_the_burial(
    text: str, unit: str, head: str, victims: str, valley: str
) -> None:
    actors = _actors(text)
    assert actors[unit] == ("perpetrator", head, True)
    assert actors[victims][0] == "victim_group"
    facts = _facts(text)
    assert ("place", valley) in {(k, t) for k, t, _ in facts}
    assert {t: v["what"] for k, t, v in facts if k == "count"} == {"12": "killed", "20": "buried"}


def test_the_role_comes_from_the_clause() -> None:
    # subject of a killing verb, "by ...", "على يد", and a verb before its subject in Arabic
    assert (
        _actors("Unidentified armed individuals shot three men.")["Unidentified armed individuals"][
            0
        ]
        == "perpetrator"
    )
    by = _actors("Civilians were killed by militias affiliated with the former government.")
    assert by["militias affiliated with the former government"][0] == "perpetrator"
    assert by["Civilians"][0] == "victim_group"
    arabic = _actors("قُتل 5 مدنيين على يد فلول النظام، وقصفت طائرات حربية روسية القرية.")
    assert arabic["فلول النظام"][0] == "perpetrator"
    assert arabic["طائرات حربية روسية"][0] == "perpetrator"
    # a group that is only talked about, with no violence in its sentence, is not proposed
    assert _actors("Security forces held a meeting with community leaders.") == {}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a modifier that is itself a head word makes one phrase, not two
        ("Security forces killed five civilians in Baniyas.",
         {"Security forces": "perpetrator", "civilians": "victim_group"}),
        # passive voice and objects are not agents; months and sentence openers not modifiers
        ("Three soldiers were killed by gunmen.", {"gunmen": "perpetrator"}),
        ("On Monday gunmen killed 12 men and burned their homes.",
         {"gunmen": "perpetrator", "men": "victim_group"}),
        # a post-modifier stops at the sentence and does not end on "and"
        ("Fighters affiliated with the former regime and killed 5 civilians.",
         {"Fighters affiliated with the former regime": "perpetrator",
          "civilians": "victim_group"}),
        # lone "combat" and "community" are no victim groups
        ("Two soldiers were killed in combat. The community mourned the killing.", {}),
        # Arabic: members of the security forces are agents; the verb's object stays apart
        ("رجال الأمن قتلوا المتظاهرين في حمص.",
         {"رجال الأمن": "perpetrator", "المتظاهرين": "victim_group"}),
        ("قتل مسلحون الأطفال في القرية.", {"مسلحون": "perpetrator", "الأطفال": "victim_group"}),
        ("قتل على يد عناصر تابعة لوزارة الدفاع",
         {"عناصر تابعة لوزارة الدفاع": "perpetrator"}),
        # a unit word needs a name after it; a number is one
        ("قتل الناس في حركة النزوح. ثم عاد", {}),
        ("قتلت الفرقة 25 خمسة مدنيين", {"الفرقة 25": "perpetrator", "مدنيين": "victim_group"}),
    ],
)  # fmt: skip
def test_phrases_end_where_they_should_and_take_the_right_role(
    text: str, expected: dict[str, str]
) -> None:
    assert {t: r for t, (r, _h, _n) in _actors(text).items()} == expected


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("قُتل 15 شخصا على الأقل في القصف.", ("15 شخصا على الأقل", 15, None, "killed")),
        ("The fighting displaced tens of thousands of people.",
         ("tens of thousands", 10_000, None, "displaced")),
        ("أدى القصف إلى نزوح عشرات الآلاف من المدنيين.",
         ("عشرات الآلاف", 10_000, None, "displaced")),
    ],
)  # fmt: skip
def test_a_qualifier_after_the_noun_and_vague_thousands(
    text: str, count: tuple[str, int, int | None, str]
) -> None:
    found = [(t, v["low"], v["high"], v["what"]) for k, t, v in _facts(text) if k == "count"]
    assert found == [count]


def test_arabic_agents_by_a_plural_hand_a_carried_out_raid_a_massacre_and_a_clash() -> None:
    cases = {
        "غارات قام بها سلاح الجو السوري على البلدات فقتل 15 مدنيا.": "سلاح الجو السوري",
        "قُتل الطفل تحت التعذيب على أيدي القوات الأمنية.": "القوات الأمنية",
        "سقط 61 شهيداً في مجزرتين لطيران الأسد الحربي في ريف دمشق.": "طيران الأسد الحربي",
        "قُتل 5 مدنيين في اشتباكات بين قوات الجيش السوري والفصائل.": "قوات الجيش السوري",
    }
    for text, agent in cases.items():
        assert _actors(text)[agent][0] == "perpetrator", text


def test_forced_burial_responsibility_and_attacks_on_a_people() -> None:
    forced = _actors("Families were forced by the authorities to bury their loved ones.")
    assert forced["authorities"][0] == "perpetrator"
    blamed = _actors("The report found the killings deliberate, attributing responsibility "
                     "to militias linked to the government.")  # fmt: skip
    assert any(role == "perpetrator" and head == "militias" for role, head, _ in blamed.values())
    asked = _actors("The UN called on the responsible authorities to investigate the killings.")
    assert all(role != "perpetrator" for role, _, _ in asked.values())
    people = _actors("حثت المفوضة سوريا على إنهاء اعتداءاتها على شعبها.")
    assert people["شعبها"][0] == "victim_group"


def test_bare_people_is_not_a_victim_group_but_people_of_a_place_is() -> None:
    """Guideline §6: a victim group describes the people harmed; "people" alone does not."""
    from dalil.extract import actors

    def groups(text: str) -> list[str]:
        return [a.text for a in actors.find(text, lambda _s, _e: True) if a.role == "victim_group"]

    assert groups("Gunmen killed people in the market.") == []
    assert groups("Gunmen killed people of the village.") == ["people of the village"]
    assert groups("Gunmen killed Alawite people.") == ["Alawite people"]
    assert groups("Gunmen killed 12 people of whom 3 were children.") == ["children"]
