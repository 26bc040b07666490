"""Local accounts: argon2id passwords, sign-in throttling, server-side sessions, API tokens.

Design (security.md B.3, ASVS 5.0 V6/V7):

* passwords of at least 12 characters (up to 256) are hashed with argon2id; a login that
  names an unknown user still verifies a dummy hash, so timing does not reveal who exists,
  and the error is the same ("wrong name or password");
* with the second factor on, a TOTP code (RFC 6238) is needed as well, and each code
  works once (the account keeps the last time step it accepted);
* web sign-in is throttled per client address by :class:`SignInThrottle`
  (:mod:`dalil.access.throttle`, in the server process's memory): after five failures
  from one address, across any accounts, each further attempt must wait twice as long
  as the one before (1 s, 2 s, ... up to 15 minutes); five failures on one account lock
  that account for 15 minutes *for the address that failed*, so nobody can keep another
  person locked out. Sign-ins that give no address (re-authentication, the CLI) keep the
  account-wide lock in the database;
* sessions are random 256-bit tokens kept server-side as SHA-256 hashes, with an idle
  timeout (30 min) and an absolute one (12 h); logging in creates a new token (rotation),
  logging out deletes it, disabling an account deletes all its sessions and tokens stop
  working at once (:mod:`dalil.access.sessions`);
* personal API tokens (``Authorization: Bearer``) are shown once and stored hashed; each
  can carry an expiry and be revoked alone, and stops working at once when it is
  (:mod:`dalil.access.tokens`).

This module keeps the accounts themselves (users, passwords, the second factor, sign-in)
and the ledger record of access changes; it re-exports the names of the throttle,
sessions and tokens that callers import from here.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from dalil.access import totp
from dalil.access.sessions import ABSOLUTE as ABSOLUTE
from dalil.access.sessions import IDLE as IDLE
from dalil.access.sessions import end_session as end_session
from dalil.access.sessions import session_user as session_user
from dalil.access.sessions import start_session as start_session
from dalil.access.tables import User, WebSession
from dalil.access.throttle import FORGET_AFTER as FORGET_AFTER
from dalil.access.throttle import FREE_FAILURES as FREE_FAILURES
from dalil.access.throttle import LOCK_MINUTES as LOCK_MINUTES
from dalil.access.throttle import MAX_DELAY as MAX_DELAY
from dalil.access.throttle import MAX_FAILURES as MAX_FAILURES
from dalil.access.throttle import SignInThrottle as SignInThrottle
from dalil.access.throttle import client_key as client_key
from dalil.access.tokens import PREFIX_LENGTH as PREFIX_LENGTH
from dalil.access.tokens import create_token as create_token
from dalil.access.tokens import list_tokens as list_tokens
from dalil.access.tokens import revoke_token as revoke_token
from dalil.access.tokens import token_user as token_user
from dalil.errors import Conflict, InvalidInput, UserError
from dalil.model.keys import new_id
from dalil.vault import ledger
from dalil.vault.custody_entry import ACCESS_CHANGES

MIN_PASSWORD, MAX_PASSWORD = 12, 256
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("dalil-dummy-password-for-timing")


class AuthenticationFailed(UserError):
    code = "auth.failed"


def _now() -> datetime:
    return datetime.now(UTC)


def add_user(session: Session, name: str, password: str, *, admin: bool = False) -> User:
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidInput("a user name of 1-200 characters is required", path="name")
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise InvalidInput(
            f"passwords need {MIN_PASSWORD}-{MAX_PASSWORD} characters", path="password"
        )
    if session.scalar(select(User.id).where(User.name == name)):
        raise Conflict("a user with this name exists", path="name")
    user = User(
        id=new_id(),
        name=name,
        password_hash=_hasher.hash(password),
        is_admin=admin,
        disabled=False,
        failed_logins=0,
        locked_until=None,
        created_at=_now(),
    )
    session.add(user)
    session.flush()
    return user


def enable_totp(user: User) -> str:
    """Turn the second factor on; returns the otpauth:// URI to show once."""
    user.totp_secret = totp.new_secret()
    return totp.uri(user.totp_secret, user.name)


def find_user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name))
    if user is None:
        raise InvalidInput("no such user", path="name")
    return user


def authenticate(
    session: Session,
    name: str,
    password: str,
    code: str = "",
    *,
    throttle: SignInThrottle | None = None,
    client: str = "",
) -> User:
    """The user, or :class:`AuthenticationFailed` with one message for every cause.

    With the second factor on, ``code`` must be a TOTP code of a time step later than the
    last one the account accepted; a wrong or replayed code counts as a failed attempt
    like a wrong password. With a ``throttle`` (web sign-in), failures and the lock are
    counted for ``client`` (see :class:`SignInThrottle`; the caller asks
    :meth:`SignInThrottle.wait` first); without one (re-authentication of a signed-in
    user, the CLI) the account-wide lock in the database applies.
    """
    user = session.scalar(select(User).where(User.name == name))
    failed = AuthenticationFailed("wrong name or password, or the account is locked")
    if user is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY, password)
        if throttle is not None:
            throttle.failed(name, client)
        raise failed
    now = _now()
    if throttle is None:
        locked = user.locked_until is not None and user.locked_until > now
    else:
        locked = throttle.locked(user.name, client)
    try:
        _hasher.verify(user.password_hash, password)
        ok = True
    except (VerificationError, InvalidHashError):
        ok = False
    step: int | None = None
    if ok and user.totp_secret:
        step = totp.accepted_step(user.totp_secret, code, after=user.totp_last_step)
        ok = step is not None
    if not locked and not user.disabled and ok and step is not None:
        ok = _claim_step(session, user, step)  # a concurrent sign-in may have used it
    if locked or user.disabled or not ok:
        if throttle is not None:
            if locked or not ok:
                throttle.failed(user.name, client)
        elif not ok and not locked:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                user.failed_logins = 0
        raise failed
    if throttle is not None:
        throttle.succeeded(user.name, client)
    else:
        user.failed_logins = 0
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


def _claim_step(session: Session, user: User, step: int) -> bool:
    """Record ``step`` as the account's last TOTP step unless it already holds this one
    or a later one: one conditional UPDATE, so of two concurrent sign-ins with the same
    code only one changes the row (the other's UPDATE waits for it, then matches nothing)."""
    claimed = session.connection().execute(
        update(User)
        .where(
            User.id == user.id,
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    if claimed.rowcount != 1:
        return False
    set_committed_value(user, "totp_last_step", step)
    return True


def disable_user(session: Session, user: User) -> None:
    """Disable an account: its sessions end and its tokens stop working immediately."""
    user.disabled = True
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))


#: changes to who may do what, recorded in the custody ledger (see :func:`record`)
CHANGES = ACCESS_CHANGES


def record(
    session: Session, action: str, actor: str, *, case: str | None = None, **detail: Any
) -> bool:
    """Append an access change (one of :data:`CHANGES`) to the custody ledger in the
    caller's transaction, so the change and its record commit together; False when the
    workspace has no ledger yet (it is made with the vault: ``dalil vault init``).

    ``detail`` names accounts and token prefixes, never a token or a witness identity.
    """
    if action not in CHANGES:
        raise ValueError(f"unknown access change {action!r}")
    if not ledger.exists(session):
        return False
    ledger.append(session, [ledger.make_entry(action, actor, case=case, detail=detail)])
    return True


def set_language(user: User, language: str) -> bool:
    """Remember ``language`` (a code of :data:`dalil.web.i18n.LANGS`) as the interface
    language ``user`` prefers; True when it changed (written with the caller's
    transaction). Not a ledger event: it grants and reveals nothing."""
    if user.language == language:
        return False
    user.language = language
    return True


def list_users(session: Session) -> list[User]:
    """Every account, by name (the admins' users page)."""
    return list(session.scalars(select(User).order_by(User.name)))


def disable_account(session: Session, user: User, *, by: User) -> None:
    """Disable ``user`` on an admin's request (:func:`disable_user`); refuses an admin's
    own account, so the last admin cannot lock everyone out by mistake."""
    if user.id == by.id:
        raise InvalidInput("you cannot disable your own account", path="user")
    disable_user(session, user)


def reset_totp(session: Session, user: User) -> str:
    """A new second factor for ``user`` (one who lost their authenticator, or has none
    yet): a fresh secret, no accepted step, every session ended (whoever held the old
    device is signed out). Returns the otpauth:// URI, to hand to the user once."""
    link = enable_totp(user)
    user.totp_last_step = None
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))
    return link
