"""What the record pages share: where a record's page is, how a fact value reads in the
viewer's language, and the context every record page template gets (its correction form
among it).

The gathering is :mod:`dalil.records.dossier`; this module only puts it on a page. A value
is said in the page's language by :func:`said` (HTML: interface words translated, codes by
their vocabulary label, numbers, dates and names each in ``<bdi dir="auto">``) or
:func:`said_text` (plain text for an ``<option>`` or an attribute: data between Unicode
isolates). Both are template globals, so any page that shows a record value (the case's
front page includes the incidents table) says it the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup, escape
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput, UnknownTerm
from dalil.legal import elements
from dalil.model.vocabulary import Vocabularies, packaged
from dalil.model.words import Phrase, Term, say
from dalil.records import Records
from dalil.records.dossier import current_choices, words
from dalil.records.dossier_parts import Link, Page, title_of
from dalil.records.overview import describe
from dalil.web import i18n
from dalil.web.deps import Access, templates
from dalil.web.entry import form_page
from dalil.web.i18n import N_

#: the pages of kinds that have their own (everything else is /records/{id})
PAGES = {"person": "persons", "event": "incidents"}
#: the writing systems of names (ISO 15924 codes, as :class:`~dalil.model.values.PersonName`
#: records them), by name
SCRIPTS = {"Arab": N_("Arabic script"), "Latn": N_("Latin script")}


def href(case_id: str, kind: str, record_id: str) -> str:
    """The page of a record: ``/cases/{c}/persons/{id}``, ``/cases/{c}/incidents/{id}`` or
    ``/cases/{c}/records/{id}``."""
    return f"/cases/{case_id}/{PAGES.get(kind, 'records')}/{record_id}"


#: first-strong isolate and pop directional isolate: a value inside plain text (an option)
#: keeps its own direction, as ``<bdi dir="auto">`` does in HTML
FSI, PDI = "\u2068", "\u2069"


def _labeller(lang: str, vocabs: Vocabularies | None) -> Callable[[Term], str]:
    """A term's label in ``lang``: from the case's vocabularies (with the workspace's
    terms) or the shipped ones; a code of no vocabulary (a record kind) by its words
    through the catalogue."""
    t = i18n.translator(lang)

    def label(term: Term) -> str:
        if term.vocabulary is not None:
            if vocabs is not None:
                try:
                    return vocabs.get(term.vocabulary).label(term.code, lang)
                except UnknownTerm:
                    pass
            elif term.vocabulary in packaged():
                return packaged()[term.vocabulary].label(term.code, lang)
        return t(term.code.replace("_", " "))

    return label


def say_html(part: object, lang: str, vocabs: Vocabularies | None = None) -> Markup:
    """A value (:func:`~dalil.records.overview.describe`'s phrase, a term or data) as HTML
    in ``lang``: data, alone or inside words, in ``<bdi dir="auto">``."""
    t = i18n.translator(lang)

    def data(value: object) -> Markup:
        return Markup('<bdi dir="auto">{}</bdi>').format(value)

    label = _labeller(lang, vocabs)
    if isinstance(part, Term):
        return escape(label(part))
    if isinstance(part, Phrase):  # the words escaped, then the values put in (escaped)
        return Markup(say(part, lambda m: Markup.escape(t(m)), label, data))
    return data(part) if part != "" else Markup("")


def say_plain(part: object, lang: str, vocabs: Vocabularies | None = None) -> str:
    """A value as plain text in ``lang`` (an option, an attribute), the data inside words
    between Unicode isolates."""
    return say(part, i18n.translator(lang), _labeller(lang, vocabs), lambda v: f"{FSI}{v}{PDI}")


@pass_context
def said(context: Context, part: object) -> Markup:
    """:func:`say_html` in the page's language (``lang``), with the page's vocabularies
    (``vocabs``) when it has them."""
    return say_html(part, str(context.get("lang") or "en"), context.get("vocabs"))


@pass_context
def said_text(context: Context, part: object) -> str:
    """:func:`say_plain` in the page's language."""
    return say_plain(part, str(context.get("lang") or "en"), context.get("vocabs"))


templates.env.globals["said"] = said
templates.env.globals["said_text"] = said_text


def script_name(code: str | None, lang: str) -> Markup:
    """A script by its name in ``lang``; a script dalil does not name, by its code."""
    if not code:
        return Markup("")
    if code in SCRIPTS:
        return escape(i18n.translator(lang)(SCRIPTS[code]))
    return Markup('<code dir="ltr">{}</code>').format(code)


def legal_names(lang: str) -> Callable[[str, str | None], str]:
    """A legal finding's crime (``element`` None) or element by its text in ``lang`` (the
    catalogue's Arabic where it has one), by code when the catalogue has no such crime."""
    catalogue = elements.catalogue()

    def name(crime: str, element: str | None = None) -> str:
        try:
            found = catalogue.crime(crime)
            return found.element(element).text_in(lang) if element else found.title_in(lang)
        except InvalidInput:
            return element or crime

    return name


def book_of(request: Request, s: Session, access: Access) -> Records:
    """The case's records with the workspace's vocabularies (labels of added terms)."""
    vocabs = request.app.state.workspace.vocabularies(s)
    return Records(s, access.case.id, access.actor, vocabs=vocabs)


def record_page(
    request: Request, s: Session, access: Access, book: Records, template: str, page: Page,
    error: InvalidInput | None = None, typed: dict[str, str] | None = None, **context: Any,
) -> HTMLResponse:  # fmt: skip
    """A record's page with its facts shown by label and its correction form (status 400
    with the error and what was typed when a form was refused)."""
    lang = i18n.language(request)
    names = page.names

    def shown(kind: str, name: str, value: Any) -> Markup:
        return say_html(words(names, kind, name, value), lang, book.vocabs)

    def shown_text(kind: str, name: str, value: Any) -> str:
        return say_plain(words(names, kind, name, value), lang, book.vocabs)

    def link(item: Link) -> str:
        return href(access.case.id, item.kind, item.id)

    return form_page(request, s, access, template, error, typed, p=page, v=page.view,
                     shown=shown, shown_text=shown_text, vocabs=book.vocabs, link=link,
                     href=lambda k, i: href(access.case.id, k, i),
                     describe=describe, choices=current_choices(page),
                     vocab=lambda name, code: book.vocabs.get(name).label(code, lang),
                     script_name=lambda code: script_name(code, lang), title_of=title_of,
                     legal_name=legal_names(lang),
                     **context)  # fmt: skip
