"""The victims of the demo case: a fictional "true" population of deaths, and the
documented ones as person, act and involvement records.

Of :data:`~dalil.demo.story.TRUE_DEATHS` deaths the first
:data:`~dalil.demo.story.DOCUMENTED` have case records; the victim lists
(:mod:`dalil.demo.victim_lists`) draw from all of them, so some deaths are on a list but
not in the case, and some on no list at all, as for estimation they must be.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from typing import Any

from dalil.demo.book import DemoBook
from dalil.demo.story import SCENES, TOWNS, TRUE_DEATHS, Town
from dalil.linkage.name_pool import FAMILY, FEMALE, MALE, Entry
from dalil.model.tables import Record
from dalil.model.values import Age, PersonName, UncertainDate
from dalil.records import ref


@dataclass
class TruePerson:
    """One fictional death: names as lexicon entries (Arabic, style A, style B), age in
    years (None: unknown), the incident, day and town; ``person_id`` once documented."""

    n: int
    sex: str
    given: Entry
    father: Entry
    grandfather: Entry
    family: Entry
    mother: Entry
    age: int | None
    incident: int
    day: date
    town: Town
    person_id: str | None = None


def true_population(
    rng: random.Random, incidents: list[tuple[int, date, Town]]
) -> list[TruePerson]:
    """:data:`~dalil.demo.story.TRUE_DEATHS` people, each killed in one of ``incidents``
    ((n, day, town)), with names drawn from the lexicon of :mod:`dalil.linkage.name_pool`."""
    people = []
    for n in range(TRUE_DEATHS):
        sex = "female" if rng.random() < 0.18 else "male"
        given = rng.choice(FEMALE if sex == "female" else MALE)
        roll = rng.random()
        age = (
            None
            if roll < 0.06
            else rng.randint(13, 17)
            if roll < 0.12
            else rng.randint(66, 84)
            if roll < 0.22
            else rng.randint(18, 65)
        )
        incident, day, town = incidents[rng.randrange(len(incidents))]
        people.append(
            TruePerson(
                n,
                sex,
                given,
                rng.choice(MALE),
                rng.choice(MALE),
                rng.choice(FAMILY),
                rng.choice(FEMALE),
                age,
                incident,
                day,
                town,
            )
        )
    return people


def _name(p: TruePerson, style: int) -> PersonName:
    """``p``'s name in lexicon style 0 (Arabic, the primary name), 1 or 2 (Latin)."""
    parts = [getattr(p, part)[style] for part in ("given", "father", "grandfather", "family")]
    return PersonName(
        script="Arab" if style == 0 else "Latn",
        full=" ".join(parts),
        given=parts[0],
        father=parts[1],
        grandfather=parts[2],
        family=parts[3],
        mother=p.mother[style],
        kind="primary" if style == 0 else "variant",
    )


def victim(
    b: DemoBook,
    rng: random.Random,
    p: TruePerson,
    event: Record,
    town: Record,
    groups: list[Record],
    sites: list[Record],
    report_info: dict[tuple[int, int], str],
    k: int,
) -> None:
    """Documented victim number ``k``: the person (names in Arabic and style A), the act
    that killed them in ``event`` at ``town`` (the sect question, the burial site) and the
    armed group's involvement, all cited to the first NGO report on the incident."""
    src = [report_info[(p.incident, 0)]]
    facts: dict[str, Any] = {
        "name": [_name(p, 0), _name(p, 1)],
        "sex": p.sex,
        "civilian_status": "civilian",
        "deceased": "yes",
        "date_of_death": UncertainDate.on(p.day),
        "characteristic": ["religious_minority"],
        "religion": "Minority sect (fictional demo)",
    }
    if p.age is not None:
        facts["age"] = Age.years(p.age)
    person = b.add("person", facts=facts, sources=src)
    p.person_id = person.id
    if p.age is not None and k % 17 == 3:
        other = report_info.get((p.incident, 1)) or report_info.get((p.incident, 2))
        if other:
            b.fact(person, "age", Age.years(p.age + rng.choice((-3, -2, 2, 4))), sources=[other])
    asked = rng.random() < 0.4
    act_facts: dict[str, Any] = {
        "act_type": "summary_execution"
        if rng.random() < 0.6
        else "deliberate_killing_non_combatant",
        "method": ["shooting_close_range"] if rng.random() < 0.5 else ["shooting"],
        "date": UncertainDate.on(p.day),
        "place": ref(town),
        "status_at_end": "dead",
        "victim_characteristic": ["religious_minority"],
        "location_type": SCENES[p.incident % len(SCENES)][1],
        "autopsy": "impossible",
        "death_certificate": "none_exists",
    }
    if asked:
        act_facts["identity_questioned"] = ["sect"]
        act_facts["stated_reason"] = (
            "The gunmen asked the victim which sect he or she belonged to before shooting "
            "(fictional)."
        )
    site_i = 0 if p.town is TOWNS[0] else 1 if p.town is TOWNS[1] else None
    if site_i is not None and rng.random() < 0.7:
        act_facts["burial_site"] = ref(sites[site_i])
        act_facts["rites_denied"] = "yes"
    act = b.add("act", refs={"event": event.id, "victim": person.id}, facts=act_facts, sources=src)
    group = groups[(p.incident + (1 if rng.random() < 0.2 else 0)) % 3]
    b.add(
        "involvement",
        refs={"act": act.id, "organisation": group.id},
        facts={
            "degree": "directly_carried_out" if rng.random() < 0.7 else "suspected",
            "perpetrator_type": "pro_government_forces"
            if group is groups[0]
            else "armed_forces"
            if group is groups[1]
            else "identity_militia",
        },
        sources=src,
    )
