"""Sign-in and sign-out pages; both are audit events (ASVS 16.3.1).

A failed sign-in is recorded under the account's name only when such an account exists
(a password typed into the name field must not end up in the ledger).

Sign-in is throttled per client address (the forwarded one behind ``--behind-proxy``) by
the app's :class:`~dalil.access.accounts.SignInThrottle`: an address that has failed too
often is answered 429 with ``Retry-After`` before its password is even checked (no hash
work, nothing recorded), and an account's lock binds only the address that failed.
"""

from __future__ import annotations

import math
import threading
from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from markupsafe import Markup, escape
from sqlalchemy import select

from dalil.access import accounts
from dalil.access.tables import User
from dalil.web import auth, i18n
from dalil.web.deps import CallerDep, SessionDep, templates, trail
from dalil.web.i18n import N_

router = APIRouter()
_creating = threading.Lock()
#: what the sign-in form says (one message for every refusal: which of the name, the
#: password or the code was wrong, or that the account is locked, is not revealed)
FAILED = N_("wrong name or password, or the account is locked")
TOO_MANY = N_("Too many failed sign-ins from your address: try again in {seconds} seconds.")


def _say(request: Request, message: str, seconds: int | None = None) -> Markup:
    """``message`` in the page's language, a number isolated in ``<bdi>``."""
    text = escape(i18n.translator(i18n.language(request))(message))
    return text.format(seconds=Markup("<bdi>{}</bdi>").format(seconds))


def throttle_of(app: FastAPI) -> accounts.SignInThrottle:
    """The app's sign-in throttle, made on first use (one per app, so per server process;
    tests may set ``app.state.sign_in_throttle`` to one with their own clock)."""
    with _creating:
        found: accounts.SignInThrottle | None = getattr(app.state, "sign_in_throttle", None)
        if found is None:
            found = app.state.sign_in_throttle = accounts.SignInThrottle()
        return found


def safe_next(target: str) -> str:
    """Only same-site paths after sign-in (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


@router.get("/login", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/") -> HTMLResponse:
    token = auth.login_token()
    page = templates.TemplateResponse(
        request, "login.html", {"csrf": token, "next": safe_next(next), "error": None}
    )
    auth.set_cookie(request, page, auth.LOGIN, token, 600)
    return page


@router.post("/login")
def login(
    request: Request,
    s: SessionDep,
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    csrf: Annotated[str, Form(max_length=200)],
    next: Annotated[str, Form(max_length=2000)] = "/",
    code: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    auth.check_login_csrf(request, csrf)
    throttle = throttle_of(request.app)
    client = accounts.client_key(auth.client_address(request))
    wait = throttle.wait(client)
    if wait > 0:
        seconds = math.ceil(wait)
        return templates.TemplateResponse(
            request,
            "login.html",
            {"csrf": csrf, "next": safe_next(next), "error": _say(request, TOO_MANY, seconds)},
            status_code=429,
            headers={"Retry-After": str(seconds)},
        )  # fmt: skip
    try:
        user = accounts.authenticate(s, name, password, code, throttle=throttle, client=client)
    except accounts.AuthenticationFailed:
        known = s.scalar(select(User.name).where(User.name == name))
        trail(request).note("sign_in_failed", known or "unknown account", via="password")
        # returned, not raised: the form again, with the error, in a transaction that ends normally
        return templates.TemplateResponse(
            request,
            "login.html",
            {"csrf": csrf, "next": safe_next(next), "error": _say(request, FAILED)},
            status_code=401,
        )
    new = accounts.start_session(s, user)
    old = auth.get_cookie(request, auth.SESSION)
    if old:
        accounts.end_session(s, old)  # rotation: never keep a pre-login session
    trail(request).note(
        "sign_in", user.name, via="password+totp" if user.totp_secret else "password"
    )
    response = RedirectResponse(safe_next(next), status_code=303)
    auth.set_cookie(
        request, response, auth.SESSION, new.token, int(accounts.ABSOLUTE.total_seconds())
    )
    auth.clear_cookie(request, response, auth.LOGIN)
    return response


@router.post("/logout")
def logout(
    request: Request, s: SessionDep, who: CallerDep, csrf: Annotated[str, Form()] = ""
) -> Response:
    auth.check_csrf(request, who, csrf)
    token = auth.get_cookie(request, auth.SESSION)
    if token:
        accounts.end_session(s, token)
    trail(request).note("sign_out", who.user.name)
    response = RedirectResponse("/login", status_code=303)
    auth.clear_cookie(request, response, auth.SESSION)
    return response
