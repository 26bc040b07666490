"""Extraction on real public reports labelled to docs/extraction-guideline.md (issue 26).

    .venv/bin/python benchmarks/extraction_real.py --check     (validate every label file)
    .venv/bin/python benchmarks/extraction_real.py [--half dev|test|test2|test3] [--misses]

``benchmarks/extraction_real/dev``, ``.../test``, ``.../test2`` and ``.../test3`` hold the
documents (``NN-slug.txt``, the article as published) and their labels (``NN-slug.json``);
``README.md`` there lists the sources. ``--check`` validates the labels: every field the
guideline asks for, values from its vocabularies, and every span present in the text (the
same span rule as :mod:`dalil.extract.evaluation`). The test halves are scored only when a
change is done; ``test2`` was added when ``test`` had been scored four times, and was
scored first on the rules as they were then; ``test3`` was labelled by sessions that told
the engineers nothing of its content.

Scores per half and language, as issue 26 asks:

* **incident**: incident dates, incident places and counts together. A gold fact is found
  by a proposal of its kind that overlaps its span and agrees (a date's start and end; a
  place's GeoNames id, or any place where the gold has none; a count's low bound and what
  it counts). Proposals that claim an incident fact are every count, every place the
  extractor calls an incident place, and every date it does not give another role; one
  that finds no incident fact is a false positive (a dateline, a publication date, a
  place merely mentioned, a number that is not of people harmed).
* **perpetrator**, **victim_group**: an actor proposal of that role overlapping the span.
* **act**: an act proposal of the same type overlapping the span.
"""

from __future__ import annotations

import argparse
import json
import platform
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


INCIDENT = ("date", "place", "count")
SCORED = (*INCIDENT, "perpetrator", "victim_group", "act")


def _claims(p: Any) -> str | None:
    """The scored kind a proposal claims, or None when it claims none."""
    role = p.value.get("role")
    if p.kind == "date":
        return "date" if role in (None, "incident") else None
    if p.kind == "place":
        return "place" if role == "incident" else None
    if p.kind == "actor":
        return role if role in ("perpetrator", "victim_group") else None
    return p.kind if p.kind in ("count", "act") else None


def _agrees(gold: dict[str, Any], p: Any) -> bool:
    """Dates and places as :mod:`dalil.extract.evaluation` scores them; a count by its low
    bound and what it counts (issue 26); an act by its type."""
    from dalil.extract import evaluation

    v = p.value
    kind = gold["kind"]
    if kind in ("date", "place"):
        return evaluation._agrees(gold, p)
    if kind == "count":
        return bool(v.get("low") == gold["low"] and v.get("what") == gold["what"])
    if kind == "act":
        return bool(v.get("type") == gold["type"])
    return True


def score(folder: Path, misses: list[str]) -> dict[tuple[str, str], list[int]]:
    """(language, kind) -> [gold, found, claimed, correct] over the documents of ``folder``."""
    from dalil.extract.document import read
    from dalil.extract.evaluation import _span
    from dalil.extract.proposals import Extractor

    extractor = Extractor()
    tally: dict[tuple[str, str], list[int]] = {}
    for labels_file in sorted(folder.glob("*.json")):
        labels = json.loads(labels_file.read_text("utf-8"))
        lang = labels["source"]["language"]
        doc = read(next(p for p in folder.glob(f"{labels_file.stem}.*") if p.suffix != ".json"))
        published = date.fromisoformat(labels["published"]) if labels.get("published") else None
        claims = [(p, k) for p in extractor.propose(doc, published) if (k := _claims(p))]
        gold = []
        for fact in labels["facts"]:
            if fact["kind"] in ("date", "place") and fact.get("role") != "incident":
                continue
            gold.append((fact, _span(doc.text, fact, labels_file.name)))
        used: set[int] = set()
        for fact, (start, end) in gold:
            t = tally.setdefault((lang, fact["kind"]), [0, 0, 0, 0])
            t[0] += 1
            hits = [i for i, (p, k) in enumerate(claims) if k == fact["kind"]
                    and p.start < end and start < p.end and _agrees(fact, p)]  # fmt: skip
            if hits:
                t[1] += 1
                used.update(hits)
            else:
                misses.append(f"{labels_file.stem}: missed {fact['kind']} {fact['text']!r}")
        for i, (p, k) in enumerate(claims):
            t = tally.setdefault((lang, k), [0, 0, 0, 0])
            t[2] += 1
            if i in used:
                t[3] += 1
            else:
                misses.append(f"{labels_file.stem}: extra {k} {p.text!r} {p.value}")
    return tally


def report(half: str, show_misses: bool) -> None:
    misses: list[str] = []
    tally = score(HERE / half, misses)
    print(f"\n{half} half\n")
    print("| language | kind | gold | found | proposed | correct | precision | recall |")
    print("|---|---|---|---|---|---|---|---|")
    for lang in ("en", "ar"):
        rows = [(k, tally.get((lang, k), [0, 0, 0, 0])) for k in SCORED]
        together = [sum(t[i] for k, t in rows if k in INCIDENT) for i in range(4)]
        for k, t in [("incident (date+place+count)", together), *rows]:
            g, f, c, ok = t
            print(f"| {lang} | {k} | {g} | {f} | {c} | {ok} | "
                  f"{ok / c if c else 1:.2f} | {f / g if g else 1:.2f} |")  # fmt: skip
    if show_misses:
        print("\n" + "\n".join(misses))


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
    parser.add_argument("--half", choices=("dev", "test", "test2", "test3"), default="dev")
    parser.add_argument("--misses", action="store_true", help="list every miss and extra")
    args = parser.parse_args()
    if args.check:
        return check()
    print(f"{platform.node()} · Python {platform.python_version()} · {date.today()}")
    report(args.half, args.misses)
    return 0


if __name__ == "__main__":
    sys.exit(main())
