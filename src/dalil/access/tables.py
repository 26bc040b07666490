"""Accounts, case membership, server-side sessions and API tokens.

Secrets are never stored: passwords as argon2id hashes, session and API tokens as their
SHA-256 (a database reader cannot replay them). Membership is per case: a user sees
nothing of a case they are not a member of (the policy is in :mod:`dalil.access.policy`).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from dalil.model.tables import ID, Base


class User(Base):
    __tablename__ = "app_user"
    id: Mapped[str] = mapped_column(ID, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    password_hash: Mapped[str] = mapped_column(String(300))
    is_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    disabled: Mapped[bool] = mapped_column(Boolean, default=False)
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    #: base32 TOTP secret when the second factor is on (kept in the database: a reader of
    #: the database still lacks the password; see docs for the limit)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    #: the last TOTP time step (30-second periods since 1970) accepted for this account: a
    #: code of this step or an earlier one is refused (no replay, RFC 6238 section 5.2)
    totp_last_step: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime]
    #: the interface language the user last chose (``en`` or ``ar``; None: never chose),
    #: used in a browser that has no language cookie yet (dalil.web.i18n.language)
    language: Mapped[str | None] = mapped_column(String(8))


class Membership(Base):
    __tablename__ = "case_membership"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    case_id: Mapped[str] = mapped_column(ID, ForeignKey("case_file.id"), index=True)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("app_user.id"), index=True)
    role: Mapped[str] = mapped_column(String(40))
    granted_by: Mapped[str] = mapped_column(String(200))
    granted_at: Mapped[datetime]


class WebSession(Base):
    __tablename__ = "web_session"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("app_user.id"), index=True)
    csrf_token: Mapped[str] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen: Mapped[datetime]


class ApiToken(Base):
    __tablename__ = "api_token"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("app_user.id"), index=True)
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime]
    revoked: Mapped[bool] = mapped_column(Boolean, default=False)
    #: the token's first characters ("dalil_" and 8 more, 48 of its 256 random bits), shown
    #: by ``dalil token list`` so a leaked token can be recognised; empty for tokens made
    #: before migration 0012 (they are named by their hash's start instead)
    prefix: Mapped[str] = mapped_column(String(20), default="")
    #: no use at or after this moment; None: never expires (tokens made before 0012)
    expires_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    #: when a request last used it, written at most once an hour (not on every request)
    last_used_at: Mapped[datetime | None]


class WitnessIdentity(Base):
    """A protected person's true identity, sealed under the identity key (never plaintext).

    One row per pseudonymous person record; case records refer to the person only by the
    record id and its pseudonym label ("W-007").
    """

    __tablename__ = "witness_identity"
    person_id: Mapped[str] = mapped_column(ID, ForeignKey("record.id"), primary_key=True)
    case_id: Mapped[str] = mapped_column(ID, ForeignKey("case_file.id"), index=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    updated_at: Mapped[datetime]
    updated_by: Mapped[str] = mapped_column(String(200))
