"""The API's own description: the OpenAPI document (``/openapi.json``) and Swagger UI
(``/api/docs``), both for signed-in callers only.

Swagger UI is served from ``static/vendor`` (a pinned copy, with its licence), never from a
CDN: a script loaded from a third party would run in dalil's origin with the user's session,
every reader would tell that party they use dalil, and an offline team would see a blank
page. The page carries no inline script (its start-up code is ``static/apidocs.js``), so the
strict Content-Security-Policy of every other page holds here too. The route list itself is
no secret (the code is public), but who may call which route on this server is, a little:
the docs sit behind sign-in like everything else.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse

from dalil.web.deps import CallerDep, templates

router = APIRouter(include_in_schema=False)
#: the vendored Swagger UI (files in static/vendor named with their version, as htmx is)
SWAGGER_UI = "5.36.0"


@router.get("/openapi.json")
def openapi(request: Request, who: CallerDep) -> JSONResponse:
    """The OpenAPI 3 document of every API route (the HTML screens are left out)."""
    document: dict[str, Any] = request.app.openapi()
    return JSONResponse(document)


@router.get("/api/docs", response_class=HTMLResponse)
def api_docs(request: Request, who: CallerDep) -> HTMLResponse:
    """Swagger UI over ``/openapi.json``; "try it out" sends the session's CSRF token."""
    csrf = who.web_session.csrf_token if who.web_session else ""
    return templates.TemplateResponse(
        request, "api_docs.html", {"version": SWAGGER_UI, "csrf": csrf}
    )
