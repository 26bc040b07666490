"""``dalil user``, ``dalil token``, ``dalil case add-member`` / ``remove-member`` and
``dalil identity erase``: accounts, case roles, and the end of a witness identity's
retention. Changes of case roles and tokens are recorded in the custody ledger, in the
same transaction as the change."""

from __future__ import annotations

import sys
from datetime import datetime, timedelta

import click
from sqlalchemy import select

from dalil.access import accounts, identities, policy
from dalil.cli.common import settings_of, workspace
from dalil.errors import InvalidInput
from dalil.model.tables import Person
from dalil.records import cases


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
@click.pass_context
def token_create(ctx: click.Context, name: str, label: str, days: int) -> None:
    """Create an API token for user NAME; it is printed once, on the last line."""
    with workspace(ctx) as ws, ws.session() as s:
        user = accounts.find_user(s, name)
        lifetime = timedelta(days=days) if days else None
        token = accounts.create_token(s, user, label, expires_in=lifetime)
        prefix = token[: accounts.PREFIX_LENGTH]
        accounts.record(s, "token_created", settings_of(ctx).actor, user=user.name,
                        prefix=prefix, expires_in_days=days or None)  # fmt: skip
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
@click.pass_context
def token_revoke(ctx: click.Context, name: str, which: str) -> None:
    """Revoke one of user NAME's tokens, named by its label or its prefix (as `dalil token
    list` shows it); it stops working at once."""
    with workspace(ctx) as ws, ws.session() as s:
        user = accounts.find_user(s, name)
        revoked = accounts.revoke_token(s, user, which)
        accounts.record(s, "token_revoked", settings_of(ctx).actor, user=user.name,
                        prefix=revoked.prefix)  # fmt: skip
    click.echo(f"revoked {name}'s token {revoked.prefix}")


@click.command("add-member")
@click.argument("case")
@click.argument("name")
@click.option("--role", type=click.Choice(list(policy.ROLES)), required=True)
@click.pass_context
def add_member(ctx: click.Context, case: str, name: str, role: str) -> None:
    """Give user NAME a role in CASE (replacing any role they had)."""
    actor = settings_of(ctx).actor
    with workspace(ctx) as ws, ws.session() as s:
        user = accounts.find_user(s, name)
        found = policy.add_member(s, case, user, role, actor)
        accounts.record(s, "member_added", actor, case=found.id, user=user.name, role=role)
    click.echo(f"{name} is now {role} in {case}")


@click.command("remove-member")
@click.argument("case")
@click.argument("name")
@click.pass_context
def remove_member(ctx: click.Context, case: str, name: str) -> None:
    """Take user NAME out of CASE: from their next request on, the case does not exist for
    them (their sessions and tokens stay valid for their other cases)."""
    actor = settings_of(ctx).actor
    with workspace(ctx) as ws, ws.session() as s:
        user = accounts.find_user(s, name)
        found, role = policy.remove_member(s, case, user)
        accounts.record(s, "member_removed", actor, case=found.id, user=user.name, role=role)
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
