"""The web app and API (FastAPI). Thin: every route calls the library and renders.

Routers: :mod:`~dalil.web.signin` (sign-in, sign-out), :mod:`~dalil.web.api_records`
(cases, records, assertions, witness identities, audit log), :mod:`~dalil.web.api_evidence`
(evidence items, custody log, proofs, downloads, bundles), :mod:`~dalil.web.api_linkage`
(victim lists, persons, review queue, estimates, background jobs) and the server-rendered
screens: the case front page, map, timeline, estimates and jobs (:mod:`~dalil.web.pages`),
record pages (:mod:`~dalil.web.record_pages`, :mod:`~dalil.web.person_pages`), the incident
form and place picker (:mod:`~dalil.web.entry`, :mod:`~dalil.web.place_picker`), evidence
(:mod:`~dalil.web.evidence_pages`), set-up (:mod:`~dalil.web.team`,
:mod:`~dalil.web.lists`), report intake (:mod:`~dalil.web.intake`), legal analysis
(:mod:`~dalil.web.legal`) and linkage review (:mod:`~dalil.web.screens`); the OpenAPI
document and its Swagger UI are in :mod:`~dalil.web.api_docs`. Every route but
``/healthz``, ``/login`` and the static files needs a signed-in user (session cookie) or an
API token; case-scoped routes declare their permission with
:func:`dalil.web.deps.case_access`, and a case the caller is not a member of answers 404.
Every decision about a signed-in caller is appended to the custody ledger before the
response leaves; refusals of callers without credentials are counted and summarised
(:mod:`dalil.access.audit`). Large and multipart request bodies are read only once the
caller is admitted (:mod:`dalil.web.guard`).

Owns: routes, screens, templates, static files, the interface's messages
(:mod:`~dalil.web.i18n`).

May use: every library package (it sits on top); never the CLI.
"""

from __future__ import annotations

import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Any

from anyio import to_thread
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text
from starlette.exceptions import HTTPException as StarletteHTTPException

from dalil import __version__, jobs
from dalil.access import accounts, audit, policy
from dalil.config import Settings, load_settings
from dalil.errors import (
    Conflict,
    DalilError,
    NotFound,
    StorageError,
    UserError,
    WorkspaceError,
    json_path,
)
from dalil.vault import keys
from dalil.vault.ledger import LedgerTampered
from dalil.vault.service import Vault
from dalil.web import (
    api_docs,
    api_evidence,
    api_legal,
    api_linkage,
    api_records,
    api_reports,
    auth,
    entry,
    evidence_pages,
    i18n,
    intake,
    legal,
    lists,
    map_pages,
    pages,
    person_pages,
    place_picker,
    record_pages,
    screens,
    signin,
    team,
)
from dalil.web.deps import SessionDep, VaultLocked, templates
from dalil.web.guard import Guard
from dalil.workspace import Workspace, head_revision

_web = resources.files("dalil") / "web"
_HTTP_CODES = {400: "input.invalid", 404: "route.not_found", 405: "route.method",
               413: "input.too_large", 415: "input.media_type"}  # fmt: skip
#: every router of the app (the access-matrix test walks their routes)
ROUTERS = tuple(
    m.router
    for m in (
        signin,
        team,  # before pages: /cases/new is not the case "new"
        api_records,
        api_evidence,
        api_linkage,
        api_reports,
        screens,
        pages,
        map_pages,
        entry,
        record_pages,
        person_pages,
        evidence_pages,
        lists,
        place_picker,
        intake,
        api_legal,
        legal,
        api_docs,
    )
)


def _machine_readable(path: str) -> bool:
    """Whether errors on ``path`` are JSON (the API and its OpenAPI document) rather than a
    page (the screens, and the API's docs page, which sends a stranger to sign in)."""
    return (path.startswith("/api/") and not path.startswith("/api/docs")) or (
        path == "/openapi.json"
    )


def create_app(
    settings: Settings | None = None,
    workspace: Workspace | None = None,
    vault: Vault | None = None,
) -> FastAPI:
    """The ASGI app for one workspace (opened at start-up unless one is given).

    The workspace must have its vault (the custody ledger holds the audit trail). Evidence
    and witness identities need it unlocked: with ``vault`` given, or the passphrase in
    ``DALIL_PASSPHRASE``/``DALIL_PASSPHRASE_FILE``; without it the app serves everything
    else and answers 503 for those routes.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ws = workspace or Workspace.open(settings or load_settings())
        with ws.session() as s:
            if not audit.ready(s):
                raise WorkspaceError(
                    "this workspace has no vault yet, and the web app records every access in "
                    "its custody ledger: create it with `dalil vault init`"
                )
        passphrase = None if vault else keys.passphrase_from_env()
        app.state.workspace = ws
        app.state.vault = vault or (Vault.unlock(ws, passphrase) if passphrase else None)
        app.state.jobs = jobs.Runner(ws)
        app.state.audit = audit.Writer(ws)
        app.state.max_upload = ws.settings.max_import_bytes
        # a few threads per process run requests (they hold the GIL in turn: dozens of
        # threads only add switching on a small machine)
        to_thread.current_default_thread_limiter().total_tokens = ws.settings.web_threads
        # what start-up made lives as long as the process: out of the collector's sight, a
        # full collection no longer walks it, which had paused every request for up to
        # 160 ms (p99 of victim search at 20 clients: 205 -> 94 ms; docs/benchmarks.md)
        gc.freeze()
        yield
        gc.unfreeze()  # an app made in a longer-lived process (tests) leaves nothing frozen
        app.state.jobs.shutdown()
        app.state.audit.close()
        if workspace is None:
            ws.close()

    # the OpenAPI document and Swagger UI are routes of their own (signed-in callers only,
    # Swagger UI vendored: dalil.web.api_docs)
    app = FastAPI(title="dalil", version=__version__, lifespan=lifespan, docs_url=None,
                  redoc_url=None, openapi_url=None)  # fmt: skip
    app.mount("/static", StaticFiles(directory=str(_web / "static")), name="static")

    app.add_middleware(Guard)  # the audit trail, then the security headers
    app.add_middleware(i18n.LanguageCookie)  # ?lang= on any page sets the language cookie

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, err: RequestValidationError) -> JSONResponse:
        """Malformed input in the canonical error shape; values are never echoed."""
        first = err.errors()[0] if err.errors() else {}
        where = json_path(tuple(first.get("loc", ())))
        body = {"code": "input.invalid", "message": str(first.get("msg", "invalid input")),
                "path": where}  # fmt: skip
        return JSONResponse({"error": body}, status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> Response:
        """Framework errors (unknown route, wrong method, unparsable body) in the same shape."""
        code = _HTTP_CODES.get(err.status_code, f"http.{err.status_code}")
        message = err.detail if isinstance(err.detail, str) else "invalid request"
        body = {"code": code, "message": message, "path": None}
        if request.url.path.startswith("/api/") or err.status_code not in (404, 405):
            return JSONResponse({"error": body}, status_code=err.status_code, headers=err.headers)
        return templates.TemplateResponse(
            request, "error.html", {"error": body, "status": err.status_code},
            status_code=err.status_code,
        )  # fmt: skip

    @app.exception_handler(DalilError)
    async def dalil_error(request: Request, err: DalilError) -> Response:
        status = (
            404 if isinstance(err, NotFound)
            else 503 if isinstance(err, VaultLocked)
            else 413 if isinstance(err, api_evidence.TooLarge)
            else 401 if isinstance(err, auth.AuthRequired | accounts.AuthenticationFailed)
            else 403 if isinstance(err, policy.Forbidden | auth.CsrfFailed)
            else 409 if isinstance(err, Conflict | LedgerTampered)  # refused, never served
            else 400 if isinstance(err, UserError)
            else 500
        )  # fmt: skip
        machine = _machine_readable(request.url.path)
        if isinstance(err, auth.AuthRequired) and not machine:
            return auth.to_login(request)
        if isinstance(err, StorageError):
            body = {"code": err.code, "message": "storage failure", "path": None}
        else:
            body = err.to_dict()
        if machine:
            return JSONResponse({"error": body}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"error": body, "status": status}, status_code=status
        )

    for router in ROUTERS:
        app.include_router(router)

    @app.get("/healthz")
    def healthz(s: SessionDep) -> dict[str, Any]:
        s.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__, "schema": head_revision()}

    return app
