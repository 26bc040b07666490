"""Evaluation sets for victim-list linkage that are independent of ``dalil.linkage.synth``.

- :mod:`linkage_sets.second_generator`: mixed-script Syrian-style lists written from issue
  25's description of real lists, with its own name pools built from public name data.
- :mod:`linkage_sets.name_pairs`: real Arabic/Latin transliteration pairs (Google ar2en,
  Wikidata COLING 2018) with a fixed held-out half, as comparator pairs and as lists.

This module reads the public name data shared beside the checkout (``../shared/data/names``,
licences and commits in its ``SOURCES.md``; override with ``DALIL_NAMES_DATA``). Nothing
here imports dalil's own name tables: these sets must not share their construction with
the code they measure.
"""

from __future__ import annotations

import csv
import hashlib
import os
import random
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

DATA = Path(
    os.environ.get(
        "DALIL_NAMES_DATA", Path(__file__).resolve().parents[3] / "shared" / "data" / "names"
    )
)
TFP = "tfp-palestine-datasets/dict_ar_en.csv"
TFP_VARIANTS = "tfp-palestine-datasets/dict_ar_ar.csv"
WIKIDATA = "wikidata-coling2018-ar/wd_arabic.normalized.aligned.tokens"
GOOGLE = "google-transliteration-ar2en/ar2en.txt"

_MARKS = re.compile("[\u064b-\u065f\u0670\u0640\u200b-\u200f\u061c]")
_LETTERS = str.maketrans("أإآٱؤئةىکیۀ", "اااايوهيكيه")
_ARABIC = re.compile("[\u0600-\u06ff]")
_ARABIC_WORD = re.compile("^[\u0621-\u064a\u0671-\u06d3 ]+$")
_LATIN_WORD = re.compile("^[a-z][a-z'-]*[a-z]$")


def fold(arabic: str) -> str:
    """A coarse Arabic spelling key used only to group and split these sets: marks and
    spaces removed, alef/hamza seats, ta marbuta and alef maqsura folded. Written here on
    purpose (not dalil's normaliser), so the split does not depend on the code measured."""
    return _MARKS.sub("", arabic).translate(_LETTERS).replace(" ", "")


def is_arabic(text: str) -> bool:
    return bool(_ARABIC.search(text))


def is_arabic_word(text: str) -> bool:
    return bool(_ARABIC_WORD.match(text)) and len(fold(text)) >= 2


def is_latin_word(text: str) -> bool:
    return bool(_LATIN_WORD.match(text))


def half_of(arabic: str) -> str:
    """``"dev"`` or ``"test"``: SHA-256 of :func:`fold` of the Arabic form, first eight
    bytes as a big-endian integer, even -> dev, odd -> test. Stable across runs, machines
    and Python versions; every spelling of one folded Arabic name falls in the same half."""
    digest = hashlib.sha256(fold(arabic).encode("utf-8")).digest()
    return "test" if int.from_bytes(digest[:8], "big") % 2 else "dev"


@dataclass(frozen=True)
class Sighting:
    """One (Arabic, Latin) pair as a source gives it; ``count`` is how often the mined
    source saw it (1 for the dictionaries)."""

    arabic: str
    latin: str
    count: int
    source: str


def read_tfp(data: Path = DATA) -> list[Sighting]:
    """TechForPalestine ``dict_ar_en.csv`` (public domain): Arabic name segments of the
    Gaza MoH list with the English spelling used there. Rows that are not one Arabic name
    (digits, brackets, slashes) are skipped; compounds with a space are kept."""
    out = []
    with (data / TFP).open(encoding="utf-8") as fh:
        for row in csv.reader(fh):
            if len(row) != 2:
                continue
            ar, en = row[0].strip(), row[1].strip().lower()
            if is_arabic_word(ar) and re.match("^[a-z][a-z' -]*[a-z]$", en):
                out.append(Sighting(ar, en, 1, "tfp"))
    return out


def read_wikidata(data: Path = DATA) -> list[Sighting]:
    """Merhav & Ash (COLING 2018, CC0): English token -> Arabic token pairs aligned from
    Wikidata person labels, with how often each pair was seen."""
    out = []
    with (data / WIKIDATA).open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or not parts[2].isdigit():
                continue
            ar, en = parts[1].replace(" ", ""), parts[0].lower()
            if is_arabic_word(ar) and is_latin_word(en):
                out.append(Sighting(ar, en, int(parts[2]), "wikidata"))
    return out


def read_google(data: Path = DATA) -> list[Sighting]:
    """google/transliteration ``ar2en.txt`` (Apache-2.0): Arabic word -> Latin spelling,
    mined from Wikipedia; mostly non-Arabic names written in Arabic script."""
    out = []
    with (data / GOOGLE).open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 2:
                continue
            ar, en = parts[0].strip(), parts[1].strip().lower()
            if is_arabic_word(ar) and " " not in ar and is_latin_word(en):
                out.append(Sighting(ar, en, 1, "google"))
    return out


def word_set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_ARABIC_ONLY = re.compile("[عحخقصضطظذثغ]|ه$")
#: folded male names ending in ة/ه (not female by their ending)
_MALE_IN_A = word_set(
    "حمزه اسامه طلحه عبيده معاويه عكرمه قتيبه عطيه خليفه جمعه حماده عوده حموده "
    "سلامه بشاره شحاته عرفه بركه عماره جوده حذيفه طه عبده ربه"
)
#: folded female names without a feminine ending
_FEMALE = word_set(
    "زينب مريم هند سعاد نور ايمان امل رباب سهام وداد نجاح ابتسام اخلاص هيام منار رهف "
    "دعاء الاء اسماء شيماء بشري هدي سلمي ليلي مني نهي رنا لينا دينا ريم سوسن بتول "
    "ياسمين نسرين شيرين غدير وفاء رجاء هناء سناء ضحي رغد عبير عفاف انعام احلام ميساء "
    "لمي جود تسنيم ملاك سماح كوثر ندي"
)


@dataclass(frozen=True)
class Name:
    """One name: its Arabic spellings (canonical first), TFP's English spelling and the
    other real Latin spellings Wikidata has for it, with counts."""

    arabic: tuple[str, ...]
    english: str
    variants: tuple[tuple[str, int], ...]
    female: bool


@dataclass
class Pools:
    male: list[Name]
    male_w: list[float]
    female: list[Name]
    female_w: list[float]
    family: list[Name]
    family_w: list[float]


def _canonical(spellings: list[str], english: str) -> tuple[str, ...]:
    def score(s: str) -> int:
        return bool(re.search("[أإآ]", s)) + s.endswith("ة") + (" " not in s)

    ordered = sorted(dict.fromkeys(spellings), key=lambda s: -score(s))
    first = ordered[0]
    if first.endswith("ى") and english[-1:] in "iy":  # Egyptian alef maqsura -> Levantine ي
        first = first[:-1] + "ي"
    return (first, *[s for s in ordered if s != first])


def build_pools(seed: int, data: Path = DATA, half: str | None = None) -> Pools:
    """Name pools for :mod:`linkage_sets.second_generator` (its docstring gives the rules):
    TFP segments grouped by :func:`fold`, Wikidata's spellings and counts of each; with
    ``half`` only the names of that half (:func:`half_of`)."""
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for s in read_tfp(data):
        if half is None or half_of(s.arabic) == half:
            groups[fold(s.arabic)].append((s.arabic, s.latin))
    wd: dict[str, Counter[str]] = defaultdict(Counter)
    for s in read_wikidata(data):
        wd[fold(s.arabic)][s.latin] += s.count
    pools = Pools([], [], [], [], [], [])
    family: list[tuple[Name, float]] = []
    for key, sightings in groups.items():
        english = Counter(e for _, e in sightings).most_common(1)[0][0]
        total = sum(wd[key].values())
        variants = tuple((v, c) for v, c in wd[key].most_common() if c >= 2 and c >= 0.03 * total)
        female = key in _FEMALE or (
            key[-1] == "ه" and re.search("(a|ah|eh|aa)$", english) is not None
            and key not in _MALE_IN_A
        )  # fmt: skip
        name = Name(_canonical([a for a, _ in sightings], english), english, variants, female)
        article = key.startswith("ال") and english.startswith(("al", "el"))
        if article or key.startswith("ابو"):
            family.append((name, 2.5 if article else 0.3))
            continue
        if key.startswith(("ال", "ابن", "بن")):  # الرحمن (of عبدالرحمن), ابنالاء (son of)
            continue
        if len(key) < 3 or key == "عبد" or (" " in name.arabic[0] and not key.startswith("عبد")):
            continue
        if total < 3:  # rare: a family name, unless it looks like a woman's name
            if not female:
                family.append((name, 1.0))
            continue
        weight = total * (1.0 if _ARABIC_ONLY.search(key) else 0.03)
        target = (pools.female, pools.female_w) if female else (pools.male, pools.male_w)
        target[0].append(name)
        target[1].append(weight)
        if not female:
            family.append((name, 0.5))
    random.Random(seed).shuffle(family)
    for rank, (name, w) in enumerate(family):
        pools.family.append(name)
        pools.family_w.append(w / (rank + 1) ** 0.7)
    return pools


@dataclass
class Generated:
    """A generated evaluation set: lists (source -> CSV rows), the truth ((source,
    record_id) -> person id), every noise applied as (source, record_id, kind), and the
    number of people in the population (some on no list)."""

    lists: dict[str, list[dict[str, str]]]
    truth: dict[tuple[str, str], str]
    noise: list[tuple[str, str, str]] = field(default_factory=list)
    people: int = 0


def write(gen: Generated, directory: Path) -> list[Path]:
    """One ``<list>.csv`` per list (``ar_short`` with a UTF-8 BOM, as Excel writes it) and
    ``truth.csv``; returns the list files."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, rows in gen.lists.items():
        path = directory / f"{name}.csv"
        columns = list(rows[0]) if rows else ["record_id", "full_name"]
        with path.open("w", encoding="utf-8-sig" if name == "ar_short" else "utf-8",
                       newline="") as fh:  # fmt: skip
            w = csv.DictWriter(fh, columns)
            w.writeheader()
            w.writerows(rows)
        paths.append(path)
    with (directory / "truth.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["source", "record_id", "person_id"])
        out.writerows([s, r, p] for (s, r), p in gen.truth.items())
    return paths


def noise_rates(gen: Generated) -> dict[str, dict[str, float]]:
    """Observed share of records carrying each noise kind, per list."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for source, _, kind in gen.noise:
        counts[source][kind] += 1
    return {s: {k: c / max(1, len(gen.lists[s])) for k, c in counts[s].items()} for s in gen.lists}
