"""The evidence of the demo case: the NGOs' reports, a news article and a video, and ten
witnesses with their risk assessments, consent, interviews and testimonies.

Witnesses are pseudonymous in the case records (their fictional identities go into the
identity vault, see :func:`dalil.demo.builder.build_demo`); one withdraws consent, so the
demo shows what sharing under a consent scope withholds.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from dalil.demo.book import DemoBook
from dalil.demo.story import FICTIONAL, NGOS
from dalil.model.tables import Record
from dalil.model.values import UncertainCount, UncertainDate


@dataclass(frozen=True)
class Witness:
    """A protected witness as the evidence files need it: pseudonym, person and testimony
    record ids, interview date, and the incidents (indexes into the events) reported on."""

    label: str
    person_id: str
    testimony_id: str
    interviewed: date
    seen: tuple[int, int]


@dataclass
class Sources:
    """The documentary sources: one report per NGO (in NGO order), a news article, a video."""

    reports: list[Record]
    media: Record
    video: Record


def sources(b: DemoBook, ngos: list[Record]) -> Sources:
    """The source records of the NGOs' reports, the news article and the video."""
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
    return Sources(reports, media, video)


WITNESS_SUMMARIES = (
    (
        "The witness saw armed men in mixed uniforms go from house to house; they asked residents "
        "their sect before taking the men outside."
    ),
    (
        "The witness hid on a roof and heard shots in the street; later saw bodies near the "
        "checkpoint."
    ),
    "The witness was made to help dig a trench and bury neighbours; no prayers were allowed.",
    "The witness recognised the falcon patch on the gunmen's headbands.",
    "The witness describes vehicles with the brigade's name painted on the doors arriving at dawn.",
)


def witnesses(
    b: DemoBook, rng: random.Random, events: list[Record], video: Record
) -> list[Witness]:
    """Ten protected witnesses, each with a risk assessment, consent (one later withdrawn),
    an interview and a testimony reporting on two incidents; and the video's description
    of the second incident."""
    out = []
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
        seen = (w * 2 % 20, (w * 2 + 1) % 20)
        out.append(
            Witness(witness.label or "", witness.id, testimony.id, risk_date + timedelta(1), seen)
        )
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
        (
            "Video shows armed men in mixed uniforms walking past a row of bodies on a street "
            "(fictional)."
        ),
        sources=[video_info.id],
        confidence="consistent",
    )
    return out
