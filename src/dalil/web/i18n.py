"""Interface language: English or Arabic, chosen per request.

The choice comes from ``?lang=`` (remembered in a cookie), else the cookie, else the
browser's ``Accept-Language``. Arabic pages are ``dir="rtl"``; record values keep their
own direction (``<bdi dir="auto">``) whatever the interface language.

The Arabic forms live in gettext catalogues, one per area of the interface, in
``web/locale/ar/LC_MESSAGES/*.po``: a translator edits them with any PO editor and never
reads code. Each ``msgid`` is the English text the code shows (``t('...')`` in templates,
``N_('...')`` in Python); ``make messages`` adds new ones, and ``tests/web/test_messages.py``
fails on any interface string without an Arabic form. A string missing at run time falls
back to English rather than failing.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable

from babel.messages.pofile import read_po
from fastapi import Request

LANGS = ("en", "ar")


def catalogue_files(lang: str = "ar") -> list[Traversable]:
    """The ``.po`` files of ``lang``, one per area, in name order."""
    folder = resources.files("dalil") / "web" / "locale" / lang / "LC_MESSAGES"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".po")), key=lambda f: f.name)


@cache
def messages(lang: str = "ar") -> dict[str, str]:
    """English text -> its form in ``lang``: every translated, non-fuzzy entry of the
    language's catalogues (an empty ``msgstr`` is a string still to translate)."""
    found: dict[str, str] = {}
    for f in catalogue_files(lang):
        with f.open("rb") as handle:
            for m in read_po(handle, locale=lang):
                if m.id and isinstance(m.id, str) and m.string and not m.fuzzy:
                    found[m.id] = str(m.string)
    return found


def N_(text: str) -> str:
    """Marks ``text`` as an interface string for ``make messages`` without translating it:
    for Python-side labels that a template later passes through ``t``."""
    return text


def language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get("dalil_lang")
    if asked in LANGS:
        return asked
    accept = request.headers.get("accept-language", "")
    return "ar" if accept.lower().startswith("ar") else "en"


def translator(lang: str) -> Callable[[str], str]:
    if lang == "ar":
        table = messages("ar")
        return lambda text: table.get(text, text)
    return lambda text: text
