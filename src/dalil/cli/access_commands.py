"""``dalil user``, ``dalil token``, ``dalil case add-member`` (accounts and case roles) and
``dalil backup`` / ``dalil restore`` (operations)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from dalil import backup
from dalil.access import accounts, policy
from dalil.cli.common import settings_of, workspace
from dalil.errors import InvalidInput


@click.group("user")
def user_group() -> None:
    """Local accounts for the web app and API."""


@user_group.command("add")
@click.argument("name")
@click.option(
    "--admin", is_flag=True, help="Workspace administrator (manages users; sees all cases)."
)
@click.option(
    "--password-stdin",
    is_flag=True,
    required=True,
    help="Read the password from standard input (never from the command line).",
)
@click.pass_context
def user_add(ctx: click.Context, name: str, admin: bool, password_stdin: bool) -> None:
    """Create an account; the password (12+ characters) is read from stdin."""
    password = sys.stdin.readline().rstrip("\n")
    if not password_stdin or not password:
        raise InvalidInput("give the password on standard input", path="--password-stdin")
    with workspace(ctx) as ws, ws.session() as s:
        accounts.add_user(s, name, password, admin=admin)
    click.echo(f"added user {name}" + (" (admin)" if admin else ""))


@user_group.command("disable")
@click.argument("name")
@click.pass_context
def user_disable(ctx: click.Context, name: str) -> None:
    """Disable an account: its sessions end and its API tokens stop working at once."""
    with workspace(ctx) as ws, ws.session() as s:
        accounts.disable_user(s, accounts.find_user(s, name))
    click.echo(f"disabled {name}")


@user_group.command("totp")
@click.argument("name")
@click.pass_context
def user_totp(ctx: click.Context, name: str) -> None:
    """Turn on the second factor for NAME; prints the otpauth:// URI for an authenticator app."""
    with workspace(ctx) as ws, ws.session() as s:
        link = accounts.enable_totp(accounts.find_user(s, name))
    click.echo("add this to an authenticator app now (it is not shown again):")
    click.echo(link)


@click.group("token")
def token_group() -> None:
    """Personal API tokens (Authorization: Bearer)."""


@token_group.command("create")
@click.argument("name")
@click.option("--label", default="", help="What the token is for.")
@click.pass_context
def token_create(ctx: click.Context, name: str, label: str) -> None:
    """Create an API token for user NAME; it is printed once, on the last line."""
    with workspace(ctx) as ws, ws.session() as s:
        token = accounts.create_token(s, accounts.find_user(s, name), label)
    click.echo("store this token now; dalil keeps only its hash:")
    click.echo(token)


@click.command("add-member")
@click.argument("case")
@click.argument("name")
@click.option("--role", type=click.Choice(list(policy.ROLES)), required=True)
@click.pass_context
def add_member(ctx: click.Context, case: str, name: str, role: str) -> None:
    """Give user NAME a role in CASE (replacing any role they had)."""
    with workspace(ctx) as ws, ws.session() as s:
        policy.add_member(s, case, accounts.find_user(s, name), role, settings_of(ctx).actor)
    click.echo(f"{name} is now {role} in {case}")


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.pass_context
def backup_cmd(ctx: click.Context, out: Path) -> None:
    """Write the whole workspace (database, encrypted vault, key file) to OUT (a zip)."""
    with workspace(ctx) as ws:
        manifest = backup.backup(ws, out)
    click.echo(
        f"backup written to {out}: {sum(manifest['rows'].values())} rows, "
        f"{len(manifest['members'])} members, schema {manifest['schema']}"
    )


@click.command("restore")
@click.argument("archive", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.pass_context
def restore_cmd(ctx: click.Context, archive: Path) -> None:
    """Restore ARCHIVE into a new workspace at --home and verify the custody ledger."""
    report = backup.restore(archive, settings_of(ctx))
    click.echo(
        f"restored {sum(report.rows.values())} rows; ledger of {report.tree_size} "
        f"entries, {report.heads_checked} signed heads, {report.blobs_checked} blobs checked"
    )
    for fault in report.faults:
        click.echo(f"FAULT {fault}", err=True)
    if not report.ok:
        raise SystemExit(1)
    click.echo("verified; run `dalil vault verify` with the passphrase to check blob contents too")
