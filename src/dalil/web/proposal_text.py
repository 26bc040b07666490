"""A report proposal as a person reads it, in either language.

A proposal's value is a small JSON object (``name=Bāniyās, country=SY, role=dateline``);
its origin is a phrase of the extractor ("page 3, paragraph 2, character 10") and its rule
a code (``place.gazetteer``). The review page shows each as labelled parts: the label is
an interface string (marked :func:`N_` here, translated by ``t`` in the template), the value
either a record value shown as it is (isolated in ``<bdi>``: a place name, a number, a
date, an id), a vocabulary code shown by its label (``term``), or a code of the extractor
shown by the English phrase of :data:`CODES` (translated like any interface string).

Formatting stays in the web layer: the extractor's values are not changed for the screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from dalil.web.i18n import N_

#: how a part's value is shown: ``data`` a record value as written (``dir="auto"``), ``ltr``
#: a number, date or id (left to right), ``say`` an English phrase of this module passed
#: through ``t``, ``term`` a code of the shipped vocabulary named by ``vocabulary``
How = Literal["data", "ltr", "say", "term"]


@dataclass(frozen=True)
class Part:
    """One labelled piece of a proposal: ``label`` is English (translated in the
    template); an empty label shows the value alone."""

    label: str
    value: str
    how: How = "data"
    vocabulary: str = ""
    words: str = ""  # an English phrase shown before the value ("at least" 21)


#: the extractor's codes that no shipped vocabulary names, by value key, in English
CODES: dict[str, dict[str, str]] = {
    "granularity": {
        "day": N_("one day"),
        "days": N_("several days"),
        "month": N_("a month"),
        "part_of_month": N_("part of a month"),
        "year": N_("a year"),
        "relative": N_("a day counted from the publication date"),
        "open": N_("an open interval"),
        "range": N_("a span between two dates"),
    },
    "date_role": {
        "incident": N_("when it happened"),
        "publication": N_("the report's own date"),
        "other": N_("another date"),
    },
    "precision": {
        "town": N_("town or village"),
        "region": N_("a region (no single point)"),
        "country": N_("a country"),
        "unresolved": N_("not in the gazetteer"),
    },
    "place_role": {
        "dateline": N_("dateline (where the report was written)"),
        "incident": N_("where it happened"),
        "destination": N_("where people went"),
        "government": N_("a capital standing for its government"),
        "mentioned": N_("mentioned only"),
    },
    "qualifier": {
        "exact": N_("exactly"),
        "at_least": N_("at least"),
        "at_most": N_("at most"),
        "approx": N_("about"),
    },
    "what": {
        "killed": N_("killed"),
        "injured": N_("injured"),
        "missing": N_("missing"),
        "detained": N_("detained"),
        "displaced": N_("displaced"),
        "buried": N_("buried"),
    },
    "actor_role": {
        "perpetrator": N_("perpetrator"),
        "victim_group": N_("victim group"),
        "other": N_("other"),
    },
    "actor_type": {"person": N_("a person")},
}

#: what each extraction rule reads, in English
RULES: dict[str, str] = {
    "date.iso": N_("a date written in figures"),
    "date.en_span": N_("a span of days in English"),
    "date.en_span_mfirst": N_("a span of days in English"),
    "date.en_months": N_("a span of months in English"),
    "date.ar_months": N_("a span of months in Arabic"),
    "date.en_days": N_("a day written in English"),
    "date.en_mfirst": N_("a day written in English"),
    "date.ar_days": N_("a day written in Arabic"),
    "date.ar_ordinal": N_("a day written in Arabic"),
    "date.en_part": N_("part of a month in English"),
    "date.ar_part": N_("part of a month in Arabic"),
    "date.en_month": N_("a month in English"),
    "date.en_month_bare": N_("a month in English"),
    "date.ar_month": N_("a month in Arabic"),
    "date.ar_month_bare": N_("a month in Arabic"),
    "date.year": N_("a year"),
    "date.relative": N_("a day named from the publication date"),
    "place.gazetteer": N_("a name in the gazetteer"),
    "place.cue": N_("a name after a word such as town or village"),
    "count.grammar": N_("a number and what it counts"),
    "act.lexicon": N_("a phrase of the acts lexicon"),
    "actor.lexicon": N_("a phrase of the actors lexicon"),
    "actor.person": N_("a person's name after a cue word"),
    "actor.phrase": N_("a noun phrase around a word for a group, its role from the clause"),
    "date.range": N_("two dates joined as one span"),
}

#: the words of an origin ("page 3, paragraph 2, character 10"), as labels
_ORIGIN = {"page": N_("page"), "paragraph": N_("paragraph"), "character": N_("character")}
_ORIGIN_PART = re.compile(r"(page|paragraph|character) (\d+)")


def _code(key: str, code: Any) -> Part | None:
    """A code of :data:`CODES` by its English phrase; an unknown code as data."""
    if code is None or code == "":
        return None
    label = CODES[key].get(str(code))
    return Part("", label, "say") if label else Part("", str(code), "ltr")


def _labelled(label: str, part: Part | None) -> Part | None:
    return None if part is None else Part(label, part.value, part.how, part.vocabulary, part.words)


def _span(start: Any, end: Any) -> Part | None:
    """A date or an interval of dates (ISO, left to right)."""
    if not start and not end:
        return None
    if start == end or not end:
        return Part(N_("date"), str(start), "ltr")
    if not start:
        return Part(N_("until"), str(end), "ltr")
    return Part(N_("from … to"), f"{start} – {end}", "ltr")


def _date(v: dict[str, Any]) -> list[Part | None]:
    parts = [_span(v.get("start"), v.get("end")), _labelled(N_("precision"),
             _code("granularity", v.get("granularity")))]  # fmt: skip
    if v.get("year_stated") is False:
        parts.append(Part("", N_("year not stated"), "say"))
    if v.get("anchor"):
        parts.append(Part(N_("counted from"), str(v["anchor"]), "ltr"))
    parts.append(_labelled(N_("role"), _code("date_role", v.get("role"))))
    return parts


def _place(v: dict[str, Any]) -> list[Part | None]:
    return [
        Part(N_("name"), str(v["name"])) if v.get("name") else None,
        Part(N_("governorate"), str(v["admin1"])) if v.get("admin1") else None,
        Part(N_("country"), str(v["country"]), "ltr") if v.get("country") else None,
        Part("", f"geonames:{v['geonameid']}", "ltr") if v.get("geonameid") else None,
        _labelled(N_("kind of place"), _code("precision", v.get("precision"))),
        _labelled(N_("role"), _code("place_role", v.get("role"))),
    ]


def _count(v: dict[str, Any]) -> list[Part | None]:
    low, high = v.get("low"), v.get("high")
    number = f"{low}–{high}" if high is not None and high != low else str(low)
    qualifier = CODES["qualifier"].get(str(v.get("qualifier")), "")
    parts = [
        Part(N_("number"), number, "ltr", words=qualifier if qualifier != "exactly" else "")
        if low is not None
        else None,
        _code("what", v.get("what")),
        Part(N_("as written"), str(v["said"])) if v.get("said") else None,
        Part(N_("people counted"), str(v["who"])) if v.get("who") else None,
    ]
    if v.get("civilian") is not None:
        parts.append(Part("", N_("civilians") if v["civilian"] else N_("not civilians"), "say"))
    if v.get("subset"):
        parts.append(Part("", N_("part of an earlier count"), "say"))
    return parts


def _actor(v: dict[str, Any]) -> list[Part | None]:
    return [
        Part(N_("name"), str(v["name"])) if v.get("name") else None,
        _labelled(N_("role"), _code("actor_role", v.get("role"))),
        _code("actor_type", v.get("type")),
        Part("", N_("a named group"), "say") if v.get("named") else None,
    ]


def _act(v: dict[str, Any]) -> list[Part | None]:
    return [
        Part(N_("act"), str(v["type"]), "term", "act_type") if v.get("type") else None,
        Part(N_("method"), str(v["method"]), "term", "method_of_violence")
        if v.get("method")
        else None,
        Part(N_("identity question"), str(v["identity_question"]), "term", "identity_question")
        if v.get("identity_question")
        else None,
    ]


_KINDS = {"date": _date, "place": _place, "count": _count, "actor": _actor, "act": _act}
#: the keys each kind's formatter reads
_KEYS = {
    "date": {"start", "end", "granularity", "year_stated", "anchor", "role"},
    "place": {"name", "admin1", "country", "geonameid", "precision", "role"},
    "count": {"low", "high", "qualifier", "what", "said", "who", "civilian", "subset"},
    "actor": {"name", "role", "type", "named", "head"},  # the head is a word of the name
    "act": {"type", "method", "identity_question"},
}
#: value keys never shown (coordinates are on the map; the days of a span are its bounds)
_HIDDEN = {"lat", "lon", "days"}


def value_parts(kind: str, value: dict[str, Any]) -> list[Part]:
    """The proposal's value as labelled parts. A key the formatter of its kind does not
    read (a newer extractor, another kind) is shown as ``key: value``, so the page never
    silently drops what the extractor found."""
    known = _KINDS.get(kind)
    parts = [p for p in known(value) if p is not None] if known else []
    read = _KEYS.get(kind, set()) | _HIDDEN
    parts += [Part(k, str(v)) for k, v in value.items() if k not in read and v is not None]
    return parts


def origin_parts(origin: str) -> list[Part]:
    """Where the span sits in the original file: ``page 3, paragraph 2, character 10`` as
    labelled numbers; a phrase of another form as data."""
    found = _ORIGIN_PART.findall(origin)
    if not found:
        return [Part("", origin)] if origin else []
    return [Part(_ORIGIN[word], number, "ltr") for word, number in found]


def rule_label(rule: str) -> str | None:
    """The English phrase for an extraction rule, or None (the page then shows the code)."""
    return RULES.get(rule)
