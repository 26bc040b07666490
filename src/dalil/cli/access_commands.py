"""``dalil user``, ``dalil token``, ``dalil case add-member`` / ``remove-member`` and
``dalil identity erase``: accounts, case roles, and the end of a witness identity's
retention. Changes of accounts, case roles and tokens are recorded in the custody ledger,
in the same transaction as the change, naming the dalil user who made them (``--user`` or
the workspace's operator, :func:`~dalil.cli.common.custody_actor`), never the
operating-system account."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

import click
from sqlalchemy import select

from dalil.access import accounts, identities, policy
from dalil.cli.common import custody_actor, user_option, workspace
from dalil.errors import InvalidInput
from dalil.model.tables import Person
from dalil.records import cases
from dalil.workspace import Workspace


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
@user_option
@click.pass_context
def user_add(
    ctx: click.Context, name: str, admin: bool, password_stdin: bool, user: str | None
) -> None:
    """Create an account; the password (12+ characters) is read from stdin.

    Recorded as ``user_added`` when the workspace has a ledger, naming ``--user`` or the
    operator. The workspace's first account (``dalil user add NAME --admin`` on a fresh
    workspace, before anyone exists to name) needs neither: its creator is itself."""
    password = sys.stdin.readline().rstrip("\n")
    if not password_stdin or not password:
        raise InvalidInput("give the password on standard input", path="--password-stdin")
    with workspace(ctx) as ws:
        actor = _adder(ws, user, name)
        with ws.session() as s:
            made = accounts.add_user(s, name, password, admin=admin)
            accounts.record(s, "user_added", actor, user=made.name, admin=admin)
    click.echo(f"added user {name}" + (" (admin)" if admin else ""))


def _adder(ws: Workspace, user: str | None, name: str) -> str:
    """Who ``user add`` names in the ledger: :func:`custody_actor`, except that on a
    workspace with no accounts yet and no ``--user`` or operator the first account is its
    own creator (nobody else exists to name; the README's set-up starts this way)."""
    try:
        return custody_actor(ws, user)
    except InvalidInput:
        with ws.session() as s:
            if accounts.list_users(s):
                raise
        return name


@user_group.command("disable")
@click.argument("name")
@user_option
@click.pass_context
def user_disable(ctx: click.Context, name: str, user: str | None) -> None:
    """Disable an account: its sessions end and its API tokens stop working at once
    (``user_disabled`` in the ledger, naming ``--user`` or the operator)."""
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        with ws.session() as s:
            accounts.disable_user(s, accounts.find_user(s, name))
            accounts.record(s, "user_disabled", actor, user=name)
    click.echo(f"disabled {name}")


@user_group.command("totp")
@click.argument("name")
@user_option
@click.pass_context
def user_totp(ctx: click.Context, name: str, user: str | None) -> None:
    """Turn on the second factor for NAME; prints the otpauth:// URI for an authenticator app
    (``second_factor_reset`` in the ledger, naming ``--user`` or the operator)."""
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        with ws.session() as s:
            link = accounts.enable_totp(accounts.find_user(s, name))
            accounts.record(s, "second_factor_reset", actor, user=name)
    click.echo("add this to an authenticator app now (it is not shown again):")
    click.echo(link)


@click.group("token")
def token_group() -> None:
    """Personal API tokens (Authorization: Bearer)."""


#: a new token's lifetime unless ``--expires-in`` says otherwise (see docs/server.md)
DEFAULT_TOKEN_DAYS = 365


@token_group.command("create")
@click.argument("name")
@click.option("--label", default="", help="What the token is for (to list or revoke it by).")
@click.option(
    "--expires-in",
    "days",
    type=click.IntRange(0, 3650),
    default=DEFAULT_TOKEN_DAYS,
    show_default=True,
    help="Days until the token stops working; 0: never (not advised).",
)
@user_option
@click.pass_context
def token_create(ctx: click.Context, name: str, label: str, days: int, user: str | None) -> None:
    """Create an API token for user NAME; it is printed once, on the last line."""
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        with ws.session() as s:
            owner = accounts.find_user(s, name)
            lifetime = timedelta(days=days) if days else None
            token = accounts.create_token(s, owner, label, expires_in=lifetime)
            prefix = token[: accounts.PREFIX_LENGTH]
            accounts.record(s, "token_created", actor, user=owner.name, prefix=prefix,
                            expires_in_days=days or None)  # fmt: skip
    click.echo(f"expires in {days} days" if days else "never expires")
    click.echo("store this token now; dalil keeps only its hash:")
    click.echo(token)


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M UTC") if moment else "-"


@token_group.command("list")
@click.argument("name")
@click.pass_context
def token_list(ctx: click.Context, name: str) -> None:
    """List user NAME's tokens: label, prefix, state, created, last used, expiry (never the
    token itself, which dalil does not keep)."""
    with workspace(ctx) as ws, ws.session() as s:
        tokens = accounts.list_tokens(s, accounts.find_user(s, name))
    if not tokens:
        click.echo(f"{name} has no API tokens")
        return
    click.echo("prefix\tstate\tcreated\tlast used\texpires\tlabel")
    for t in tokens:
        label = t.label.replace("\t", " ").replace("\n", " ")  # one line per token
        click.echo(f"{t.prefix}\t{t.state}\t{_when(t.created_at)}\t{_when(t.last_used_at)}"
                   f"\t{_when(t.expires_at) if t.expires_at else 'never'}\t{label}")  # fmt: skip


@token_group.command("revoke")
@click.argument("name")
@click.argument("which", metavar="LABEL|PREFIX")
@user_option
@click.pass_context
def token_revoke(ctx: click.Context, name: str, which: str, user: str | None) -> None:
    """Revoke one of user NAME's tokens, named by its label or its prefix (as `dalil token
    list` shows it); it stops working at once."""
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        with ws.session() as s:
            owner = accounts.find_user(s, name)
            revoked = accounts.revoke_token(s, owner, which)
            accounts.record(s, "token_revoked", actor, user=owner.name, prefix=revoked.prefix)
    click.echo(f"revoked {name}'s token {revoked.prefix}")


@click.command("add-member")
@click.argument("case")
@click.argument("name")
@click.option("--role", type=click.Choice(list(policy.ROLES)), required=True)
@user_option
@click.pass_context
def add_member(ctx: click.Context, case: str, name: str, role: str, user: str | None) -> None:
    """Give user NAME a role in CASE (replacing any role they had)."""
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        with ws.session() as s:
            member = accounts.find_user(s, name)
            found = policy.add_member(s, case, member, role, actor)
            accounts.record(s, "member_added", actor, case=found.id, user=member.name, role=role)
    click.echo(f"{name} is now {role} in {case}")


@click.command("remove-member")
@click.argument("case")
@click.argument("name")
@user_option
@click.pass_context
def remove_member(ctx: click.Context, case: str, name: str, user: str | None) -> None:
    """Take user NAME out of CASE: from their next request on, the case does not exist for
    them (their sessions and tokens stay valid for their other cases)."""
    with workspace(ctx) as ws:
        actor = custody_actor(ws, user)
        with ws.session() as s:
            member = accounts.find_user(s, name)
            found, role = policy.remove_member(s, case, member)
            accounts.record(s, "member_removed", actor, case=found.id, user=member.name,
                            role=role)  # fmt: skip
    click.echo(f"{name} is no longer a member of {case} (was {role})")


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
