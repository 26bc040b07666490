"""`dalil demo`: a realistic, entirely fictional case to learn dalil on.

The story (:mod:`dalil.demo.story`) is modelled on the motivating story in DESIGN.md, but
every town, person, group, organisation and document in it is invented, and every title
says so. Built deterministically from a seed: the same seed gives the same case, ids and
timestamps (:mod:`dalil.demo.book`), so its export is byte-identical across runs.

Besides the case records it writes three overlapping victim lists from fictional NGOs
(one in Arabic script, two in different Latin transliterations, each with its own
duplicates and gaps) drawn from a larger fictional "true" population, plus the ground
truth linking list rows to true persons, for the linkage and estimation stages.

This module puts the parts together in a fixed order (the order fixes the ids): the
mandate, the actors (:mod:`~dalil.demo.actors`), the towns, sources and incidents
(:mod:`~dalil.demo.incidents`, :mod:`~dalil.demo.evidence`), the victims
(:mod:`~dalil.demo.victims`), the witnesses, then the lists
(:mod:`~dalil.demo.victim_lists`) and the vault's items: the witnesses' identities and the
evidence files (:mod:`~dalil.demo.exhibits`, :mod:`~dalil.demo.papers`), each attached to
the records it supports.
"""

from __future__ import annotations

import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from dalil.access import identities
from dalil.demo import actors, evidence, exhibits, incidents, papers
from dalil.demo.book import DemoBook
from dalil.demo.story import DOCUMENTED, NAMESPACE, TITLE, TOWNS
from dalil.demo.victim_lists import write_lists
from dalil.demo.victims import TruePerson, true_population, victim
from dalil.intake.victim_lists import read_list
from dalil.linkage.name_pool import FAMILY, FEMALE, MALE
from dalil.linkage.service import import_list
from dalil.model.tables import Person
from dalil.model.values import UncertainCount
from dalil.records.cases import create_case, ensure_mandate, summarise
from dalil.vault.service import Vault
from dalil.workspace import Workspace


@dataclass
class DemoResult:
    """The demo case's id, its victim lists and truth file, the case's record counts and
    the number of evidence items sealed in the vault (0 without a vault)."""

    case_id: str
    lists: list[Path]
    truth: Path
    counts: dict[str, int] = field(default_factory=dict)
    evidence: int = 0


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
    witnesses' (fictional) identities go into the identity vault and the demo's evidence
    files (made here, see :mod:`dalil.demo.exhibits`) into the evidence vault, each
    attached to the records it supports."""
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
        b = DemoBook(session, case.id, actor, rng)
        b.book.vocabs = ws.vocabularies(session)
        people, anchors = _build_records(b, rng, say)
        counts = summarise(session, case).counts()
    say("writing victim lists")
    lists, truth = write_lists(ws.home / "demo", people, random.Random(seed + 1))
    say("importing the victim lists into the case")
    with ws.session() as session:
        for path in lists:
            import_list(session, case.id, path.stem, read_list(path), actor)
    sealed = 0
    if vault is not None:
        say("sealing witness identities in the vault")
        _identities(ws, vault, case.id, actor, random.Random(seed + 2))
        say("drawing and sealing the evidence files")
        files = (
            papers.press_and_field(anchors)
            + exhibits.photos(anchors, seed)
            + exhibits.video(anchors, seed)
            + papers.reports(anchors, seed)
            + exhibits.documents(anchors, seed)
            + papers.transcripts(anchors)
        )
        sealed = exhibits.seal(vault, case.id, actor, files, ws.home / "demo" / "evidence")
        counts["evidence_items"] = sealed
    return DemoResult(case.id, lists, truth, counts, sealed)


def _identities(ws: Workspace, vault: Vault, case_id: str, actor: str, rng: random.Random) -> None:
    """A fictional identity for each protected witness, sealed in the identity vault."""
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


def _build_records(
    b: DemoBook, rng: random.Random, say: Callable[[str], None]
) -> tuple[list[TruePerson], exhibits.Anchors]:
    """The case's records, in a fixed order; returns the whole fictional population (the
    lists draw from it) and the ids the evidence files support."""
    say("mandate, organisations and places")
    _mandate(b)
    cast = actors.organisations(b)
    towns = incidents.places(b)

    say("sources and information records")
    sources = evidence.sources(b, cast.ngos)

    say("events")
    done = incidents.record_incidents(b, rng, towns, sources)
    report_info = done.report_info
    actors.contested_affiliation(b, cast, report_info)

    say("burial sites")
    sites = incidents.burial_sites(b, towns, report_info)

    say("victims and acts")
    people = true_population(rng, done.occurred)
    documented = people[:DOCUMENTED]
    for k, p in enumerate(documented):
        victim(
            b,
            rng,
            p,
            done.events[p.incident],
            towns[TOWNS.index(p.town)],
            cast.groups,
            sites,
            report_info,
            k,
        )
    umbrella_docs = report_info[(0, 0)]
    b.fact(
        done.umbrella,
        "casualties",
        UncertainCount.exactly(DOCUMENTED, count_kind="documented"),
        sources=[umbrella_docs],
        method="sum of individual case files",
        confidence="corroborated",
    )

    say("witnesses, consent and interviews")
    witnesses = evidence.witnesses(b, rng, done.events, sources.video)
    return people, exhibits.Anchors(
        umbrella=done.umbrella.id,
        events=[e.id for e in done.events],
        occurred=done.occurred,
        sites=[s.id for s in sites],
        reports=[r.id for r in sources.reports],
        media=sources.media.id,
        video=sources.video.id,
        witnesses=witnesses,
        victims=documented,
        covered=[sorted(n for n, i in report_info if i == r) for r in range(len(sources.reports))],
    )


def _mandate(b: DemoBook) -> None:
    """The investigation's (fictional) mandate: who asked, scope, law, method, criteria."""
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
        (
            "Witness interviews, NGO victim lists cross-checked, open-source video verified; each "
            "death documented by at least one information record."
        ),
    )
    b.fact(
        mandate,
        "inclusion_criteria",
        "Civilians killed in the three towns on 6-8 March 2025 by armed men.",
    )
    b.fact(mandate, "standard_of_proof", "reasonable_grounds")
