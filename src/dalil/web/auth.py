"""Who is asking: API tokens, session cookies, CSRF. Decisions are in dalil.access.policy.

* API clients send ``Authorization: Bearer <token>``, accepted on HTTPS or from this
  machine only, like password sign-in (a token sent in clear over a network can be
  copied on the way, and it works without a second factor); browsers carry the
  ``__Host-dalil_session`` cookie (Secure, HttpOnly, SameSite=Strict, Path=/), set at
  login with a fresh token. On plain HTTP, which dalil allows only from loopback (the
  ``make run`` case, where no certificate exists), the cookie is ``dalil_session`` without
  the Secure flag, because some browsers drop Secure cookies there; sign-in over plain
  HTTP from any other address is refused.
* Every unsafe request from a browser session must carry the session's CSRF token (form
  field ``csrf`` or header ``X-CSRF-Token``); the login form, which has no session yet,
  uses a double-submit token in a short-lived ``__Host-dalil_login`` cookie.
* No credentials: 401 for the API, a redirect to the login page for HTML.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from dalil.access import accounts
from dalil.access.tables import User, WebSession
from dalil.errors import UserError

SESSION, LOGIN = "session", "login"
LOOPBACK = {"127.0.0.1", "::1", "localhost"}


class AuthRequired(UserError):
    code = "auth.required"


class CsrfFailed(UserError):
    code = "auth.csrf"


class PlainHttpRefused(CsrfFailed):
    """Credentials sent over plain HTTP from another machine (HTTP 403, as the app answers
    every :class:`CsrfFailed`): refused before they are even looked at."""

    code = "auth.https"


def loopback(host: str | None) -> bool:
    """Whether a client address is this machine (127.0.0.0/8, ::1 or its IPv4-mapped
    form, or the name localhost)."""
    if not host:
        return False
    if host in LOOPBACK:
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    mapped = getattr(address, "ipv4_mapped", None)
    return bool(address.is_loopback or (mapped is not None and mapped.is_loopback))


def client_address(request: Request) -> str | None:
    """The client's address: with ``dalil serve --behind-proxy``, uvicorn has already put
    the address the proxy forwarded (X-Forwarded-For) here, and the scheme it forwarded
    (X-Forwarded-Proto) in ``request.url``."""
    return request.client.host if request.client else None


def require_https_or_loopback(request: Request, what: str) -> None:
    """Refuse credentials sent over plain HTTP from any machine but this one (the ``make
    run`` case, where no certificate exists, is plain HTTP on loopback)."""
    if request.url.scheme != "https" and not loopback(client_address(request)):
        raise PlainHttpRefused(f"{what} needs HTTPS except from this machine; put TLS in front")


@dataclass
class Caller:
    user: User
    web_session: WebSession | None  # None for API tokens


def caller(request: Request, s: Session) -> Caller | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        require_https_or_loopback(request, "an API token")
        user = accounts.token_user(s, header[7:].strip())
        return Caller(user, None) if user else None
    token = get_cookie(request, SESSION)
    if token:
        found = accounts.session_user(s, token)
        if found:
            return Caller(*found)
    return None


def same_secret(a: str, b: str) -> bool:
    """Constant-time comparison of a secret with what a client sent (any characters: the
    client's text is compared as UTF-8 bytes, so non-ASCII input is simply unequal)."""
    return hmac.compare_digest(a.encode("utf-8", "replace"), b.encode("utf-8", "replace"))


def check_csrf(request: Request, who: Caller, form_value: str | None) -> None:
    """Unsafe browser requests must echo the session's CSRF token (API tokens are exempt:
    browsers never attach them on their own)."""
    if who.web_session is None:
        return
    sent = form_value or request.headers.get("x-csrf-token", "")
    if not sent or not same_secret(sent, who.web_session.csrf_token):
        raise CsrfFailed("the form is stale or was not sent by dalil; reload the page")


def check_login_csrf(request: Request, sent: str) -> None:
    require_https_or_loopback(request, "sign-in")
    expected = get_cookie(request, LOGIN) or ""
    if not expected or not same_secret(expected, sent):
        raise CsrfFailed("the sign-in form expired; reload the page")


def _cookie_name(request: Request, base: str) -> str:
    return f"__Host-dalil_{base}" if request.url.scheme == "https" else f"dalil_{base}"


def get_cookie(request: Request, base: str) -> str | None:
    return request.cookies.get(_cookie_name(request, base))


def set_cookie(request: Request, response: Response, base: str, value: str, max_age: int) -> None:
    secure = request.url.scheme == "https"
    response.set_cookie(
        _cookie_name(request, base),
        value,
        max_age=max_age,
        path="/",
        secure=secure,
        httponly=True,
        samesite="strict",
    )


def clear_cookie(request: Request, response: Response, base: str) -> None:
    secure = request.url.scheme == "https"
    response.delete_cookie(_cookie_name(request, base), path="/", secure=secure, httponly=True)


def login_token() -> str:
    return secrets.token_urlsafe(24)


def to_login(request: Request) -> RedirectResponse:
    return RedirectResponse(f"/login?next={request.url.path}", status_code=303)
