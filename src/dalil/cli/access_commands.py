"""``dalil user``, ``dalil token``, ``dalil case add-member`` and ``dalil identity erase``:
accounts, case roles, and the end of a witness identity's retention."""

from __future__ import annotations

import sys

import click
from sqlalchemy import select

from dalil import cases
from dalil.access import accounts, identities, policy
from dalil.cli.common import settings_of, workspace
from dalil.errors import InvalidInput
from dalil.model.tables import Person


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


@click.group("identity")
def identity_group() -> None:
    """Witness identities in the identity vault (recorded and revealed through the API)."""


@identity_group.command("erase")
@click.argument("case")
@click.argument("pseudonym")
@click.option("--user", "name", required=True, help="The protection officer erasing it.")
@click.option("--reason", required=True, help="Why it is no longer needed (kept in the ledger).")
@click.option("--code", default="", help="TOTP code, if the account has the second factor on.")
@click.option("--password-stdin", is_flag=True, required=True,
              help="Read the user's password from standard input.")  # fmt: skip
@click.pass_context
def identity_erase(
    ctx: click.Context, case: str, pseudonym: str, name: str, reason: str, code: str,
    password_stdin: bool,
) -> None:  # fmt: skip
    """Erase the identity of the protected person PSEUDONYM (e.g. W-007) in CASE for good;
    the case records stay readable under the pseudonym (standards note d, A-5)."""
    password = sys.stdin.readline().rstrip("\n")
    with workspace(ctx) as ws:
        with ws.session() as s:
            case_id = cases.find_case(s, case).id
            person = s.scalar(select(Person).where(Person.case_id == case_id,
                                                   Person.label == pseudonym))  # fmt: skip
            if person is None:
                raise InvalidInput(f"no person {pseudonym} in this case", path="PSEUDONYM")
            user_id, person_id = accounts.find_user(s, name).id, person.id
        identities.erase(ws, user_id, case_id, person_id, reason=reason, password=password,
                         code=code)  # fmt: skip
    click.echo(f"erased the identity of {pseudonym}; the case records keep the pseudonym")
