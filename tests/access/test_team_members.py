"""Case membership managed from a page (dalil.access.members), the ``manage`` action and
the admins' account functions (accounts.list_users, disable_account, reset_totp)."""

from __future__ import annotations

import pytest

from dalil.access import accounts, audit, members, policy, totp
from dalil.access.tables import WebSession
from dalil.errors import InvalidInput, NotFound
from dalil.records import cases
from dalil.vault.service import Vault
from dalil.workspace import Workspace

PASSWORD = "members tester password"


def test_set_role_change_and_remove_are_recorded_in_the_ledger(ws: Workspace, vault: Vault) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Team case", actor="root").id
        accounts.add_user(s, "rana", PASSWORD)
        assert members.candidates(s, case) == ["rana"]
        assert members.set_role(s, case, "rana", "viewer", "admin") is None
        assert members.set_role(s, case, "rana", "analyst", "admin") == "viewer"
        assert members.set_role(s, case, "rana", "analyst", "admin") == "analyst"  # no change
        assert [(m.name, m.role, m.granted_by) for m in members.members(s, case)] == [
            ("rana", "analyst", "admin")
        ]
        assert members.candidates(s, case) == []
        assert members.remove(s, case, "rana", "admin") == "analyst"
        assert members.members(s, case) == []
    with ws.session() as s:
        found = audit.entries(s, audit.Query(limit=100))
        changes = [
            (e["action"], e["detail"])
            for e in sorted(found, key=lambda e: int(e["index"]))
            if e["action"] in ("member_added", "member_removed")
        ]
    assert changes == [
        ("member_added", {"user": "rana", "role": "viewer"}),
        ("member_added", {"user": "rana", "role": "analyst", "previous": "viewer"}),
        ("member_removed", {"user": "rana", "role": "analyst"}),
    ]


def test_bad_choices_are_located_at_their_field(ws: Workspace) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Team case", actor="root").id
        user = accounts.add_user(s, "omar", PASSWORD)
        with pytest.raises(InvalidInput) as err:
            members.set_role(s, case, "omar", "owner", "admin")
        assert err.value.path == "role"
        with pytest.raises(InvalidInput) as err:
            members.set_role(s, case, "nobody", "viewer", "admin")
        assert err.value.path == "user"
        with pytest.raises(InvalidInput) as err:
            members.remove(s, case, "omar", "admin")
        assert err.value.path == "user"
        accounts.disable_user(s, user)
        with pytest.raises(InvalidInput, match="disabled"):
            members.set_role(s, case, "omar", "viewer", "admin")


def test_only_admins_manage_a_case(ws: Workspace) -> None:
    with ws.session() as s:
        case = cases.create_case(s, "Team case", actor="root").id
        admin = accounts.add_user(s, "admin", PASSWORD, admin=True)
        lead = accounts.add_user(s, "lead", PASSWORD)
        policy.add_member(s, case, lead, "investigator", "root")
        assert policy.allowed(s, admin, case, "manage")
        policy.add_member(s, case, admin, "viewer", "root")  # a role does not take it away
        assert policy.allowed(s, admin, case, "manage")
        assert not policy.allowed(s, admin, case, "write")  # nor give more than the role
        for role in policy.ROLES:
            assert not policy.allowed_role(role, "manage")
        with pytest.raises(policy.Forbidden):
            policy.require(s, lead, case, "manage")
        outsider = accounts.add_user(s, "outsider", PASSWORD)
        with pytest.raises(NotFound):
            policy.require(s, outsider, case, "manage")


def test_admin_account_functions(ws: Workspace) -> None:
    with ws.session() as s:
        admin = accounts.add_user(s, "admin", PASSWORD, admin=True)
        user = accounts.add_user(s, "huda", PASSWORD)
        assert [u.name for u in accounts.list_users(s)] == ["admin", "huda"]
        with pytest.raises(InvalidInput, match="your own"):
            accounts.disable_account(s, admin, by=admin)
        old = accounts.enable_totp(user).split("secret=")[1].split("&")[0]
        user.totp_last_step = 123
        accounts.start_session(s, user)
        link = accounts.reset_totp(s, user)
        new = link.split("secret=")[1].split("&")[0]
        assert new != old and user.totp_secret == new and user.totp_last_step is None
        assert s.query(WebSession).filter_by(user_id=user.id).count() == 0
        assert accounts.authenticate(s, "huda", PASSWORD, totp.code(new)).name == "huda"
        accounts.disable_account(s, user, by=admin)
        assert user.disabled
