"""Case and team set-up in the browser: a new case, a case's members and roles, and the
workspace's users (admins).

Thin over :mod:`dalil.records.cases`, :mod:`dalil.access.members` and
:mod:`dalil.access.accounts`. Every form carries the session's CSRF token; a refused form
comes back with status 400, the error beside its field and what was typed (never a
password), and nothing written.

Who may: creating cases and managing users is for workspace admins (the decision noted in
the request's audit trail with what was asked, ``permission="admin"``). A case's team page
is open to every member (``overview``: a member sees who else works on the case); changing
it needs the ``manage`` action of :mod:`dalil.access.policy` (admins only), checked in the
route through :func:`dalil.web.deps.admit`, so the decision is audited like any other, and
each change is also recorded in the custody ledger in the same transaction as the change
(``member_added``, ``member_removed``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session

from dalil.access import accounts, members, policy
from dalil.access.tables import User
from dalil.errors import Conflict, InvalidInput
from dalil.records import cases
from dalil.web import auth
from dalil.web.deps import Access, CallerDep, CaseOverview, SessionDep, admit, render, trail
from dalil.web.i18n import N_

router = APIRouter(include_in_schema=False)

#: what the accounts, members and cases libraries answer these forms with: shown through
#: ``t`` (``_form_error.html``), marked here so that ``make messages`` finds them
FORM_MESSAGES = (
    N_("a user name of 1-200 characters is required"),
    N_("a user with this name exists"),
    N_("no such user"),
    N_("you cannot disable your own account"),
    N_("no user of this name; an admin creates accounts first"),
    N_("this account is disabled"),
    N_("this user is not a member of this case"),
    N_("a case title has 1 to 500 characters"),
)

Short = Annotated[str, Form(max_length=500)]
Csrf = Annotated[str, Form(max_length=200)]


def require_admin(request: Request, who: auth.Caller, **asked: Any) -> None:
    """Admins only; the decision (and what was ``asked``: the change, the account) is
    noted in the request's audit trail."""
    notes = trail(request)
    route = f"{request.method} {request.url.path}"[:300]
    if not who.user.is_admin:
        notes.note("access_denied", who.user.name, route=route, permission="admin",
                   why="access.forbidden", **asked)  # fmt: skip
        raise policy.Forbidden("only workspace admins may do this")
    notes.note("authorised", who.user.name, route=route, permission="admin", **asked)


def _refused(page: HTMLResponse) -> HTMLResponse:
    page.status_code = 400
    return page


# -- a new case ---------------------------------------------------------------------------


@router.get("/cases/new", response_class=HTMLResponse)
def new_case_form(request: Request, s: SessionDep, who: CallerDep) -> HTMLResponse:
    require_admin(request, who)
    return render(request, "case_new.html", who, typed={}, error=None, roles=policy.ROLES)


@router.post("/cases/new")
def new_case(
    request: Request, s: SessionDep, who: CallerDep, title: Short,
    description: Annotated[str, Form(max_length=10_000)] = "", fictional: Short = "",
    role: Short = "", csrf: Csrf = "",
) -> Response:  # fmt: skip
    """Create the case (and, when ``role`` is chosen, make its creator a member with that
    role), then open its front page."""
    auth.check_csrf(request, who, csrf)
    require_admin(request, who, change="case_created")
    typed = {"title": title, "description": description, "fictional": fictional, "role": role}
    try:
        if role and role not in policy.ROLES:
            raise InvalidInput(N_("choose a role, or none"), path="role")
        case = cases.create_case(s, title, actor=who.user.name,
                                 description=description.strip() or None,
                                 fictional=bool(fictional))  # fmt: skip
        accounts.record(s, "case_created", who.user.name, case=case.id)
        if role:
            members.set_role(s, case.id, who.user.name, role, who.user.name)
    except InvalidInput as err:
        s.rollback()
        return _refused(render(request, "case_new.html", who, typed=typed, error=err,
                               roles=policy.ROLES))  # fmt: skip
    return RedirectResponse(f"/cases/{case.id}", status_code=303)


new_case_form.policy = new_case.policy = "admin"  # type: ignore[attr-defined]


# -- a case's team --------------------------------------------------------------------------


def _team(request: Request, s: Session, access: Access, error: InvalidInput | None = None,
          typed: dict[str, str] | None = None) -> HTMLResponse:  # fmt: skip
    can_manage = policy.allowed(s, access.who.user, access.case.id, "manage")
    page = render(
        request, "team_members.html", access.who, case=access.case,
        members=members.members(s, access.case.id), roles=policy.ROLES,
        candidates=members.candidates(s, access.case.id) if can_manage else [],
        can_manage=can_manage, error=error, typed=typed or {},
    )  # fmt: skip
    return _refused(page) if error else page


@router.get("/cases/{case_id}/team", response_class=HTMLResponse)
def team(case_id: str, request: Request, s: SessionDep, access: CaseOverview) -> HTMLResponse:
    return _team(request, s, access)


@router.post("/cases/{case_id}/team")
def set_member(
    case_id: str, request: Request, s: SessionDep, access: CaseOverview,
    user: Short, role: Short, csrf: Csrf = "",
) -> Response:  # fmt: skip
    """Add a member, or change a member's role (the same form on each member's row)."""
    auth.check_csrf(request, access.who, csrf)
    admit(request, s, access.who, case_id, "manage")
    try:
        members.set_role(s, case_id, user, role, access.actor)
    except InvalidInput as err:
        s.rollback()
        return _team(request, s, access, err, {"user": user, "role": role})
    return RedirectResponse(f"/cases/{case_id}/team", status_code=303)


@router.post("/cases/{case_id}/team/remove")
def remove_member(
    case_id: str, request: Request, s: SessionDep, access: CaseOverview, user: Short,
    csrf: Csrf = "",
) -> Response:  # fmt: skip
    auth.check_csrf(request, access.who, csrf)
    admit(request, s, access.who, case_id, "manage")
    try:
        members.remove(s, case_id, user, access.actor)
    except InvalidInput as err:
        s.rollback()
        return _team(request, s, access, err, {"user": user})
    return RedirectResponse(f"/cases/{case_id}/team", status_code=303)


# -- users (admins) -----------------------------------------------------------------------------


def _users(request: Request, s: Session, who: auth.Caller, error: InvalidInput | None = None,
           typed: dict[str, str] | None = None, link: tuple[str, str] | None = None,
           ) -> HTMLResponse:  # fmt: skip
    """The users page; ``link`` is (user, otpauth URI) right after a second factor was
    reset, shown this once."""
    page = render(request, "team_users.html", who, users=accounts.list_users(s), error=error,
                  typed=typed or {}, link=link, min_password=accounts.MIN_PASSWORD)  # fmt: skip
    return _refused(page) if error else page


@router.get("/admin/users", response_class=HTMLResponse)
def users(request: Request, s: SessionDep, who: CallerDep) -> HTMLResponse:
    require_admin(request, who)
    return _users(request, s, who)


@router.post("/admin/users")
def add_user(
    request: Request, s: SessionDep, who: CallerDep, name: Short,
    password: Annotated[str, Form(max_length=accounts.MAX_PASSWORD + 1)], admin: Short = "",
    csrf: Csrf = "",
) -> Response:  # fmt: skip
    auth.check_csrf(request, who, csrf)
    require_admin(request, who, change="user_added", user=name[:200], admin=bool(admin))
    try:
        accounts.add_user(s, name, password, admin=bool(admin))
        accounts.record(s, "user_added", who.user.name, user=name.strip(), admin=bool(admin))
    except (InvalidInput, Conflict) as err:
        s.rollback()
        return _users(request, s, who, InvalidInput(err.message, path=err.path),
                      {"name": name, "admin": admin})  # fmt: skip
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/disable")
def disable_user(request: Request, s: SessionDep, who: CallerDep, user: Short,
                 csrf: Csrf = "") -> Response:  # fmt: skip
    auth.check_csrf(request, who, csrf)
    require_admin(request, who, change="user_disabled", user=user[:200])
    try:
        accounts.disable_account(s, _account(s, user), by=who.user)
        accounts.record(s, "user_disabled", who.user.name, user=user)
    except InvalidInput as err:
        s.rollback()
        return _users(request, s, who, err)
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/second-factor")
def reset_second_factor(request: Request, s: SessionDep, who: CallerDep, user: Short,
                        csrf: Csrf = "") -> Response:  # fmt: skip
    """A new TOTP secret for ``user``, shown once on the page this answers with (not a
    redirect: reloading must not show it again, and it is never stored in the page's URL)."""
    auth.check_csrf(request, who, csrf)
    require_admin(request, who, change="second_factor_reset", user=user[:200])
    try:
        account = _account(s, user)
        link = accounts.reset_totp(s, account)
        accounts.record(s, "second_factor_reset", who.user.name, user=account.name)
    except InvalidInput as err:
        s.rollback()
        return _users(request, s, who, err)
    page = _users(request, s, who, link=(account.name, link))
    page.headers["Cache-Control"] = "no-store"
    return page


def _account(s: Session, name: str) -> User:
    try:
        return accounts.find_user(s, name)
    except InvalidInput:
        raise InvalidInput(N_("no user of this name"), path="user") from None


users.policy = add_user.policy = "admin"  # type: ignore[attr-defined]
disable_user.policy = reset_second_factor.policy = "admin"  # type: ignore[attr-defined]
