"""What every response passes through: the request's audit trail is appended to the
custody ledger before the response starts (fail closed), then the security headers.

A plain ASGI middleware rather than Starlette's ``BaseHTTPMiddleware``: it wraps ``send``
and acts on the response's first message, which costs nothing per request beyond the
append itself (the base middleware's extra task and streams cost about as much as a
cached page).
"""

from __future__ import annotations

import asyncio
import json
import logging

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from dalil.access import audit

log = logging.getLogger("dalil.web")

#: scripts and styles only from this server (ASVS V3.4, V14.3); the API docs page, which
#: loads its own assets, gets none
CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)
_REFUSED = json.dumps({"error": {
    "code": "audit.unavailable", "path": None,
    "message": "the access could not be recorded; try again",
}}).encode()  # fmt: skip


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

        await self.app(scope, receive, guarded)


def _secure(headers: MutableHeaders, scope: Scope) -> None:
    """No caching of case data, no framing, no MIME sniffing, the CSP; HSTS over TLS."""
    headers.setdefault("Cache-Control", "no-store")
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "no-referrer"
    headers["X-Frame-Options"] = "DENY"
    if not scope["path"].startswith("/api/docs"):
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
