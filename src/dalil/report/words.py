"""The case file's words in the reader's language: its moments and dates (Babel, in the
web pages' locales), and the helpers its template says everything else with.

English is the file's reference language and stays written as it always was; in Arabic
the interface strings come from the web's Arabic catalogues (read as data by
:func:`dalil.model.words.translations`: the report does not import the web app), codes
are said by their vocabulary labels, the library's phrases (fact values, reasons) again
in Arabic by :func:`dalil.legal.wording.as_html`, and every value put into an Arabic
sentence is isolated with its direction written out (WeasyPrint, which makes the PDF, does
not work out ``dir="auto"``).
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

from babel.dates import format_date, format_time, get_datetime_format
from markupsafe import Markup, escape

from dalil.extract.document import language
from dalil.legal.wording import as_html
from dalil.model import formats
from dalil.model.formats import LOCALES
from dalil.model.vocabulary import packaged
from dalil.model.words import N_, Phrase, Term, translations, translator

#: the words of codes outside the vocabularies that the Arabic file says (as the web's
#: ``code_labels`` name them; the English file writes the codes in words, as it always did)
LABELS = {
    "internal": N_("Internal (the team)"),
    "committee": N_("Committee"),
    "public": N_("Public"),
    "some_information": N_("Some information"),
    "reasonable_grounds": N_("Reasonable grounds to believe"),
    "strong": N_("Clear and convincing"),
}


def moment(value: datetime | int | str | None, lang: str = "en") -> Markup:
    """A moment for people, in UTC and saying so: ``<time>`` with the ISO value, the date
    written out and the time to the second in ``lang`` (Babel's long date, the locale's
    way of joining date and time, :data:`LOCALES`), e.g. "6 December 2026, 01:18:35 UTC" or
    "6 كانون الأول 2026، 01:18:35 UTC". An int is
    milliseconds since 1970-01-01 UTC (a signed tree head's timestamp); a naive datetime
    or ISO text is UTC, as dalil stores every moment."""
    if value is None or value == "":
        return Markup("")
    if isinstance(value, int):
        value = datetime.fromtimestamp(value / 1000, UTC)
    elif isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    utc = value.astimezone(UTC)
    locale = LOCALES.get(lang, "en_GB")
    joined = str(get_datetime_format("long", locale=locale)).replace("'", "")
    text = joined.format(
        format_time(utc, "HH:mm:ss", tzinfo=UTC, locale=locale),
        format_date(utc, "long", locale=locale),
    )
    return _time_tag(utc.strftime("%Y-%m-%dT%H:%M:%SZ"), f"{text} UTC", lang)


def day(value: date | str | None, lang: str = "en") -> Markup:
    """A date for people, as the screens write it (:func:`dalil.model.formats.day`: a
    whole date, a month or a year); a text that is no date as it is, isolated."""
    if value is None or value == "":
        return Markup("")
    found = formats.day(value, lang)
    if found is None:
        return Markup("<bdi>{}</bdi>").format(value)
    return _time_tag(*found, lang)


def _time_tag(iso: str, text: str, lang: str) -> Markup:
    """``<time>`` isolated in its own direction (an Arabic date inside English text)."""
    if lang == "ar":
        return Markup('<time datetime="{}" lang="ar" dir="rtl">{}</time>').format(iso, text)
    return Markup('<time datetime="{}">{}</time>').format(iso, text)


def rtl(text: object) -> bool:
    """Whether a text is Arabic (shown right to left): the extractor's script test."""
    return language(str(text)) == "ar"


def _txt(value: object) -> Markup:
    """A record's text: an Arabic one marked right to left (in either language)."""
    if rtl(value):
        return Markup('<span dir="rtl" lang="ar">{}</span>').format(value)
    return escape(value)


#: why a witness's material is withheld, as :func:`dalil.records.sharing.scoped_document`
#: writes it (English text, not phrases: said again here)
_NOT_COVERED = N_("consent does not cover {scope}")
WITHHELD_WHY = (N_("no consent record"), N_("consent withdrawn"), _NOT_COVERED)

#: a value isolated in its own direction, decided by the reader (``dir="auto"``), which
#: WeasyPrint does not do: it lays the value out right to left inside Arabic text
_AUTO = re.compile(r'<bdi dir="auto">(.*?)</bdi>', re.DOTALL)


def _isolated(html: str) -> Markup:
    """An isolated value's ``<bdi>`` with its direction written out (by its script)."""
    return Markup('<bdi dir="{}">{}</bdi>').format("rtl" if rtl(html) else "ltr", Markup(html))


def helpers(lang: str) -> dict[str, Any]:
    """The template's words in ``lang``: ``t`` translates an interface string from the
    web's Arabic catalogues (:func:`dalil.model.words.translations`, English as it is);
    ``term`` says a code by its label; ``said`` says a library phrase (a fact value, a
    reason) again in the language, its values isolated; ``data`` isolates a value put into
    an Arabic sentence (``txt``, a record's own text, is one too in the Arabic file: a
    Latin title's punctuation then stays where it was written). The English file is
    written as it always was (values bare, codes in words), so every helper is the
    identity on English text."""
    ar = lang == "ar"
    table = translations("ar") if ar else {}
    t = translator(lang)

    def data(value: object) -> Markup:
        if not ar:
            return escape(value)
        if rtl(value):
            return _txt(value)
        return Markup('<bdi dir="ltr">{}</bdi>').format(value)

    def term(code: str | None, vocabulary: str = "") -> str:
        if not code:
            return ""
        if not ar:
            return code.replace("_", " ")
        found = packaged().get(vocabulary)
        if found is not None and code in found:
            return found.label(code, lang)
        words = LABELS.get(code) or code.replace("_", " ")
        return table.get(words[:1].upper() + words[1:]) or table.get(words) or words

    def said(value: object) -> Markup:
        if not ar:
            return _txt(value)
        if isinstance(value, (Phrase, Term)):
            return Markup(_AUTO.sub(lambda m: str(_isolated(m.group(1))), as_html(value, t, lang)))
        return data(value)

    def said_all(values: list[Any], between: str) -> Markup:
        return Markup(between).join(said(v) for v in values)

    def withheld(why: str) -> Markup:
        """Why a witness's material is withheld, in :mod:`dalil.records.sharing`'s words."""
        scope = why.removeprefix(_NOT_COVERED.split("{")[0])
        if not ar or why in WITHHELD_WHY[:2]:
            return escape(t(why))
        if scope != why:
            return escape(t(_NOT_COVERED)).format(scope=term(scope, "consent_scope"))
        return data(why)

    code = '<code dir="ltr">{}</code>' if ar else "<code>{}</code>"
    return {
        "t": t, "ar": ar, "txt": data if ar else _txt, "data": data, "term": term, "said": said,
        "said_all": said_all, "withheld": withheld, "comma": "، " if ar else ", ", "Markup": Markup,
        "joined": lambda names: Markup(" + ").join((data if ar else _txt)(n) for n in names),
        "bold": lambda v: Markup("<b>{}</b>").format(data(v)),
        "code": lambda v: Markup(code).format(v),
        "suggested": lambda v: Markup('<span class="suggested">{}</span>').format(v),
    }  # fmt: skip
