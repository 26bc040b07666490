"""Words the library writes for people, in a form a page can say again in its language.

The library writes English: :func:`dalil.records.overview.describe` a fact value ("more
than 100 killed (reported)", "2025-03-06 – 2025-03-08 (week)"), the legal rules a reason
("150 killing(s) recorded..."), the charts their labels. The case file, the CLI and the API
quote that English. The screens need the same text in Arabic, with the numbers, dates and
names inside it isolated so that a right-to-left sentence does not reorder them. So the
text is a :class:`Phrase`: a ``str`` whose value is the English, which also keeps the
message it was made from (an English ``msgid`` with ``{name}`` placeholders, marked
:func:`N_` for ``make messages`` and translated in the web's catalogues) and the values put
into it. A value is either

- a :class:`Phrase` (interface words, translated in turn),
- a :class:`Term` (a vocabulary code, shown by its label in the page's language), or
- anything else: data (a number, a date, a name, a source's own words), shown as it is.

The web layer renders a phrase (:mod:`dalil.web.record_shared`, and
:func:`dalil.legal.wording.as_html`); nothing here knows HTML or imports the web app.

Charts (:mod:`dalil.estimate.plots`, :mod:`dalil.linkage.outputs`) put numbers in their
SVG with :func:`number` (grouped by Babel for the reader's locale, Latin digits) and
:func:`ltr` (isolated left to right, the SVG equivalent of ``<bdi>``), on axes of
:func:`nice_ticks`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from functools import cache
from html import escape
from importlib import resources

from babel.messages.pofile import read_po
from babel.numbers import format_decimal

#: left-to-right isolate and its end (Unicode bidi isolates: numbers keep their order
#: inside right-to-left text, as ``<bdi dir="ltr">`` keeps them in HTML)
LRI, PDI = "\u2066", "\u2069"


def N_(text: str) -> str:
    """Marks ``text`` as an interface string for ``make messages`` without translating it
    (the web's catalogues translate it where it is shown)."""
    return text


def _english(value: object) -> str:
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_english(v) for v in value)
    return str(value)


class Phrase(str):
    """English text (the ``str`` itself) made from ``msgid`` and ``values``:
    ``Phrase(N_("more than {n}"), n=100)`` is ``"more than 100"``."""

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, /, **values: object) -> Phrase:
        english = msgid.format(**{k: _english(v) for k, v in values.items()})
        return cls.worded(english, msgid, **values)

    @classmethod
    def worded(cls, english: str, msgid: str, /, **values: object) -> Phrase:
        """A phrase whose English is someone's own words (a source's "over 100"), which
        say no more than ``msgid`` with ``values`` does: a page says that instead, in its
        language."""
        made = super().__new__(cls, english)
        made.msgid = msgid
        made.values = values
        return made

    def __reduce__(self) -> tuple[object, ...]:  # copies and pickles keep the structure
        return (_phrase, (str.__str__(self), self.msgid, self.values))


def _phrase(english: str, msgid: str, values: dict[str, object]) -> Phrase:
    return Phrase.worded(english, msgid, **values)


class Term(str):
    """A code, written in English as it has always been shown (``english``, by default the
    code itself), shown on a page by its label in the page's language: a code of a shipped
    vocabulary, or (``vocabulary`` None) a code with no vocabulary, a record kind or a
    field, shown by its words (``burial_site`` as "burial site") through the catalogue."""

    code: str
    vocabulary: str | None

    def __new__(cls, code: str, vocabulary: str | None = None, english: str | None = None) -> Term:
        made = super().__new__(cls, code if english is None else english)
        made.code = code
        made.vocabulary = vocabulary
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (Term, (self.code, self.vocabulary, str.__str__(self)))


def to_json(value: object) -> object:
    """A phrase as JSON that :func:`from_json` makes into the phrase again: ``{"msgid",
    "values"}``, nested phrases likewise; anything else as it is. Stored results (an
    estimate's warnings) keep their words this way, so a page can say them in its
    language long after they were written."""
    if isinstance(value, Phrase):
        return {"msgid": value.msgid, "values": {k: to_json(v) for k, v in value.values.items()}}
    return value


def from_json(value: object) -> object:
    """The phrase :func:`to_json` wrote (anything else as it is)."""
    if isinstance(value, dict) and set(value) == {"msgid", "values"}:
        return Phrase(str(value["msgid"]), **{k: from_json(v) for k, v in value["values"].items()})
    return value


def joined(parts: list[str], between: str = " / ") -> str:
    """``parts`` joined by ``between`` as one phrase (each part still said on its own);
    "" for none and the part itself for one."""
    if len(parts) <= 1:
        return parts[0] if parts else ""
    template = between.join(f"{{p{n}}}" for n in range(len(parts)))
    return Phrase(template, **{f"p{n}": p for n, p in enumerate(parts)})


def say(
    part: object,
    words: Callable[[str], str],
    label: Callable[[Term], str],
    data: Callable[[object], str],
) -> str:
    """``part`` written again: each message through ``words`` (a translation), each term
    through ``label``, each data value inside a phrase through ``data`` (an isolation).
    A whole value that is data is returned as ``str(part)``; the caller marks it."""
    if isinstance(part, Phrase):
        return words(part.msgid).format(
            **{k: say(v, words, label, data) if isinstance(v, (Phrase, Term)) else data(v)
               for k, v in part.values.items()}
        )  # fmt: skip
    if isinstance(part, Term):
        return label(part)
    return str(part)


# -- numbers in charts ----------------------------------------------------------------------


def number(value: float, locale: str = "en") -> str:
    """A count for people: rounded to a whole number, grouped for ``locale`` (Latin
    digits, as dalil shows numbers in both languages)."""
    return str(format_decimal(round(value), format="#,##0", locale=locale))


def ltr(text: str) -> str:
    """``text`` isolated left to right inside an SVG ``<text>`` (escaped)."""
    return f"{LRI}{escape(text)}{PDI}"


def nice_ticks(lo: float, hi: float, count: int = 5) -> list[float]:
    """Round tick values covering ``[lo, hi]``: a step of 1, 2 or 5 times a power of ten
    giving about ``count`` intervals, the first tick at or below ``lo`` and the last at or
    above ``hi`` (Heckbert's "nice numbers"). The values are counts of people, so the step
    is at least 1. An empty range gets a range around it."""
    if hi < lo:
        lo, hi = hi, lo
    if hi - lo < 1e-9:
        pad = max(abs(lo) * 0.1, 1.0)
        lo, hi = lo - pad, hi + pad
    raw = (hi - lo) / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = max(next(m * power for m in (1, 2, 5, 10) if m * power >= raw * (1 - 1e-9)), 1)
    first, last = math.floor(lo / step + 1e-9), math.ceil(hi / step - 1e-9)
    return [round(k * step, 10) for k in range(first, last + 1)]


# -- the catalogues' translations, for readers outside the web app ----------------------------


def translator(lang: str) -> Callable[[str], str]:
    """An interface string in ``lang``: its form in the catalogues (:func:`translations`),
    else, and in English, the English itself."""
    table = translations(lang) if lang != "en" else {}
    return lambda text: table.get(text, text)


@cache
def translations(lang: str = "ar") -> dict[str, str]:
    """English text -> its form in ``lang``, from the gettext catalogues the screens use
    (``dalil/web/locale/<lang>/LC_MESSAGES/*.po``, read as data: nothing of the web app is
    imported), every translated, non-fuzzy entry. For documents written outside a request,
    such as the case file, which must say its words as the screens do. An unknown language
    has no catalogue: empty."""
    folder = resources.files("dalil") / "web" / "locale" / lang / "LC_MESSAGES"
    if not folder.is_dir():
        return {}
    found: dict[str, str] = {}
    for f in sorted((f for f in folder.iterdir() if f.name.endswith(".po")), key=lambda f: f.name):
        with f.open("rb") as handle:
            for m in read_po(handle, locale=lang):
                if m.id and isinstance(m.id, str) and m.string and not m.fuzzy:
                    found[m.id] = str(m.string)
    return found
