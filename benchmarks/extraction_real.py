"""Extraction on real public reports labelled to docs/extraction-guideline.md (issue 26).

    .venv/bin/python benchmarks/extraction_real.py --check     (validate every label file)
    .venv/bin/python benchmarks/extraction_real.py [--half dev|test|both]

``benchmarks/extraction_real/dev`` and ``.../test`` hold the documents (``NN-slug.txt``,
the article as published) and their labels (``NN-slug.json``); ``README.md`` there lists
the sources. ``--check`` validates the labels: every field the guideline asks for, values
from its vocabularies, and every span present in the text (the same span rule as
:mod:`dalil.extract.evaluation`).
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent / "extraction_real"
SOURCE_KINDS = {"ngo-release", "ngo-report", "un", "news", "local-group", "witness"}
ROLES = {"date": {"incident", "publication", "other"},
         "place": {"incident", "dateline", "mentioned"}}  # fmt: skip
WHAT = {"killed", "injured", "missing", "detained", "displaced", "buried", "other"}


def _act_types() -> set[str]:
    table = Path(__file__).parents[1] / "src/dalil/data/vocabularies/act_type.tsv"
    rows = [r for r in table.read_text("utf-8").splitlines() if r and not r.startswith("#")]
    return {r.split("\t")[0] for r in rows[1:]}


def _iso(value: Any) -> bool:
    if value is None:
        return True
    try:
        date.fromisoformat(value)
    except (TypeError, ValueError):
        return False
    return True


def problems(labels_file: Path, acts: set[str]) -> list[str]:
    """What is wrong with one label file (empty when it follows the guideline)."""
    from dalil.errors import InvalidInput
    from dalil.extract.document import read
    from dalil.extract.evaluation import _span

    out: list[str] = []
    docs = [p for p in labels_file.parent.glob(f"{labels_file.stem}.*") if p.suffix != ".json"]
    if len(docs) != 1:
        return [f"{labels_file.name}: expected one document beside it, found {len(docs)}"]
    try:
        labels = json.loads(labels_file.read_text("utf-8"))
    except json.JSONDecodeError as e:
        return [f"{labels_file.name}: not JSON: {e}"]
    text = read(docs[0]).text
    source = labels.get("source") or {}
    for key in ("url", "title", "publisher", "kind", "language", "retrieved"):
        if not source.get(key):
            out.append(f"{labels_file.name}: source.{key} missing")
    if source.get("kind") not in SOURCE_KINDS:
        out.append(f"{labels_file.name}: source.kind {source.get('kind')!r} not in {SOURCE_KINDS}")
    if source.get("language") not in ("en", "ar"):
        out.append(f"{labels_file.name}: source.language must be en or ar")
    if not _iso(labels.get("published")):
        out.append(f"{labels_file.name}: published {labels.get('published')!r} is not an ISO date")
    for i, fact in enumerate(labels.get("facts", [])):
        where = f"{labels_file.name}: fact {i + 1} ({fact.get('kind')} {fact.get('text')!r})"
        kind = fact.get("kind")
        if not fact.get("text"):
            out.append(f"{where}: no text")
            continue
        try:
            _span(text, fact, where)
        except InvalidInput as e:
            out.append(str(e))
        if kind == "date":
            if not (_iso(fact.get("start")) and _iso(fact.get("end"))) or (
                "start" not in fact or "end" not in fact
            ):
                out.append(f"{where}: start and end must be ISO dates or null")
        elif kind == "place":
            if not fact.get("geonameid") and not fact.get("name"):
                out.append(f"{where}: give geonameid or name")
        elif kind == "count":
            if "low" not in fact or "high" not in fact or fact.get("what") not in WHAT:
                out.append(f"{where}: low, high and what ({sorted(WHAT)}) are required")
        elif kind in ("perpetrator", "victim_group"):
            if not fact.get("head") or fact["head"] not in fact["text"]:
                out.append(f"{where}: head must be a word of the text")
            if kind == "perpetrator" and not isinstance(fact.get("named"), bool):
                out.append(f"{where}: named must be true or false")
        elif kind == "act":
            if fact.get("type") not in acts:
                out.append(f"{where}: type {fact.get('type')!r} is not an act_type code")
        else:
            out.append(f"{where}: unknown kind")
        if kind in ROLES and fact.get("role") not in ROLES[kind]:
            out.append(f"{where}: role must be one of {sorted(ROLES[kind])}")
    return out


def check() -> int:
    acts = _act_types()
    files = sorted(HERE.glob("*/*.json"))
    found = [p for f in files for p in problems(f, acts)]
    for line in found:
        print(line)
    print(f"{len(files)} label files, {len(found)} problems")
    return 1 if found else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    if args.check:
        return check()
    parser.error("scoring comes with issue 26's extractor changes; use --check")
    return 2


if __name__ == "__main__":
    sys.exit(main())
