"""Syrian-style victim lists of any size with known truth, for tests and benchmarks.

Real victim lists are personal data and cannot be shipped; linkage quality must still be
measured on data that is as hard as the real thing. The generator draws a population of
deaths and lets several fictional NGOs document it:

* names: four-part chains (given, father, grandfather, family) with Zipf-like frequencies
  (a few given names such as Mohammad are very common, as in Syrian records), drawn from
  the lexicon of :mod:`dalil.linkage.name_pool` (shared with the demo) and the
  public-domain TechForPalestine token list; **families**:
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

Everything is fictional and deterministic for a seed. The population is drawn in
:mod:`dalil.linkage.synth_population`, the spellings in :mod:`dalil.linkage.synth_spelling`;
this module lets the lists capture the population and write their rows.
"""

from __future__ import annotations

import csv
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TypeVar

from dalil.intake.victim_lists import FIELDS
from dalil.linkage import synth_population
from dalil.linkage.synth_population import Person
from dalil.linkage.synth_spelling import spell


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


def _row(rng: random.Random, p: Person, style: str, rid: str) -> dict[str, str]:
    given = spell(rng, p.given, style, False)
    father = spell(rng, p.father, style, False) if rng.random() < 0.9 else ""
    grand = spell(rng, p.grandfather, style, False) if rng.random() < 0.6 else ""
    family = spell(rng, p.family, style, True) if rng.random() < 0.95 else ""
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
        "mother_name": spell(rng, p.mother, style, False) if rng.random() < 0.2 else "",
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
    population = synth_population.population(rng, people, start, days)
    towns = synth_population.towns()
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
