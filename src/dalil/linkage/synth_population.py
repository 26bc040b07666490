"""The fictional population behind the synthetic victim lists: who died, when and where.

Names are four-part chains (given, father, grandfather, family) drawn with Zipf-like
frequencies from :mod:`dalil.linkage.name_pool` (a few given names such as Mohammad are
very common, as in Syrian records); towns are drawn the same way from the bundled GeoNames
extract, weighted by population rank. People come in **families**: siblings share father,
grandfather and family name, and a father and his son may both die (the son's father name
is the father's given name), so genuine namesakes occur. Each person has a latent
visibility (log-normal), which makes capture by the lists heterogeneous.

Everything is fictional and deterministic for a seed: the draws are made in a fixed order
from the caller's random generator.
"""

from __future__ import annotations

import csv
import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from importlib import resources

from dalil.linkage.name_pool import Token, pools
from dalil.places.index import GOVERNORATES


@dataclass(frozen=True)
class Town:
    """A Syrian town of the gazetteer: its Arabic name, up to four Latin spellings, and its
    governorate (English and Arabic)."""

    ar: str
    latin: tuple[str, ...]
    governorate: str
    governorate_ar: str


@dataclass
class Person:
    """One fictional death: the true values the lists' records are noisy copies of.

    ``n`` is the person's number (the truth key), ``age`` in years (None: unknown),
    ``visibility`` a positive factor on the odds of being captured by any list."""

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


@cache
def towns() -> tuple[Town, ...]:
    """Towns of the bundled GeoNames extract with an Arabic and a Latin name, most
    populous first."""
    text = (
        resources.files("dalil").joinpath("data/geo/geonames_sy_cities500.csv").read_text("utf-8")
    )
    gov_ar = {gov: names[0] for gov, names in GOVERNORATES.items()}  # Arabic name first
    out = []
    rows = sorted(csv.DictReader(text.splitlines()), key=lambda r: -int(r["population"] or 0))
    for row in rows:
        ar = [n for n in row["names_ar"].split("|") if n]
        latin = [n for n in row["names_latin"].split("|") if n and n.isascii() and n[0].isupper()]
        if ar and latin and row["admin1_name"] in gov_ar:
            out.append(
                Town(ar[0], tuple(latin[:4]), row["admin1_name"], gov_ar[row["admin1_name"]])
            )
    return tuple(out)


def zipf_index(rng: random.Random, n: int, s: float = 1.1) -> int:
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


def population(rng: random.Random, n: int, start: date, days: int) -> list[Person]:
    """``n`` people killed over ``days`` days from ``start``, drawn family by family."""
    male, female, family = pools()
    places = towns()
    people: list[Person] = []
    while len(people) < n:
        fam = family[zipf_index(rng, len(family), 0.9)]
        grand = male[zipf_index(rng, len(male))]
        father = male[zipf_index(rng, len(male))]
        town = places[zipf_index(rng, len(places), 0.8)]
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
                    male[zipf_index(rng, len(male))],
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
            given = pool[zipf_index(rng, len(pool))]
            while given.ar in used:  # siblings do not share a given name
                given = pool[zipf_index(rng, len(pool))]
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
        female[zipf_index(rng, len(female))],
        age,
        day,
        town,
        visibility,
    )
