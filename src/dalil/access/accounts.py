"""Local accounts: argon2id passwords, sign-in throttling, server-side sessions, API tokens.

Design (security.md B.3, ASVS 5.0 V6/V7):

* passwords of at least 12 characters (up to 256) are hashed with argon2id; a login that
  names an unknown user still verifies a dummy hash, so timing does not reveal who exists,
  and the error is the same ("wrong name or password");
* with the second factor on, a TOTP code (RFC 6238) is needed as well, and each code
  works once (the account keeps the last time step it accepted);
* web sign-in is throttled per client address by :class:`SignInThrottle` (in the server
  process's memory): after five failures from one address, across any accounts, each
  further attempt must wait twice as long as the one before (1 s, 2 s, ... up to 15
  minutes); five failures on one account lock that account for 15 minutes *for the
  address that failed*, so nobody can keep another person locked out. Sign-ins that give
  no address (re-authentication, the CLI) keep the account-wide lock in the database;
* sessions are random 256-bit tokens kept server-side as SHA-256 hashes, with an idle
  timeout (30 min) and an absolute one (12 h); logging in creates a new token (rotation),
  logging out deletes it, disabling an account deletes all its sessions and tokens stop
  working at once;
* personal API tokens (``Authorization: Bearer``) are shown once and stored hashed; each
  can carry an expiry and be revoked alone, and stops working at once when it is.
"""

from __future__ import annotations

import contextlib
import hashlib
import ipaddress
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import bindparam, delete, or_, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from dalil.access import totp
from dalil.access.tables import ApiToken, User, WebSession
from dalil.errors import Conflict, InvalidInput, UserError
from dalil.model.keys import new_id
from dalil.vault import ledger
from dalil.vault.tables import VaultState

MIN_PASSWORD, MAX_PASSWORD = 12, 256
MAX_FAILURES, LOCK_MINUTES = 5, 15
#: sign-in failures one client address may make, across accounts, before slowing down;
#: the longest wait (seconds) and how long a quiet address's failures are remembered
FREE_FAILURES, MAX_DELAY, FORGET_AFTER = 5, 15 * 60, 60 * 60
#: addresses (and address, account pairs) remembered at most: a bound on memory
MAX_CLIENTS = 50_000
#: a token's first characters kept to recognise it: "dalil_" and 8 of its 43 random ones
PREFIX_LENGTH = 14
#: how stale a token's last-use time may get before a request writes it again
LAST_USED_EVERY = timedelta(hours=1)
IDLE, ABSOLUTE = timedelta(minutes=30), timedelta(hours=12)
_hasher = PasswordHasher()
_DUMMY = _hasher.hash("dalil-dummy-password-for-timing")


class AuthenticationFailed(UserError):
    code = "auth.failed"


def client_key(host: str | None) -> str:
    """The throttling key of a client address: an IPv6 address counts as its /64 network
    (one subscriber usually holds a whole /64), anything else as written."""
    if not host:
        return "unknown"
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host[:100]
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return str(address.ipv4_mapped)
        return str(ipaddress.ip_network(f"{address}/64", strict=False))
    return str(address)


_K = TypeVar("_K")


@dataclass
class _Failures:
    count: int
    last: float  # the clock's seconds at the latest failure


class SignInThrottle:
    """Failed web sign-ins per client address and per (account, address), in memory.

    * ``wait(client)``: seconds the address must still wait before its next attempt. The
      first :data:`FREE_FAILURES` failures cost nothing; after the n-th failure beyond
      them the address waits 2**(n-1) s (1, 2, 4 ... capped at :data:`MAX_DELAY`),
      whichever accounts it tried: password spraying is slowed like guessing one password;
    * ``locked(name, client)``: whether :data:`MAX_FAILURES` failures on that account from
      that address in the last :data:`LOCK_MINUTES` lock it out of the account. Other
      addresses are not locked out, so the account's owner can still sign in while someone
      elsewhere types wrong passwords for it;
    * an address's failures are forgotten :data:`FORGET_AFTER` seconds after its latest
      one; a successful sign-in clears that address's failures on that account but not its
      count across accounts (one's own account must not reset a sprayer's slow-down).

    One instance per server process: with several workers each keeps its own counts, so an
    address gets that many more tries. At most :data:`MAX_CLIENTS` entries of each kind are
    kept; the least recently failed go first. ``clock`` is seconds on a monotonic scale.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._clients: OrderedDict[str, _Failures] = OrderedDict()
        self._pairs: OrderedDict[tuple[str, str], _Failures] = OrderedDict()
        self._mutex = threading.Lock()

    @staticmethod
    def _current(table: OrderedDict[_K, _Failures], key: _K, now: float) -> _Failures:
        found = table.get(key)
        if found is not None and now - found.last >= FORGET_AFTER:
            del table[key]
            found = None
        return found or _Failures(0, now)

    def wait(self, client: str) -> float:
        with self._mutex:
            now = self._clock()
            seen = self._current(self._clients, client, now)
            if seen.count < FREE_FAILURES:
                return 0.0
            delay = min(2.0 ** (seen.count - FREE_FAILURES), MAX_DELAY)
            return max(0.0, seen.last + delay - now)

    def locked(self, name: str, client: str) -> bool:
        with self._mutex:
            now = self._clock()
            seen = self._current(self._pairs, (name, client), now)
            return seen.count >= MAX_FAILURES and now - seen.last < LOCK_MINUTES * 60

    def failed(self, name: str, client: str) -> None:
        with self._mutex:
            now = self._clock()
            self._count(self._clients, client, now)
            self._count(self._pairs, (name, client), now)

    def _count(self, table: OrderedDict[_K, _Failures], key: _K, now: float) -> None:
        seen = self._current(table, key, now)
        table[key] = _Failures(seen.count + 1, now)
        table.move_to_end(key)
        while len(table) > MAX_CLIENTS:
            table.popitem(last=False)

    def succeeded(self, name: str, client: str) -> None:
        with self._mutex:
            self._pairs.pop((name, client), None)


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


def create_token(
    session: Session, user: User, label: str = "", *, expires_in: timedelta | None = None
) -> str:
    """A new API token for ``user`` (returned once; only its hash and first characters are
    kept). ``expires_in``: how long it works; None for no expiry."""
    if len(label) > 200:
        raise InvalidInput("a token label has at most 200 characters", path="--label")
    if expires_in is not None and expires_in <= timedelta(0):
        raise InvalidInput("a token's lifetime must be positive", path="--expires-in")
    token = "dalil_" + secrets.token_urlsafe(32)
    now = _now()
    session.add(
        ApiToken(
            token_hash=_digest(token),
            user_id=user.id,
            label=label,
            created_at=now,
            revoked=False,
            prefix=token[:PREFIX_LENGTH],
            expires_at=None if expires_in is None else now + expires_in,
        )
    )
    return token


@dataclass(frozen=True)
class TokenInfo:
    """What ``dalil token list`` shows of a token: never the token, nor its full hash."""

    label: str
    #: the token's first characters, or "sha256:" and its hash's first 12 hex digits for a
    #: token made before prefixes were kept
    prefix: str
    created_at: datetime
    last_used_at: datetime | None
    expires_at: datetime | None
    #: active, expired or revoked
    state: str


def _shown_prefix(row: ApiToken) -> str:
    return row.prefix or f"sha256:{row.token_hash[:12]}"


def _info(row: ApiToken, now: datetime) -> TokenInfo:
    expired = row.expires_at is not None and row.expires_at <= now
    return TokenInfo(
        label=row.label,
        prefix=_shown_prefix(row),
        created_at=row.created_at,
        last_used_at=row.last_used_at,
        expires_at=row.expires_at,
        state="revoked" if row.revoked else "expired" if expired else "active",
    )


def list_tokens(session: Session, user: User) -> list[TokenInfo]:
    """Every token of ``user``, oldest first, revoked and expired ones included."""
    now = _now()
    rows = session.scalars(
        select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created_at)
    )
    return [_info(row, now) for row in rows]


def revoke_token(session: Session, user: User, which: str) -> TokenInfo:
    """Revoke the one unrevoked token of ``user`` named by ``which``: its label, the prefix
    ``dalil token list`` shows (or the whole token). It stops working at once."""
    which = which.strip()
    if not which:
        raise InvalidInput("name the token by its label or prefix", path="LABEL|PREFIX")
    rows = list(session.scalars(select(ApiToken).where(ApiToken.user_id == user.id)))
    digest = _digest(which)
    matches = [
        row
        for row in rows
        if row.label == which
        or _shown_prefix(row) == which
        or (row.prefix and which.startswith(row.prefix))
        or row.token_hash == digest
    ]
    active = [row for row in matches if not row.revoked]
    if not matches:
        raise InvalidInput(
            "no token of this user has this label or prefix (see `dalil token list`)",
            path="LABEL|PREFIX",
        )
    if not active:
        raise Conflict("this token is already revoked", path="LABEL|PREFIX")
    if len(active) > 1:
        raise InvalidInput(
            f"{len(active)} tokens have this label; name one by its prefix",
            path="LABEL|PREFIX",
        )
    [row] = active
    row.revoked, row.revoked_at = True, _now()
    session.flush()
    return _info(row, row.revoked_at)


#: changes to who may do what, recorded in the custody ledger (see :func:`record`)
CHANGES = ("member_added", "member_removed", "token_created", "token_revoked")


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
    if session.get(VaultState, 1) is None:
        return False
    ledger.append(session, [ledger.make_entry(action, actor, case=case, detail=detail)])
    return True


#: built once: every API request runs it
_TOKEN_USER = (
    select(User, ApiToken.last_used_at)
    .join(ApiToken, ApiToken.user_id == User.id)
    .where(
        ApiToken.token_hash == bindparam("digest"),
        ApiToken.revoked.is_(False),
        or_(ApiToken.expires_at.is_(None), ApiToken.expires_at > bindparam("now")),
        User.disabled.is_(False),
    )
)
_TOKEN_USED = (
    update(ApiToken)
    .where(ApiToken.token_hash == bindparam("digest"))
    .values(last_used_at=bindparam("now"))
)


def token_user(session: Session, token: str) -> User | None:
    """The enabled user of an unrevoked, unexpired API token. The token's last-use time is
    written when it is over an hour old, so most requests write nothing."""
    digest, now = _digest(token), _now()
    found = session.execute(_TOKEN_USER, {"digest": digest, "now": now}).first()
    if found is None:
        return None
    user, last_used = found
    if last_used is None or now - last_used > LAST_USED_EVERY:
        session.connection().execute(_TOKEN_USED, {"digest": digest, "now": now})
    return cast(User, user)
