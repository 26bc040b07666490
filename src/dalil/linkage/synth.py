"""Syrian-style victim lists of any size with known truth, for tests and benchmarks.

Real victim lists are personal data and cannot be shipped; linkage quality must still be
measured on data that is as hard as the real thing. The generator draws a population of
deaths and lets several fictional NGOs document it:

* names: four-part chains (given, father, grandfather, family) with Zipf-like frequencies
  (a few given names such as Mohammad are very common, as in Syrian records), drawn from
  the demo lexicon and the public-domain TechForPalestine token list; **families**:
  siblings share father, grandfather and family name, and a father and his son may both
  die (the son's father name is the father's given name), so genuine namesakes occur;
* one list in Arabic script (with real spelling noise: compound spacing, hamza and
  ta-marbuta variants), the others in Latin transliteration, each with its own style
  (English-leaning, French-leaning, or the TFP spellings) and a mutator for common
  variation (ou/u/o, ee/i, doubled letters, q/k, sh/ch, th/z, final h, al-/el-);
* noise: typos, dropped grandfather/father, "FAMILY, Given Father" order, missing sex,
  age off by one or two, death date off by a day or given only as a month, missing place,
  duplicates within a list;
* heterogeneous capture: each person has a latent visibility, each list a base rate and a
  per-town bias, so list overlaps are realistic input for estimation too.

Everything is fictional and deterministic for a seed.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import TypeVar

from dalil.demo.names import FAMILY, FEMALE, MALE
from dalil.intake.victim_lists import FIELDS
from dalil.linkage.places import GOVERNORATES


@dataclass(frozen=True)
class Token:
    """One name token: Arabic script and a base Latin spelling."""

    ar: str
    en: str


@dataclass(frozen=True)
class Town:
    ar: str
    latin: tuple[str, ...]
    governorate: str
    governorate_ar: str


@dataclass
class Person:
    n: int
    sex: str
    given: Token
    father: Token
    grandfather: Token
    family: Token
    mother: Token
    age: int | None
    day: date
    town: Town
    visibility: float


@dataclass
class SyntheticLists:
    """Generated lists: ``lists[name]`` rows in the victim-list schema; ``truth`` maps
    (list name, record_id) to the true person number."""

    lists: dict[str, list[dict[str, str]]]
    truth: dict[tuple[str, str], int]
    people: list[Person] = field(repr=False, default_factory=list)

    def true_pairs(self) -> set[tuple[tuple[str, str], tuple[str, str]]]:
        """Every unordered pair of records describing the same person (sorted keys)."""
        by_person: dict[int, list[tuple[str, str]]] = {}
        for key, n in self.truth.items():
            by_person.setdefault(n, []).append(key)
        return pairs_within(by_person.values())

    def write(self, folder: str) -> list[str]:
        """Write one CSV per list (UTF-8) plus truth.csv; returns the list paths."""
        import os

        os.makedirs(folder, exist_ok=True)
        paths = []
        for name, rows in self.lists.items():
            path = os.path.join(folder, f"{name}.csv")
            with open(path, "w", newline="", encoding="utf-8") as fh:
                writer = csv.DictWriter(fh, fieldnames=FIELDS)
                writer.writeheader()
                writer.writerows(rows)
            paths.append(path)
        with open(os.path.join(folder, "truth.csv"), "w", newline="", encoding="utf-8") as fh:
            w = csv.writer(fh)
            w.writerow(("source", "record_id", "true_person"))
            for (src, rid), n in sorted(self.truth.items()):
                w.writerow((src, rid, f"P{n}"))
        return paths


K = TypeVar("K", str, tuple[str, str])


def pairs_within(groups: Iterable[Iterable[K]]) -> set[tuple[K, K]]:
    """Every unordered pair (smaller first) of items sharing a group: the pairwise view of
    a clustering, used to score linkage against the truth."""
    out: set[tuple[K, K]] = set()
    for group in groups:
        keys = sorted(group)
        for i, a in enumerate(keys):
            out.update((a, b) for b in keys[i + 1 :])
    return out


@cache
def _tfp_tokens() -> tuple[Token, ...]:
    text = resources.files("dalil").joinpath("data/names/tfp_ar_en.tsv").read_text("utf-8")
    out = []
    for line in text.splitlines():
        if line and not line.startswith("#"):
            ar, en = line.split("\t")
            out.append(Token(ar, en))
    return tuple(out)


@cache
def _towns() -> tuple[Town, ...]:
    text = (
        resources.files("dalil").joinpath("data/geo/geonames_sy_cities500.csv").read_text("utf-8")
    )
    gov_ar = {gov: names[0] for gov, names in GOVERNORATES.items()}  # Arabic name first
    towns = []
    rows = sorted(csv.DictReader(text.splitlines()), key=lambda r: -int(r["population"] or 0))
    for row in rows:
        ar = [n for n in row["names_ar"].split("|") if n]
        latin = [n for n in row["names_latin"].split("|") if n and n.isascii() and n[0].isupper()]
        if ar and latin and row["admin1_name"] in gov_ar:
            towns.append(
                Town(ar[0], tuple(latin[:4]), row["admin1_name"], gov_ar[row["admin1_name"]])
            )
    return tuple(towns)


def _zipf(rng: random.Random, n: int, s: float = 1.1) -> int:
    """Index in [0, n) with probability proportional to 1/(i+1)^s (inverse-CDF by bisection)."""
    weights = _zipf_cdf(n, s)
    u = rng.random() * weights[-1]
    lo, hi = 0, n - 1
    while lo < hi:
        mid = (lo + hi) // 2
        if weights[mid] < u:
            lo = mid + 1
        else:
            hi = mid
    return lo


@cache
def _zipf_cdf(n: int, s: float) -> list[float]:
    total, out = 0.0, []
    for i in range(n):
        total += 1.0 / (i + 1) ** s
        out.append(total)
    return out


@cache
def _pools() -> tuple[tuple[Token, ...], tuple[Token, ...], tuple[Token, ...]]:
    tfp = _tfp_tokens()
    plain = tuple(t for t in tfp if not t.ar.startswith("ال"))
    article = tuple(t for t in tfp if t.ar.startswith("ال"))
    male = tuple(Token(a, b) for a, b, _ in MALE) + plain[::3]
    female = tuple(Token(a, b) for a, b, _ in FEMALE) + plain[1::3]
    base = tuple(t for pair in zip(plain[2::3], article, strict=False) for t in pair)
    # More family names, as real lists have: nisba forms (-ي / -i) and Abu-names.
    nisba = tuple(Token(t.ar + "ي", t.en + "i") for t in plain[2::3] if not t.ar.endswith("ي"))
    abu = tuple(Token("أبو " + t.ar, "Abu " + t.en.capitalize()) for t in plain[::7])
    family = tuple(Token(a, b.replace("Al ", "al-")) for a, b, _ in FAMILY) + base + nisba + abu
    return male, female, family


# -- spelling variation ------------------------------------------------------------------------

_LATIN_SWAPS = (
    ("ou", "u"),
    ("u", "ou"),
    ("u", "o"),
    ("o", "u"),
    ("ee", "i"),
    ("i", "ee"),
    ("i", "e"),
    ("e", "a"),
    ("a", "e"),
    ("q", "k"),
    ("k", "q"),
    ("sh", "ch"),
    ("th", "z"),
    ("dh", "z"),
    ("j", "dj"),
    ("y", "i"),
    ("ai", "ei"),
    ("ay", "ai"),
    ("aa", "a"),
)
_FRENCH = (("ou", "ou"), ("u", "ou"), ("sh", "ch"), ("j", "dj"), ("ee", "i"), ("q", "k"))
_ARABIC_SWAPS = (("ة", "ه"), ("أ", "ا"), ("إ", "ا"), ("ى", "ي"), ("ي", "ى"), ("ئ", "ي"))


def _latin_variant(rng: random.Random, word: str, style: str) -> str:
    w = word.lower()
    if style == "french":
        for a, b in _FRENCH:
            if a in w and rng.random() < 0.7:
                w = w.replace(a, b, 1)
    for _ in range(2 if style != "tfp" else 1):
        if rng.random() < 0.35:
            a, b = rng.choice(_LATIN_SWAPS)
            if a in w:
                i = w.find(a)
                w = w[:i] + b + w[i + len(a) :]
    if rng.random() < 0.15:  # doubling / undoubling a consonant
        i = rng.randrange(1, max(2, len(w)))
        if i < len(w) and w[i] not in "aeiou-":
            w = w[:i] + w[i] + w[i:] if w[i - 1] != w[i] else w[:i] + w[i + 1 :]
    if rng.random() < 0.1:
        w = w + "h" if w.endswith("a") else w[:-1] if w.endswith("ah") else w
    return w


def _latin_family(rng: random.Random, word: str, style: str) -> str:
    base = word.removeprefix("al-").removeprefix("el-")
    had_article = base != word
    art = "" if not had_article else rng.choice(("al-", "al-", "el-", "al ", "", "el"))
    return art + base


def _typo(rng: random.Random, w: str) -> str:
    if len(w) < 4:
        return w
    i = rng.randrange(1, len(w) - 1)
    op = rng.random()
    if op < 0.4:
        return w[:i] + w[i + 1 :]
    if op < 0.7:
        return w[:i] + w[i + 1] + w[i] + w[i + 2 :]
    pool = "ابتجحدرسعفقلمنهوي" if "\u0600" <= w[0] <= "\u06ff" else "abdehiklmnorstu"
    return w[:i] + rng.choice(pool) + w[i + 1 :]


def _arabic_variant(rng: random.Random, w: str) -> str:
    if rng.random() < 0.3:
        a, b = rng.choice(_ARABIC_SWAPS)
        w = w.replace(a, b, 1)
    if " " in w and rng.random() < 0.4:  # عبد الرحمن / عبدالرحمن
        w = w.replace(" ", "", 1)
    elif w.startswith(("عبد", "أبو", "ابو")) and " " not in w and len(w) > 4 and rng.random() < 0.3:
        w = w[:3] + " " + w[3:]
    return w


def _capitalise(w: str) -> str:
    return " ".join(
        "-".join(p[:1].upper() + p[1:] if p not in ("al", "el") else p for p in part.split("-"))
        for part in w.split(" ")
    )


# -- population and lists ----------------------------------------------------------------------


def _population(rng: random.Random, n: int, start: date, days: int) -> list[Person]:
    male, female, family = _pools()
    towns = _towns()
    people: list[Person] = []
    while len(people) < n:
        fam = family[_zipf(rng, len(family), 0.9)]
        grand = male[_zipf(rng, len(male))]
        father = male[_zipf(rng, len(male))]
        town = towns[_zipf(rng, len(towns), 0.8)]
        day = start + timedelta(days=rng.randrange(days))
        size = min(n - len(people), 1 + int(rng.expovariate(0.9)))
        if size > 1 and rng.random() < 0.25:  # the father dies with his children
            people.append(
                _person(
                    rng,
                    len(people),
                    "male",
                    father,
                    grand,
                    male[_zipf(rng, len(male))],
                    fam,
                    rng.randint(40, 80),
                    day,
                    town,
                    female,
                )
            )
            size -= 1
        used: set[str] = set()
        for _ in range(size):
            sex = "female" if rng.random() < 0.2 else "male"
            pool = female if sex == "female" else male
            given = pool[_zipf(rng, len(pool))]
            while given.ar in used:  # siblings do not share a given name
                given = pool[_zipf(rng, len(pool))]
            used.add(given.ar)
            d = day if rng.random() < 0.8 else day + timedelta(days=rng.choice((-1, 1)))
            people.append(
                _person(
                    rng, len(people), sex, given, father, grand, fam, _age(rng), d, town, female
                )
            )
    return people


def _age(rng: random.Random) -> int | None:
    roll = rng.random()
    if roll < 0.08:
        return None
    if roll < 0.2:
        return rng.randint(1, 17)
    if roll < 0.3:
        return rng.randint(66, 90)
    return rng.randint(18, 65)


def _person(
    rng: random.Random,
    n: int,
    sex: str,
    given: Token,
    father: Token,
    grand: Token,
    fam: Token,
    age: int | None,
    day: date,
    town: Town,
    female: tuple[Token, ...],
) -> Person:
    visibility = math.exp(rng.gauss(0.0, 0.6))
    return Person(
        n,
        sex,
        given,
        father,
        grand,
        fam,
        female[_zipf(rng, len(female))],
        age,
        day,
        town,
        visibility,
    )


def _spell(rng: random.Random, tok: Token, style: str, family: bool) -> str:
    if style == "arabic":
        w = _arabic_variant(rng, tok.ar)
    else:
        w = _latin_variant(rng, tok.en, style)
        w = _capitalise(_latin_family(rng, w, style) if family else w)
    return _typo(rng, w) if rng.random() < 0.04 else w


def _row(rng: random.Random, p: Person, style: str, rid: str) -> dict[str, str]:
    given = _spell(rng, p.given, style, False)
    father = _spell(rng, p.father, style, False) if rng.random() < 0.9 else ""
    grand = _spell(rng, p.grandfather, style, False) if rng.random() < 0.6 else ""
    family = _spell(rng, p.family, style, True) if rng.random() < 0.95 else ""
    parts = [x for x in (given, father, grand, family) if x]
    if style == "arabic":
        full = " ".join(parts) if rng.random() < 0.85 else f"{given} بن {' '.join(parts[1:])}"
    elif family and rng.random() < 0.25:
        full = f"{family.upper()}, {' '.join(x for x in (given, father, grand) if x)}"
    else:
        full = " ".join(parts)
    sex = {"arabic": {"male": "ذكر", "female": "أنثى"}}.get(style, {"male": "M", "female": "F"})
    r = rng.random()
    dod = (
        ""
        if r < 0.05
        else (p.day + timedelta(days=rng.choice((-1, 1)))).isoformat()
        if r < 0.15
        else p.day.strftime("%Y-%m")
        if r < 0.22
        else p.day.isoformat()
    )
    age = (
        ""
        if p.age is None or rng.random() < 0.15
        else str(max(0, p.age + (rng.choice((-2, -1, 1, 2)) if rng.random() < 0.15 else 0)))
    )
    town = (
        "" if rng.random() < 0.1 else p.town.ar if style == "arabic" else rng.choice(p.town.latin)
    )
    split = rng.random() < 0.5  # half the rows give the parts in columns as well
    return {
        "record_id": rid,
        "full_name": full,
        "given_name": given if split else "",
        "father_name": father if split else "",
        "grandfather_name": grand if split else "",
        "family_name": family if split else "",
        "mother_name": _spell(rng, p.mother, style, False) if rng.random() < 0.2 else "",
        "sex": sex[p.sex] if rng.random() < 0.93 else "",
        "age": age,
        "birth_date": "",
        "date_of_death": dod,
        "place_of_death": town,
        "governorate": p.town.governorate_ar if style == "arabic" else p.town.governorate,
    }


STYLES = ("arabic", "english", "french", "tfp")


def generate(
    people: int = 1000,
    lists: int = 3,
    *,
    seed: int = 0,
    start: date = date(2025, 3, 6),
    days: int = 5,
    duplicate_rate: float = 0.04,
) -> SyntheticLists:
    """Generate ``lists`` victim lists documenting a population of ``people`` deaths.

    List 0 is in Arabic script; the others cycle through the Latin styles. ``days`` is the
    length of the period of killings (a short period makes dates weak evidence, as in the
    March 2025 coastal killings).
    """
    rng = random.Random(seed)
    population = _population(rng, people, start, days)
    towns = _towns()
    out: dict[str, list[dict[str, str]]] = {}
    truth: dict[tuple[str, str], int] = {}
    for li in range(lists):
        style = STYLES[0] if li == 0 else STYLES[1 + (li - 1) % 3]
        name = f"list_{chr(ord('a') + li)}_{style}"
        base = (0.45, 0.35, 0.3, 0.25, 0.4, 0.3)[li % 6]
        bias = {t: rng.gauss(0.0, 0.5) for t in towns[:40]}
        rows: list[dict[str, str]] = []
        for p in population:
            logit = math.log(base / (1 - base)) + math.log(p.visibility) + bias.get(p.town, 0.0)
            if rng.random() >= 1 / (1 + math.exp(-logit)):
                continue
            for _ in range(2 if rng.random() < duplicate_rate else 1):
                rid = f"{chr(ord('A') + li)}{len(rows) + 1:07d}"
                rows.append(_row(rng, p, style, rid))
                truth[(name, rid)] = p.n
        rng.shuffle(rows)
        out[name] = rows
    return SyntheticLists(out, truth, population)
