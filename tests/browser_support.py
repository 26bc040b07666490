"""The browser-test harness shared by the web tests: Debian's Chromium
(``/usr/bin/chromium``, installed by ``make browser``; Playwright never downloads a
browser here) driving a real uvicorn server over loopback on a fresh demo workspace.

The fixtures ``site``, ``browser`` and ``page`` (tests/web/conftest.py) are made from
:func:`serve_demo`, :func:`chromium` and :func:`signed_in`; the screenshot script uses
them too. Building the demo takes 10–20 s, so the tests build it once per run
(:func:`build_browser_demo`) and serve a copy of that directory to each module.

Without Chromium a browser test is skipped with that reason, unless
``DALIL_REQUIRE_BROWSER`` is set (CI sets it), in which case it fails.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from sqlalchemy import select

from dalil.access import accounts, policy, totp
from dalil.config import load_settings
from dalil.demo import build_demo
from dalil.model.tables import Case
from dalil.vault.keys import KeyRing
from dalil.vault.service import Vault
from dalil.web import create_app
from dalil.workspace import Workspace
from tests_support import DEMO_PASSPHRASE

CHROMIUM = "/usr/bin/chromium"
PASSWORD = "browser flow password"


def require_chromium() -> None:
    """Skip the calling test without Chromium, or fail when CI demands the browser."""
    if not Path(CHROMIUM).exists():
        if os.environ.get("DALIL_REQUIRE_BROWSER"):
            raise RuntimeError(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-core")
        pytest.skip(f"{CHROMIUM} is not installed (make browser installs it)")


@dataclass
class Site:
    url: str
    ws: Workspace
    case: str
    totp_secret: str


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _add_investigator(ws: Workspace) -> tuple[str, str]:
    """The demo's case id and the TOTP secret of its new investigator "amal"."""
    with ws.session() as s:
        case = s.scalars(select(Case.id)).one()
        user = accounts.add_user(s, "amal", PASSWORD)
        secret = accounts.enable_totp(user).split("secret=")[1].split("&")[0]
        policy.add_member(s, case, user, "investigator", "tester")
    return case, secret


def _sidecar(template: Path) -> Path:
    return template.with_name(template.name + ".json")


def build_browser_demo(home: Path, demo: Path | None = None) -> None:
    """A closed workspace at ``home`` ready for :func:`serve_demo`'s ``template``: the demo
    (a copy of the closed demo workspace ``demo``, or built here), with "amal"; her case
    and TOTP secret are written beside it (``<home>.json``), outside the workspace."""
    if demo is None:
        ws = Workspace.create(load_settings(home))
        build_demo(ws, vault=Vault.create(ws, DEMO_PASSPHRASE, "tester"))
    else:
        shutil.copytree(demo, home)
        ws = Workspace.open(load_settings(home))
    case, secret = _add_investigator(ws)
    ws.close()
    _sidecar(home).write_text(json.dumps({"case": case, "totp_secret": secret}), "utf-8")


#: the keys of each template, unlocked once: every copy of a template has its key file,
#: and unlocking (the passphrase's KDF) costs about a second
_RINGS: dict[Path, KeyRing] = {}


def _copy(template: Path, home: Path) -> tuple[Workspace, Vault, str, str]:
    shutil.copytree(template, home)
    ws = Workspace.open(load_settings(home))
    if template not in _RINGS:
        _RINGS[template] = Vault.unlock(ws, DEMO_PASSPHRASE).ring
    vault = Vault(ws, _RINGS[template])
    known = json.loads(_sidecar(template).read_text("utf-8"))
    return ws, vault, known["case"], known["totp_secret"]


@contextmanager
def serve_demo(home: Path, template: Path | None = None) -> Iterator[Site]:
    """The demo case served by uvicorn on a loopback port, with an investigator "amal" who
    signs in with :data:`PASSWORD` and a TOTP code. The workspace is at ``home``: a copy of
    ``template`` (made by :func:`build_browser_demo`) when given, else built there."""
    if template is not None:
        ws, vault, case, secret = _copy(template, home)
    else:
        ws = Workspace.create(load_settings(home))
        vault = Vault.create(ws, DEMO_PASSPHRASE, "tester")
        build_demo(ws, vault=vault)
        case, secret = _add_investigator(ws)
    port = _free_port()
    app = create_app(workspace=ws, vault=vault)
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    yield Site(f"http://127.0.0.1:{port}", ws, case, secret)
    server.should_exit = True
    thread.join(10)
    ws.close()


@contextmanager
def chromium() -> Iterator[object]:
    """Debian's Chromium driven by Playwright."""
    pw = pytest.importorskip("playwright.sync_api")
    with pw.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


@contextmanager
def signed_in(browser: object, site: Site, user: str = "amal", **options: Any) -> Iterator[object]:
    """A page in a fresh browser context (no cookies) with a session of ``user``, on the
    case's front page."""
    context = browser.new_context(accept_downloads=True, locale="en-GB", **options)  # type: ignore[attr-defined]
    # a session made directly: a TOTP code works once (the sign-in form has its own test)
    with site.ws.session() as s:
        new = accounts.start_session(s, accounts.find_user(s, user))
    context.add_cookies([{"name": "dalil_session", "value": new.token, "url": site.url,
                          "httpOnly": True, "sameSite": "Strict"}])  # fmt: skip
    p = context.new_page()
    p.goto(f"{site.url}/cases/{site.case}")
    yield p
    context.close()


def sign_in(p: object, site: Site, target: str, code: str | None = None) -> None:
    p.goto(f"{site.url}{target}")  # type: ignore[attr-defined]
    p.fill("input[name=name]", "amal")  # type: ignore[attr-defined]
    p.fill("input[name=password]", PASSWORD)  # type: ignore[attr-defined]
    p.fill("input[name=code]", code if code is not None else totp.code(site.totp_secret))  # type: ignore[attr-defined]
    with p.expect_navigation():  # type: ignore[attr-defined]
        p.click("button[type=submit]")  # type: ignore[attr-defined]


def add_user(site: Site, name: str, role: str | None = None, *, admin: bool = False) -> None:
    """A user ``name`` (password :data:`PASSWORD`) of the served demo, with ``role`` in its
    case when given and a workspace admin when ``admin``: for :func:`signed_in` (issue 22's
    walk test and the screenshot script)."""
    with site.ws.session() as s:
        user = accounts.add_user(s, name, PASSWORD, admin=admin)
        if role is not None:
            policy.add_member(s, site.case, user, role, "tester")


def wait_for_job(site: Site, job_id: str, timeout: float = 300) -> str:
    """The state a background job of the served demo ends in ("done" or "failed"), polled
    in the database (the job runs in the server's thread)."""
    from dalil import jobs

    deadline = time.monotonic() + timeout
    while True:
        with site.ws.session() as s:
            state = jobs.get(s, site.case, job_id).state
        if state in ("done", "failed") or time.monotonic() > deadline:
            return str(state)
        time.sleep(0.2)
