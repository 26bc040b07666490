"""Record values in words that a page can say again in the reader's language.

:func:`dalil.records.overview.describe` writes a fact value as English text ("more than
100 killed (reported)", "2025-03-06 – 2025-03-08 (week)"), which the case file, the CLI
and the API quote. The screens need the same text in Arabic, with the numbers, dates and
names inside it isolated so that a right-to-left sentence does not reorder them. So the
text is a :class:`Phrase`: a ``str`` whose value is the English, which also keeps the
message it was made from (an English ``msgid`` with ``{name}`` placeholders, marked
:func:`N_` for ``make messages`` and translated in the web's catalogues) and the values put
into it. A value is either

- a :class:`Phrase` (interface words, translated in turn),
- a :class:`Term` (a vocabulary code, shown by its label in the page's language), or
- anything else: data (a number, a date, a name, a source's own words), shown as it is.

The web layer renders a phrase (:mod:`dalil.web.record_shared`); nothing here knows HTML
or imports the web app. The same idea as :class:`dalil.legal.wording.Said`.
"""

from __future__ import annotations

from collections.abc import Callable


def N_(text: str) -> str:
    """Marks ``text`` as an interface string for ``make messages`` (as
    :func:`dalil.web.i18n.N_` does; the records library does not import the web app)."""
    return text


def _english(value: object) -> str:
    return str.__str__(value) if isinstance(value, str) else str(value)


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
    """A vocabulary code, written in English as :func:`describe` always wrote it (the code
    itself), shown on a page by its label in the page's language. ``vocabulary`` None: a
    code with no vocabulary (a record kind), shown by its words (``burial_site`` as
    "burial site") through the catalogue."""

    code: str
    vocabulary: str | None

    def __new__(cls, code: str, vocabulary: str | None = None) -> Term:
        made = super().__new__(cls, code)
        made.code = code
        made.vocabulary = vocabulary
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (Term, (self.code, self.vocabulary))


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
