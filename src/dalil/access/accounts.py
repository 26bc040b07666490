"""Local accounts: argon2id passwords, login throttling, server-side sessions, API tokens.

Design (security.md B.3, ASVS 5.0 V6/V7):

* passwords of at least 12 characters (up to 256) are hashed with argon2id; a login that
  names an unknown user still verifies a dummy hash, so timing does not reveal who exists,
  and the error is the same ("wrong name or password");
* with the second factor on, a TOTP code (RFC 6238) is needed as well;
* five failures lock the account for 15 minutes (anti brute force);
* sessions are random 256-bit tokens kept server-side as SHA-256 hashes, with an idle
  timeout (30 min) and an absolute one (12 h); logging in creates a new token (rotation),
  logging out deletes it, disabling an account deletes all its sessions and tokens stop
  working at once;
* personal API tokens (``Authorization: Bearer``) are shown once and stored hashed.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from dalil.access import totp
from dalil.access.tables import ApiToken, User, WebSession
from dalil.errors import Conflict, InvalidInput, UserError
from dalil.records import new_id

MIN_PASSWORD, MAX_PASSWORD = 12, 256
MAX_FAILURES, LOCK_MINUTES = 5, 15
IDLE, ABSOLUTE = timedelta(minutes=30), timedelta(hours=12)
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("dalil-dummy-password-for-timing")


class AuthenticationFailed(UserError):
    code = "auth.failed"


def _now() -> datetime:
    return datetime.now(UTC)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


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


def authenticate(session: Session, name: str, password: str, code: str = "") -> User:
    """The user, or :class:`AuthenticationFailed` with one message for every cause.

    With the second factor on, ``code`` must be the current TOTP code; a wrong code counts
    as a failed attempt like a wrong password.
    """
    user = session.scalar(select(User).where(User.name == name))
    failed = AuthenticationFailed("wrong name or password, or the account is locked")
    if user is None:
        with contextlib.suppress(VerificationError):
            _hasher.verify(_DUMMY, password)
        raise failed
    now = _now()
    locked = user.locked_until is not None and user.locked_until > now
    try:
        _hasher.verify(user.password_hash, password)
        ok = True
    except (VerificationError, InvalidHashError):
        ok = False
    if ok and user.totp_secret and not totp.verify(user.totp_secret, code):
        ok = False
    if locked or user.disabled or not ok:
        if not ok and not locked:
            user.failed_logins += 1
            if user.failed_logins >= MAX_FAILURES:
                user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                user.failed_logins = 0
        raise failed
    user.failed_logins = 0
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


@dataclass(frozen=True)
class NewSession:
    token: str  # goes in the cookie; only its hash is stored
    csrf: str


def start_session(session: Session, user: User) -> NewSession:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = _now()
    session.add(
        WebSession(
            token_hash=_digest(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            last_seen=now,
        )
    )
    return NewSession(token, csrf)


def session_user(session: Session, token: str) -> tuple[User, WebSession] | None:
    """The signed-in user for a session token, enforcing both timeouts."""
    row = session.get(WebSession, _digest(token))
    if row is None:
        return None
    now = _now()
    if now - row.last_seen > IDLE or now - row.created_at > ABSOLUTE:
        session.delete(row)
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    row.last_seen = now
    return user, row


def end_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == _digest(token)))


def disable_user(session: Session, user: User) -> None:
    """Disable an account: its sessions end and its tokens stop working immediately."""
    user.disabled = True
    session.execute(delete(WebSession).where(WebSession.user_id == user.id))


def create_token(session: Session, user: User, label: str = "") -> str:
    token = "dalil_" + secrets.token_urlsafe(32)
    session.add(
        ApiToken(
            token_hash=_digest(token),
            user_id=user.id,
            label=label,
            created_at=_now(),
            revoked=False,
        )
    )
    return token


#: built once: every API request runs it
_TOKEN_USER = (
    select(User)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("digest"),
        ApiToken.revoked.is_(False),
        User.disabled.is_(False),
    )
)


def token_user(session: Session, token: str) -> User | None:
    """The enabled user of an unrevoked API token."""
    return session.scalar(_TOKEN_USER, {"digest": _digest(token)})
