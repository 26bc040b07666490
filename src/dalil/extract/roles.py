"""Roles of dates and places from the sentence they stand in (issue 26).

A report names many dates and places that are not where or when violence happened: its
own date ("GENEVA (11 March 2025)", "today"), the day a monitor spoke ("the Observatory
said on Saturday"), a country's name beside the village where people were killed, the
year a group was founded. docs/extraction-guideline.md §2-3 says which is which; the
rules here read it from the sentence:

* a date is the **publication** date when it stands at the head of the document (its
  first 300 characters) and is the publication date, or is "today" resolved to it;
* it is **other** when a reporting verb ("said", "announced", "أعلن", "أفاد") stands just
  before it in its clause, or when its sentence names no violence (no act of the lexicon,
  no count of people harmed, no word of fighting or attack);
* else it is an **incident** date.

A place the gazetteer pass called an incident place becomes **mentioned** when its
sentence names no violence, and a country becomes mentioned when its sentence names a
more precise place or the text gives a more precise place of violence anywhere. A place
listed right after an incident place ("in Tartus, Latakia and Hama") takes that place's
role; a place that only locates the one before it ("Jableh in Latakia governorate",
"حمورية بريف دمشق") is mentioned (guideline §3: the most specific place is the incident place).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from dalil.extract.counts import CountFact, sentence
from dalil.extract.lexicon import LexiconFact

Span = tuple[int, int]

_REPORTING = re.compile(
    r"(?i:\b(?:said|says|told|announced|reported|stated|published|issued|released|added|"
    r"noted|confirmed|warned|declared|updated)\b(?:\s+\w+){0,3}\s+(?:on|in)?\s*$)"
    r"|(?<![\u0621-\u064a])(?:[وف]?(?:قال|قالت|أعلن|أعلنت|أفاد|أفادت|ذكر|ذكرت|نشر|نشرت|أصدر"
    r"|أصدرت|صدر|صدرت|أكد|أكدت|أضاف|أضافت|أوضح|أوضحت)(?![\u0621-\u064a]))"
    r"(?:\s+[\u0621-\u064a]+){0,3}\s*(?:في|يوم)?\s*$"
)
#: words of violence the act lexicon does not hold (it names acts against people; these
#: name the fighting and attacks around them)
_VIOLENCE = re.compile(
    r"(?i:\b(?:violence|violent|attacks?|attacked|raid(?:s|ed)?|clash(?:es|ed)?|fighting|"
    r"hostilities|shelling|shelled|bombard\w*|bomb(?:s|ing|ings|ed)?|air ?strikes?|strikes|"
    r"offensive|assault|casualties|massacres?|atrocities|shooting|shot|gunfire|gunmen|"
    r"incidents|(?:this|these|the) incident|forced\b[^.]{0,40}\bto bury|mass (?:graves?|burial))\b)"
    r"|(?<![\u0621-\u064a])[وفبل]?(?:ال)?(?:عنف|عنيف|قمع|اشتباك\w*|هجوم\w*|هجمات|قصف\w*|غار\w*|معارك|"
    r"اقتحام\w*|اقتحم\w*|مجزر\w*|مجازر|انتهاكات|ضحايا|استهداف\w*|استهدف\w*|إطلاق النار"
    r"|الرصاص|اعتداء\w*|سحق\w*|مقابر جماعية)(?![\u0621-\u064a])"
)
_THAT = re.compile(r"(?i:\bthat\b)|(?<![\u0621-\u064a])(?:أن|إن|بأن)(?![\u0621-\u064a])")
_TODAY = re.compile(r"(?i:^today$|^اليوم$)")
_LISTED = re.compile(r"^\s*(?:[,،]\s*(?:and\s+|و)?|and\s+|و)\s*$")
#: between a place and the next one that only locates it ("Jableh in Latakia governorate",
#: "Baniyas countryside in Tartous", "حمورية بريف دمشق", "داعل بدرعا", "حي كرم الزيتون في حمص")
_LOCATES = re.compile(
    r"^\s*(?i:(?:countryside|governorate|province|district)?\s*(?:,\s*(?:located|situated) )?"
    r"in (?:the )?)$"
    r"|^\s*[,،]?\s*(?:في\s+|ب)(?:(?:ريف|محافظة|منطقة|مدينة)\s*)?$"
)


class Spans:
    """Spans of a text, sorted, for binary-searched questions (a 300-page report asks them
    for every date, place and phrase)."""

    def __init__(self, spans: Sequence[Span]) -> None:
        self.spans = sorted(spans)
        self.starts = [a for a, _ in self.spans]

    def any_within(self, lo: int, hi: int) -> bool:
        """Whether a span lies wholly inside ``[lo, hi)``."""
        i = bisect.bisect_left(self.starts, lo)
        while i < len(self.spans) and self.spans[i][0] < hi:
            if self.spans[i][1] <= hi:
                return True
            i += 1
        return False

    def covers(self, position: int) -> bool:
        """Whether one of the spans holds ``position`` (spans that do not overlap)."""
        i = bisect.bisect_right(self.starts, position) - 1
        return i >= 0 and position < self.spans[i][1]


#: Act types that are deaths: a sentence holding one of them (or a count of the killed)
#: reports deaths, and its "attack" or "shelling" names a killing (lexicon ``?deaths``).
DEATH_ACTS = frozenset(
    {"killing", "indiscriminate_killing", "massacre", "summary_execution",
     "extrajudicial_execution", "death_in_detention"}
)  # fmt: skip


def acts_told(
    text: str, words: Sequence[LexiconFact], counts: Sequence[CountFact]
) -> list[LexiconFact]:
    """The lexicon's facts (``words``) without the acts named only where deaths are told
    (``when == "deaths"``) whose sentence tells none: no count of the killed and no
    unconditional act of :data:`DEATH_ACTS` in it. Guideline §8: shelling, air strikes and
    attacks are labelled as killings where they killed people."""
    deaths = Spans(
        [(c.start, c.end) for c in counts if c.what == "killed"]
        + [(x.start, x.end) for x in words
           if x.kind == "act" and not x.when and x.value.get("type") in DEATH_ACTS]
    )  # fmt: skip
    return [
        x for x in words if x.when != "deaths" or deaths.any_within(*sentence(text, x.start, x.end))
    ]


class Violence:
    """Where a text tells violence: the spans of its acts and counts, and its words of
    fighting and attack."""

    def __init__(self, text: str, spans: Sequence[Span]) -> None:
        self.text = text
        self.spans = Spans(spans)

    def near(self, start: int, end: int) -> bool:
        """Whether the sentence around ``[start, end)`` tells violence."""
        lo, hi = sentence(self.text, start, end)
        return self.spans.any_within(lo, hi) or bool(_VIOLENCE.search(self.text, lo, hi))


def date_role(
    text: str, start: int, end: int, first: date | None, published: date | None,
    violence: Violence,
) -> str:  # fmt: skip
    """incident, publication or other (see the module docstring)."""
    if _TODAY.match(text[start:end].strip()) or (
        published is not None and first == published and start < 300
    ):
        return "publication"
    lo, _ = sentence(text, start, end)
    said_on = _REPORTING.search(text[max(lo, start - 60) : start])
    if said_on and not _THAT.search(said_on.group()):  # "said that on 7 March gunmen…"
        return "other"
    return "incident" if violence.near(start, end) else "other"


def place_roles(text: str, places: Sequence[Any], violence: Violence) -> list[str]:
    """The role of each place fact (``start``, ``end``, ``role``, ``place.precision``), in
    text order."""
    roles = [p.role for p in places]
    precise = [p.start for p in places if p.place.precision != "country"]
    locates = [
        bool(i and _LOCATES.match(text[places[i - 1].end : p.start])) for i, p in enumerate(places)
    ]
    for i, p in enumerate(places):
        if roles[i] == "incident" and not violence.near(p.start, p.end):
            roles[i] = "mentioned"
        if roles[i] == "incident" and p.place.precision == "country":
            lo, hi = sentence(text, p.start, p.end)
            j = bisect.bisect_left(precise, lo)
            if j < len(precise) and precise[j] < hi:
                roles[i] = "mentioned"
        head = i - 1  # the place a listed one follows, past the places that only locate it
        while head > 0 and locates[head]:
            head -= 1
        listed = i and _LISTED.match(text[places[i - 1].end : p.start])
        if (
            listed
            and roles[head] == "incident"
            and roles[i] == "mentioned"
            and (p.place.precision != "country")
        ):
            roles[i] = "incident"
    # the most specific place is the incident place; one that only locates it is mentioned,
    # and so is a country where the text gives a more precise place of violence anywhere
    roles = ["mentioned" if where and role == "incident" else role
             for role, where in zip(roles, locates, strict=True)]  # fmt: skip
    country = [p.place.precision == "country" for p in places]
    told = any(r == "incident" and not c for r, c in zip(roles, country, strict=True))
    return ["mentioned" if told and c and r == "incident" else r
            for r, c in zip(roles, country, strict=True)]  # fmt: skip
