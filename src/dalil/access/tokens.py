"""Personal API tokens (``Authorization: Bearer``): shown once, stored as their SHA-256
with their first characters (:data:`PREFIX_LENGTH`) to recognise them; each can carry an
expiry and be revoked alone, and stops working at once when it is, or when its account is
disabled.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import cast

from sqlalchemy import bindparam, or_, select, update
from sqlalchemy.orm import Session

from dalil.access.sessions import digest
from dalil.access.tables import ApiToken, User
from dalil.errors import Conflict, InvalidInput

#: a token's first characters kept to recognise it: "dalil_" and 8 of its 43 random ones
PREFIX_LENGTH = 14
#: how stale a token's last-use time may get before a request writes it again
LAST_USED_EVERY = timedelta(hours=1)


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
    now = datetime.now(UTC)
    session.add(
        ApiToken(
            token_hash=digest(token),
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
    now = datetime.now(UTC)
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
    hashed = digest(which)
    matches = [
        row
        for row in rows
        if row.label == which
        or _shown_prefix(row) == which
        or (row.prefix and which.startswith(row.prefix))
        or row.token_hash == hashed
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
    row.revoked, row.revoked_at = True, datetime.now(UTC)
    session.flush()
    return _info(row, row.revoked_at)


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
    hashed, now = digest(token), datetime.now(UTC)
    found = session.execute(_TOKEN_USER, {"digest": hashed, "now": now}).first()
    if found is None:
        return None
    user, last_used = found
    if last_used is None or now - last_used > LAST_USED_EVERY:
        session.connection().execute(_TOKEN_USED, {"digest": hashed, "now": now})
    return cast(User, user)
