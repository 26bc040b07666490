"""Legal texts in the reader's language.

The English of the elements, checklist items and rule reasons is the reference: the case
file, the API and the tests quote it. Each also has an Arabic form, which the screens
show on an Arabic page:

- catalogue texts (crimes, elements, protocol items) carry theirs in the data files, beside
  the English (``title_ar``, ``article_ar``, ``text_ar``), read with :func:`in_language`;
- the reasons computed from the records (a suggestion's "150 killing(s) recorded...", a
  checklist item's "missing: extent") are :class:`Said`: a ``str`` whose value is the
  English sentence, which also keeps the message it was made from (an English ``msgid``
  with ``{name}`` placeholders, marked :func:`N_` for ``make messages``) and the values put
  into it, so that a page can say it again from the Arabic catalogue
  (:func:`as_html`; the screens' ``said``) with each value isolated as data.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from dalil.model.vocabulary import packaged


def N_(text: str) -> str:
    """Marks ``text`` as an interface string for ``make messages`` (as
    :func:`dalil.web.i18n.N_` does; the legal package does not import the web app)."""
    return text


def in_language(english: str, arabic: str, lang: str) -> str:
    """``arabic`` on an Arabic page when there is one, else the English reference."""
    return arabic if lang == "ar" and arabic else english


def _english(value: object) -> str:
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, (list, tuple)):
        return ", ".join(_english(v) for v in value)
    return str(value)


class Said(str):
    """An English sentence (the ``str`` itself) made from ``msgid`` and ``values``.

    ``Said(N_("{n} source(s)"), n=2)`` is the string ``"2 source(s)"``; its ``msgid`` and
    ``values`` let a page translate the message and format it again. A value that is a
    :class:`Said` (or :class:`Term`) is interface text and is translated too; a plain
    string or number is data, shown as it is."""

    msgid: str
    values: dict[str, object]

    def __new__(cls, msgid: str, /, **values: object) -> Said:
        made = super().__new__(cls, msgid.format(**{k: _english(v) for k, v in values.items()}))
        made.msgid = msgid
        made.values = values
        return made

    def __reduce__(self) -> tuple[object, ...]:  # pickles (a job's result) as the message
        return (_said, (self.msgid, self.values))


def _said(msgid: str, values: dict[str, object]) -> Said:
    return Said(msgid, **values)


class Term(str):
    """A code in a reason, written as the English has always shown it (``english``, by
    default the code itself), shown by its label in the page's language: a field of a
    record (``vocabulary`` None: the record pages' field name, ``requested by``) or a code
    of a shipped vocabulary."""

    code: str
    vocabulary: str | None

    def __new__(cls, code: str, vocabulary: str | None = None, english: str | None = None) -> Term:
        made = super().__new__(cls, code if english is None else english)
        made.code = code
        made.vocabulary = vocabulary
        return made

    def __reduce__(self) -> tuple[object, ...]:
        return (Term, (self.code, self.vocabulary, str.__str__(self)))


def as_html(value: object, translate: Callable[[str], str], lang: str) -> Markup:
    """``value`` as HTML in ``lang`` (``translate`` gives a message's form in it): a
    :class:`Said` from its translated message, a :class:`Term` by its label (interface
    text); a number or a string put into a message is data, isolated in ``<bdi>`` so that
    it neither reorders nor is reordered by the sentence around it; a list is joined with
    the language's comma."""
    if isinstance(value, Said):
        return escape(translate(value.msgid)).format(
            **{k: as_html(v, translate, lang) for k, v in value.values.items()}
        )
    if isinstance(value, Term):
        found = packaged().get(value.vocabulary or "")
        if found is not None and value.code in found:
            return escape(found.label(value.code, lang))
        return escape(translate(value.code.replace("_", " ")))
    if isinstance(value, (list, tuple)):
        comma = "، " if lang == "ar" else ", "
        return Markup(comma).join(as_html(v, translate, lang) for v in value)
    if isinstance(value, int):
        return Markup("<bdi>{}</bdi>").format(value)
    return Markup('<bdi dir="auto">{}</bdi>').format(value)
