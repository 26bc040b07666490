"""A case's team: who is a member, with which role, and the changes to it.

The web's team page and ``dalil case add-member`` / ``remove-member`` change the same
rows (:func:`dalil.access.policy.add_member`, :func:`~dalil.access.policy.remove_member`);
the functions here add what a page needs around them: the members to show, a located
error for a bad choice (``path`` is the form field), and the change recorded in the
custody ledger in the caller's transaction (:func:`dalil.access.accounts.record`), so a
change and its record commit together or not at all. Who may call them is decided by
:func:`dalil.access.policy.require` with the ``manage`` action (workspace admins).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from dalil.access import accounts, policy
from dalil.access.tables import Membership, User
from dalil.errors import InvalidInput


@dataclass(frozen=True)
class Member:
    """One member of a case as the team page shows it."""

    name: str
    role: str
    granted_by: str
    granted_at: datetime
    disabled: bool


def members(session: Session, case_id: str) -> list[Member]:
    """The case's members, by name."""
    rows = session.execute(
        select(User.name, Membership.role, Membership.granted_by, Membership.granted_at,
               User.disabled)
        .join(User, User.id == Membership.user_id)
        .where(Membership.case_id == case_id)
        .order_by(User.name)
    )  # fmt: skip
    return [Member(*row) for row in rows]


def _user(session: Session, name: str) -> User:
    user = session.scalar(select(User).where(User.name == name.strip()))
    if user is None:
        raise InvalidInput("no user of this name; an admin creates accounts first", path="user")
    return user


def set_role(session: Session, case_id: str, name: str, role: str, actor: str) -> str | None:
    """Give user ``name`` ``role`` in the case (adding them, or changing the role they
    have); returns their previous role (None for a new member). A disabled account may
    not be added: it could not use the role, and enabling it later should not silently
    bring back access nobody reviewed."""
    if role not in policy.ROLES:
        raise InvalidInput(f"choose one of the roles: {', '.join(policy.ROLES)}", path="role")
    user = _user(session, name)
    if user.disabled:
        raise InvalidInput("this account is disabled", path="user")
    before = policy.role_in(session, user, case_id)
    if before == role:
        return before
    case = policy.add_member(session, case_id, user, role, actor)
    detail = {"user": user.name, "role": role} | ({"previous": before} if before else {})
    accounts.record(session, "member_added", actor, case=case.id, **detail)
    return before


def remove(session: Session, case_id: str, name: str, actor: str) -> str:
    """Take user ``name`` out of the case; returns the role they had."""
    user = _user(session, name)
    if policy.role_in(session, user, case_id) is None:
        raise InvalidInput("this user is not a member of this case", path="user")
    case, role = policy.remove_member(session, case_id, user)
    accounts.record(session, "member_removed", actor, case=case.id, user=user.name, role=role)
    return role


def candidates(session: Session, case_id: str) -> list[str]:
    """Names of the enabled accounts that are not yet members (what "add a member" offers)."""
    inside = select(Membership.user_id).where(Membership.case_id == case_id)
    return list(
        session.scalars(
            select(User.name)
            .where(User.disabled.is_(False), User.id.not_in(inside))
            .order_by(User.name)
        )
    )
