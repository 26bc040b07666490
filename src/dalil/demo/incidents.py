"""What happened in the demo case: the three towns, twenty incidents under one umbrella
event with the NGO reports that document them, and two mass graves.

Reports disagree on the day of two incidents, and on the number buried in one grave; both
claims are kept, so the demo shows the disagreements an analyst has to weigh.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from dalil.demo.book import DemoBook
from dalil.demo.evidence import Sources
from dalil.demo.story import DAYS, FICTIONAL, SCENES, TOWNS, Town
from dalil.model.tables import Record
from dalil.model.values import LogEntry, UncertainCount, UncertainDate, UncertainPlace
from dalil.records import ref


@dataclass
class Incidents:
    """The event records and where they are documented.

    ``events[n]`` is incident ``n`` (EV-01 ...), ``occurred[n]`` its (n, day, town);
    ``report_info[(n, i)]`` is the id of NGO report ``i``'s information record on incident
    ``n`` (the first NGO reports every incident, the others about half)."""

    umbrella: Record
    events: list[Record]
    occurred: list[tuple[int, date, Town]]
    report_info: dict[tuple[int, int], str]


def places(b: DemoBook) -> list[Record]:
    """The place records of the three towns, in :data:`~dalil.demo.story.TOWNS` order."""
    towns = []
    for t in TOWNS:
        towns.append(
            b.add(
                "place",
                facts={
                    "name": [t.en, t.ar, t.en_b],
                    "location": UncertainPlace(
                        name=t.en,
                        name_ar=t.ar,
                        admin1=t.governorate,
                        lat=t.lat,
                        lon=t.lon,
                        precision=1,
                    ),
                },
            )
        )
    return towns


def record_incidents(
    b: DemoBook, rng: random.Random, towns: list[Record], sources: Sources
) -> Incidents:
    """The umbrella event (with the news article's count) and the twenty incidents, each
    documented by the NGOs' reports."""
    reports, media = sources.reports, sources.media
    umbrella = b.add(
        "event",
        label="EV-00",
        facts={
            "title": f"Killings of civilians in three coastal towns ({FICTIONAL})",
            "date": UncertainDate.between(DAYS[0], DAYS[-1], "week"),
            "place": [ref(t) for t in towns],
            "violation_status": "likely",
        },
    )
    media_info = b.add(
        "information_record",
        refs={"source": media.id, "event": umbrella.id},
        facts={"connection": "reporter", "access": "hearsay"},
    )
    b.fact(
        umbrella,
        "casualties",
        UncertainCount.from_reported("more than 100"),
        sources=[media_info.id],
    )

    incidents: list[tuple[int, date, Town]] = []
    events: list[Record] = []
    report_info: dict[tuple[int, int], str] = {}
    for n in range(20):
        town_i = n % 3
        day = DAYS[min(n // 7, 2)]
        scene = SCENES[n % len(SCENES)][0]
        ev = b.add(
            "event",
            label=f"EV-{n + 1:02d}",
            facts={
                "title": f"Killings {scene}, {TOWNS[town_i].en} ({FICTIONAL})",
                "place": [ref(towns[town_i])],
                "violation_status": "likely",
            },
        )
        b.add(
            "event_relation",
            refs={"from_event": umbrella.id, "to_event": ev.id},
            facts={"relation": "encompasses"},
        )
        for r_i, report in enumerate(reports):
            if r_i == 0 or rng.random() < 0.5:
                info = b.add(
                    "information_record",
                    refs={"source": report.id, "event": ev.id},
                    facts={
                        "connection": "ngo",
                        "access": "documentary",
                        "reliability": "likely_reliable",
                        "locator": f"section {n + 1}",
                    },
                )
                report_info[(n, r_i)] = info.id
        first = report_info[(n, 0)]
        b.fact(ev, "date", UncertainDate.on(day), sources=[first])
        if n in (4, 11):  # two reports disagree on the day
            other = report_info.get((n, 1)) or report_info.get((n, 2))
            if other:
                b.fact(
                    ev,
                    "date",
                    UncertainDate.on(day + timedelta(days=1)),
                    sources=[other],
                    confidence="contradicted",
                )
        incidents.append((n, day, TOWNS[town_i]))
        events.append(ev)
    return Incidents(umbrella, events, incidents, report_info)


def burial_sites(
    b: DemoBook, towns: list[Record], report_info: dict[tuple[int, int], str]
) -> list[Record]:
    """The two mass graves (near the first two towns), with their reports, estimates in
    disagreement, access log and protection measures."""
    sites = []
    for i, (town, where) in enumerate(
        (
            (towns[0], "olive grove east of Ayn al-Ward"),
            (towns[1], "municipal land behind the Sahil al-Zaytun cemetery"),
        )
    ):
        info = [report_info[(i, 0)]]
        site = b.add(
            "burial_site",
            label=f"BS-{i + 1}",
            facts={
                "name": f"Mass grave, {where} ({FICTIONAL})",
                "site_kind": ["mass_grave", "improvised"],
                "place": ref(town),
                "report_date": UncertainDate.on(date(2025, 3, 10 + i)),
                "report_channel": "Relatives told the NGO field team",
                "verification_status": "corroborated",
                "verification_basis": ["witness", "video"],
                "forced_burial": "yes",
                "rites_permitted": "no",
                "identified_before_burial": "no",
                "circumstances": (
                    "Armed men ordered relatives to bury the dead quickly in one trench; no "
                    "washing or prayers were allowed (fictional)."
                ),
                "custodian": "Local municipality (fictional)",
                "families_informed": "unknown",
                "religious_requirements": (
                    "Funeral rites of the victims' community were not performed."
                ),
                "investigation_status": "not_started" if i == 0 else "obstructed",
            },
            sources=info,
        )
        b.fact(
            site,
            "estimated_individuals",
            UncertainCount.from_reported("about 40" if i == 0 else "at least 25"),
            sources=info,
        )
        if i == 0:
            b.fact(
                site,
                "estimated_individuals",
                UncertainCount(
                    low=31,
                    best=33,
                    high=35,
                    qualifier="about",
                    as_reported="between 31 and 35 bodies",
                ),
                sources=[report_info.get((0, 1)) or info[0]],
                confidence="contradicted",
            )
        b.fact(
            site,
            "access_log",
            LogEntry(
                date=UncertainDate.on(date(2025, 3, 14)),
                who="NGO field team",
                text="Site photographed from the road; no entry permitted.",
            ),
        )
        b.fact(
            site,
            "protection_measure",
            LogEntry(
                kind="restricted_access",
                date=UncertainDate.on(date(2025, 3, 15)),
                text="Access restricted by municipal order (fictional).",
            ),
        )
        if i == 1:
            b.fact(
                site,
                "disturbance",
                LogEntry(
                    kind="tampering",
                    date=UncertainDate.between(date(2025, 3, 20), date(2025, 3, 27)),
                    text="Fresh soil and tyre tracks seen over the trench.",
                ),
            )
        sites.append(site)
    return sites
