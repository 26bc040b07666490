"""Every extractor run over one document: the proposals a person reviews.

Each proposal is one fact with the exact span it came from (``start``/``end`` are
character offsets into :attr:`dalil.extract.document.Document.text`), its value in the
JSON contract of DESIGN.md, a confidence (the rule's, not a probability), the rule that
made it, and ``needs_review`` when the rule itself is unsure (a year not stated, an open
interval, a place with no role cue or no coordinates, a count that is a subset of another
or not of civilians).

Spans that one extractor has read are not read again by a weaker one: a number inside a
date is not a count.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from dalil.extract import actors, counts, dates, places, roles
from dalil.extract.document import Document
from dalil.extract.lexicon import Lexicon
from dalil.extract.places import Gazetteer

KINDS = ("date", "place", "count", "actor", "act")


@dataclass(frozen=True)
class Proposal:
    """One proposed fact."""

    kind: str  # date, place, count, actor, act
    start: int
    end: int
    text: str
    value: dict[str, Any]
    confidence: float
    rule: str
    needs_review: bool = False
    language: str = "und"
    origin: str = ""  # where the span sits in the original file (page, paragraph, character)

    def as_json(self) -> dict[str, Any]:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end,
                "value": self.value, "confidence": self.confidence, "rule": self.rule,
                "needs_review": self.needs_review, "language": self.language,
                "origin": self.origin}  # fmt: skip


@dataclass
class Extractor:
    """The extractors with their reference data, built once and reused per document
    (the gazetteer index and the lexicon pattern are the costly parts)."""

    gazetteer: Gazetteer = field(default_factory=Gazetteer.shipped)
    lexicon: Lexicon = field(default_factory=Lexicon)

    def propose(self, doc: Document, published: date | None = None) -> list[Proposal]:
        """Every proposal for ``doc``, in text order. Relative dates are anchored on
        ``published``, or else on the date the document gives for itself (its metadata,
        or a date standing at its top: :func:`dalil.extract.dates.publication`)."""
        text = doc.text
        anchor = published or doc.published or dates.publication(text)
        out: list[Proposal] = []

        def add(kind: str, f: Any, value: dict[str, Any], rule: str, review: bool) -> None:
            out.append(Proposal(kind, f.start, f.end, f.text, value, f.confidence, rule, review,
                                doc.language_at(f.start), str(doc.origin(f.start))))  # fmt: skip

        found_dates = list(dates.find(text, anchor))
        found_counts = list(counts.find(text, skip=[(d.start, d.end) for d in found_dates]))
        found_words = roles.acts_told(text, list(self.lexicon.find(text)), found_counts)
        violence = roles.Violence(
            text,
            [(c.start, c.end) for c in found_counts]
            + [(x.start, x.end) for x in found_words if x.kind == "act"],
        )
        for d in found_dates:
            # a weekday that falls on the publication day is told, not the dateline
            stated = d.first if d.granularity == "day" else None
            role = roles.date_role(text, d.start, d.end, stated, anchor, violence)
            add(
                "date",
                d,
                {**d.value(), "role": role},
                f"date.{d.rule}",
                d.first is None or not d.year_stated or d.granularity == "open",
            )
        found_places = list(places.find(text, self.gazetteer))
        for p, role in zip(found_places, roles.place_roles(text, found_places, violence),
                           strict=True):  # fmt: skip
            add("place", p, {**p.value(), "role": role}, f"place.{p.how}",
                role == "mentioned" or p.how == "cue")  # fmt: skip
        for c in found_counts:
            add("count", c, c.value(), "count.grammar", c.subset or c.civilian is False)
        phrases = list(actors.find(text, violence.near))
        named = {x.start: x for x in found_words if x.kind == "actor"}
        inside = roles.Spans([(a.start, a.end) for a in phrases])
        for a in phrases:
            lexicon = next((named[k] for k in range(a.start, a.end) if k in named), None)
            value = {**a.value, **({"name": lexicon.value["name"]} if lexicon else {})}
            add("actor", a, value, "actor.phrase", False)
        for x in found_words:
            if x.kind == "actor" and inside.covers(x.start):
                continue  # the phrase around it carries its name
            if x.when == "violence" and not violence.near(x.start, x.end):
                continue  # "Daesh" in a sentence of no violence did nothing there
            # a party named where violence is told may be its victim or its speaker
            add(
                x.kind, x, x.value, f"{x.kind}.{x.rule}", x.rule == "person" or x.when == "violence"
            )
        out.sort(key=lambda p: (p.start, p.kind))
        return out


def as_json(doc: Document, proposals: list[Proposal]) -> dict[str, Any]:
    """The ``dalil extract --json`` document (DESIGN.md's extract contract, plus the
    document's own metadata)."""
    return {
        "document": {"format": doc.format, "encoding": doc.encoding, "title": doc.title,
                     "source": doc.source,
                     "published": doc.published.isoformat() if doc.published else None,
                     "characters": len(doc.text),
                     "languages": sorted({p.language for p in doc.paragraphs})},
        "facts": [p.as_json() for p in proposals],
    }  # fmt: skip
