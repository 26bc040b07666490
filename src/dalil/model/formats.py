"""Numbers and dates for people, in the reader's language (Babel), the same on the screens
(:mod:`dalil.web.i18n`) and in the case file (:mod:`dalil.report.words`).

Arabic uses the locale ``ar_SY`` (the Levantine month names آذار، نيسان... that Syrian
documents carry) with Latin digits; English uses ``en_GB`` (day before month). The reasons
are in :mod:`dalil.web.i18n`'s docstring.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import format_decimal

#: the Babel locale that formats numbers and dates for each language (see the module's
#: docstring for why Arabic is ``ar_SY`` with Latin digits)
LOCALES = {"en": "en_GB", "ar": "ar_SY"}
#: an ISO date, possibly partial: a year, a month or a day (and anything after the day)
_ISO_DAY = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def number(value: float | int | str | None, lang: str = "en") -> str:
    """``value`` with the digit grouping of ``lang`` (1,234,567 in both languages, Latin
    digits; up to three decimals). Text that is not a number is returned as it is, and
    nothing as "—"."""
    if value is None or value == "":
        return "—"
    try:
        found = float(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    return format_decimal(found, locale=LOCALES.get(lang, "en_GB"), numbering_system="latn")


def iso_day(value: date | str) -> tuple[str, str] | None:
    """(ISO form, Babel skeleton) of a date or an ISO date that may be partial
    ("2025", "2025-03", "2025-03-07", "2025-03-07T10:00:00Z"), or None if it does not
    start like one (the calendar is checked by :func:`day`)."""
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat(), "yMMMMd"
    found = _ISO_DAY.match(value.strip())
    if not found:
        return None
    year, month, day_ = found.groups()
    if day_:
        return f"{year}-{month}-{day_}", "yMMMMd"
    return (f"{year}-{month}", "yMMMM") if month else (year, "y")


def day(value: date | str | None, lang: str = "en") -> tuple[str, str] | None:
    """(ISO form, readable form in ``lang``) of a date or a (partial) ISO date: "7 March
    2025" / "7 آذار 2025", "March 2025" / "آذار 2025", "2025"; None when ``value`` is
    no date (the caller shows it as it is)."""
    if value is None or value == "":
        return None
    found = iso_day(value)
    if found is None:
        return None
    iso, skeleton = found
    parts = [int(p) for p in iso.split("-")] + [1, 1]
    try:
        when = date(parts[0], parts[1], parts[2])
    except ValueError:  # 2025-02-30
        return None
    locale = LOCALES.get(lang, "en_GB")
    if skeleton == "yMMMMd":
        return iso, format_date(when, "long", locale=locale)
    return iso, format_skeleton(skeleton, when, locale=locale)


def moment(value: datetime, lang: str = "en") -> str:
    """A moment to the second in UTC, readable in ``lang``: "7 March 2025 14:05:09 UTC"
    (the time as 24-hour digits in both languages, as the ledger records it)."""
    utc = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    locale = LOCALES.get(lang, "en_GB")
    clock = format_time(utc, "HH:mm:ss", locale=locale)
    return f"{format_date(utc, 'long', locale=locale)} {clock} UTC"
