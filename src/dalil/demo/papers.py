"""The demo's written evidence: the three NGOs' reports, a printed news article and a
field mission report on the graves (PDFs), the press release, and the witnesses'
interview transcripts (Arabic, with an English translation for some).

Made at build time from the story (:mod:`dalil.demo.story`), fixed timestamps only; see
:mod:`dalil.demo.exhibits` for how they are sealed and attached.
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from dalil.demo import drawing, formats, testimony
from dalil.demo.exhibits import LOCAL, Anchors, Exhibit, local_time
from dalil.demo.story import FICTIONAL, NGOS, PRESS_RELEASE, SCENES, TOWNS

#: The witnesses (by index) whose transcripts the team also translated into English.
TRANSLATED = (0, 2, 3, 5)
COLOURS = ((0.13, 0.33, 0.47), (0.24, 0.42, 0.20), (0.45, 0.18, 0.22))


def _incident_title(n: int) -> str:
    return f"Killings {SCENES[n % len(SCENES)][0]}, {TOWNS[n % 3].en}"


def reports(a: Anchors, seed: int) -> list[Exhibit]:
    """Each NGO's report (PDF), section by section over the incidents it covers; the first
    carries a photograph of the first grave."""
    out = []
    for i, (ngo, _ar, stem) in enumerate(NGOS):
        published = datetime.combine(date(2025, 3, 18 + i), time(12), LOCAL)
        covered = a.covered[i] if i < len(a.covered) else []
        paras = [
            "## Summary",
            f"{ngo} ({FICTIONAL}) documented killings of civilians in three coastal towns, "
            f"{TOWNS[0].en}, {TOWNS[1].en} and {TOWNS[2].en}, between 6 and 8 March 2025. "
            "Witnesses described gunmen of government-affiliated militias asking residents "
            "their sect before taking the men outside, and families forced to bury their dead "
            "in mass graves without rites.",
            "## Method",
            "Our field teams interviewed relatives and witnesses in safe locations, collected "
            "photographs and documents, and cross-checked names against hospital and municipal "
            "records. Every death listed was confirmed by at least one direct source.",
        ]
        for n in covered:
            _, day, town = a.occurred[n]
            paras += [
                f"## Section {n + 1}: {_incident_title(n)}, {day.day} {day:%B %Y}",
                f"Residents of {town.en} told us that armed men arrived in the early morning. "
                "The victims were civilians; several were asked their sect before they were "
                "shot. Relatives were not allowed to recover the bodies for a day or more.",
            ]
        paras += [
            "## Recommendations",
            "Preserve the burial sites, allow families to identify and rebury their dead with "
            "rites, and open an independent investigation into the command of the units involved.",
        ]
        photo = None
        if i == 0:
            rng = random.Random(seed * 1000 + 90)
            img = drawing.burial_site(rng, "BS-1, 14 March 2025", 8).resize((640, 480))
            jpeg = drawing.jpeg(img, datetime(2025, 3, 14, 10, 2), TOWNS[0].lat, TOWNS[0].lon)
            photo = formats.Photo(jpeg, 640, 480, "Photo: the mass grave east of "
                                  f"{TOWNS[0].en}, 14 March 2025 ({FICTIONAL}).")  # fmt: skip
        title = f"{FICTIONAL} report: {ngo} on the March killings"
        out.append(Exhibit(
            name=f"{stem}_report_2025-03-{18 + i}.pdf",
            data=formats.pdf(title, f"{ngo} ({FICTIONAL})", paras, published,
                             colour=COLOURS[i], photo=photo),
            source=f"{ngo} website, public report (fictional)",
            method="download",
            acquired_by="OSINT-1",
            acquired_at=local_time(date(2025, 3, 18 + i), 16),
            notes=(f"Public report of {ngo} on the killings, {len(covered)} incident "
                   f"section(s). FICTIONAL demo document."),
            supports=[a.reports[i], a.umbrella] + [a.events[n] for n in covered],
        ))  # fmt: skip
    return out


def press_and_field(a: Anchors) -> list[Exhibit]:
    """The press release, the printed news article and the field mission report."""
    release = Exhibit(
        name="press-release-fictional.txt",
        data=PRESS_RELEASE.encode("utf-8"),
        source="Fictional NGO website",
        method="download",
        acquired_by="OSINT-1",
        acquired_at=local_time(date(2025, 3, 12), 13),
        notes="Press release of a fictional NGO on the killings, 12 March 2025. FICTIONAL demo.",
        supports=[a.umbrella],
    )
    article = Exhibit(
        name="coastal-daily_2025-03-09_more-than-100-killed.pdf",
        data=formats.pdf(
            f"{FICTIONAL} news article: 'More than 100 killed on the coast'",
            f"The Coastal Daily ({FICTIONAL} newspaper)",
            [
                f"More than 100 people were killed in {TOWNS[0].en}, {TOWNS[1].en} and "
                f"{TOWNS[2].en} between Thursday and Saturday, residents and local activists "
                "said. Gunmen went from house to house in several quarters, according to "
                "witnesses who spoke on condition of anonymity for fear of reprisals.",
                "Local officials did not answer requests for comment. A spokesman for the "
                "security forces said operations had targeted 'remnants' and denied that "
                "civilians were harmed.",
                "Families said they were ordered to bury the dead quickly, some in a single "
                "trench, without funeral rites.",
            ],
            datetime.combine(date(2025, 3, 9), time(7, 30), LOCAL),
            colour=(0.2, 0.2, 0.2),
        ),
        source="The Coastal Daily website, printed to PDF (fictional)",
        method="download",
        acquired_by="OSINT-1",
        acquired_at=local_time(date(2025, 3, 9), 12),
        notes="News article reporting more than 100 killed; the umbrella event's reported "
        "count cites it. FICTIONAL demo document.",
        supports=[a.media, a.umbrella],
    )
    mission = Exhibit(
        name="field-mission_burial-sites_2025-03-16.pdf",
        data=formats.pdf(
            f"{FICTIONAL} field mission report: the two burial sites",
            f"{NGOS[0][0]}, field team FT-2 ({FICTIONAL})",
            [
                "## Site BS-1",
                f"Olive grove east of {TOWNS[0].en}. A trench of about 20 m by 3 m, fresh "
                "soil, eight markers placed by relatives. Relatives estimate about 40 buried; "
                "a second account gives between 31 and 35. Viewed from the road only.",
                "## Site BS-2",
                f"Municipal land behind the {TOWNS[1].en} cemetery. A trench of about 12 m, "
                "five markers. At least 25 buried according to the municipal register. Access "
                "restricted by municipal order on 15 March.",
                "## Recommendations",
                "Fence and guard both sites; record every visit; no exhumation without a "
                "forensic team and the families' consent.",
            ],
            datetime.combine(date(2025, 3, 16), time(18), LOCAL),
            colour=COLOURS[0],
        ),
        source=f"{NGOS[0][0]} field team FT-2, handed over (fictional)",
        method="handed_over",
        acquired_by="INV-1",
        acquired_at=local_time(date(2025, 3, 17), 9),
        notes="Field team's report on the two mass graves: dimensions, markers, estimates, "
        "access. FICTIONAL demo document.",
        supports=list(a.sites),
    )
    return [release, article, mission]


def transcripts(a: Anchors) -> list[Exhibit]:
    """Each witness's Arabic transcript, and the English translation of some."""
    out = []
    for w, wit in enumerate(a.witnesses):
        seen = [(a.occurred[n][1], a.occurred[n][2]) for n in wit.seen]
        supports = [wit.testimony_id, wit.person_id] + [a.events[n] for n in wit.seen]
        name = f"{wit.label}_interview_{wit.interviewed:%Y-%m-%d}_ar.txt"
        out.append(Exhibit(
            name=name,
            data=testimony.arabic(wit.label, w, wit.interviewed, seen).encode("utf-8"),
            source=f"Interview by INV-1 with {wit.label}, transcribed from the audio recording",
            method="interview",
            acquired_by="INV-1",
            acquired_at=local_time(wit.interviewed, 19),
            notes=(f"Arabic transcript of the interview with witness {wit.label} (pseudonym; "
                   "the identity is kept in the identity vault only). FICTIONAL demo."),
            supports=supports,
        ))  # fmt: skip
        if w in TRANSLATED:
            out.append(Exhibit(
                name=name.replace("_ar.txt", "_en.txt"),
                data=testimony.english(wit.label, w, wit.interviewed, seen).encode("utf-8"),
                source=f"Translated from {name} by the team's translator TR-1",
                method="translation",
                acquired_by="TR-1",
                acquired_at=local_time(wit.interviewed + timedelta(days=2), 11),
                notes=f"English translation of the transcript of {wit.label}. FICTIONAL demo.",
                supports=supports,
                derived_from=name,
                derivation="translation",
            ))  # fmt: skip
    return out
