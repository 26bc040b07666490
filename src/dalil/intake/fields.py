"""Parsing of victim-list field values: sex, age and (partial) dates of death.

Lists write "ذكر", "M" or "male"; "٣٤" or "34"; "2025-03-08", "08/03/2025", "8 March 2025",
"8 آذار 2025" or only "March 2025". These parsers return ``None`` for an empty value and
raise :class:`ValueError` for a value they cannot read, so the importer can name the row
and column. Dates keep their precision: a month-only date is the interval of that month.
They live with the importer, which validates every value with them; linkage, above
intake, reads the stored values with the same parsers.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from dalil.places.folding import normalise_arabic

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


# Words an age may carry around its number, after normalise_arabic and casefold. Anything
# else is refused rather than guessed at: "1e3" once read as the range 1-3 and "-5" as 5.
_AGE_BEFORE = (
    "about", "approx", "approx.", "approximately", "around", "circa", "ca", "ca.", "c.",
    "aged", "age", "environ", "حوالي", "حوالى", "نحو", "تقريبا", "عمره", "عمرها", "العمر",
)  # fmt: skip
_AGE_UNITS = {
    # unit -> how many of them make a year (None: the number is already in years)
    **dict.fromkeys(
        ("y", "yr", "yrs", "year", "years", "yo", "y/o", "y.o.", "years old", "year old",
         "ans", "an", "سنة", "سنه", "سنوات", "سنين", "عام", "عاما", "اعوام", "سنة تقريبا",
         "سنه تقريبا"),
        1,
    ),
    **dict.fromkeys(("mo", "mos", "month", "months", "mois", "شهر", "شهرا", "اشهر", "شهور"), 12),
    **dict.fromkeys(("wk", "wks", "week", "weeks", "اسبوع", "اسابيع"), 52),
    **dict.fromkeys(("day", "days", "يوم", "ايام"), 365),
}  # fmt: skip
_AGE = re.compile(
    r"(?P<before>(?:[^\W\d_]+\.?\s+)*)~?\s*"
    r"(?P<low>\d{1,3})(?:[.٫](?P<lowfrac>\d+))?"
    r"(?:\s*(?:-|–|—|to|الى|حتى)\s*(?P<high>\d{1,3})(?:[.٫]\d+)?)?"
    r"\s*(?P<unit>[^\d~\-–—]*?)\s*",
)


def parse_age(value: str) -> int | None:
    """Age in whole (completed) years, or None when the value says it is unknown.

    Reads "34", "٣٤" (Eastern Arabic digits), "34 years", "~34", "about 34", "حوالي 34
    سنة", a range "30-40" or "30 to 40" (its midpoint, rounded down), a decimal "0.5"
    (rounded down) and an infant's age in months, weeks or days ("8 months" is 0). A
    value with anything else -- a sign, an exponent ("1e3"), three numbers, an unknown
    word, more than 120 years, a range running backwards -- raises :class:`ValueError`
    rather than being misread.
    """
    v = " ".join(normalise_arabic(value.strip()).casefold().split())
    if not v or v in {"unknown", "?", "-", "غير معروف"}:
        return None
    m = _AGE.fullmatch(v)
    if m is None:
        raise ValueError("not an age in years (write e.g. 34, ٣٤, 30-35 or '8 months')")
    before = m["before"].split()
    if any(w not in _AGE_BEFORE for w in before):
        raise ValueError("not an age in years (unknown word before the number)")
    unit = m["unit"].strip()
    per_year = _AGE_UNITS.get(unit) if unit else 1
    if per_year is None:
        raise ValueError("not an age in years (unknown unit after the number)")
    low = int(m["low"]) + (float(f"0.{m['lowfrac']}") if m["lowfrac"] else 0.0)
    high = int(m["high"]) if m["high"] is not None else None
    if high is not None and high < int(low):
        raise ValueError("not an age in years (a range must run from the lower age)")
    years = ((int(low) + high) / 2 if high is not None else low) / per_year
    if years > 120:
        raise ValueError("not an age in years (over 120)")
    return int(years)


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
