"""``dalil serve``: run the web app and API (:mod:`dalil.web`) under uvicorn, after
opening the workspace and unlocking the vault here so that a problem is one line."""

from __future__ import annotations

import os
from typing import Any

import click

from dalil.cli.common import passphrase_from_env, settings_of, unlock_vault
from dalil.errors import InvalidInput, WorkspaceError
from dalil.workspace import Workspace


@click.command("serve")
@click.option("--host", default=None, help="Interface (default from settings: 127.0.0.1).")
@click.option("--port", default=None, type=int, help="Port (default from settings: 8000).")
@click.option(
    "--allow-remote",
    is_flag=True,
    help="Listen on a non-loopback address (put TLS in front: see docs/server.md).",
)
@click.option(
    "--behind-proxy",
    is_flag=True,
    help="Trust X-Forwarded-Proto/For from a reverse proxy on this machine (TLS terminated "
    "there): secure cookies and HSTS follow the proxy's HTTPS.",
)
@click.option(
    "--workers",
    default=1,
    type=click.IntRange(1, 64),
    help="Server processes (one per CPU core for a busy team; each keeps its own caches "
    "and runs its own background jobs).",
)
@click.pass_context
def serve(
    ctx: click.Context, host: str | None, port: int | None, allow_remote: bool,
    behind_proxy: bool, workers: int,
) -> None:  # fmt: skip
    """Serve the web app and API."""
    import uvicorn

    from dalil.access import audit
    from dalil.web import create_app

    settings = settings_of(ctx)
    host = host or settings.host
    if host not in ("127.0.0.1", "localhost", "::1") and not allow_remote:
        raise InvalidInput(
            "serving beyond this machine needs TLS in front (a reverse proxy, docs/server.md); "
            "use 127.0.0.1 with --behind-proxy, or --allow-remote if TLS is handled otherwise",
            path="--host",
        )
    options: dict[str, Any] = {
        "host": host, "port": port or settings.port, "log_level": "warning",
        "proxy_headers": behind_proxy, "server_header": False,
        "forwarded_allow_ips": "127.0.0.1,::1" if behind_proxy else None,
    }  # fmt: skip
    # open and unlock here, not in the server's start-up, so that a missing workspace or
    # vault or a wrong passphrase is one line naming its source, not a server traceback
    given = passphrase_from_env()
    ws = Workspace.open(settings)
    try:
        with ws.session() as s:
            if not audit.ready(s):
                raise WorkspaceError(
                    "this workspace has no vault yet, and the web app records every access "
                    "in its custody ledger: create it with `dalil vault init`",
                    path=str(settings.home),
                )
        vault = unlock_vault(ws, given) if given else None
        click.echo(f"dalil serving {settings.home} on http://{host}:{options['port']}/")
        if vault is None:
            click.echo(
                "the vault stays locked (no DALIL_PASSPHRASE or DALIL_PASSPHRASE_FILE): "
                "evidence and identities answer 503",
                err=True,
            )
        if workers == 1:
            uvicorn.run(create_app(settings, workspace=ws, vault=vault), **options)
            return
    finally:
        ws.close()
    os.environ["DALIL_HOME"] = str(settings.home)  # each worker process builds its own app
    uvicorn.run("dalil.web:create_app", factory=True, workers=workers, **options)
