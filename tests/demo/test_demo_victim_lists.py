"""The demo's victim lists and their truth (``dalil.demo.victim_lists``), from the true
population (``dalil.demo.victims``), without a workspace."""

from __future__ import annotations

import csv
import random
from collections import Counter
from pathlib import Path

from dalil.demo.story import DAYS, DOCUMENTED, NGOS, TOWNS, TRUE_DEATHS
from dalil.demo.victim_lists import write_lists
from dalil.demo.victims import TruePerson, true_population
from dalil.intake.victim_lists import FIELDS
from dalil.places.folding import is_arabic

INCIDENTS = [(n, DAYS[n % 3], TOWNS[n % 3]) for n in range(6)]


def _people(seed: int = 1) -> list[TruePerson]:
    people = true_population(random.Random(seed), INCIDENTS)
    for p in people[:DOCUMENTED]:
        p.person_id = f"person-{p.n}"
    return people


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_true_population() -> None:
    people = true_population(random.Random(3), INCIDENTS)
    assert [p.n for p in people] == list(range(TRUE_DEATHS))
    assert all((p.incident, p.day, p.town) in INCIDENTS for p in people)
    assert Counter(p.sex for p in people)["female"] < TRUE_DEATHS / 3
    assert all(p.age is None or 13 <= p.age <= 84 for p in people)
    assert people == true_population(random.Random(3), INCIDENTS)


def test_three_lists_in_their_scripts_with_the_truth(tmp_path: Path) -> None:
    people = _people()
    paths, truth_path = write_lists(tmp_path, people, random.Random(2))
    assert [p.stem for p in paths] == [stem for _en, _ar, stem in NGOS]
    lists = {p.stem: _rows(p) for p in paths}
    assert all(list(rows[0]) == list(FIELDS) for rows in lists.values())
    arabic, style_a, style_b = lists.values()
    assert all(is_arabic(r["full_name"]) for r in arabic)
    assert not any(is_arabic(r["full_name"]) for r in style_a + style_b)
    assert {r["sex"] for r in style_a} <= {"M", "F", ""}
    assert any("/" in r["date_of_death"] for r in style_a)
    assert any("March 2025" in r["date_of_death"] for r in style_b)
    truth = _rows(truth_path)
    assert len(truth) == sum(len(rows) for rows in lists.values())
    by_id = {p.n: p for p in people}
    for t in truth:
        person = by_id[int(t["true_person"].removeprefix("T-"))]
        assert t["person_id"] == (person.person_id or "")
    readme = (tmp_path / "README.txt").read_text(encoding="utf-8")
    assert "FICTIONAL" in readme and f'"true_deaths": {TRUE_DEATHS}' in readme


def test_documented_deaths_are_listed_more_often(tmp_path: Path) -> None:
    _paths, truth_path = write_lists(tmp_path, _people(), random.Random(4))
    listed = {t["true_person"] for t in _rows(truth_path)}
    documented = sum(f"T-{n:04d}" in listed for n in range(DOCUMENTED))
    undocumented = sum(f"T-{n:04d}" in listed for n in range(DOCUMENTED, TRUE_DEATHS))
    assert documented / DOCUMENTED > undocumented / (TRUE_DEATHS - DOCUMENTED)


def test_the_same_draws_give_the_same_files(tmp_path: Path) -> None:
    first = write_lists(tmp_path / "a", _people(), random.Random(5))
    second = write_lists(tmp_path / "b", _people(), random.Random(5))
    for a, b in zip([*first[0], first[1]], [*second[0], second[1]], strict=True):
        assert a.read_bytes() == b.read_bytes()
