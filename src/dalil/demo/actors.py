"""The actors of the demo case: the documenting NGOs and the armed groups with their
commanders and ties to the state.

Two NGOs describe one militia's tie to the state differently; both claims are kept
(:func:`contested_affiliation`), so the demo shows sources in disagreement.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dalil.demo.book import DemoBook
from dalil.demo.story import FICTIONAL, NGOS
from dalil.linkage.name_pool import FAMILY, MALE
from dalil.model.tables import Record
from dalil.model.values import Affiliation, PersonName, UncertainDate


@dataclass
class Actors:
    """The organisation records: ``ngos`` in :data:`~dalil.demo.story.NGOS` order, the
    three armed ``groups`` (brigade, battalion, militia), and the period ``since`` which
    their affiliations run."""

    ngos: list[Record]
    groups: list[Record]
    since: UncertainDate


def organisations(b: DemoBook) -> Actors:
    """The NGOs, the army division, the three armed groups and two commanders."""
    ngos = [
        b.add(
            "organisation",
            facts={"name": [en, ar], "description": f"{FICTIONAL} documentation NGO."},
        )
        for en, ar, _ in NGOS
    ]
    division = b.add(
        "organisation",
        facts={"name": f"4th Coastal Division ({FICTIONAL})", "org_type": "armed_forces"},
    )
    b.fact(division, "affiliation", Affiliation(status="integrated"))
    groups = [
        b.add(
            "organisation",
            facts={
                "name": [f"Coastal Shield Brigade ({FICTIONAL})", "لواء درع الساحل"],
                "org_type": "pro_government_forces",
                "area_of_operations": "Latakia and Tartus countryside",
            },
        ),
        b.add(
            "organisation",
            refs={"parent": division.id},
            facts={
                "name": [f"Ninth Support Battalion ({FICTIONAL})", "كتيبة الإسناد التاسعة"],
                "org_type": "armed_forces",
            },
        ),
        b.add(
            "organisation",
            facts={
                "name": [f"Falcons of the Valley ({FICTIONAL})", "صقور الوادي"],
                "org_type": "identity_militia",
                "insignia": "Black headbands with a falcon patch (fictional).",
            },
        ),
    ]
    since = UncertainDate.between(date(2025, 1, 1), date(2025, 1, 31), "month")
    b.fact(groups[0], "affiliation", Affiliation(status="affiliated", period=since))
    b.fact(groups[1], "affiliation", Affiliation(status="integrated", period=since))
    commanders = []
    for g, (given, family) in zip(
        groups[:2], ((MALE[12], FAMILY[7]), (MALE[26], FAMILY[22])), strict=True
    ):
        cmd = b.add(
            "person",
            facts={
                "name": PersonName(
                    script="Latn", full=f"{given[1]} {family[1]}", given=given[1], family=family[1]
                ),
                "sex": "male",
                "description": f"{FICTIONAL} alleged commander.",
            },
        )
        commanders.append(cmd)
        b.add(
            "command",
            refs={"organisation": g.id, "commander": cmd.id},
            facts={"role": "Commander", "period": since},
        )
    return Actors(ngos, groups, since)


def contested_affiliation(
    b: DemoBook, actors: Actors, report_info: dict[tuple[int, int], str]
) -> None:
    """The militia's tie to the state as two NGO reports describe it: tolerated (first
    report, kept) and affiliated (another report, contradicted)."""
    groups, since = actors.groups, actors.since
    # Two NGOs describe the militia's tie to the state differently; both claims are kept.
    b.fact(
        groups[2],
        "affiliation",
        Affiliation(status="tolerated", period=since),
        sources=[report_info[(0, 0)]],
    )
    b.fact(
        groups[2],
        "affiliation",
        Affiliation(status="affiliated", period=since),
        sources=[next(v for k, v in sorted(report_info.items()) if k[1] == 1)],
        confidence="contradicted",
    )
