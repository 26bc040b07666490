"""An evaluation set from REAL transliteration pairs, with a fixed held-out half.

**Sources** (``../shared/data/names``, ``SOURCES.md``): Google's ``ar2en.txt``
(google/transliteration, Apache-2.0; 15,898 Arabic word -> Latin spelling pairs mined from
Wikipedia, all three of Google's own splits together, mostly non-Arabic names) and the
Wikidata person-label token pairs of Merhav & Ash (COLING 2018, CC0), kept when seen at
least twice and when they make at least 3 % of the sightings of their Arabic name (single
and rare sightings are mostly mis-alignments, e.g. محمد -> yasmina). Particles that are no
name alone (بن, ابو, عبد; and, de, von, bin, al, ...) are left out. Nobody here wrote
these spellings.

**Split**: :func:`linkage_sets.half_of` -- SHA-256 of the folded Arabic form, even -> dev,
odd -> test, about 50/50, the same on every machine; all spellings of one folded Arabic
name fall in the same half, so a Latin spelling learnt from dev never gives away a test
name's Arabic. **The test half must never be used for learning or tuning**: not for key or
variant tables, not for priors, thresholds or comparison levels, not for choosing anything
in this module. Only the dev half may be learnt from. dalil's cross-script key table
(``tools/build_name_keys.py``, the one table linkage reads) skips ``half_of(ar) ==
"test"`` since issue 25. ``tools/build_name_variants.py`` (person search, not linkage)
still reads the whole Wikidata file; neither reads Google's pairs.

**(a) Pairs** (:func:`pairs`) for measuring a name comparator, four kinds:

- ``ar-lat``: an Arabic spelling and one of its Latin spellings (positive);
- ``lat-lat``: two Latin spellings of one Arabic name (positive; at most 6 per name);
- ``ar-ar``: two Arabic spellings that fold differently but share a Latin spelling
  (positive, e.g. جوزيف/جوزف); only across the two sources, as the Wikidata file holds
  one Arabic form per English token (a few hundred pairs, noisier than the others);
- for every positive a **hard negative** of the same kind: the second member replaced by
  the closest string (Levenshtein, among up to 40 strings of the same script sharing the
  first two letters, else the first, and a length within one) that belongs to another
  Arabic name and shares no Latin spelling with the first member's name (e.g. محمد/محمود).
  Mined data being mined, some positives are mis-alignments and some negatives are variant
  spellings that happened to be filed under two names; check a sample before trusting the
  third decimal.

**(b) Lists** (:func:`lists`): people whose given, father and family names are drawn from
the test half (given and father preferably among names the TFP Gaza dictionary's Arabic
side also holds, i.e. names used by Arabic speakers, when the half has 200 or more of
them); weights the square root of Wikidata's count (1 for Google). Four lists, each
holding a person with probability 0.5: ``ar_one`` (the commonest Arabic spelling),
``ar_two`` (another real Arabic spelling with probability 0.5 when the data has one),
``lat_one`` (the commonest Latin spelling), ``lat_two`` (another real Latin spelling,
drawn by count, when there is one). No other name noise: what is measured is matching
real transliterations. Dates within 60 days from 2025-01-01 (10 % missing), places as in
the second generator (first writing; 20 % missing), ages (40 % missing).
"""

from __future__ import annotations

import math
import random
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

from linkage_sets import (
    DATA,
    Generated,
    fold,
    half_of,
    read_google,
    read_tfp,
    read_wikidata,
    word_set,
)
from linkage_sets.second_generator import PLACES

#: tokens of multi-word names that are no name on their own (connectors, articles, "and")
_AR_PARTICLES = frozenset(["بن", "ابن", "بنت", "ابو", "عبد", "ال", "و"])
_LATIN_PARTICLES = word_set(
    "and of the de del della di da do dos das du la le les von van der den ten bin ben ibn "
    "bint al el abu abd"
)


@dataclass
class Group:
    """One Arabic name (by :func:`fold`): its Arabic spellings and Latin spellings, with
    counts summed over the chosen sources."""

    key: str
    arabic: Counter[str]
    latin: Counter[str]


@dataclass(frozen=True)
class NamePair:
    a: str
    b: str
    kind: str  # "ar-lat" | "lat-lat" | "ar-ar"
    match: bool


def groups(
    half: str = "test", sources: tuple[str, ...] = ("google", "wikidata"), data: Path = DATA
) -> list[Group]:
    """The names of one half, sorted by key (deterministic)."""
    sightings = (read_google(data) if "google" in sources else []) + (
        [s for s in read_wikidata(data) if s.count >= 2] if "wikidata" in sources else []
    )
    by_key: dict[str, Group] = {}
    from_google: set[tuple[str, str]] = set()
    for s in sightings:
        key = fold(s.arabic)
        if half_of(s.arabic) != half or key in _AR_PARTICLES or s.latin in _LATIN_PARTICLES:
            continue
        g = by_key.setdefault(key, Group(key, Counter(), Counter()))
        g.arabic[s.arabic] += s.count
        g.latin[s.latin] += s.count
        if s.source == "google":
            from_google.add((key, s.latin))
    for g in by_key.values():  # mined spellings rarer than 3 % of the name's are mostly noise
        floor = 0.03 * sum(g.latin.values())
        for lat in [lat for lat, c in g.latin.items() if c < floor]:
            if (g.key, lat) not in from_google:
                del g.latin[lat]
    return [by_key[k] for k in sorted(by_key)]


def _levenshtein(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


class _Nearest:
    """Hard negatives: the closest string of one script that belongs to another name."""

    def __init__(self, owners: dict[str, set[str]], rng: random.Random) -> None:
        self.owners, self.rng = owners, rng  # string -> keys of the names it spells
        self.buckets: dict[tuple[str, int], list[str]] = defaultdict(list)
        for s in sorted(owners):
            self.buckets[(s[:2], len(s))].append(s)
            self.buckets[(s[:1], len(s))].append(s)

    def __call__(self, like: str, avoid: set[str]) -> str | None:
        for prefix in (like[:2], like[:1]):
            pool = [
                s
                for n in (len(like) - 1, len(like), len(like) + 1)
                for s in self.buckets.get((prefix, n), [])
                if s != like and not self.owners[s] & avoid
            ]
            if pool:
                pool = self.rng.sample(pool, min(40, len(pool)))
                return min(pool, key=lambda s: (_levenshtein(s, like), s))
        return None


def pairs(
    half: str = "test",
    seed: int = 1,
    sources: tuple[str, ...] = ("google", "wikidata"),
    limit: int = 5000,
    data: Path = DATA,
) -> list[NamePair]:
    """Positive pairs of each kind (at most ``limit`` per kind, sampled with ``seed``) and
    one hard negative per positive where one exists."""
    rng = random.Random(seed)
    gs = groups(half, sources, data)
    positives: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # kind -> (a, b, key)
    lat_owner: dict[str, set[str]] = defaultdict(set)
    ar_owner: dict[str, set[str]] = defaultdict(set)
    for g in gs:
        for lat in g.latin:
            lat_owner[lat].add(g.key)
        for ar in g.arabic:
            ar_owner[ar].add(g.key)
        for ar in g.arabic:
            positives["ar-lat"] += [(ar, lat, g.key) for lat in g.latin]
        top = [lat for lat, _ in g.latin.most_common(4)]
        positives["lat-lat"] += [(a, b, g.key) for a, b in combinations(top, 2)]
    by_key = {g.key: g for g in gs}
    for keys in (sorted(k) for k in lat_owner.values() if len(k) > 1):
        for k1, k2 in combinations(keys[:4], 2):
            a, b = by_key[k1].arabic.most_common(1)[0][0], by_key[k2].arabic.most_common(1)[0][0]
            positives["ar-ar"].append((a, b, k1))
    near = {"lat": _Nearest(lat_owner, rng), "ar": _Nearest(ar_owner, rng)}
    out: list[NamePair] = []
    for kind in ("ar-lat", "lat-lat", "ar-ar"):
        chosen = sorted(set(positives[kind]))
        chosen = rng.sample(chosen, min(limit, len(chosen)))
        for a, b, key in chosen:
            out.append(NamePair(a, b, kind, True))
            # names that share a Latin spelling with this one are not "different names"
            avoid = {key} | {k for lat in by_key[key].latin for k in lat_owner[lat]}
            neg = near["ar" if kind == "ar-ar" else "lat"](b, avoid)
            if neg is not None:
                out.append(NamePair(a, neg, kind, False))
    return out


def lists(
    people: int,
    seed: int = 1,
    half: str = "test",
    sources: tuple[str, ...] = ("google", "wikidata"),
    data: Path = DATA,
) -> Generated:
    """Four lists (two Arabic, two Latin) of ``people`` persons named from ``half``."""
    rng = random.Random(seed)
    gs = [g for g in groups(half, sources, data) if g.latin and len(g.key) >= 2]
    arabic_names = {fold(s.arabic) for s in read_tfp(data)}
    common = [g for g in gs if g.key in arabic_names]
    given_pool = common if len(common) >= 200 else gs

    def weights(pool: list[Group]) -> list[float]:
        return [math.sqrt(sum(g.latin.values())) for g in pool]

    gw, fw = weights(given_pool), weights(gs)
    out = Generated({}, {}, [], people)
    made: dict[str, list[tuple[dict[str, str], str]]] = {
        n: [] for n in ("ar_one", "ar_two", "lat_one", "lat_two")
    }
    places = list(PLACES)
    for i in range(people):
        pid = f"N{i + 1:06d}"
        chain = [*rng.choices(given_pool, gw, k=2), rng.choices(gs, fw)[0]]
        died = date(2025, 1, 1) + timedelta(days=rng.randrange(60))
        place, age = rng.choice(places), rng.randint(1, 85)
        for name in made:
            if rng.random() >= 0.5:
                continue
            words = [_spell(g, name, rng) for g in chain]
            _, ar_ways, lat_ways = PLACES[place]
            row = {
                "full_name": " ".join(words),
                "age": "" if rng.random() < 0.4 else str(age),
                "date_of_death": "" if rng.random() < 0.1 else died.isoformat(),
                "place_of_death": ""
                if rng.random() < 0.2
                else (ar_ways if name.startswith("ar") else lat_ways)[0],
            }
            made[name].append((row, pid))
    for name, records in made.items():
        rng.shuffle(records)
        rows = []
        for j, (row, pid) in enumerate(records, 1):
            rid = f"{name[:2].upper()}{name[-3:]}-{j}"
            rows.append({"record_id": rid, **row})
            out.truth[(name, rid)] = pid
        out.lists[name] = rows
    return out


def _spell(g: Group, list_name: str, rng: random.Random) -> str:
    counts = g.arabic if list_name.startswith("ar") else g.latin
    ranked = counts.most_common()
    first = ranked[0][0]
    if list_name.endswith("one") or len(ranked) == 1:
        return first if list_name.startswith("ar") else first.title()
    if list_name.startswith("ar"):
        return rng.choice([s for s, _ in ranked[1:]]) if rng.random() < 0.5 else first
    others = ranked[1:]
    return rng.choices([s for s, _ in others], [c for _, c in others])[0].title()
