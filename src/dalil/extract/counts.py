"""Casualty counts as reports write them: a number, its qualifier and what it counts.

"more than 100 civilians were killed" is not 100: the qualifier is kept as written and
turned into bounds (``low`` 101, no ``high``). Vague quantities keep their word and take
the conventional lower bound ACLED uses ("tens" 10, "dozens" 12, "hundreds" 100,
"thousands" 1,000; ``extraction.md`` §1). A number is proposed as a count only when
something near it says what was counted (killed, injured, missing, detained, displaced);
numbers of pages, interviewees, days or years are not counts. Casualties who are not
civilians (members of security forces, fighters) are proposed with ``civilian: false``,
and "N of the X" or "including N children" with ``subset: true``, so a reviewer does not
add them to the civilian toll twice.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from dalil.extract.numbers import NUMBER, value
from dalil.places.folding import ARABIC_DIACRITICS

#: qualifier as written -> (qualifier code, how the number becomes bounds)
QUALIFIERS = {
    "more than": ("at_least", "above"), "over": ("at_least", "above"),
    "upwards of": ("at_least", "above"), "in excess of": ("at_least", "above"),
    "at least": ("at_least", "from"), "no fewer than": ("at_least", "from"),
    "no less than": ("at_least", "from"), "a minimum of": ("at_least", "from"),
    "nearly": ("approx", "near"), "almost": ("approx", "near"), "close to": ("approx", "near"),
    "about": ("approx", "near"), "around": ("approx", "near"), "some": ("approx", "near"),
    "approximately": ("approx", "near"), "roughly": ("approx", "near"),
    "an estimated": ("approx", "near"), "up to": ("at_most", "to"),
    "as many as": ("at_most", "to"), "at most": ("at_most", "to"),
    "no more than": ("at_most", "to"),
    "أكثر من": ("at_least", "above"), "اكثر من": ("at_least", "above"),
    "ما يزيد عن": ("at_least", "above"), "ما يزيد على": ("at_least", "above"),
    "أزيد من": ("at_least", "above"), "ما لا يقل عن": ("at_least", "from"),
    "لا يقل عن": ("at_least", "from"), "على الأقل": ("at_least", "from"),
    "نحو": ("approx", "near"), "حوالي": ("approx", "near"), "حوالى": ("approx", "near"),
    "قرابة": ("approx", "near"), "زهاء": ("approx", "near"), "ما يقارب": ("approx", "near"),
    "ما يقرب من": ("approx", "near"), "قرابة ال": ("approx", "near"),
    "ما يصل إلى": ("at_most", "to"), "ما يصل الى": ("at_most", "to"),
}  # fmt: skip
#: vague quantity -> its conventional lower bound
_VAGUE = {"tens of thousands": 10_000, "hundreds of thousands": 100_000,
          "عشرات الآلاف": 10_000, "عشرات الالاف": 10_000, "مئات الآلاف": 100_000,
          "مئات الالاف": 100_000,
          "tens": 10, "dozens": 12, "scores": 20, "hundreds": 100, "thousands": 1000,
          "عشرات": 10, "العشرات": 10, "مئات": 100, "المئات": 100, "آلاف": 1000,
          "الآلاف": 1000, "الاف": 1000}  # fmt: skip

#: what is counted, by the words that say it (English stems, Arabic forms)
_WHAT = {
    "killed": (r"kill(?:ed|ing|ings)?|dead|deaths?|died|murder(?:ed|s)?|execut(?:ed|ions?)"
               r"|massacred|slain|shot dead|bodies|remains|lost their lives|fatalities|lives",
               r"قتيل\w*|قتلى|مقتل\w*|مقتول\w*|قتل\w*|ضحية|ضحايا|جثة|جثث|جثامين|إعدام\w*|أعدم\w*|حتف\w*"
               r"|مصرع|شهيد\w*|شهداء|استشهاد|استشهد\w*|وفاة|توفي\w*|بحياة"),
    "injured": (r"injur(?:ed|ies|y)|wounded|hurt",
                r"جريح\w*|جرحى|إصابة|إصابات|أصيب\w*|مصاب\w*"),
    "missing": (r"missing|disappeared|disappearances?|abducted|kidnapped|unaccounted for",
                r"مفقود\w*|مختف\w*|مختطف\w*|اختطف\w*|اختطاف|خطف\w*|إخفاء|اختفاء"),
    "detained": (r"detained|arrested|detainees|held",
                 r"اعتقال|اعتقل\w*|معتقل\w*|احتجاز|احتجز\w*|محتجز\w*"),
    "displaced": (r"displaced|displacement|fled|uprooted|crossed (?:the border|into)",
                  r"نازح\w*|نزوح|نزح\w*|تهجير|هجر\w*|مهجر\w*|فر|فرت|فروا|هرب\w*|عبر\w*\s+الحدود"),
}  # fmt: skip
_WHAT_RE = re.compile(
    "|".join(f"(?P<{k}>(?<!\\w)(?:{en})(?!\\w)|(?<!\\w)(?:وال|فال|بال|ال|[وفب])?(?:{ar})(?!\\w))"
             for k, (en, ar) in _WHAT.items()),
    re.IGNORECASE,
)  # fmt: skip
#: heads that make a number something other than a casualty count
_NOT_A_COUNT = re.compile(
    r"^\s*(?:-\s*)?(?:pages?|page report|per ?cent|percent|%|km|kilomet|miles?|metres?|meters?"
    r"|years?|year-old|months?|weeks?|days?|hours?|minutes?|o'clock|am\b|pm\b|interviews?"
    r"|witnesses|sources|reports?|articles?|paragraphs?|videos?|photographs?|images?"
    r"|(?:massacres?|(?:air ?)?strikes|raids|attacks|incidents)\b|مجزرة|مجزرتين|مجازر|غارة|غارات"
    r"|صفحة|صفحات|بالمئة|بالمائة|في المئة|كيلومتر|كم\b|عاما|عامًا|سنة|سنوات|شهرا?|أشهر|أيام"
    r"|يوما|ساعة|ساعات|دقيقة|مقابلة|مقابلات|شاهدا?|شهود|مصدرا?|مصادر|تقرير|تقارير)",
    re.IGNORECASE,
)  # fmt: skip
_INTERVIEWED = re.compile(
    r"(?:interview(?:ed|s with)?|spoke (?:to|with)|talked to|consulted|reviewed|analy[sz]ed"
    r"|قابلت?|قابلنا|أجرت? مقابلات مع|تحدثت? (?:إلى|مع)|راجعت?)\s*(?:with\s+)?$",
    re.IGNORECASE,
)
_NON_CIVILIAN = re.compile(
    r"members? of (?:the )?(?:security|armed|government|police)|soldiers?|fighters?|militants?"
    r"|gunmen|combatants?|troops|servicemen|personnel|officers|عناصر|عنصرا|مقاتلا?|مقاتلين"
    r"|مسلحا?|مسلحين|جنديا?|جنود|عسكريا?|عسكريين|من قوات|من الأمن|من عناصر",
    re.IGNORECASE,
)
_WHO = re.compile(
    r"(?<!\w)(?P<who>civilians?|children|women|men|people|persons|residents|villagers|families"
    r"|مدنيا?|مدنيين|أطفال|طفلا?|نساء|امرأة|أشخاص|شخصا?|مواطنا?|مواطنين|أسرة|عائلة|عائلات"
    r"|سكان)(?!\w)",
    re.IGNORECASE,
)
_BY = re.compile(r"(?i:\bby\b|\bat the hands of\b)|على يد|من قبل|برصاص|بنيران|بقذائف")
_SUBSET_BEFORE = re.compile(r"(?:including|among them|of whom|of them|بينهم|منهم|بينهن)\s*$",
                            re.IGNORECASE)  # fmt: skip
_SUBSET_AFTER = re.compile(r"^\s*(?:of the|of them|of those|من بين|من أصل|من)\s", re.IGNORECASE)

_QUAL = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_VAG = "|".join(sorted((re.escape(v) for v in _VAGUE), key=len, reverse=True))
#: Arabic dual nouns count two people without a number ("قُتل شخصان": two people were killed)
_DUAL = "|".join(
    f"{stem}ان|{stem}ين" for stem in ("شخص", "طفل", "رجل", "امرأت", "سيدت", "شاب", "شقيق")
)
_COUNT = re.compile(
    rf"(?:(?<![\u0621-\u064a])(?:[وف]?ب?(?=[\u0621-\u064a]))?(?P<qual>(?i:{_QUAL}))\s+)?"
    rf"(?:(?P<vague>(?i:\b(?:{_VAG})\b|(?:{_VAG})(?![\u0621-\u064a])))"
    rf"|(?:(?<![\u0621-\u064a])|(?<=[^\u0621-\u064a]و)|(?<=^و))(?P<dual>{_DUAL})(?![\u0621-\u064a])"
    rf"|(?P<num>{NUMBER}))(?:\s+(?:[\u0621-\u064a]+\s+)?(?P<after>(?i:at least|على الأقل)))?"
)


@dataclass(frozen=True)
class CountFact:
    """A casualty count: inclusive bounds (``high`` None when open above)."""

    start: int
    end: int
    text: str
    low: int | None
    high: int | None
    qualifier: str  # exact, at_least, at_most, approx
    what: str
    said: str | None = None  # the qualifier or vague word as written
    civilian: bool | None = None
    subset: bool = False
    who: str | None = None

    @property
    def confidence(self) -> float:
        return 0.6 if self.subset or self.civilian is False else 0.85

    def value(self) -> dict[str, Any]:
        out: dict[str, Any] = {"low": self.low, "high": self.high,
                               "qualifier": self.qualifier, "what": self.what}  # fmt: skip
        for key in ("said", "who", "civilian"):
            if getattr(self, key) is not None:
                out[key] = getattr(self, key)
        if self.subset:
            out["subset"] = True
        return out


_BOUNDARY = re.compile(r"[.!?؟\n]")


def sentence(text: str, start: int, end: int, reach: int = 300) -> tuple[int, int]:
    """The sentence around ``[start, end)``, looked for at most ``reach`` characters
    either side (so a long document costs time in proportion to its length)."""
    lo = max(0, start - reach)
    before = [m.end() for m in _BOUNDARY.finditer(text, lo, start)]
    after = _BOUNDARY.search(text, end, end + reach)
    return (before[-1] if before else lo), (after.start() if after else min(len(text), end + reach))


def find(text: str, skip: list[tuple[int, int]] | None = None) -> Iterator[CountFact]:
    """Every casualty count in ``text``; ``skip`` holds spans already read as something
    else (dates), whose numbers are not counts."""
    taken = sorted(skip or [])
    starts = [a for a, _ in taken]
    last: CountFact | None = None
    for m in _COUNT.finditer(text):
        i = bisect.bisect_left(starts, m.end()) - 1  # the last skipped span starting before m ends
        if i >= 0 and taken[i][1] > m.start():
            continue
        fact = _read(text, m, last)
        if fact is not None:
            last = fact
            yield fact


#: a burial verb right before the number: "relatives buried 20 bodies" counts burials,
#: not killings (the bodies may be of people counted elsewhere, or not of the violence)
_BURIED = re.compile(
    r"(?i:\b(?:buried|bury|burying|interred|reburied)\s+(?:\w+\s+){0,2}$)"
    r"|(?<![\u0621-\u064a])[وف]?(?:دفن\w*|ودفن\w*)\s+(?:[\u0621-\u064a]+\s+){0,2}$"
)


#: ... and people or bodies right after it ("buried in two mass graves" counts graves)
_BURIED_WHO = re.compile(
    r"^\s*(?:\w+\s+)?(?i:bodies|people|persons|victims|corpses|civilians|of them|men|women"
    r"|children|جثة|جثث|جثامين|جثمان\w*|شخص\w*|ضحية|ضحايا|مدني\w*|قتيل\w*|قتلى)"
)


#: between a number and the passive verb that says what befell it ("three others were
#: seriously injured"), which wins over a nearer word before the number
_PREDICATE = re.compile(r"^(?:\s+[^\s\d]+){0,3}?\s+(?i:were|was|are|is|been)\s+(?:\w+ly\s+)?$")


def _what(before: str, after: str) -> str | None:
    """What the number counts: "buried" right after a burial verb; else the nearest
    casualty word in its own clause, else within a few words either side."""
    clause_after = re.split(r"[،,;:؛]", after, maxsplit=1)[0]
    clause_before = re.split(r"[،,;:؛]", before)[-1]
    if _BURIED.search(clause_before) and _BURIED_WHO.match(clause_after):
        return "buried"
    passive = _WHAT_RE.search(clause_after)
    if passive and _PREDICATE.match(clause_after[: passive.start()]):
        return str(passive.lastgroup)  # "three others were injured": its own verb follows
    for a, b in ((clause_after, clause_before),
                 (" ".join(after.split()[:8]), " ".join(before.split()[-8:]))):  # fmt: skip
        a_hit = _WHAT_RE.search(a)
        b_hits = list(_WHAT_RE.finditer(b))
        b_hit = b_hits[-1] if b_hits else None  # the nearest before
        if a_hit and b_hit:  # the nearer one
            return str(
                a_hit.lastgroup if a_hit.start() <= len(b) - b_hit.end() else b_hit.lastgroup
            )
        if a_hit or b_hit:
            return str((a_hit or b_hit).lastgroup)  # type: ignore[union-attr]
    return None


def _read(text: str, m: re.Match[str], last: CountFact | None) -> CountFact | None:
    number = value(m["num"]) if m["num"] else (2 if m["dual"] else None)
    vague = m["vague"]
    if number is None and not vague:
        return None
    if m["num"] and m["num"].isdigit() and len(m["num"]) == 4 and 1900 <= int(m["num"]) <= 2099:
        return None  # a year
    if m["num"] and m["num"].strip() in ("واحد", "واحدة", "إحدى", "احدى"):
        return None  # "عائلة واحدة", "إحدى القرى": one family, one of the villages
    s_lo, s_hi = sentence(text, m.start(), m.end())
    after = ARABIC_DIACRITICS.sub("", text[m.end() : s_hi])
    before = ARABIC_DIACRITICS.sub("", text[s_lo : m.start()])
    if _NOT_A_COUNT.match(after) or _INTERVIEWED.search(before[-40:]):
        return None
    if re.match(r"^\s*(?:-|–)?\s*year", after) or re.search(r"(?:aged|age|عمره|عمرها)\s*$", before):
        return None
    subset = bool(_SUBSET_BEFORE.search(before[-20:]) or _SUBSET_AFTER.match(after))
    what = _what(before, after)
    if last is not None and s_lo <= last.start:
        gap = text[last.end : m.start()]
        if len(gap) <= 15 and not _WHAT_RE.search(gap) and not re.search(r"[،,;:؛]", gap):
            # "22 women and 11 children": the second is what the first is
            what, subset = last.what, last.subset
        elif len(gap) <= 40 and not _WHAT_RE.search(gap) and not re.search(r"[;؛]", gap):
            # "including 732 in Latakia, 276 in Tartus, and 161 in Hama": parts alike
            what, subset = what or last.what, subset or last.subset
        elif what is None and subset:  # "including 12 children"
            what = last.what
    if what is None:
        return None
    qual_text = (m["qual"] or m["after"] or "").lower() or None
    qualifier, how = QUALIFIERS.get(qual_text or "", ("exact", "exact"))
    low: int | None
    high: int | None
    if vague:
        low, high, qualifier = _VAGUE[vague.lower()], None, "at_least"
        qual_text = vague if not qual_text else f"{qual_text} {vague}"
    else:
        assert number is not None
        low, high = {"above": (number + 1, None), "from": (number, None),
                     "near": (number, number), "to": (None, number),
                     "exact": (number, number)}[how]  # fmt: skip
    # what follows the number up to its perpetrator ("killed by gunmen", "برصاص مسلحين")
    near = _BY.split(" ".join(after.split()[:8])[:60], maxsplit=1)[0]
    who = _WHO.search(near)
    civilian = False if _NON_CIVILIAN.search(near) else (
        True if who and who["who"].lower().startswith(("civilian", "مدني")) else None)  # fmt: skip
    start = m.start("qual") if m["qual"] else m.start()  # not a conjunction before it ("وما")
    return CountFact(start, m.end(), text[start : m.end()], low, high, qualifier, what,
                     qual_text, civilian, subset, who["who"] if who else None)  # fmt: skip
