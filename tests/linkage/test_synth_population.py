"""The fictional population behind the synthetic lists (``dalil.linkage.synth_population``)."""

from __future__ import annotations

import random
from collections import Counter
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from dalil.linkage.name_pool import pools
from dalil.linkage.synth_population import population, towns, zipf_index


@given(st.integers(min_value=0, max_value=2**32), st.integers(min_value=1, max_value=500))
def test_zipf_index_is_in_range(seed: int, n: int) -> None:
    rng = random.Random(seed)
    assert all(0 <= zipf_index(rng, n) < n for _ in range(20))


def test_zipf_index_favours_the_first_names() -> None:
    rng = random.Random(0)
    counts = Counter(zipf_index(rng, 50) for _ in range(20_000))
    assert counts[0] > counts[1] > counts[5] > counts[40]
    # 1/(i+1)^1.1 normalised over 50: index 0 has about 24% of the draws
    assert 0.21 < counts[0] / 20_000 < 0.27


def test_towns_are_syrian_gazetteer_towns_most_populous_first() -> None:
    all_towns = towns()
    assert len(all_towns) > 100
    assert all(t.ar and t.latin and t.governorate and t.governorate_ar for t in all_towns)
    assert all(len(t.latin) <= 4 and all(n.isascii() for n in t.latin) for t in all_towns)
    assert all_towns[0].ar == "حلب" and all_towns[0].governorate == "Aleppo"


def test_population_has_families_and_is_deterministic() -> None:
    start = date(2025, 3, 6)
    people = population(random.Random(7), 400, start, 5)
    again = population(random.Random(7), 400, start, 5)
    assert people == again and [p.n for p in people] == list(range(400))
    male, female, _family = pools()
    assert all((p.given in female) == (p.sex == "female") for p in people)
    assert all(p.given in male for p in people if p.sex == "male")
    # within a day either side of the period (siblings may die a day apart)
    assert all(start - timedelta(days=1) <= p.day <= start + timedelta(days=5) for p in people)
    assert all(p.age is None or 1 <= p.age <= 90 for p in people)
    assert all(p.visibility > 0 for p in people)
    families = Counter((p.father, p.grandfather, p.family) for p in people)
    assert max(families.values()) > 1, "siblings share father, grandfather and family name"
    fathers = {(p.given, p.father, p.family) for p in people if p.sex == "male"}
    assert any((p.father, p.grandfather, p.family) in fathers for p in people), (
        "a father and his son both die"
    )
