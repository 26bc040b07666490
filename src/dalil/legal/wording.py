"""Legal texts in the reader's language.

The English of the elements, checklist items and rule reasons is the reference: the case
file, the API and the tests quote it. Each also has an Arabic form, which the screens
show on an Arabic page:

- catalogue texts (crimes, elements, protocol items) carry theirs in the data files, beside
  the English (``title_ar``, ``article_ar``, ``text_ar``), read with :func:`in_language`;
- the reasons computed from the records (a suggestion's "150 killing(s) recorded...", a
  checklist item's "missing: extent") are :class:`~dalil.model.words.Phrase`: a ``str``
  whose value is the English sentence, which also keeps the message it was made from (an
  English ``msgid`` with ``{name}`` placeholders, marked ``N_`` for ``make messages``) and
  the values put into it, so that a page can say it again from the Arabic catalogue
  (:func:`as_html`; the screens' ``said``) with each value isolated as data.
"""

from __future__ import annotations

from collections.abc import Callable

from markupsafe import Markup, escape

from dalil.model.vocabulary import packaged
from dalil.model.words import Phrase, Term


def in_language(english: str, arabic: str, lang: str) -> str:
    """``arabic`` on an Arabic page when there is one, else the English reference."""
    return arabic if lang == "ar" and arabic else english


def as_html(value: object, translate: Callable[[str], str], lang: str) -> Markup:
    """``value`` as HTML in ``lang`` (``translate`` gives a message's form in it): a
    :class:`Phrase` from its translated message, a :class:`Term` by its label (interface
    text); a number or a string put into a message is data, isolated in ``<bdi>`` so that
    it neither reorders nor is reordered by the sentence around it; a list is joined with
    the language's comma."""
    if isinstance(value, Phrase):
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
