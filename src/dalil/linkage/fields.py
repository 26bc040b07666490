"""Parsing of victim-list field values: sex, age and (partial) dates of death.

Lists write "ذكر", "M" or "male"; "٣٤" or "34"; "2025-03-08", "08/03/2025", "8 March 2025",
"8 آذار 2025" or only "March 2025". These parsers return ``None`` for an empty value and
raise :class:`ValueError` for a value they cannot read, so the importer can name the row
and column. Dates keep their precision: a month-only date is the interval of that month.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from dalil.folding import normalise_arabic

_SEX = {
    "m": "m",
    "male": "m",
    "man": "m",
    "boy": "m",
    "ذكر": "m",
    "ذ": "m",
    "رجل": "m",
    "masculin": "m",
    "h": "m",
    "homme": "m",
    "f": "f",
    "female": "f",
    "woman": "f",
    "girl": "f",
    "انثي": "f",
    "ا": "f",
    "امراه": "f",
    "feminin": "f",
    "femme": "f",
}
_MONTHS = {
    "january": 1,
    "february": 2,
    "march": 3,
    "april": 4,
    "may": 5,
    "june": 6,
    "july": 7,
    "august": 8,
    "september": 9,
    "october": 10,
    "november": 11,
    "december": 12,
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
    # Levantine / Iraqi month names and the Egyptian/Gulf forms, after normalise_arabic
    "كانون الثاني": 1,
    "شباط": 2,
    "اذار": 3,
    "نيسان": 4,
    "ايار": 5,
    "حزيران": 6,
    "تموز": 7,
    "اب": 8,
    "ايلول": 9,
    "تشرين الاول": 10,
    "تشرين الثاني": 11,
    "كانون الاول": 12,
    "يناير": 1,
    "فبراير": 2,
    "مارس": 3,
    "ابريل": 4,
    "مايو": 5,
    "يونيو": 6,
    "يوليو": 7,
    "اغسطس": 8,
    "سبتمبر": 9,
    "اكتوبر": 10,
    "نوفمبر": 11,
    "ديسمبر": 12,
}


def parse_sex(value: str) -> str | None:
    """ "m", "f" or None (empty / unknown)."""
    v = normalise_arabic(value.strip()).casefold().strip(".")
    if not v or v in {"unknown", "?", "غير معروف", "-"}:
        return None
    if v not in _SEX:
        raise ValueError("not a recognised sex (male/female, M/F, ذكر/أنثى)")
    return _SEX[v]


def parse_age(value: str) -> int | None:
    """Age in whole years; "34", "٣٤", "34 years", "~34". Ranges take their midpoint."""
    v = normalise_arabic(value.strip()).casefold()
    if not v or v in {"unknown", "?", "-", "غير معروف"}:
        return None
    nums = [int(n) for n in re.findall(r"\d+", v)]
    if not nums or len(nums) > 2 or any(n > 120 for n in nums):
        raise ValueError("not an age in years")
    return sum(nums) // len(nums)


def parse_date(value: str) -> tuple[date, date] | None:
    """The interval a date value stands for: a day, a whole month or a whole year.

    Accepts ISO (2025-03-08, 2025-03, 2025), day-first numeric (08/03/2025, 8.3.2025 --
    day-first as in Syrian and European usage), and "8 March 2025" / "March 2025" /
    "8 آذار 2025" with English, Levantine and Egyptian month names.
    """
    v = normalise_arabic(value.strip()).casefold()
    if not v or v in {"unknown", "?", "-"}:
        return None
    try:
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", v):
            d = date(int(m[1]), int(m[2]), int(m[3]))
            return d, d
        if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", v):
            d = date(int(m[3]), int(m[2]), int(m[1]))
            return d, d
        if m := re.fullmatch(r"(\d{4})-(\d{1,2})", v):
            return _month(int(m[1]), int(m[2]))
        if m := re.fullmatch(r"(\d{4})", v):
            return date(int(m[1]), 1, 1), date(int(m[1]), 12, 31)
        if m := re.fullmatch(r"(?:(\d{1,2})\s+)?([^\d,]+?),?\s+(\d{4})", v):
            month = _MONTHS.get(m[2].strip())
            if month is None:
                raise ValueError("unknown month name")
            if m[1]:
                d = date(int(m[3]), month, int(m[1]))
                return d, d
            return _month(int(m[3]), month)
    except ValueError as exc:
        raise ValueError(f"not a valid date ({exc})") from None
    raise ValueError("not a date (use YYYY-MM-DD, DD/MM/YYYY, YYYY-MM or '8 March 2025')")


def _month(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])
