"""The web app and API (FastAPI). Thin: every route calls the library and renders.

Serves ``/healthz``, ``/api/v1/cases`` and ``/api/v1/cases/{id}`` (case-scoped lists,
persons, review queue and estimates are in :mod:`dalil.web.api_linkage`), a sign-in page,
server-rendered case overviews and the linkage review screen
(:mod:`dalil.web.screens`). Every route but ``/healthz`` and ``/login`` needs a signed
in user (session cookie) or an API token; a case the caller is not a member of answers
404 (:mod:`dalil.access.policy`). ``dalil serve`` still binds to loopback only by default:
the full screens, audit and TLS guidance come with the rest of the web app.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from importlib import resources
from typing import Annotated, Any

from fastapi import FastAPI, Form, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy import text

from dalil import __version__, cases
from dalil.access import accounts, policy
from dalil.config import Settings, load_settings
from dalil.errors import DalilError, NotFound, StorageError, UserError, json_path
from dalil.overview import case_overview
from dalil.web import api_linkage, auth, screens
from dalil.web.deps import SessionDep, templates
from dalil.workspace import Workspace, head_revision

_web = resources.files("dalil") / "web"


def create_app(settings: Settings | None = None, workspace: Workspace | None = None) -> FastAPI:
    """The ASGI app for one workspace (opened at start-up unless one is given)."""

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        ws = workspace or Workspace.open(settings or load_settings())
        app.state.workspace = ws
        yield
        if workspace is None:
            ws.close()

    app = FastAPI(title="dalil", version=__version__, lifespan=lifespan, docs_url="/api/docs")
    app.mount("/static", StaticFiles(directory=str(_web / "static")), name="static")

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Headers every response carries (ASVS V3.4, V14.3): no caching of case data, no
        framing, no MIME sniffing, scripts and styles only from this server; HSTS when the
        request arrived over TLS."""
        response = await call_next(request)
        headers = response.headers
        headers.setdefault("Cache-Control", "no-store")
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "no-referrer"
        headers["X-Frame-Options"] = "DENY"
        if not request.url.path.startswith("/api/docs"):
            headers["Content-Security-Policy"] = (
                "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
            )
        if request.url.scheme == "https":
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, err: RequestValidationError) -> JSONResponse:
        """Malformed input in the canonical error shape; values are never echoed."""
        first = err.errors()[0] if err.errors() else {}
        where = json_path(tuple(first.get("loc", ())))
        body = {"code": "input.invalid", "message": str(first.get("msg", "invalid input")),
                "path": where}  # fmt: skip
        return JSONResponse({"error": body}, status_code=422)

    @app.exception_handler(DalilError)
    async def dalil_error(request: Request, err: DalilError) -> Response:
        status = (
            404 if isinstance(err, NotFound)
            else 401 if isinstance(err, auth.AuthRequired | accounts.AuthenticationFailed)
            else 403 if isinstance(err, policy.Forbidden | auth.CsrfFailed)
            else 400 if isinstance(err, UserError)
            else 500
        )  # fmt: skip
        if isinstance(err, auth.AuthRequired) and not request.url.path.startswith("/api/"):
            return auth.to_login(request)
        if isinstance(err, StorageError):
            body = {"code": err.code, "message": "storage failure", "path": None}
        else:
            body = err.to_dict()
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": body}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"error": body, "status": status}, status_code=status
        )

    app.include_router(api_linkage.router)
    app.include_router(screens.router)

    @app.get("/healthz")
    def healthz(s: SessionDep) -> dict[str, Any]:
        s.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__, "schema": head_revision()}

    @app.get("/api/v1/cases")
    def api_cases(request: Request, s: SessionDep) -> list[dict[str, object]]:
        who = auth.require_caller(request, s)
        return [cases.summarise(s, c).to_dict() for c in policy.visible_cases(s, who.user)]

    @app.get("/api/v1/cases/{case_id}")
    def api_case(case_id: str, request: Request, s: SessionDep) -> dict[str, Any]:
        who = auth.require_caller(request, s)
        policy.require(s, who.user, case_id, "read")
        return case_overview(s, case_id).to_dict()

    @app.get("/login", response_class=HTMLResponse)
    def login_form(request: Request, next: str = "/") -> HTMLResponse:
        token = auth.login_token()
        page = templates.TemplateResponse(
            request, "login.html", {"csrf": token, "next": _safe_next(next), "error": None}
        )
        auth.set_cookie(request, page, auth.LOGIN, token, 600)
        return page

    @app.post("/login")
    def login(
        request: Request,
        s: SessionDep,
        name: Annotated[str, Form()],
        password: Annotated[str, Form()],
        csrf: Annotated[str, Form()],
        next: Annotated[str, Form()] = "/",
        code: Annotated[str, Form()] = "",
    ) -> Response:
        auth.check_login_csrf(request, csrf)
        try:
            user = accounts.authenticate(s, name, password, code)
        except accounts.AuthenticationFailed as failed:
            # returned, not raised: the failure count must be committed (throttling)
            page = templates.TemplateResponse(
                request,
                "login.html",
                {"csrf": csrf, "next": _safe_next(next), "error": failed.message},
                status_code=401,
            )
            return page
        new = accounts.start_session(s, user)
        old = auth.get_cookie(request, auth.SESSION)
        if old:
            accounts.end_session(s, old)  # rotation: never keep a pre-login session
        response = RedirectResponse(_safe_next(next), status_code=303)
        auth.set_cookie(
            request, response, auth.SESSION, new.token, int(accounts.ABSOLUTE.total_seconds())
        )
        auth.clear_cookie(request, response, auth.LOGIN)
        return response

    @app.post("/logout")
    def logout(request: Request, s: SessionDep, csrf: Annotated[str, Form()] = "") -> Response:
        who = auth.require_caller(request, s)
        auth.check_csrf(request, who, csrf)
        token = auth.get_cookie(request, auth.SESSION)
        if token:
            accounts.end_session(s, token)
        response = RedirectResponse("/login", status_code=303)
        auth.clear_cookie(request, response, auth.SESSION)
        return response

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request, s: SessionDep) -> HTMLResponse:
        who = auth.require_caller(request, s)
        overviews = [case_overview(s, c.id, latest=5) for c in policy.visible_cases(s, who.user)]
        return templates.TemplateResponse(
            request, "index.html", {"overviews": overviews, "who": who}
        )

    @app.get("/cases/{case_id}", response_class=HTMLResponse)
    def case_page(case_id: str, request: Request, s: SessionDep) -> HTMLResponse:
        who = auth.require_caller(request, s)
        policy.require(s, who.user, case_id, "read")
        return templates.TemplateResponse(
            request, "case.html", {"o": case_overview(s, case_id, latest=20), "who": who}
        )

    return app


def _safe_next(target: str) -> str:
    """Only same-site paths after sign-in (no open redirect)."""
    return target if target.startswith("/") and not target.startswith("//") else "/"
