"""Interface language: English or Arabic, chosen per request.

The choice comes from ``?lang=`` on any page, else the ``dalil_lang`` cookie, else the
signed-in user's preference (a new browser), else the browser's ``Accept-Language``.
Choosing with ``?lang=`` sets the cookie on the response, whatever the page (the app's
:class:`LanguageCookie` middleware), and saves the choice on the signed-in user
(:func:`dalil.web.deps.authenticate`). Arabic pages are ``dir="rtl"``; record values keep
their own direction (``<bdi dir="auto">``) whatever the interface language.

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
from starlette.datastructures import MutableHeaders, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

LANGS = ("en", "ar")
#: the cookie that remembers the language in a browser (a year; not a secret)
COOKIE = "dalil_lang"


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


def asked(request: Request) -> str | None:
    """The language chosen on this request with ``?lang=``, if it is one dalil has."""
    found = request.query_params.get("lang")
    return found if found in LANGS else None


def language(request: Request) -> str:
    """The page's language: ``?lang=``, the cookie, the signed-in user's preference
    (``request.state.preferred_language``, set once the caller is known), the browser's
    first ``Accept-Language``, in that order; English when none names a language dalil has."""
    for found in (
        asked(request),
        request.cookies.get(COOKIE),
        getattr(request.state, "preferred_language", None),
    ):
        if found in LANGS:
            return str(found)
    accept = request.headers.get("accept-language", "")
    return "ar" if accept.strip().lower().startswith("ar") else "en"


def translator(lang: str) -> Callable[[str], str]:
    if lang == "ar":
        table = messages("ar")
        return lambda text: table.get(text, text)
    return lambda text: text


class LanguageCookie:
    """ASGI middleware: a response to a request with ``?lang=en|ar`` sets the language
    cookie, on any page or redirect (not on the API's JSON, whose clients keep no
    language), so a choice made on any screen holds on the next one. The cookie is
    ``SameSite=Lax``: it grants nothing, and a link from elsewhere should open in the
    chosen language too."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = QueryParams(scope.get("query_string", b"")).get("lang")
        if scope["type"] != "http" or chosen not in LANGS:
            await self.app(scope, receive, send)
            return
        secure = "; Secure" if scope.get("scheme") == "https" else ""
        cookie = f"{COOKIE}={chosen}; Max-Age={365 * 86400}; Path=/; SameSite=Lax{secure}"

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                page = headers.get("content-type", "").startswith("text/html")
                if page or 300 <= message["status"] < 400:
                    headers.append("set-cookie", cookie)
            await send(message)

        await self.app(scope, receive, send_with_cookie)
