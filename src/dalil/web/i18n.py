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

Numbers and dates are formatted for the page's language with Babel
(:mod:`dalil.model.formats`, shared with the case file; the Jinja filters ``number``,
``day`` and ``timestamp``).
Arabic uses the locale ``ar_SY``: its month names are the Levantine ones (كانون الثاني،
شباط، آذار، نيسان...) that Syrian, Lebanese, Jordanian, Palestinian and Iraqi readers use
and that Syrian documents and witness statements carry, where the generic ``ar`` locale
gives the Egyptian/Gulf transliterations (يناير، فبراير، مارس...). Digits stay Latin
(0-9, the Western Arabic digits): they are what the region's records, spreadsheets and
software use, and a reader can copy a count or a date into a search or a form unchanged;
Babel's own default for ``ar_SY`` would be the Arabic-Indic digits (٠-٩). English uses
``en_GB``: day before month ("7 March 2025"), the order of every other date a reader of
these cases meets. Values stay machine-readable in attributes (``<time datetime=...>``).
"""

from __future__ import annotations

from fastapi import Request
from starlette.datastructures import MutableHeaders, QueryParams
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dalil.model.formats import LOCALES as LOCALES
from dalil.model.formats import day as day
from dalil.model.formats import iso_day as iso_day
from dalil.model.formats import moment as moment
from dalil.model.formats import number as number
from dalil.model.words import N_ as N_  # the marker, for the web modules that import it here
from dalil.model.words import translations
from dalil.model.words import translator as translator

LANGS = ("en", "ar")
#: the cookie that remembers the language in a browser (a year; not a secret)
COOKIE = "dalil_lang"


def messages(lang: str = "ar") -> dict[str, str]:
    """English text -> its form in ``lang``: every translated, non-fuzzy entry of the
    language's catalogues (an empty ``msgstr`` is a string still to translate). The same
    reader as the case file's (:func:`dalil.model.words.translations`), so the two agree."""
    return translations(lang)


def asked(request: Request) -> str | None:
    """The language chosen on this request with ``?lang=``, if it is one dalil has."""
    found = request.query_params.get("lang")
    return found if found in LANGS else None


def language(request: Request) -> str:
    """The page's language: ``?lang=``, the cookie, the signed-in user's preference
    (``request.state.preferred_language``, set once the caller is known), the browser's
    ``Accept-Language``, in that order; English when none names a language dalil has."""
    for found in (
        asked(request),
        request.cookies.get(COOKIE),
        getattr(request.state, "preferred_language", None),
    ):
        if found in LANGS:
            return str(found)
    return browser_language(request.headers.get("accept-language", ""))


def browser_language(accept: str) -> str:
    """The language dalil has that an ``Accept-Language`` header ranks highest ("fr,
    ar;q=0.8" is Arabic, "en-US,ar;q=0.5" English), English when it names neither."""
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                continue
        primary = tag.strip().lower().split("-")[0]
        if primary in LANGS and weight > 0:
            ranked.append((-weight, position, primary))
    return min(ranked)[2] if ranked else "en"


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
