"""What every response passes through: the request's audit trail is appended to the
custody ledger before the response starts (fail closed), then the security headers; and,
before a large or multipart request body is read, the body gate.

A plain ASGI middleware rather than Starlette's ``BaseHTTPMiddleware``: it wraps ``send``
and acts on the response's first message, which costs nothing per request beyond the
append itself (the base middleware's extra task and streams cost about as much as a
cached page).

The body gate: FastAPI reads (and Starlette spools to a temporary file) a request's whole
body before any dependency runs, so the sign-in and case checks of an upload route came
only after the upload was on disk. For an unsafe request whose body is multipart, larger
than :data:`SMALL_BODY` or of unannounced length (chunked), the gate first authenticates
the caller from the headers (session cookie or bearer token, as the routes do), refuses a
``Content-Length`` over the upload limit, and checks the route's case permission; a
refusal (401, 413, 404, 403) is sent with ``Connection: close`` before a byte of the body
is read. Whatever it admits is still counted as it streams in and cut off past the limit.
Small bodies (JSON and form posts) go straight to the route, which authenticates as before.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from anyio import to_thread
from fastapi.routing import APIRoute
from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dalil.access import audit
from dalil.errors import DalilError

log = logging.getLogger("dalil.web")

#: scripts and styles only from this server (ASVS V3.4, V14.3), the API docs page included
#: (Swagger UI is vendored under ``static/vendor``)
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
_REFUSED = json.dumps({"error": {
    "code": "audit.unavailable", "path": None,
    "message": "the access could not be recorded; try again",
}}).encode()  # fmt: skip
#: methods whose requests carry a body
_UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: bytes: a body up to this size that is not multipart goes to the route unchecked (the
#: route authenticates); the sign-in form, taken without credentials, may not be larger
SMALL_BODY = 64 * 1024
#: bytes a multipart upload may carry beyond the file itself (framing, the form's fields)
FORM_SLACK = 1 << 20
#: paths that take a body from callers without credentials
_OPEN = frozenset({"/login"})


class Guard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        trail = audit.AuditTrail()
        scope.setdefault("state", {})["audit"] = trail  # read as request.state.audit
        refused = False
        early: Response | None = None
        if scope["method"] in _UNSAFE:
            early, limit = await _gate(scope)
            receive = _capped(receive, limit)

        async def guarded(message: Message) -> None:
            nonlocal refused
            if refused:  # the app's own response is dropped
                return
            if message["type"] == "http.response.start":
                try:
                    await asyncio.wrap_future(scope["app"].state.audit.submit(trail))
                except Exception:
                    log.exception("the audit trail could not be written; the response is withheld")
                    refused = True
                    await _send_refusal(send, scope)
                    return
                _secure(MutableHeaders(scope=message), scope)
            await send(message)

        if early is not None:  # refused before the body was read
            await early(scope, receive, guarded)
            return
        await self.app(scope, receive, guarded)


async def _gate(scope: Scope) -> tuple[Response | None, int]:
    """A refusal to send before the body is read (or None), and the most body bytes the
    request may then stream in."""
    headers = Headers(scope=scope)
    try:
        length: int | None = int(headers["content-length"])
    except (KeyError, ValueError):
        length = None  # chunked, or a malformed length the server will refuse anyway
    if scope["path"] in _OPEN:
        if length is not None and length > SMALL_BODY:
            return await _refuse(scope, _too_large(SMALL_BODY)), SMALL_BODY
        return None, SMALL_BODY
    limit = int(scope["app"].state.max_upload) + FORM_SLACK
    multipart = headers.get("content-type", "").lower().startswith("multipart/")
    if not multipart and length is not None and length <= SMALL_BODY:
        return None, limit
    try:
        await to_thread.run_sync(_admit, scope, length, limit)
    except DalilError as err:
        return await _refuse(scope, err), limit
    return None, limit


def _admit(scope: Scope, length: int | None, limit: int) -> None:
    """Authenticate the caller from the headers, check the announced size, and check the
    route's case permission (refusals are noted in the request's audit trail as the
    route's own checks would note them)."""
    from dalil.web import deps

    request = Request(scope)
    with scope["app"].state.workspace.session() as s:
        who = deps.authenticate(request, s)
        if length is not None and length > limit:
            raise _too_large(limit)
        route, params = _route_of(scope)
        action = _case_policy(route) if route is not None else None
        if action is not None and "case_id" in params:
            deps.admit(request, s, who, str(params["case_id"]), action, note_allowed=False)


def _too_large(limit: int) -> DalilError:
    from dalil.web.api_evidence import TooLarge

    return TooLarge(f"the request is larger than the limit of {limit} bytes", path="file")


def _route_of(scope: Scope) -> tuple[APIRoute | None, dict[str, Any]]:
    """The app route that will answer the request, and its path parameters."""
    from dalil.web import ROUTERS  # the routers, in the order the app includes them

    for router in ROUTERS:
        for route in router.routes:
            match, child = route.matches(scope)
            if match == Match.FULL and isinstance(route, APIRoute):
                return route, dict(child.get("path_params", {}))
    return None, {}


def _case_policy(route: APIRoute) -> Any:
    """The permission the route's case check asks for (``None`` for routes without one)."""
    for dep in route.dependant.dependencies:
        if (action := getattr(dep.call, "policy", None)) is not None:
            return action
    return None


async def _refuse(scope: Scope, err: DalilError) -> Response:
    """The app's own answer to ``err`` (same shape as a route's), closing the connection so
    that the unread body is never taken in."""
    handler = scope["app"].exception_handlers[DalilError]
    response: Response = await handler(Request(scope), err)
    response.headers["Connection"] = "close"
    return response


def _capped(receive: Receive, limit: int) -> Receive:
    """``receive`` that fails with 413 once more than ``limit`` body bytes came in (a
    chunked body, or one longer than its ``Content-Length`` says)."""
    seen = 0

    async def capped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise HTTPException(413, f"the request is larger than the limit of {limit} bytes")
        return message

    return capped


def _secure(headers: MutableHeaders, scope: Scope) -> None:
    """No caching of case data, no framing, no MIME sniffing, the CSP; HSTS over TLS."""
    headers.setdefault("Cache-Control", "no-store")
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "DENY"
    headers["Content-Security-Policy"] = CSP
    if scope.get("scheme") == "https":
        headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"


async def _send_refusal(send: Send, scope: Scope) -> None:
    headers = [(b"content-type", b"application/json"),
               (b"content-length", str(len(_REFUSED)).encode())]  # fmt: skip
    start: Message = {"type": "http.response.start", "status": 503, "headers": headers}
    _secure(MutableHeaders(scope=start), scope)
    await send(start)
    await send({"type": "http.response.body", "body": _REFUSED})
