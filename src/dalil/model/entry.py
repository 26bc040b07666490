"""Fact values as a person types them into one form field.

Why: the web forms (and any quick entry) offer one text box per fact, while the record
model stores structured values. This reads the short forms people write and hands the
result to :func:`dalil.model.catalogue.normalise`, which still checks everything:

* dates: ``2025-03-07`` (a day), ``2025-03`` (a month), ``2025`` (a year), or a range
  ``2025-03-06/2025-03-10`` (precision ``week`` up to 7 days, else ``month``/``unknown``);
* counts: the wording of the source, in English or Arabic ("more than 100", "نحو 30"),
  kept as reported (:meth:`UncertainCount.from_reported`);
* ages: ``34`` or ``30-40``; names: the full name, its script detected;
* links to other records: the record's id.

Structured places and affiliations need more than one box: they go through the API.
"""

from __future__ import annotations

import calendar
import re
from datetime import date
from typing import Any

from dalil.errors import InvalidInput
from dalil.model.catalogue import FieldSpec
from dalil.model.values import Age, PersonName, UncertainCount, UncertainDate
from dalil.model.words import N_

_DAY = r"(\d{4})-(\d{1,2})-(\d{1,2})"


def _day(text: str, path: str) -> date:
    m = re.fullmatch(_DAY, text.strip())
    if not m:
        raise InvalidInput(f"write dates as YYYY-MM-DD, not {text.strip()[:40]!r}", path=path)
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        raise InvalidInput(f"{text.strip()[:40]!r} is not a calendar date", path=path) from None


def read_date(text: str, path: str = "date") -> UncertainDate:
    """A day, a month, a year or a range of days, as the interval it stands for."""
    text = text.strip()
    if "/" in text:
        lo, hi = (_day(part, path) for part in text.split("/", 1))
        if lo > hi:
            raise InvalidInput(N_("the range ends before it starts"), path=path)
        span = (hi - lo).days
        precision = "week" if span <= 7 else "month" if span <= 31 else "unknown"
        return UncertainDate.between(lo, hi, precision, as_reported=text)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        year, month = int(m[1]), int(m[2])
        if not 1 <= month <= 12:
            raise InvalidInput(f"{text!r} has no month {month}", path=path)
        last = calendar.monthrange(year, month)[1]
        return UncertainDate(earliest=date(year, month, 1), latest=date(year, month, last),
                             precision="month", as_reported=text)  # fmt: skip
    if re.fullmatch(r"\d{4}", text):
        year = int(text)
        return UncertainDate(earliest=date(year, 1, 1), latest=date(year, 12, 31),
                             precision="year", as_reported=text)  # fmt: skip
    return UncertainDate.on(_day(text, path), as_reported=text)


def read_value(spec: FieldSpec, text: str, path: str = "value") -> Any:
    """The value of ``spec`` that ``text`` stands for (not yet validated against the
    vocabularies: :func:`~dalil.model.catalogue.normalise` does that)."""
    text = text.strip()
    if not text:
        raise InvalidInput(N_("this field needs a value"), path=path)
    if spec.type in ("text", "longtext", "term"):
        return text
    if spec.type == "int":
        if not re.fullmatch(r"-?\d+", text):
            raise InvalidInput(N_("expected a whole number"), path=path)
        return int(text)
    if spec.type == "date":
        return read_date(text, path)
    if spec.type == "count":
        try:
            return UncertainCount.from_reported(text)
        except ValueError:
            example = N_("a count needs a number, such as 'more than 100'")
            raise InvalidInput(example, path=path) from None
    if spec.type == "age":
        m = re.fullmatch(r"(\d{1,3})(?:\s*[-–]\s*(\d{1,3}))?", text)
        if not m:
            raise InvalidInput(N_("write an age as 34 or 30-40"), path=path)
        return Age(low=int(m[1]), high=int(m[2] or m[1]), as_reported=text)
    if spec.type == "name":
        script = "Arab" if re.search(r"[\u0600-\u06ff]", text) else "Latn"
        return PersonName(full=text, script=script)
    if spec.type == "ref":
        return {"kind": spec.ref_kind, "id": text}
    raise InvalidInput(f"{spec.name} values are entered through the API", path=path)
