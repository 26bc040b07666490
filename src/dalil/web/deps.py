"""Request dependencies shared by the app's routers."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from dalil.workspace import Workspace

templates = Jinja2Templates(directory=str(resources.files("dalil") / "web" / "templates"))


def _session(request: Request) -> Iterator[Session]:
    """One transaction per request on the app's workspace."""
    ws: Workspace = request.app.state.workspace
    with ws.session() as s:
        yield s


SessionDep = Annotated[Session, Depends(_session)]
