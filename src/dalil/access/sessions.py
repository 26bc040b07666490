"""Server-side web sessions: random 256-bit tokens kept as their SHA-256, with an idle
timeout (:data:`IDLE`) and an absolute one (:data:`ABSOLUTE`).

Signing in creates a new token (rotation), signing out deletes it, and disabling an
account deletes all its sessions (:func:`dalil.access.accounts.disable_user`). A database
reader cannot replay a session: only :func:`digest` of the token is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.orm import Session

from dalil.access.tables import User, WebSession

IDLE, ABSOLUTE = timedelta(minutes=30), timedelta(hours=12)


def digest(token: str) -> str:
    """What is stored of a session or API token: its SHA-256, as 64 hex digits."""
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass(frozen=True)
class NewSession:
    token: str  # goes in the cookie; only its hash is stored
    csrf: str


def start_session(session: Session, user: User) -> NewSession:
    token, csrf = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    session.add(
        WebSession(
            token_hash=digest(token),
            user_id=user.id,
            csrf_token=csrf,
            created_at=now,
            last_seen=now,
        )
    )
    return NewSession(token, csrf)


def session_user(session: Session, token: str) -> tuple[User, WebSession] | None:
    """The signed-in user for a session token, enforcing both timeouts."""
    row = session.get(WebSession, digest(token))
    if row is None:
        return None
    now = datetime.now(UTC)
    if now - row.last_seen > IDLE or now - row.created_at > ABSOLUTE:
        session.delete(row)
        return None
    user = session.get(User, row.user_id)
    if user is None or user.disabled:
        return None
    row.last_seen = now
    return user, row


def end_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.token_hash == digest(token)))
