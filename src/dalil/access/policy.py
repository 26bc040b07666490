"""Who may do what in which case: the one place authorization is decided.

Workspace admins manage users and may see every case. Everyone else sees only the cases
they are a member of, with one role per case:

=================== ======================================================================
role                may
=================== ======================================================================
investigator        read and write records, lists, evidence; record (never reveal) a witness
                    identity; run linkage and estimation; share the case under a consent
                    scope
analyst             read; run linkage and estimation; decide linkage pairs
legal               read; share under a consent scope
protection_officer  read; record a witness identity; reveal or erase one (with a reason
                    and re-authentication); share under a consent scope
viewer              read the case overview
=================== ======================================================================

Who belongs to a case and with which role (the ``manage`` action: add and remove members,
change their roles) is decided by workspace admins only, in every case, whether or not
they hold a role in it. No case role carries it: a role opens witness identities and
evidence, so a member who could grant roles could grant one to themselves.

A case the user may not see does not exist for them: lookups raise
:class:`~dalil.errors.NotFound`, so the API answers 404, never 403 (no existence oracle,
ASVS 8.2.2 / 8.4.1). Membership is read on every request, so revoking it takes effect on
the next one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Literal

from sqlalchemy import and_, bindparam, delete, select
from sqlalchemy.orm import Session

from dalil.access.tables import Membership, User
from dalil.errors import InvalidInput, NotFound, UserError
from dalil.model.keys import find_case
from dalil.model.tables import Case

Role = Literal["investigator", "analyst", "legal", "protection_officer", "viewer"]
ROLES: tuple[Role, ...] = ("investigator", "analyst", "legal", "protection_officer", "viewer")
Action = Literal[
    "read",
    "overview",
    "write",
    "link",
    "decide",
    "reveal_identity",
    "record_identity",
    "erase_identity",
    "share",
    "assess",
    "manage",
]
#: actions a workspace admin may do in every case without a role in it
ADMIN_ACTIONS: frozenset[str] = frozenset({"read", "overview", "manage"})

#: ``share``: export the case under a consent scope, for someone outside the team;
#: ``assess``: record findings on elements of crimes and protocol checklist items
_ALLOWED: dict[str, set[str]] = {
    "investigator": {
        "read",
        "overview",
        "write",
        "link",
        "decide",
        "record_identity",
        "share",
        "assess",
    },
    "analyst": {"read", "overview", "link", "decide"},
    "legal": {"read", "overview", "share", "assess"},
    "protection_officer": {
        "read",
        "overview",
        "reveal_identity",
        "record_identity",
        "erase_identity",
        "share",
    },
    "viewer": {"overview"},
}


class Forbidden(UserError):
    """The user may see the case but not do this (HTTP 403)."""

    code = "access.forbidden"


def role_in(session: Session, user: User, case_id: str) -> str | None:
    return session.scalar(
        select(Membership.role).where(Membership.case_id == case_id, Membership.user_id == user.id)
    )


def visible_cases(session: Session, user: User) -> list[Case]:
    query = select(Case).order_by(Case.created_at)
    if not user.is_admin:
        query = query.join(Membership, Membership.case_id == Case.id).where(
            Membership.user_id == user.id
        )
    return list(session.scalars(query))


#: the case and the user's role in it, in one statement built once (every case route asks)
_CASE_ROLE = (
    select(Case, Membership.role)
    .outerjoin(
        Membership, and_(Membership.case_id == Case.id, Membership.user_id == bindparam("user"))
    )
    .where(Case.id == bindparam("case"))
)


def require(session: Session, user: User, case_id: str, action: Action) -> Case:
    """The case if ``user`` may do ``action`` in it; NotFound if they may not see it."""
    found = session.execute(_CASE_ROLE, {"user": user.id, "case": case_id}).first()
    case: Case | None = found[0] if found else None
    role: str | None = found[1] if found else None
    if case is None or (role is None and not user.is_admin):
        raise NotFound("no such case", path="case_id")
    if user.is_admin and action in ADMIN_ACTIONS:
        return case
    if user.is_admin and role is None:
        raise Forbidden("workspace admins need a case role for this", path="case_id")
    if action == "manage":
        raise Forbidden("only workspace admins manage a case's members", path="case_id")
    if action not in _ALLOWED[role or ""]:
        raise Forbidden(
            f"the {role} role may not {action.replace('_', ' ')} in this case", path="case_id"
        )
    return case


def allowed_role(role: str, action: str) -> bool:
    """Whether a case role carries a permission (for tests and documentation)."""
    return action in _ALLOWED.get(role, set())


def allowed(session: Session, user: User, case_id: str, action: Action) -> bool:
    """Whether ``require`` would pass (for showing or hiding controls; never for enforcing)."""
    try:
        require(session, user, case_id, action)
    except (NotFound, Forbidden):
        return False
    return True


def add_member(session: Session, case_key: str, user: User, role: str, granted_by: str) -> Case:
    """Give ``user`` ``role`` in the case (id, id prefix or title), replacing any role they
    had; returns the case."""
    if role not in ROLES:
        raise InvalidInput(f"role must be one of {', '.join(ROLES)}", path="--role")
    case = find_case(session, case_key)
    session.execute(
        delete(Membership).where(Membership.case_id == case.id, Membership.user_id == user.id)
    )
    session.add(
        Membership(
            case_id=case.id,
            user_id=user.id,
            role=role,
            granted_by=granted_by,
            granted_at=datetime.now(UTC),
        )
    )
    return case


def remove_member(session: Session, case_key: str, user: User) -> tuple[Case, str]:
    """Take ``user`` out of the case (id, id prefix or title); returns the case and the role
    they had. Membership is read on every request, so their next one no longer finds the
    case (404), whether it comes with a session or an API token."""
    case = find_case(session, case_key)
    role = role_in(session, user, case.id)
    if role is None:
        raise InvalidInput("this user is not a member of this case", path="NAME")
    session.execute(
        delete(Membership).where(Membership.case_id == case.id, Membership.user_id == user.id)
    )
    return case, role
