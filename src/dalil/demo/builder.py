"""`dalil demo`: a realistic, entirely fictional case to learn dalil on.

Modelled on the motivating story in DESIGN.md (militias affiliated with a government kill
civilians of a religious minority over three days in coastal towns; gunmen ask victims'
sect; families are forced to bury their dead in mass graves without rites), but every
town, person, group, organisation and document in it is invented, and every title says
so. Built deterministically from a seed: the same seed gives the same case, ids and
timestamps, so its export is byte-identical across runs.

Besides the case records it writes three overlapping victim lists from fictional NGOs
(one in Arabic script, two in different Latin transliterations, each with its own
duplicates and gaps) drawn from a larger fictional "true" population, plus the ground
truth linking list rows to true persons, for the linkage and estimation stages.
"""

from __future__ import annotations

import csv
import json
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.access import identities
from dalil.intake.victim_lists import FIELDS, read_list
from dalil.linkage.name_pool import FAMILY, FEMALE, MALE, Entry
from dalil.linkage.service import import_list
from dalil.model.tables import Person, Record
from dalil.model.values import (
    Affiliation,
    Age,
    LogEntry,
    PersonName,
    UncertainCount,
    UncertainDate,
    UncertainPlace,
)
from dalil.records import Records, ref
from dalil.records.cases import create_case, ensure_mandate, summarise
from dalil.vault.service import Vault
from dalil.workspace import Workspace

FICTIONAL = "FICTIONAL"
TITLE = "[FICTIONAL DEMO] Killings in three coastal towns, 6–8 March 2025"
NAMESPACE = uuid.UUID("5b0c7c1e-6a55-4d55-9d0a-64616c696c00")
DAYS = (date(2025, 3, 6), date(2025, 3, 7), date(2025, 3, 8))
PRESS_RELEASE = """[FICTIONAL DEMO] Press release of a fictional NGO, 12 March 2025

Between 6 and 8 March 2025, gunmen of militias affiliated with the government killed at
least 150 civilians in three coastal towns (Ayn al-Ward, Sahil al-Zaytun and Tall
al-Sanawbar). Witnesses said the gunmen asked residents their sect before taking the men
outside. Families were forced to bury their dead in mass graves without rites.
Every name, place and organisation in this document is invented.
"""
TRUE_DEATHS = 220
DOCUMENTED = 150


@dataclass(frozen=True)
class Town:
    en: str
    en_b: str
    ar: str
    governorate: str
    governorate_ar: str
    lat: float
    lon: float


TOWNS = (
    Town("Ayn al-Ward", "Ain El Ward", "عين الورد", "Latakia", "اللاذقية", 35.41, 35.93),
    Town("Sahil al-Zaytun", "Sahel Zeitoun", "ساحل الزيتون", "Tartus", "طرطوس", 35.12, 35.91),
    Town("Tall al-Sanawbar", "Tell Snobar", "تل الصنوبر", "Latakia", "اللاذقية", 35.30, 35.95),
)
SCENES = (
    ("in family homes in the northern quarter", "victims_home"),
    ("at a checkpoint at the town entrance", "checkpoint"),
    ("on the road to the fields", "road"),
    ("near the old mosque", "place_of_worship"),
    ("in shops on the main street", "shop"),
    ("in the olive groves east of the town", "agricultural_land"),
    ("in family homes in the eastern quarter", "victims_home"),
)
NGOS = (
    ("Coastal Documentation Network", "شبكة توثيق الساحل", "coastal_documentation_network"),
    ("Olive Branch Monitor", "مرصد غصن الزيتون", "olive_branch_monitor"),
    ("Families for Truth", "عائلات من أجل الحقيقة", "families_for_truth"),
)


@dataclass
class DemoResult:
    case_id: str
    lists: list[Path]
    truth: Path
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class TruePerson:
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


class _Builder:
    def __init__(self, session: Session, case_id: str, actor: str, rng: random.Random) -> None:
        self.rng = rng
        self.counter = 0
        self.clock = datetime(2025, 3, 20, 8, 0, tzinfo=UTC)
        self.book = Records(session, case_id, actor)
        self.book.check_ids = False  # uuid5 ids under a fresh case id cannot collide
        self.book.new_id = self.id
        self.book.clock = self.now

    def id(self) -> str:
        self.counter += 1
        return str(uuid.uuid5(NAMESPACE, f"demo-{self.counter}"))

    def now(self) -> datetime:
        self.clock += timedelta(seconds=37)
        return self.clock

    def add(self, kind: str, **kw: Any) -> Record:
        return self.book.add(kind, **kw)

    def fact(self, record: Record, field_name: str, value: Any, **kw: Any) -> str:
        return self.book.assert_fact(record.id, field_name, value, **kw).id


def _true_population(
    rng: random.Random, incidents: list[tuple[int, date, Town]]
) -> list[TruePerson]:
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


def build_demo(
    ws: Workspace,
    *,
    actor: str = "demo",
    seed: int = 2025,
    progress: Callable[[str], None] | None = None,
    vault: Vault | None = None,
) -> DemoResult:
    """Create the demo case in ``ws``, write its victim lists under ``<home>/demo`` and import
    them into the case (ready for ``dalil link``). With an unlocked ``vault``, the
    witnesses' (fictional) identities go into the identity vault and the fictional press
    release into the evidence vault."""
    rng = random.Random(seed)
    say = progress or (lambda _msg: None)
    with ws.session() as session:
        case = create_case(
            session,
            TITLE,
            actor=actor,
            fictional=True,
            id=str(uuid.uuid5(NAMESPACE, f"case-{seed}")),
            at=datetime(2025, 3, 20, 8, 0, tzinfo=UTC),
            description=(
                "FICTIONAL demonstration case. Every town, person, armed group, organisation "
                "and document in it is invented. It is modelled on a pattern documented in "
                "real investigations: killings of civilians of a religious minority by "
                "government-affiliated militias over three days, victims asked their sect "
                "before being killed, families forced to bury the dead in mass graves without "
                "rites."
            ),
        )
        b = _Builder(session, case.id, actor, rng)
        b.book.vocabs = ws.vocabularies(session)
        people = _build_records(b, rng, say)
        counts = summarise(session, case).counts()
    say("writing victim lists")
    lists, truth = _write_lists(ws.home / "demo", people, random.Random(seed + 1))
    say("importing the victim lists into the case")
    with ws.session() as session:
        for path in lists:
            import_list(session, case.id, path.stem, read_list(path), actor)
    if vault is not None:
        say("sealing witness identities and the press release in the vault")
        _vault_items(ws, vault, case.id, actor, random.Random(seed + 2))
    return DemoResult(case.id, lists, truth, counts)


def _vault_items(ws: Workspace, vault: Vault, case_id: str, actor: str, rng: random.Random) -> None:
    with ws.session() as s:
        witnesses = s.scalars(
            select(Person)
            .where(Person.case_id == case_id, Person.protection_level != "public")
            .order_by(Person.label)
        ).all()
        for w in witnesses:
            given = rng.choice(MALE + FEMALE)
            family = rng.choice(FAMILY)
            identity = identities.Identity(
                names=[f"{given[0]} {family[0]}", f"{given[1]} {family[1]}"],
                contact="+000 0000 0000 (fictional)",
                notes=f"Fictional identity of demo witness {w.label}.",
            )
            identities.record(s, vault.ring, case_id, w.id, identity, actor)
    release = ws.home / "demo" / "press-release-fictional.txt"
    release.write_text(PRESS_RELEASE, encoding="utf-8")
    vault.add(case_id, release, actor, source="Fictional NGO website", method="download")


def _build_records(b: _Builder, rng: random.Random, say: Callable[[str], None]) -> list[TruePerson]:
    say("mandate, organisations and places")
    mandate = ensure_mandate(b.book)
    b.fact(
        mandate, "requested_by", "FICTIONAL: a national fact-finding committee and an NGO coalition"
    )
    b.fact(
        mandate,
        "scope",
        "Killings of civilians in three coastal towns between 6 and 8 March 2025 (fictional).",
    )
    for fw in (
        "International human rights law",
        "International humanitarian law",
        "International criminal law",
    ):
        b.fact(mandate, "legal_framework", fw)
    b.fact(
        mandate,
        "methodology",
        "Witness interviews, NGO victim lists cross-checked, open-source video verified; each death documented by at least one information record.",
    )
    b.fact(
        mandate,
        "inclusion_criteria",
        "Civilians killed in the three towns on 6-8 March 2025 by armed men.",
    )
    b.fact(mandate, "standard_of_proof", "reasonable_grounds")

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

    say("sources and information records")
    reports = [
        b.add(
            "source",
            refs={"organisation": ngo.id},
            facts={
                "title": f"{FICTIONAL} report: {NGOS[i][0]} on the March killings",
                "material_type": "ngo_report",
                "publisher": NGOS[i][0],
                "date": UncertainDate.on(date(2025, 3, 18 + i)),
                "language": "ar" if i == 0 else "en",
                "reliability": "likely_reliable",
            },
        )
        for i, ngo in enumerate(ngos)
    ]
    media = b.add(
        "source",
        facts={
            "title": f"{FICTIONAL} news article: 'More than 100 killed on the coast'",
            "material_type": "newspaper",
            "date": UncertainDate.on(date(2025, 3, 9)),
            "language": "en",
            "reliability": "unsure",
        },
    )
    video = b.add(
        "source",
        facts={
            "title": f"{FICTIONAL} video posted online showing armed men in a street",
            "material_type": "social_media_post",
            "date": UncertainDate.on(date(2025, 3, 7)),
            "reliability": "unsure",
        },
    )

    say("events")
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

    say("burial sites")
    sites = _burial_sites(b, towns, report_info)

    say("victims and acts")
    people = _true_population(rng, incidents)
    documented = people[:DOCUMENTED]
    for k, p in enumerate(documented):
        _victim(
            b, rng, p, events[p.incident], towns[TOWNS.index(p.town)], groups, sites, report_info, k
        )
    umbrella_docs = report_info[(0, 0)]
    b.fact(
        umbrella,
        "casualties",
        UncertainCount.exactly(DOCUMENTED, count_kind="documented"),
        sources=[umbrella_docs],
        method="sum of individual case files",
        confidence="corroborated",
    )

    say("witnesses, consent and interviews")
    _witnesses(b, rng, events, incidents, groups, video)
    return people


def _burial_sites(
    b: _Builder, towns: list[Record], report_info: dict[tuple[int, int], str]
) -> list[Record]:
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
                "circumstances": "Armed men ordered relatives to bury the dead quickly in one trench; no washing or prayers were allowed (fictional).",
                "custodian": "Local municipality (fictional)",
                "families_informed": "unknown",
                "religious_requirements": "Funeral rites of the victims' community were not performed.",
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


def _name(p: TruePerson, style: int) -> PersonName:
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


def _victim(
    b: _Builder,
    rng: random.Random,
    p: TruePerson,
    event: Record,
    town: Record,
    groups: list[Record],
    sites: list[Record],
    report_info: dict[tuple[int, int], str],
    k: int,
) -> None:
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
            "The gunmen asked the victim which sect he or she belonged to before shooting (fictional)."
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


WITNESS_SUMMARIES = (
    "The witness saw armed men in mixed uniforms go from house to house; they asked residents their sect before taking the men outside.",
    "The witness hid on a roof and heard shots in the street; later saw bodies near the checkpoint.",
    "The witness was made to help dig a trench and bury neighbours; no prayers were allowed.",
    "The witness recognised the falcon patch on the gunmen's headbands.",
    "The witness describes vehicles with the brigade's name painted on the doors arriving at dawn.",
)


def _witnesses(
    b: _Builder,
    rng: random.Random,
    events: list[Record],
    incidents: list[tuple[int, date, Town]],
    groups: list[Record],
    video: Record,
) -> None:
    for w in range(10):
        witness = b.add(
            "person",
            protection_level="protected",
            facts={
                "sex": rng.choice(("male", "female")),
                "description": "Witness (pseudonymous; identity kept outside case records).",
            },
        )
        risk_date = date(2025, 3, 12 + w)
        b.add(
            "risk_assessment",
            refs={"person": witness.id},
            facts={
                "date": UncertainDate.on(risk_date),
                "assessor": "Protection officer PO-1",
                "threat_source": ["Armed group named in the testimony"],
                "likelihood": "medium",
                "impact": "high",
                "risk_level": "high" if w % 3 == 0 else "medium",
                "measure": ["pseudonymisation", "no_home_visits", "changed_contact_method"],
                "next_review_due": UncertainDate.on(risk_date + timedelta(days=90)),
                "benefit_justifies_risk": "yes",
            },
        )
        scopes = (
            ["internal_analysis", "public_anonymised"]
            + (["un_mechanism"] if w % 2 == 0 else [])
            + (["state_committee"] if w % 3 == 1 else [])
        )
        consent = b.add(
            "consent_record",
            refs={"person": witness.id},
            facts={
                "date": UncertainDate.on(risk_date + timedelta(days=1)),
                "obtained_by": "Interviewer INV-1",
                "language": "ar",
                "explained": [
                    "purpose",
                    "who_may_see",
                    "court_use",
                    "compelled_disclosure",
                    "risks",
                    "right_to_withdraw",
                    "limits_of_protection",
                ],
                "scope": scopes,
                "evidence": "Oral consent recorded on audio (file kept in the vault).",
            },
        )
        if w == 6:
            b.fact(
                consent,
                "withdrawn",
                UncertainDate.on(date(2025, 4, 20)),
                note="Witness asked that the testimony no longer be used after a threat.",
            )
        interview = b.add(
            "interview",
            refs={"interviewee": witness.id},
            facts={
                "date": UncertainDate.on(risk_date + timedelta(days=1)),
                "place_type": "Safe location outside the town",
                "interviewer": ["INV-1"],
                "language": "ar",
                "mode": "in_person" if w % 2 else "remote_video",
                "summary": WITNESS_SUMMARIES[w % len(WITNESS_SUMMARIES)] + " (fictional)",
            },
        )
        if w in (2, 5):
            b.fact(interview, "vulnerability", "bereaved")
            b.fact(interview, "referral", "Psychosocial support (fictional provider)")
        testimony = b.add(
            "source",
            refs={"person": witness.id},
            facts={
                "title": f"Testimony of {witness.label} ({FICTIONAL})",
                "material_type": "witness_testimony",
                "date": UncertainDate.on(risk_date + timedelta(days=1)),
                "language": "ar",
                "reliability": "likely_reliable",
            },
        )
        seen = [w * 2 % 20, (w * 2 + 1) % 20]
        for n in seen:
            info = b.add(
                "information_record",
                refs={"source": testimony.id, "event": events[n].id, "person": witness.id},
                facts={
                    "connection": "witness",
                    "access": "direct",
                    "date_of_information": UncertainDate.on(risk_date + timedelta(days=1)),
                    "language": "ar",
                    "excerpt": WITNESS_SUMMARIES[w % len(WITNESS_SUMMARIES)] + " (fictional)",
                },
            )
            b.fact(
                events[n],
                "casualties",
                UncertainCount.from_reported(f"at least {3 + (n % 5)}", count_kind="reported"),
                sources=[info.id],
            )
    video_info = b.add(
        "information_record",
        refs={"source": video.id, "event": events[1].id},
        facts={"connection": "unknown", "access": "direct"},
    )
    b.fact(
        events[1],
        "description",
        "Video shows armed men in mixed uniforms walking past a row of bodies on a street (fictional).",
        sources=[video_info.id],
        confidence="consistent",
    )


# -- victim lists ----------------------------------------------------------------------------


def _list_row(p: TruePerson, list_i: int, rng: random.Random, rid: str) -> dict[str, str]:
    style = 0 if list_i == 0 else list_i  # list 0 Arabic, 1 style A, 2 style B
    given, father, grand, family = (
        getattr(p, f)[style] for f in ("given", "father", "grandfather", "family")
    )
    drop_grand = rng.random() < (0.15 if list_i == 0 else 0.35)
    parts = [given, father] + ([] if drop_grand else [grand]) + [family]
    full = " ".join(parts)
    if list_i == 2 and rng.random() < 0.3:
        full = f"{family.upper()}, {given} {father}"
    sex = {
        0: {"male": "ذكر", "female": "أنثى"},
        1: {"male": "M", "female": "F"},
        2: {"male": "male", "female": "female"},
    }[list_i][p.sex]
    age = (
        ""
        if p.age is None or rng.random() < 0.12
        else str(p.age + (rng.choice((-1, 1)) if rng.random() < 0.1 else 0))
    )
    dod = {
        0: p.day.isoformat(),
        1: p.day.strftime("%d/%m/%Y"),
        2: f"{p.day.day} March {p.day.year}",
    }[list_i]
    town = {0: p.town.ar, 1: p.town.en, 2: p.town.en_b}[list_i]
    gov = p.town.governorate_ar if list_i == 0 else p.town.governorate
    return {
        "record_id": rid,
        "full_name": full,
        "given_name": given if list_i != 2 or rng.random() < 0.6 else "",
        "father_name": father if rng.random() < 0.85 else "",
        "grandfather_name": "" if drop_grand else grand,
        "family_name": family,
        "mother_name": p.mother[style] if list_i == 0 and rng.random() < 0.6 else "",
        "sex": sex if rng.random() < 0.95 else "",
        "age": age,
        "birth_date": "",
        "date_of_death": dod,
        "place_of_death": town,
        "governorate": gov,
    }


def _write_lists(
    folder: Path, people: list[TruePerson], rng: random.Random
) -> tuple[list[Path], Path]:
    """Three lists capturing the true population with list- and town-specific probabilities."""
    lists_dir = folder / "lists"
    lists_dir.mkdir(parents=True, exist_ok=True)
    base = (0.55, 0.45, 0.35)
    town_bias = ((0.2, -0.1, 0.0), (-0.1, 0.15, 0.0), (0.0, 0.0, 0.2))  # list x town
    paths: list[Path] = []
    truth: list[dict[str, str]] = []
    for list_i, (_en, _ar, stem) in enumerate(NGOS):
        rows: list[dict[str, str]] = []
        for p in people:
            prob = (
                base[list_i]
                + town_bias[list_i][TOWNS.index(p.town)]
                + (0.15 if p.person_id else -0.1)
            )
            if rng.random() >= prob:
                continue
            copies = 2 if rng.random() < 0.04 else 1
            for _ in range(copies):
                rid = f"{'ABC'[list_i]}-{len(rows) + 1:04d}"
                rows.append(_list_row(p, list_i, rng, rid))
                truth.append(
                    {
                        "source": stem,
                        "record_id": rid,
                        "true_person": f"T-{p.n:04d}",
                        "person_id": p.person_id or "",
                    }
                )
        rng.shuffle(rows)
        path = lists_dir / f"{stem}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=FIELDS)
            writer.writeheader()
            writer.writerows(rows)
        paths.append(path)
    truth_path = folder / "truth.csv"
    with truth_path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=("source", "record_id", "true_person", "person_id"))
        writer.writeheader()
        writer.writerows(sorted(truth, key=lambda t: (t["source"], t["record_id"])))
    (folder / "README.txt").write_text(
        "FICTIONAL demo data generated by `dalil demo`. No row describes a real person.\n"
        f"lists/: three victim lists (Arabic script; two Latin transliteration styles) drawn from a\n"
        f"fictional population of {TRUE_DEATHS} deaths, of which {DOCUMENTED} are documented in the case.\n"
        "truth.csv: which true person each list row describes (for evaluating linkage and estimation).\n"
        + json.dumps({"true_deaths": TRUE_DEATHS, "documented": DOCUMENTED})
        + "\n",
        encoding="utf-8",
    )
    return paths, truth_path
