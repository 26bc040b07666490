"""Scoring proposals against hand-labelled documents: precision and recall per kind.

A labelled set is a folder of documents, each with a ``.json`` file of the same stem
holding ``published`` and ``facts`` (``benchmarks/extraction_set/README.md`` describes
the format). A gold fact is found when a proposal of the same kind overlaps its span and
agrees on its value:

* date: the same ``start`` and ``end`` (both None for an open phrase);
* place: the same GeoNames id, or, for a place the gazetteer lacks, any proposal there;
* count: the same ``low``, ``high`` and ``what``.

A proposal is correct when it finds a gold fact; every other proposal of a scored kind
is a false positive, so a count proposed for "a 40-page report" costs precision. Place
roles are scored apart (accuracy over the found places whose gold role is given).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from dalil.errors import InvalidInput
from dalil.extract.document import Document, read
from dalil.extract.proposals import Extractor, Proposal

SCORED = ("date", "place", "count")


@dataclass
class Score:
    """Tallies for one kind."""

    gold: int = 0
    proposed: int = 0
    correct: int = 0  # proposals that found a gold fact
    found: int = 0  # gold facts found

    @property
    def precision(self) -> float:
        return self.correct / self.proposed if self.proposed else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0


@dataclass
class Report:
    """Scores per kind over a set, the misses for people to read, and the text size."""

    scores: dict[str, Score] = field(default_factory=lambda: {k: Score() for k in SCORED})
    roles: list[bool] = field(default_factory=list)
    misses: list[str] = field(default_factory=list)
    characters: int = 0
    documents: int = 0

    @property
    def role_accuracy(self) -> float:
        return sum(self.roles) / len(self.roles) if self.roles else 1.0


def _span(text: str, gold: dict[str, Any], where: str) -> tuple[int, int]:
    # a whole word, or an Arabic word after an attached conjunction or preposition ("وجبلة")
    pattern = rf"(?:(?<!\w)|(?<=[وفبلك]))(?<!\w\w){re.escape(gold['text'])}(?!\w)"
    hits = list(re.finditer(pattern, text))
    n = int(gold.get("occurrence", 1))
    if len(hits) < n:
        raise InvalidInput(f"{where}: {gold['kind']} {gold['text']!r} occurrence {n} is not "
                           f"in the document's text ({len(hits)} found)")  # fmt: skip
    return hits[n - 1].span()


def _agrees(gold: dict[str, Any], p: Proposal) -> bool:
    v = p.value
    if gold["kind"] == "date":
        return bool(v["start"] == gold["start"] and v["end"] == gold["end"])
    if gold["kind"] == "place":
        return "geonameid" not in gold or v.get("geonameid") == gold["geonameid"]
    return all(v.get(k) == gold[k] for k in ("low", "high", "what"))


def score_document(doc: Document, labels: dict[str, Any], extractor: Extractor,
                   report: Report, where: str) -> None:  # fmt: skip
    """Add one document's tallies to ``report``."""
    published = date.fromisoformat(labels["published"]) if labels.get("published") else None
    proposals = [p for p in extractor.propose(doc, published) if p.kind in SCORED]
    used: set[int] = set()
    for gold in labels["facts"]:
        s = report.scores[gold["kind"]]
        s.gold += 1
        start, end = _span(doc.text, gold, where)
        hit = next((i for i, p in enumerate(proposals) if p.kind == gold["kind"]
                    and p.start < end and start < p.end and _agrees(gold, p)), None)  # fmt: skip
        if hit is None:
            near = [
                p for p in proposals if p.kind == gold["kind"] and p.start < end and start < p.end
            ]
            got = f"proposed {near[0].value}" if near else "not proposed"
            report.misses.append(f"{where}: {gold['kind']} {gold['text']!r}: {got}")
            continue
        s.found += 1
        used.add(hit)
        if gold["kind"] == "place" and "role" in gold:
            got_role = proposals[hit].value["role"]
            report.roles.append(got_role == gold["role"])
            if got_role != gold["role"]:
                report.misses.append(f"{where}: place {gold['text']!r} role {got_role}, "
                                     f"not {gold['role']}")  # fmt: skip
    for i, p in enumerate(proposals):
        report.scores[p.kind].proposed += 1
        if i in used:
            report.scores[p.kind].correct += 1
        else:
            report.misses.append(f"{where}: extra {p.kind} {p.text!r} {p.value}")
    report.characters += len(doc.text)
    report.documents += 1


def evaluate(folder: Path, extractor: Extractor | None = None) -> Report:
    """Score every labelled document of ``folder``."""
    extractor = extractor or Extractor()
    report = Report()
    for labels_file in sorted(folder.glob("*.json")):
        docs = [p for p in folder.glob(f"{labels_file.stem}.*") if p.suffix != ".json"]
        if len(docs) != 1:
            raise InvalidInput(f"{labels_file}: expected one document named "
                               f"{labels_file.stem}.*, found {len(docs)}")  # fmt: skip
        labels = json.loads(labels_file.read_text("utf-8"))
        score_document(read(docs[0]), labels, extractor, report, docs[0].name)
    return report
