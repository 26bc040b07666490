"""Dates as reports write them, in English and Arabic, read by a rule grammar.

General date parsers miss what matters most in these reports (``extraction.md`` §2):
day lists and ranges ("on 8 and 9 March", "between 6 and 10 March", "يومي 8 و9 آذار"),
the Levantine and Iraqi month names Syrian and Iraqi texts use (آذار, تشرين الأول), the
dual form "آذار/مارس", and Arabic ordinal days ("السادس من آذار"). So dalil reads them
with its own patterns:

* a single day, a list of days, or a range, within a month or across two months;
* a month ("March 2025"), part of a month ("early March": days 1–10, "mid-": 11–20,
  "late": 21–end) and a year after "in"/"عام";
* days relative to the publication date ("yesterday", "on Wednesday", "أمس",
  "يوم الأربعاء"): the latest such day on or before publication;
* open phrases ("in the days that followed", "since 6 March", "في الأيام التالية"):
  an interval with an open end, always for review.

A date written without a year takes the last year the text stated before it, or else the
publication year (stepping back a year when that would put it after publication), and
says so (``year_stated: false``). With neither, no year is guessed: the date is proposed
as open and flagged for review.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

_EN_MONTHS = {
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4,
    "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8,
    "september": 9, "sept": 9, "sep": 9, "october": 10, "oct": 10, "november": 11,
    "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_AR_MONTHS = {
    # Levantine and Iraqi (Syriac-derived) names
    "كانون الثاني": 1, "شباط": 2, "آذار": 3, "اذار": 3, "نيسان": 4, "أيار": 5, "ايار": 5,
    "حزيران": 6, "تموز": 7, "آب": 8, "اب": 8, "أيلول": 9, "ايلول": 9, "تشرين الأول": 10,
    "تشرين الاول": 10, "تشرين الثاني": 11, "كانون الأول": 12, "كانون الاول": 12,
    # Modern Standard / Egyptian names
    "يناير": 1, "فبراير": 2, "مارس": 3, "أبريل": 4, "ابريل": 4, "إبريل": 4, "مايو": 5,
    "يونيو": 6, "يونيه": 6, "يوليو": 7, "يوليه": 7, "أغسطس": 8, "اغسطس": 8, "سبتمبر": 9,
    "أكتوبر": 10, "اكتوبر": 10, "نوفمبر": 11, "ديسمبر": 12,
}  # fmt: skip
_AR_ORDINALS: dict[str, int] = {}
for _n, _w in enumerate(
    [
        "الأول",
        "الثاني",
        "الثالث",
        "الرابع",
        "الخامس",
        "السادس",
        "السابع",
        "الثامن",
        "التاسع",
        "العاشر",
    ],
    start=1,
):
    _AR_ORDINALS[_w] = _n
    if _n > 1:
        _AR_ORDINALS[f"{'الحادي' if _n == 1 else _w} عشر"] = 10 + _n
        _AR_ORDINALS[f"{_w} والعشرين"] = 20 + _n
_AR_ORDINALS.update({"الاول": 1, "الحادي عشر": 11, "العشرين": 20, "الحادي والعشرين": 21,
                     "الثلاثين": 30, "الحادي والثلاثين": 31})  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5,
    "sunday": 6, "الاثنين": 0, "الإثنين": 0, "الثلاثاء": 1, "الأربعاء": 2, "الاربعاء": 2,
    "الخميس": 3, "الجمعة": 4, "السبت": 5, "الأحد": 6, "الاحد": 6,
}  # fmt: skip


def _alt(words: Any) -> str:
    return "|".join(sorted((re.escape(w) for w in words), key=len, reverse=True))


_D = r"[0-9٠-٩]{1,2}"
_EN_WD = _alt(k for k in _WEEKDAYS if k.isascii())
_AR_WD = _alt(k for k in _WEEKDAYS if not k.isascii())
_Y = r"(?:19|20)[0-9]{2}|[١٢][٠-٩]{3}"
_MONTH_EN = (
    rf"(?:{_alt(k for k in _EN_MONTHS if len(k) > 4 or k in ('may', 'june', 'july'))}"
    rf"|(?:{_alt(k for k in _EN_MONTHS if len(k) <= 4 and k not in ('may', 'june', 'july'))})\.?)"
)
# an Arabic month, optionally followed by its other name: "آذار/مارس", "آذار (مارس)"
_MONTH_AR = (
    rf"(?:{_alt(_AR_MONTHS)})(?:\s*/\s*(?:{_alt(_AR_MONTHS)})|\s*\((?:{_alt(_AR_MONTHS)})\))?"
)
_DAY_EN = rf"{_D}(?:st|nd|rd|th)?"
_SEP_EN = r"\s*(?:,|and|&|to|until|till|through|-|–|—)\s*"
_SEP_AR = r"\s*(?:،|,|و|إلى|الى|حتى|-|–|—)\s*"
_AR_YEAR = rf"(?:\s+(?:من\s+)?(?:عام|العام|سنة)?\s*(?P<year>{_Y}))?"

_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("iso", re.compile(rf"\b(?P<iso>{_Y})-(?P<im>[01][0-9])-(?P<id>[0-3][0-9])\b")),
    # 6 March and 10 April 2025; between 6 March and 10 April
    ("en_span", re.compile(
        rf"(?i:\b(?P<d1>{_DAY_EN})\s+(?:of\s+)?(?P<m1>{_MONTH_EN})(?:,?\s+(?P<y1>{_Y}))?"
        rf"{_SEP_EN}(?P<d2>{_DAY_EN})\s+(?:of\s+)?(?P<m2>{_MONTH_EN})(?:,?\s+(?P<year>{_Y}))?)")),
    # March 6 and April 10, 2025
    ("en_span_mfirst", re.compile(
        rf"(?i:\b(?P<m1>{_MONTH_EN})\s+(?P<d1>{_DAY_EN}){_SEP_EN}(?P<m2>{_MONTH_EN})\s+"
        rf"(?P<d2>{_DAY_EN})\b(?:,?\s+(?P<year>{_Y}))?)")),
    # from April to November 2023
    ("en_months", re.compile(
        rf"(?i:\b(?:from|between)\s+(?P<m1>{_MONTH_EN})(?:\s+(?P<y1>{_Y}))?\s+(?:to|until|till|and)\s+"
        rf"(?P<m2>{_MONTH_EN})(?:,?\s+(?P<year>{_Y}))?)(?!\s*[0-9])")),
    # من كانون الثاني حتى حزيران 2025
    ("ar_months", re.compile(
        rf"(?:من|بين)\s+(?:شهر\s+)?(?P<m1>{_MONTH_AR})(?:\s+(?P<y1>{_Y}))?\s*(?:إلى|الى|حتى|و)\s*"
        rf"(?:شهر\s+)?(?P<m2>{_MONTH_AR}){_AR_YEAR}(?!\s*[0-9])")),
    # 8 March 2025; 8 and 9 March; 6, 7 and 8 March; the night of 6 to 7 March
    ("en_days", re.compile(
        rf"(?i:\b(?P<days>{_DAY_EN}(?:{_SEP_EN}{_DAY_EN})*)\s+(?:of\s+)?(?P<month>{_MONTH_EN})"
        rf"(?:,?\s+(?P<year>{_Y}))?)")),
    # March 8, 2025; March 8 and 9
    ("en_mfirst", re.compile(
        rf"(?i:\b(?P<month>{_MONTH_EN})\s+(?P<days>{_DAY_EN}(?:{_SEP_EN}{_DAY_EN})*)\b"
        rf"(?:,?\s+(?P<year>{_Y}))?)")),
    # early March 2025; mid-March; the end of March
    ("en_part", re.compile(
        rf"(?i:\b(?P<part>early|mid|middle of|late|the end of|the beginning of|the start of)"
        rf"[\s-]+(?P<month>{_MONTH_EN})(?:,?\s+(?P<year>{_Y}))?)")),
    ("en_month", re.compile(rf"(?i:\b(?P<month>{_MONTH_EN})(?:,?\s+(?P<year>{_Y})))")),
    # "in March" (no year): a month only after a preposition, so "may" the verb is not one
    ("en_month_bare", re.compile(
        rf"(?i:\b(?:in|during|since|until|by|of|from)\s+"
        rf"(?P<month>{_MONTH_EN.replace('may|', '')})\b)"
        r"(?!\s*[0-9])")),
    # يومي 8 و9 آذار 2025; بين 6 و10 آذار; 8 آذار/مارس 2025
    ("ar_days", re.compile(
        rf"(?P<days>{_D}(?:{_SEP_AR}{_D})*)\s*(?:\s|/)\s*(?:من\s+)?(?:شهر\s+)?"
        rf"(?P<month>{_MONTH_AR}){_AR_YEAR}")),  # "11 / أيلول" as SNHR writes it
    # السادس من آذار; الحادي والعشرين من شهر آذار 2025; الثالث والرابع من (two days, tried last)
    ("ar_ordinal", re.compile(
        rf"(?:(?P<ordinal0>{_alt(_AR_ORDINALS)})\s+و)??(?P<ordinal>{_alt(_AR_ORDINALS)})"
        rf"\s+من\s+(?:شهر\s+)?(?P<month>{_MONTH_AR}){_AR_YEAR}")),
    # أوائل آذار / منتصف آذار / أواخر آذار
    ("ar_part", re.compile(
        rf"(?P<part>أوائل|اوائل|بداية|مطلع|منتصف|أواسط|اواسط|أواخر|اواخر|نهاية)\s+"
        rf"(?:شهر\s+)?(?P<month>{_MONTH_AR}){_AR_YEAR}")),
    ("ar_month", re.compile(
        rf"(?:شهر\s+)?(?P<month>{_MONTH_AR})\s+(?:من\s+)?(?:عام|العام|سنة)?\s*(?P<year>{_Y})")),
    ("ar_month_bare", re.compile(rf"(?:في|خلال|منذ|حتى)\s+(?:شهر\s+)?(?P<month>{_MONTH_AR})")),
    ("year", re.compile(
        rf"(?i:\b(?:in|during|since|throughout)\s+(?P<year>{_Y})\b)"
        rf"|(?:عام|خلال|في|منذ)\s+(?P<aryear>{_Y})")),
    ("relative", re.compile(
        r"(?i:\b(?P<rel>yesterday|today|the day before yesterday|last night|this morning)\b)"
        r"|(?P<arrel>أمس|البارحة|اليوم|أول أمس|فجر اليوم|مساء أمس|ليلة أمس)(?![\u0621-\u064a])")),
    ("next_day", re.compile(
        r"(?i:\b(?:the|on the)\s+(?:next|following)\s+(?P<next>day|morning|evening|night)\b"
        r"|\bthe day after\b)|(?:صباح|مساء|في|فجر)?\s*(?P<arnext>اليوم التالي|اليوم الذي تلاه)")),
    ("weekday", re.compile(
        rf"(?i:\b(?:on|last|this past|and|or|since|until|by|from)\s+(?P<wd>{_EN_WD})\b"
        rf"|\b(?P<wd2>{_EN_WD})\s+(?:morning|evening|night|afternoon)\b"
        rf"|\b(?P<wd3>{_EN_WD})(?=,?\s+(?:the\s+)?[0-9])|\b(?P<wd4>{_EN_WD})(?=['’]s\b))"
        rf"|(?:يومي?|ليلة|فجر|صباح|مساء|منذ)\s+(?P<arwd>{_AR_WD})(?:\s+الماضي)?"
        rf"|(?<=[\u0621-\u064a] )و(?P<arwd2>{_AR_WD})"
        rf"|(?P<arwd3>{_AR_WD})(?=،?\s+[0-9٠-٩])"
        rf"|(?<=[،,] )(?P<arwd4>{_AR_WD})(?=\s*[،,])")),
    ("open", re.compile(
        r"(?i:\b(?P<open>in the (?:days|weeks|hours) (?:that followed|after(?:wards)?|following)"
        r"|in the following (?:days|weeks)|in the days since|over the following days)\b)"
        r"|(?P<aropen>في الأيام (?:التالية|التي تلت|اللاحقة)"
        r"|خلال الأيام (?:التالية|اللاحقة|التي تلت)"
        r"|في الأسابيع (?:التالية|اللاحقة))")),
]  # fmt: skip
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")
#: "between 6 and 10 March", "بين 6 و10 آذار": two days joined by "and" that are a range
_BETWEEN = re.compile(r"(?i:\bbetween\s+(?:the\s+)?)$|(?:بين|ما بين)\s+$")
_PARTS = {"early": (1, 10), "the beginning of": (1, 10), "the start of": (1, 10),
          "أوائل": (1, 10), "اوائل": (1, 10), "بداية": (1, 10), "مطلع": (1, 10),
          "mid": (11, 20), "middle of": (11, 20), "منتصف": (11, 20), "أواسط": (11, 20),
          "اواسط": (11, 20), "late": (21, 31), "the end of": (21, 31), "أواخر": (21, 31),
          "اواخر": (21, 31), "نهاية": (21, 31)}  # fmt: skip


@dataclass(frozen=True)
class DateFact:
    """A date expression and what it says: ``[start, end]`` (inclusive; ``end`` None for
    an open interval, both None when no year can be known)."""

    start: int
    end: int
    text: str
    first: date | None
    last: date | None
    granularity: str  # day, days, month, part_of_month, year, relative, open
    year_stated: bool
    days: tuple[date, ...] = ()
    anchor: date | None = None
    rule: str = ""

    @property
    def confidence(self) -> float:
        if self.granularity == "open" or self.first is None:
            return 0.4
        if self.granularity == "relative":
            return 0.7
        return 0.9 if self.year_stated else 0.75

    def value(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "start": self.first.isoformat() if self.first else None,
            "end": self.last.isoformat() if self.last else None,
            "granularity": self.granularity,
            "year_stated": self.year_stated,
        }
        if len(self.days) > 1 and self.granularity == "days":
            out["days"] = [d.isoformat() for d in self.days]
        if self.anchor:
            out["anchor"] = self.anchor.isoformat()
        return out


def _month(text: str) -> int:
    head = re.split(r"\s*[/(]", text.strip().rstrip(".)"))[0].strip()
    return _EN_MONTHS.get(head.lower()) or _AR_MONTHS[head]


def _day(text: str) -> int:
    return int(re.sub(r"\D", "", text.translate(_DIGITS)))


def _year(text: str | None) -> int | None:
    return int(text.translate(_DIGITS)) if text else None


def _safe(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _candidates(text: str) -> list[tuple[int, int, str, re.Match[str]]]:
    """Every pattern's matches, longest first where they overlap."""
    found = [(m.start(), m.end(), rule, m) for rule, p in _PATTERNS for m in p.finditer(text)]
    found.sort(key=lambda c: (c[0], -(c[1] - c[0])))
    kept: list[tuple[int, int, str, re.Match[str]]] = []
    for c in found:
        if not kept or c[0] >= kept[-1][1]:
            kept.append(c)
    return kept


#: what joins two dates into one span: "between December 2024 and February 2025", "from
#: mid-April to the end of August 2011", "من أواسط نيسان إلى نهاية آب 2011"
_RANGE_OPEN = re.compile(
    r"(?i:\b(?:between|from)\s+(?:the\s+)?)$|(?<![\u0621-\u064a])(?:بين|ما بين|من|منذ)\s+$"
)
_RANGE_JOIN = re.compile(r"^\s*(?i:and|to|until|till|through|-|–|—|إلى|الى|حتى|و)\s*(?:the\s+)?$")
_SPANS = ("month", "part_of_month", "day", "days", "year")


def find(text: str, published: date | None = None) -> Iterator[DateFact]:
    """Every date expression of ``text`` in order (see :func:`_find`), two dates joined as
    a range ("between December 2024 and February 2025") read as one span from the first's
    start to the second's end; a first date without a year takes the second's."""
    facts = list(_find(text, published))
    i = 0
    while i < len(facts):
        a = facts[i]
        b = facts[i + 1] if i + 1 < len(facts) else None
        if (b is not None and a.granularity in _SPANS and b.granularity in _SPANS
                and a.first and b.last and _RANGE_OPEN.search(text[max(0, a.start - 12) : a.start])
                and _RANGE_JOIN.match(text[a.end : b.start])):  # fmt: skip
            first = a.first
            if not a.year_stated and b.year_stated:
                first = _safe(b.last.year, a.first.month, a.first.day) or a.first
                if first > b.last:
                    first = _safe(b.last.year - 1, a.first.month, a.first.day) or first
            if first > b.last:  # "from mid-December 2024 to early January": not read as one
                yield a
                i += 1
                continue
            stated = a.year_stated or b.year_stated
            yield DateFact(a.start, b.end, text[a.start : b.end], first, b.last, "range",
                           stated, anchor=a.anchor, rule="range")  # fmt: skip
            i += 2
            continue
        yield a
        i += 1


def _find(text: str, published: date | None = None) -> Iterator[DateFact]:
    """Every date expression of ``text`` in order, years filled from context.

    Relative days are anchored on the publication date, except in a narrative: after a
    stated day other than the publication date, "on Saturday" is the first Saturday after
    it unless that falls after publication, and "the next day" the day after the latest
    day (a witness telling what happened from 7 March on). A weekday written next to a
    stated date of that weekday is that date."""
    last_year: int | None = None
    last_day: date | None = None  # the latest day, stated or relative: "the next day"
    last_stated: date | None = None  # the latest stated day, for a narrative's weekdays
    candidates = _merge_weekdays(_candidates(text))
    for start, end, rule, m in candidates:
        g = {k: v for k, v in m.groupdict().items() if v}
        stated = _year(g.get("year") or g.get("y1") or g.get("iso") or g.get("aryear"))
        year = stated or last_year or (published.year if published else None)
        between = bool(_BETWEEN.search(text[max(0, start - 12) : start]))
        fact: DateFact | None
        if rule in ("relative", "weekday", "next_day", "open"):
            fact = _relative(rule, g, published, (last_day, last_stated), text, start, end)
        else:
            fact = _read(rule, g, year, stated is not None, text[start:end], start, end, between)
            if fact and not stated and fact.first and published and fact.first > published:
                fact = _read(rule, g, (year or 1) - 1, False, text[start:end], start, end,
                             between) or fact  # fmt: skip
        if fact is None:
            continue
        if stated:
            last_year = stated
        if fact.first and fact.first == fact.last and fact.granularity in ("day", "relative"):
            last_day = fact.first
            last_stated = fact.first if fact.granularity == "day" else last_stated
        yield fact


_DAY_RULES = ("iso", "en_days", "en_mfirst", "ar_days", "ar_ordinal")
Candidate = tuple[int, int, str, re.Match[str]]


def _merge_weekdays(candidates: list[Candidate]) -> list[Candidate]:
    """A weekday written right before a stated date ("Friday, 7 March", "الأربعاء 12
    آذار") is one expression: the date's, with the weekday's start."""
    out: list[Candidate] = []
    for c in candidates:
        if out and out[-1][2] == "weekday" and c[2] in _DAY_RULES and c[0] - out[-1][1] <= 12:
            c = (out.pop()[0], c[1], c[2], c[3])
        out.append(c)
    return out


def _read(rule: str, g: dict[str, str], year: int | None, stated: bool, text: str,
          start: int, end: int, ranged: bool = False) -> DateFact | None:  # fmt: skip
    """One absolute date expression as a :class:`DateFact` (None when it names no real
    date)."""

    def fact(first: date | None, last: date | None, granularity: str,
             days: tuple[date, ...] = ()) -> DateFact:  # fmt: skip
        return DateFact(start, end, text, first, last, granularity, stated, days, None, rule)

    if year is None:  # no year anywhere: say what was written, guess nothing
        return fact(None, None, "open")
    if rule == "iso":
        d = _safe(year, int(g["im"]), int(g["id"]))
        return fact(d, d, "day") if d else None
    if rule == "year" and (y := _year(g.get("year") or g.get("aryear"))):
        return fact(date(y, 1, 1), date(y, 12, 31), "year")
    if rule in ("en_months", "ar_months"):
        m1, m2 = _month(g["m1"]), _month(g["m2"])
        y1 = _year(g.get("y1")) or (year if m1 <= m2 else year - 1)
        return fact(date(y1, m1, 1), date(year, m2, calendar.monthrange(year, m2)[1]), "month")
    if rule in ("en_span", "en_span_mfirst"):
        a = _safe(_year(g.get("y1")) or year, _month(g["m1"]), _day(g["d1"]))
        b = _safe(year, _month(g["m2"]), _day(g["d2"]))
        return fact(a, b, "days") if a and b and a <= b else None
    month = _month(g["month"])
    size = calendar.monthrange(year, month)[1]
    if "days" in g or "ordinal" in g:
        numbers = [_AR_ORDINALS[g[k]] for k in ("ordinal0", "ordinal") if k in g] or [
            _day(d) for d in re.findall(r"[0-9٠-٩]{1,2}", g["days"])]  # fmt: skip
        found = [_safe(year, month, n) for n in numbers]
        days = tuple(d for d in found if d)
        if not days or len(days) != len(found):
            return None
        ranged = ranged or bool(
            re.search(r"to|until|till|through|-|–|—|إلى|الى|حتى", g.get("days", ""))
        )
        if ranged and len(days) == 2:
            return fact(days[0], days[1], "days")
        if len(days) == 1:
            return fact(days[0], days[0], "day")
        return fact(min(days), max(days), "days", days)
    if "part" in g:
        lo, hi = _PARTS[g["part"].lower()]
        return fact(date(year, month, lo), date(year, month, min(hi, size)), "part_of_month")
    return fact(date(year, month, 1), date(year, month, size), "month")


_BACK = {"the day before yesterday": 2, "أول أمس": 2, "yesterday": 1, "last night": 1,
         "أمس": 1, "البارحة": 1, "مساء أمس": 1, "ليلة أمس": 1}  # fmt: skip


def _relative(rule: str, g: dict[str, str], published: date | None,
              last: tuple[date | None, date | None], text: str, start: int, end: int,
              ) -> DateFact:  # fmt: skip
    """A relative expression, anchored as :func:`find` explains; ``last`` holds the latest
    day so far (stated or relative) and the latest stated one. A narrative's weekday never
    falls after the publication date: "on Saturday … on Friday" in a report of Sunday 27
    May are 26 and 25 May, not 26 May and 1 June."""
    last_day, last_stated = last
    narrative = last_stated if last_stated and last_stated != published else None

    def fact(d: date | None, anchor: date | None) -> DateFact:
        granularity = "relative" if d else "open"
        return DateFact(start, end, text[start:end], d, d, granularity, False, (), anchor, rule)

    if rule == "open":
        return fact(None, narrative or published)
    if rule == "next_day":
        anchor = last_day or published
        return fact(anchor + timedelta(days=1) if anchor else None, anchor)
    if rule == "weekday":
        wd = _WEEKDAYS[next(v for k, v in g.items() if "wd" in k).lower()]
        if narrative:
            after = narrative + timedelta(days=(wd - narrative.weekday()) % 7 or 7)
            if published is None or after <= published:
                return fact(after, narrative)
        if published is None:
            return fact(None, None)
        return fact(published - timedelta(days=(published.weekday() - wd) % 7), published)
    if published is None:
        return fact(None, None)
    word = (g.get("rel") or g["arrel"]).lower()
    return fact(published - timedelta(days=_BACK.get(word, 0)), published)


_PUBLISHED_CUE = re.compile(
    r"(?i:(?:published|issued|released|dated?|posted|updated|(?:prepared|conducted|taken|recorded)[^.\n]{0,40})\s*(?:on|:)?\s*$)"
    r"|(?:بتاريخ|نشر(?:ت)?|صدر(?:ت)?|أصدر(?:ت)?[^.\n]{0,30}في|تاريخ|في)\s*:?\s*$"
)


def publication(text: str) -> date | None:
    """The publication date a report states near its top: the first full date (day,
    month and year) in its first 400 characters that stands on a line of its own, after
    a dateline's place ("Geneva, 11 March 2025") or after a cue ("published on",
    "بتاريخ"). None when there is none: a person is then asked for it."""
    head = text[:400]
    for fact in find(head):
        if fact.granularity != "day" or not fact.year_stated or fact.first is None:
            continue
        line_start = head.rfind("\n", 0, fact.start) + 1
        line_end = head.find("\n", fact.end)
        before = head[line_start : fact.start]
        after = head[fact.end : line_end if line_end >= 0 else len(head)]
        alone = not re.sub(r"[\w\s'’-]{0,30}[,،]\s*$", "", before).strip() and not after.strip(
            " .)"
        )
        if alone or _PUBLISHED_CUE.search(before):
            return fact.first
    return None
