"""Typed values a fact can hold, including the three uncertainty types.

Why typed: the standards dalil follows (HURIDOCS, ACLED, UCDP, Every Casualty) all insist
that a date, a place or a count is rarely exact, and that the way a source worded it is
itself evidence. So a date is an interval with a precision, a place carries its precision
code, and a count keeps low/best/high *and* the reported wording: "more than 100" is
``UncertainCount(low=101, qualifier="more_than", as_reported="more than 100")``, never 100.

Every value is a frozen pydantic model that serialises to plain JSON (the case-document
format) and back without loss. Vocabulary codes inside values are checked against the
workspace vocabularies by :mod:`dalil.model.catalogue`, not here.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Code = Annotated[str, Field(min_length=1, max_length=80, pattern=r"^[a-z0-9_]+$")]
ShortText = Annotated[str, Field(min_length=1, max_length=1000)]


class Value(BaseModel):
    """Base of all structured fact values: immutable, strict about unknown keys."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class UncertainDate(Value):
    """A date known to lie in ``[earliest, latest]`` (inclusive, calendar days).

    ``precision`` says how the interval arose (vocabulary ``date_precision``: ``day``,
    ``week``, ``month``, ``year``, ``unknown``); ``date_type`` carries HURIDOCS MT-48 when a
    source states it. For ACLED/UCDP export, ``earliest`` is UCDP ``date_start`` and
    ``latest`` is ``date_end``.
    """

    earliest: date | None = None
    latest: date | None = None
    precision: Code = "day"
    date_type: Code | None = None
    as_reported: ShortText | None = None

    @model_validator(mode="after")
    def _ordered(self) -> UncertainDate:
        if self.earliest and self.latest and self.earliest > self.latest:
            raise ValueError("earliest is after latest")
        if self.precision == "day" and self.earliest != self.latest:
            raise ValueError("precision 'day' needs earliest == latest")
        return self

    @classmethod
    def on(cls, day: date, as_reported: str | None = None) -> UncertainDate:
        return cls(earliest=day, latest=day, precision="day", as_reported=as_reported)

    @classmethod
    def between(
        cls, earliest: date, latest: date, precision: str = "week", as_reported: str | None = None
    ) -> UncertainDate:
        if earliest == latest:
            precision = "day"
        return cls(earliest=earliest, latest=latest, precision=precision, as_reported=as_reported)


class UncertainPlace(Value):
    """Where something happened, with how precisely we know it.

    ``precision`` follows ACLED ``geo_precision``: 1 = the town itself or its outskirts,
    2 = near a known place or a small part of a region, 3 = only the region is known.
    Coordinates are WGS84 decimal degrees. ``sensitive`` marks places that could identify a
    protected person (a witness's home): outputs below vault level round them to admin2.
    """

    name: ShortText | None = None
    name_ar: ShortText | None = None
    admin1: ShortText | None = None
    admin2: ShortText | None = None
    lat: Annotated[float, Field(ge=-90, le=90)] | None = None
    lon: Annotated[float, Field(ge=-180, le=180)] | None = None
    precision: Annotated[int, Field(ge=1, le=3)] = 1
    gazetteer_ref: Annotated[str, Field(max_length=64)] | None = None
    sensitive: bool = False

    @model_validator(mode="after")
    def _both_coordinates(self) -> UncertainPlace:
        if (self.lat is None) != (self.lon is None):
            raise ValueError("lat and lon must be given together")
        return self


Qualifier = Literal["exact", "at_least", "more_than", "about", "up_to", "at_most", "unknown"]


class UncertainCount(Value):
    """A number of people (or bodies, or graves) as reported and as bounded.

    ``low``/``best``/``high`` are inclusive integer bounds (UCDP convention); any may be
    unknown. ``qualifier`` records the wording's logic; ``as_reported`` its words.
    ``count_kind`` separates what a source *reported* from what this team *documented*,
    *identified* by name, or had *forensically confirmed*: these are shown side by side and
    never summed. ``what`` names what is counted (vocabulary ``count_subject``).
    """

    low: Annotated[int, Field(ge=0)] | None = None
    best: Annotated[int, Field(ge=0)] | None = None
    high: Annotated[int, Field(ge=0)] | None = None
    qualifier: Qualifier = "exact"
    as_reported: ShortText | None = None
    count_kind: Code = "reported"
    what: Code = "killed"
    population: Code = "civilians"

    @model_validator(mode="after")
    def _consistent(self) -> UncertainCount:
        bounds = [b for b in (self.low, self.best, self.high) if b is not None]
        if bounds != sorted(bounds):
            raise ValueError("need low <= best <= high")
        if self.qualifier == "exact" and len(set(bounds)) > 1:
            raise ValueError("an exact count has one value")
        if self.qualifier in ("at_least", "more_than") and self.low is None:
            raise ValueError(f"qualifier {self.qualifier!r} needs a low bound")
        if self.qualifier in ("up_to", "at_most") and self.high is None:
            raise ValueError(f"qualifier {self.qualifier!r} needs a high bound")
        return self

    @classmethod
    def exactly(cls, n: int, **kw: str) -> UncertainCount:
        return cls(low=n, best=n, high=n, qualifier="exact", **kw)

    @classmethod
    def from_reported(cls, text: str, **kw: str) -> UncertainCount:
        """Read the common English and Arabic wordings of a count.

        >>> UncertainCount.from_reported("more than 100").low
        101
        >>> UncertainCount.from_reported("نحو 30").qualifier
        'about'

        "about N" keeps ``best = N`` with no bounds: how wide "about" is depends on the
        source, and inventing a band would be a false precision.
        """
        n, qualifier = parse_count_wording(text)
        if qualifier == "more_than":
            return cls(low=n + 1, qualifier="more_than", as_reported=text, **kw)
        if qualifier == "at_least":
            return cls(low=n, qualifier="at_least", as_reported=text, **kw)
        if qualifier in ("up_to", "at_most"):
            return cls(high=n, qualifier=qualifier, as_reported=text, **kw)
        if qualifier == "about":
            return cls(best=n, qualifier="about", as_reported=text, **kw)
        return cls(low=n, best=n, high=n, qualifier="exact", as_reported=text, **kw)


_EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_QUALIFIER_WORDS: tuple[tuple[str, Qualifier], ...] = (
    ("more than", "more_than"),
    ("over", "more_than"),
    ("أكثر من", "more_than"),
    ("اكثر من", "more_than"),
    ("ما يزيد عن", "more_than"),
    ("ما يزيد على", "more_than"),
    ("at least", "at_least"),
    ("no fewer than", "at_least"),
    ("ما لا يقل عن", "at_least"),
    ("على الأقل", "at_least"),
    ("about", "about"),
    ("around", "about"),
    ("approximately", "about"),
    ("nearly", "about"),
    ("some", "about"),
    ("نحو", "about"),
    ("حوالي", "about"),
    ("قرابة", "about"),
    ("up to", "up_to"),
    ("as many as", "up_to"),
    ("حتى", "up_to"),
    ("fewer than", "at_most"),
    ("less than", "at_most"),
    ("أقل من", "at_most"),
)


def parse_count_wording(text: str) -> tuple[int, Qualifier]:
    """Number and qualifier of a short count phrase such as "at least 32" or "أكثر من 100".

    "fewer than N" gives ``(N - 1, "at_most")``. Raises ``ValueError`` if no number is found.
    """
    folded = text.translate(_EASTERN_DIGITS).strip().lower()
    match = re.search(r"\d[\d,]*", folded)
    if not match:
        raise ValueError(f"no number in count wording {text!r}")
    n = int(match.group().replace(",", ""))
    before = folded[: match.start()]
    for words, qualifier in _QUALIFIER_WORDS:
        if words in before:
            if qualifier == "at_most" and words in ("fewer than", "less than", "أقل من"):
                return max(n - 1, 0), "at_most"
            return n, qualifier
    if "+" in folded[match.end() : match.end() + 2]:
        return n, "at_least"
    return n, "exact"


class Age(Value):
    """Age at the time of the incident, in whole years, as a closed range.

    When only a category is known ("a child"), give ``category`` (vocabulary
    ``age_category``) and leave the bounds empty.
    """

    low: Annotated[int, Field(ge=0, le=130)] | None = None
    high: Annotated[int, Field(ge=0, le=130)] | None = None
    category: Code | None = None
    as_reported: ShortText | None = None

    @model_validator(mode="after")
    def _ordered(self) -> Age:
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError("age low is above high")
        if self.low is None and self.high is None and self.category is None:
            raise ValueError("give an age range or a category")
        return self

    @classmethod
    def years(cls, n: int) -> Age:
        return cls(low=n, high=n)


class PersonName(Value):
    """One rendering of a person's name in one script.

    Arabic naming is a chain: given name, father's, grandfather's, then family name; the
    mother's name is often recorded to tell namesakes apart. A person has one PersonName
    per script and spelling (``kind`` ``primary``, ``variant`` or ``nickname``), each its own
    assertion with its own sources. ``script`` is an ISO 15924 code (``Arab``, ``Latn``).
    """

    script: Annotated[str, Field(pattern=r"^[A-Z][a-z]{3}$")] = "Arab"
    full: ShortText
    given: ShortText | None = None
    father: ShortText | None = None
    grandfather: ShortText | None = None
    family: ShortText | None = None
    mother: ShortText | None = None
    kind: Literal["primary", "variant", "nickname"] = "primary"


class Affiliation(Value):
    """An armed group's relation to the state during a period (vocabulary
    ``state_affiliation``: integrated, affiliated, tolerated, none, unknown)."""

    status: Code
    period: UncertainDate | None = None


class LogEntry(Value):
    """A dated line in a log kept on a record: a burial site's access log, its
    disturbances, a protection measure put in place."""

    date: UncertainDate | None = None
    kind: Code | None = None
    who: ShortText | None = None
    text: Annotated[str, Field(max_length=10_000)] = ""


class Ref(Value):
    """A reference from a fact to another record of the same case."""

    kind: Code
    id: Annotated[str, Field(min_length=1, max_length=64)]
