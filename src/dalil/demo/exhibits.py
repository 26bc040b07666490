"""The demo's evidence files: photographs, a video and its preview, NGO reports, a news
article, a press release and witness transcripts, each sealed in the vault with where it
came from and attached to the records it supports.

Every file is made here at build time (:mod:`~dalil.demo.drawing` draws the photos,
:mod:`~dalil.demo.formats` writes the PDFs and the video, :mod:`~dalil.demo.papers`
writes the texts): nothing is downloaded or copied, and every one says it is fictional.
The files are kept in ``<home>/demo/evidence`` as well, to try the browser's upload with.

Deterministic: each file is drawn from its own seeded generator with fixed timestamps,
so two builds give the same bytes (the same SHA-256 digests). The vault's item ids and
ledger times are not: they are the vault's, made when the items are ingested.

The video is a Motion-JPEG AVI written by hand (ffmpeg is not installed): a three-second
pan along a damaged street at 8 frames a second; an animated GIF preview is derived from
it (derivation ``conversion``), which a browser shows without a video decoder.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, timezone
from pathlib import Path

from dalil.demo import drawing, formats
from dalil.demo.evidence import Witness
from dalil.demo.story import SCENES, TOWNS, Town
from dalil.demo.victims import TruePerson
from dalil.vault.service import Vault

#: Local time of the fictional towns (UTC+3, as the photos' EXIF says).
LOCAL = timezone(timedelta(hours=3))


@dataclass
class Anchors:
    """Ids of the records the evidence supports, from the build: the umbrella event and
    the incidents (``occurred[n]`` is incident ``n``'s (n, day, town)), the burial sites,
    the source records (NGO reports, news article, video), the witnesses, the documented
    victims and which incidents each NGO report covers."""

    umbrella: str
    events: list[str]
    occurred: list[tuple[int, date, Town]]
    sites: list[str]
    reports: list[str]
    media: str
    video: str
    witnesses: list[Witness]
    victims: list[TruePerson]
    covered: list[list[int]] = field(default_factory=list)


@dataclass
class Exhibit:
    """One evidence file before ingest: its original name and bytes, where it came from
    (``source``, ``method``, by whom and when acquired, UTC), a description (``notes``),
    the record ids it supports and, for a derived file, the name of its original and
    how it was derived."""

    name: str
    data: bytes
    source: str
    method: str
    acquired_by: str
    acquired_at: datetime
    notes: str
    supports: list[str]
    derived_from: str | None = None
    derivation: str | None = None


def local_time(day: date, hour: int, minute: int = 0) -> datetime:
    """A local time on ``day``, as UTC (what the vault stores)."""
    return datetime.combine(day, time(hour, minute), LOCAL).astimezone(UTC)


def _near(rng: random.Random, lat: float, lon: float, east: float = 0.0) -> tuple[float, float]:
    """A point within about 200 m of (lat, lon), ``east`` degrees further east."""
    return round(lat + rng.uniform(-0.002, 0.002), 5), round(
        lon + east + rng.uniform(-0.002, 0.002), 5
    )


#: The incidents photographed (indexes into the incidents) and who sent the photos.
STREETS = (
    (0, "resident"),
    (3, "field"),
    (1, "resident"),
    (10, "field"),
    (2, "field"),
    (8, "resident"),
)


def photos(a: Anchors, seed: int) -> list[Exhibit]:
    """Street photos of six incidents and four of the two graves."""
    out = []
    for k, (n, who) in enumerate(STREETS):
        rng = random.Random(seed * 1000 + 10 + k)
        _, day, town = a.occurred[n]
        scene = SCENES[n % len(SCENES)][0]
        taken = datetime.combine(day + timedelta(days=1), time(8 + k, 14 + k, 22))
        lat, lon = _near(rng, town.lat, town.lon)
        img = drawing.street(rng, f"{town.en}, {taken.day} {taken:%B %Y}", smoke=k % 3 == 0)
        resident = who == "resident"
        out.append(Exhibit(
            name=f"IMG_{taken:%Y%m%d_%H%M%S}.jpg",
            data=drawing.jpeg(img, taken, lat, lon),
            source=("A resident of " + town.en + ", sent over a messaging app (fictional)"
                    if resident else "Field team FT-2 of the Coastal Documentation Network "
                    "(fictional)"),
            method="handed_over" if resident else "field_capture",
            acquired_by="INV-1" if resident else "FT-2",
            acquired_at=local_time(day + timedelta(days=2 + k % 3), 11),
            notes=(f"Street {scene}, {town.en}, the morning after the killings of "
                   f"{day.day} {day:%B}: shell and bullet damage, a burnt-out car, rubble. "
                   "No person is visible. Drawn for the FICTIONAL demo."),
            supports=[a.events[n]] + ([a.umbrella] if k == 0 else []),
        ))  # fmt: skip
    graves = (
        (0, date(2025, 3, 14), 8, False, "from the road, looking east; eight numbered markers"),
        (0, date(2025, 3, 14), 6, False, "from the western edge; markers 1 to 6 and scale bar"),
        (1, date(2025, 3, 15), 5, False, "behind the cemetery wall; five numbered markers"),
        (1, date(2025, 3, 27), 5, True, "tyre tracks and fresh soil over the trench"),
    )
    for k, (s, day, markers, tracks, what) in enumerate(graves):
        rng = random.Random(seed * 1000 + 30 + k)
        town = TOWNS[s]
        taken = datetime.combine(day, time(10 + k, 5 * k, 41))
        lat, lon = _near(rng, town.lat, town.lon, east=0.012)
        img = drawing.burial_site(rng, f"BS-{s + 1}, {taken.day} {taken:%B %Y}", markers,
                                  tyre_tracks=tracks)  # fmt: skip
        out.append(Exhibit(
            name=f"IMG_{taken:%Y%m%d_%H%M%S}.jpg",
            data=drawing.jpeg(img, taken, lat, lon),
            source="Field team FT-2 of the Coastal Documentation Network (fictional)",
            method="field_capture",
            acquired_by="FT-2",
            acquired_at=local_time(day, 18),
            notes=(f"Mass grave BS-{s + 1} near {town.en}, {what}. Photographed without "
                   "entering the site (no access was permitted). Drawn for the FICTIONAL demo."),
            supports=[a.sites[s]],
        ))  # fmt: skip
    return out


def _victims_of(a: Anchors, town: Town, count: int) -> list[TruePerson]:
    return [p for p in a.victims if p.town is town and p.person_id][:count]


def _latin(p: TruePerson) -> str:
    return " ".join(getattr(p, part)[1] for part in ("given", "father", "family"))


def documents(a: Anchors, seed: int) -> list[Exhibit]:
    """Three paper documents photographed on a table: a neighbourhood committee's list of
    the dead, a checkpoint notice, a page of a municipal burial register."""
    out = []
    listed = _victims_of(a, TOWNS[0], 6)
    buried = _victims_of(a, TOWNS[1], 6)
    checkpoint = next(n for n, _, _ in a.occurred if SCENES[n % len(SCENES)][1] == "checkpoint")
    _, cp_day, cp_town = a.occurred[checkpoint]
    papers = (
        ("list", "NEIGHBOURHOOD COMMITTEE", [f"List of the dead, {TOWNS[0].en}",
         "6-8 March 2025", ""] + [f"{i + 1}. {_latin(p)}" for i, p in enumerate(listed)],
         "COMMITTEE", date(2025, 3, 11), TOWNS[0],
         [a.events[0]] + [p.person_id or "" for p in listed],
         f"List of six people killed in {TOWNS[0].en}, kept by the neighbourhood "
         "committee; photographed on a table by the field team."),
        ("notice", "NOTICE", ["All men of the quarter are to", "present themselves at the",
         f"checkpoint at the entrance of {cp_town.en}", f"on {cp_day.day} {cp_day:%B %Y}",
         "at 07:00.", "",
         "Bring identity papers.", "By order of the sector command."], "SECTOR", cp_day,
         cp_town, [a.events[checkpoint]],
         f"Printed notice found on a shop door in {cp_town.en}, ordering men to a checkpoint "
         "on the morning of the killings there."),
        ("register", "BURIAL REGISTER, p. 14", [f"Municipality of {TOWNS[1].en}",
         "Entries of 9 March 2025", ""] + [f"{i + 1}. {_latin(p)} - plot BS-2"
         for i, p in enumerate(buried)], "MUNICIPALITY", date(2025, 3, 12), TOWNS[1],
         [a.sites[1]] + [p.person_id or "" for p in buried],
         f"Page of the {TOWNS[1].en} municipal burial register naming six people buried in "
         "the trench behind the cemetery (BS-2)."),
    )  # fmt: skip
    for k, (kind, heading, lines, stamp, day, town, supports, notes) in enumerate(papers):
        rng = random.Random(seed * 1000 + 50 + k)
        taken = datetime.combine(day + timedelta(days=1), time(16, 20 + k, 3))
        img = drawing.document(rng, f"{kind}, {town.en}", heading, lines, stamp=stamp)
        out.append(Exhibit(
            name=f"IMG_{taken:%Y%m%d_%H%M%S}.jpg",
            data=drawing.jpeg(img, taken, *_near(rng, town.lat, town.lon)),
            source="Field team FT-2 of the Coastal Documentation Network (fictional)",
            method="field_capture",
            acquired_by="FT-2",
            acquired_at=local_time(day + timedelta(days=1), 19),
            notes=notes + " The original paper stays with its holder. FICTIONAL demo.",
            supports=[s for s in supports if s],
        ))  # fmt: skip
    return out


def video(a: Anchors, seed: int) -> list[Exhibit]:
    """The video posted online (an MJPEG AVI) and its animated GIF preview."""
    rng = random.Random(seed * 1000 + 70)
    pano = drawing.panorama(rng)
    frames, stills = [], []
    for k in range(24):
        frame = pano.crop((k * 40, 0, k * 40 + 480, 270))
        buf = io.BytesIO()
        frame.save(buf, "JPEG", quality=70)
        frames.append(buf.getvalue())
        if k % 3 == 0:
            stills.append(frame.resize((240, 135)))
    shot = datetime(2025, 3, 7, 6, 12, 5)
    name = f"VID_{shot:%Y%m%d_%H%M%S}.avi"
    where = "Posted on a public social media channel; downloaded by the open-source team"
    original = Exhibit(
        name=name,
        data=formats.mjpeg_avi(frames, 480, 270, 8, shot),
        source=where + " (fictional)",
        method="download",
        acquired_by="OSINT-1",
        acquired_at=local_time(date(2025, 3, 7), 14, 30),
        notes=("Three-second video panning along a damaged street at dawn; the post says it "
               "was filmed in the second incident. Motion-JPEG AVI, no sound. FICTIONAL demo."),
        supports=[a.events[1], a.video],
    )  # fmt: skip
    preview = Exhibit(
        name=name.replace(".avi", "_preview.gif"),
        data=formats.gif(stills, 375),
        source="Made by the team from " + name,
        method="conversion",
        acquired_by="OSINT-1",
        acquired_at=local_time(date(2025, 3, 7), 15),
        notes="Animated preview of the video (every third frame, 240 x 135), for viewing "
        "where no video player is available. FICTIONAL demo.",
        supports=[a.events[1]],
        derived_from=name,
        derivation="conversion",
    )
    return [original, preview]


def seal(vault: Vault, case_id: str, actor: str, exhibits: list[Exhibit], folder: Path) -> int:
    """Write each exhibit to ``folder``, ingest it (derived ones naming their original)
    and attach it to the records it supports. Returns the number of items ingested."""
    folder.mkdir(parents=True, exist_ok=True)
    ids: dict[str, str] = {}
    for ex in exhibits:
        path = folder / ex.name
        path.write_bytes(ex.data)
        done = vault.add(
            case_id,
            path,
            actor,
            acquired_at=ex.acquired_at,
            acquired_by=ex.acquired_by,
            method=ex.method,
            source=ex.source,
            notes=ex.notes,
            derived_from=ids[ex.derived_from] if ex.derived_from else None,
            derivation=ex.derivation,
        )
        ids[ex.name] = done.item_id
        for record_id in ex.supports:
            vault.attach(case_id, done.item_id, record_id, actor)
    return len(ids)
