"""The web app and API (FastAPI). Thin: every route calls the library and renders.

This first version serves ``/healthz``, ``/api/v1/cases`` and ``/api/v1/cases/{id}``, and
server-rendered HTML overviews. It has no sign-in yet, so ``dalil serve`` binds to
loopback only; accounts, per-case access and audit come with the full web app.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from importlib import resources
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates
from sqlalchemy import text
from sqlalchemy.orm import Session

from dalil import __version__, cases
from dalil.config import Settings, load_settings
from dalil.errors import DalilError, NotFound, StorageError, UserError
from dalil.overview import case_overview
from dalil.workspace import Workspace, head_revision

_web = resources.files("dalil") / "web"
templates = Jinja2Templates(directory=str(_web / "templates"))


def _session(request: Request) -> Iterator[Session]:
    """One transaction per request on the app's workspace."""
    ws: Workspace = request.app.state.workspace
    with ws.session() as s:
        yield s


SessionDep = Annotated[Session, Depends(_session)]


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

    @app.exception_handler(DalilError)
    async def dalil_error(request: Request, err: DalilError) -> JSONResponse | HTMLResponse:
        status = 404 if isinstance(err, NotFound) else 400 if isinstance(err, UserError) else 500
        if isinstance(err, StorageError):
            body = {"code": err.code, "message": "storage failure", "path": None}
        else:
            body = err.to_dict()
        if request.url.path.startswith("/api/"):
            return JSONResponse({"error": body}, status_code=status)
        return templates.TemplateResponse(
            request, "error.html", {"error": body, "status": status}, status_code=status
        )

    @app.get("/healthz")
    def healthz(s: SessionDep) -> dict[str, Any]:
        s.execute(text("SELECT 1"))
        return {"status": "ok", "version": __version__, "schema": head_revision()}

    @app.get("/api/v1/cases")
    def api_cases(s: SessionDep) -> list[dict[str, object]]:
        return [c.to_dict() for c in cases.list_cases(s)]

    @app.get("/api/v1/cases/{case_id}")
    def api_case(case_id: str, s: SessionDep) -> dict[str, Any]:
        return case_overview(s, case_id).to_dict()

    @app.get("/", response_class=HTMLResponse)
    def index(request: Request, s: SessionDep) -> HTMLResponse:
        overviews = [case_overview(s, c.id, latest=5) for c in cases.all_cases(s)]
        return templates.TemplateResponse(request, "index.html", {"overviews": overviews})

    @app.get("/cases/{case_id}", response_class=HTMLResponse)
    def case_page(case_id: str, request: Request, s: SessionDep) -> HTMLResponse:
        return templates.TemplateResponse(
            request, "case.html", {"o": case_overview(s, case_id, latest=20)}
        )

    return app
