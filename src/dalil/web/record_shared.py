"""What the record pages share: where a record's page is, how a fact value reads in the
viewer's language, and the context every record page template gets (its correction form
among it).

The gathering is :mod:`dalil.records.dossier`; this module only puts it on a page.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from dalil.errors import InvalidInput
from dalil.records import Records
from dalil.records.dossier import Link, Page, current_choices, show
from dalil.records.overview import describe
from dalil.web import i18n
from dalil.web.deps import Access
from dalil.web.entry import form_page

#: the pages of kinds that have their own (everything else is /records/{id})
PAGES = {"person": "persons", "event": "incidents"}


def href(case_id: str, kind: str, record_id: str) -> str:
    """The page of a record: ``/cases/{c}/persons/{id}``, ``/cases/{c}/incidents/{id}`` or
    ``/cases/{c}/records/{id}``."""
    return f"/cases/{case_id}/{PAGES.get(kind, 'records')}/{record_id}"


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

    def shown(kind: str, name: str, value: Any) -> str:
        return show(book.vocabs, names, kind, name, value, lang)

    def link(item: Link) -> str:
        return href(access.case.id, item.kind, item.id)

    return form_page(request, s, access, template, error, typed, p=page, v=page.view,
                     shown=shown, link=link, href=lambda k, i: href(access.case.id, k, i),
                     describe=describe, choices=current_choices(page),
                     vocab=lambda name, code: book.vocabs.get(name).label(code, lang),
                     **context)  # fmt: skip
