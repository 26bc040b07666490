"""``dalil user``, ``dalil token`` and ``dalil case add-member``: accounts and case roles."""

from __future__ import annotations

import sys

import click

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
