"""``dalil init`` and ``dalil demo``: create a workspace, empty or holding the fictional
demo case, over :mod:`dalil.workspace` and :mod:`dalil.demo`."""

from __future__ import annotations

import click
from rich.text import Text

from dalil.cli.common import (
    Passphrase,
    console,
    passphrase_from_env,
    settings_of,
    unlock_vault,
)
from dalil.errors import InvalidInput, WorkspaceMissing
from dalil.vault.service import Vault
from dalil.workspace import Workspace


@click.command("init")
@click.pass_context
def init(ctx: click.Context) -> None:
    """Create an empty workspace."""
    ws = Workspace.create(settings_of(ctx))
    ws.close()
    click.echo(f"created workspace at {ws.home}")


@click.command("demo")
@click.option(
    "--seed", default=2025, show_default=True, help="Seed of the fictional case generator."
)
@click.pass_context
def demo(ctx: click.Context, seed: int) -> None:
    """Create a workspace (if needed) holding the fictional demo case and its victim lists."""
    from dalil.demo import build_demo

    settings = settings_of(ctx)
    try:
        ws = Workspace.open(settings)
    except WorkspaceMissing:
        ws = Workspace.create(settings)
    with ws, console.status(Text("building the fictional demo case")) as status:
        vault = _demo_vault(ws)
        result = build_demo(
            ws, seed=seed, progress=lambda msg: status.update(Text(f"demo: {msg}")), vault=vault
        )
    click.echo(f"demo case {result.case_id} (FICTIONAL) created in {ws.home}")
    _demo_account(ws, result.case_id)
    for key, value in result.counts.items():
        click.echo(f"  {key}: {value}")
    click.echo("victim lists (imported into the case; link them with `dalil link CASE`):")
    for path in result.lists:
        click.echo(f"  {path}")


def _demo_vault(ws: Workspace) -> Vault | None:
    """The demo's vault, created with the passphrase of ``DALIL_PASSPHRASE`` or
    ``DALIL_PASSPHRASE_FILE`` when one is set (so a later ``dalil serve`` with the same
    variable opens it). With neither set, a random passphrase is kept in
    ``<home>/demo/passphrase.txt`` (mode 600) so that ``make run`` can unlock it: fine for
    a fictional case on one machine; a real workspace keeps its passphrase elsewhere."""
    import secrets

    given = passphrase_from_env()
    path = ws.home / "demo" / "passphrase.txt"
    if Vault.exists(ws):
        if given is None and path.is_file():
            lines = path.read_text(encoding="utf-8").splitlines()
            given = Passphrase(lines[0], str(path)) if lines and lines[0] else None
        return unlock_vault(ws, given) if given else None
    if given is not None:
        vault = Vault.create(ws, given.value, "demo")
        click.echo(f"vault created with the passphrase of {given.source.split('=')[0]}")
        return vault
    passphrase = secrets.token_urlsafe(18)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(passphrase + "\n", encoding="utf-8")
    path.chmod(0o600)
    click.echo(f"vault created; its passphrase is in {path} (demo only)")
    return Vault.create(ws, passphrase, "demo")


def _demo_account(ws: Workspace, case_id: str) -> None:
    """A sign-in for the fictional demo: user ``demo``, investigator in the demo case, with a
    random password printed once and kept in ``<home>/demo/credentials.txt`` (mode 600)."""
    import secrets

    from dalil.access import accounts, policy

    password = secrets.token_urlsafe(12)
    with ws.session() as s:
        try:
            user = accounts.find_user(s, "demo")
        except InvalidInput:
            user = accounts.add_user(s, "demo", password)
            path = ws.home / "demo" / "credentials.txt"
            path.write_text(f"user: demo\npassword: {password}\n", encoding="utf-8")
            path.chmod(0o600)
            click.echo(f"sign in to the web app as demo / {password} (also in {path})")
        policy.add_member(s, case_id, user, "investigator", "demo")
